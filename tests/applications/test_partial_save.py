"""The editor never loses what was typed (issue 20, decision 0014): an autosave stores every
valid field and holds each invalid one with its reason; a save from another window is shown
beside the stored version and the user may keep theirs; a new form is quiet until typed in;
the deadline banner and the call's rules are read from the call."""

import re

import pytest
from django.urls import reverse

from tests import factories
from tests.applications.test_views import editor_post
from yanxiu.applications.models import Application
from yanxiu.audit.models import AuditEntry
from yanxiu.calls.models import Call, TierRule

pytestmark = pytest.mark.django_db


@pytest.fixture
def host_client(client):
    host = factories.staff()
    client.force_login(host)
    client.host = host
    return client


def autosave(client, application, **changes):
    url = reverse("applications:edit", args=[application.pk])
    response = client.post(url, editor_post(application, **changes), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()


def refused_blocks(text):
    found = re.search(r'data-testid="save-partial" data-refused="([^"]*)"', text)
    return found.group(1).split() if found else None


# --- one invalid value holds only itself ------------------------------------------------------

# The walk: each value was typed among others, and refused the whole form.
HELD = [
    ({"host_mobile": "1380000"}, "host_mobile", "手机号码格式不正确"),
    ({"sessions-0-class_hours": "99"}, "sessions", "每个半天最多4学时"),
    ({"planned_trainees": "999999"}, "planned_trainees", "不能超过100000人"),
    ({"base_batch": "0"}, "base_batch", "批次应为正整数"),
    ({"start_date": "2026-09-10", "end_date": "2026-09-01"}, "end_date", "结束日期早于开始日期"),
]


@pytest.mark.parametrize(("bad", "block", "message"), HELD)
def test_one_invalid_value_is_held_and_everything_else_is_saved(host_client, bad, block, message):
    application = factories.complete("provincial", actor=host_client.host)
    stored_sessions = list(application.sessions.values_list("class_hours", flat=True))
    stored_mobile, version = application.host_mobile, application.version
    text = autosave(host_client, application, purpose="新写的研修目的，一字不能丢。", title="新的项目名称", **bad)
    assert refused_blocks(text) == [block]
    held = text.split(f'id="msgs-{block}"')[1].split('class="msg held"')
    assert message in held[0]  # the reason at the field, then that it was not saved
    assert held[1].startswith(">此项未保存")
    fresh = Application.objects.get(pk=application.pk)
    assert (fresh.purpose, fresh.title, fresh.version) == ("新写的研修目的，一字不能丢。", "新的项目名称", version + 1)
    assert fresh.host_mobile == stored_mobile
    assert list(fresh.sessions.values_list("class_hours", flat=True)) == stored_sessions
    if block == "end_date":  # the valid half of a pair is saved, the other one held
        assert (str(fresh.start_date), fresh.end_date) == ("2026-09-10", application.end_date)


def test_a_held_value_is_saved_once_corrected(host_client):
    application = factories.complete("provincial", actor=host_client.host)
    text = autosave(host_client, application, host_mobile="1380000", title="先改的名称")
    assert refused_blocks(text) == ["host_mobile"]
    application.refresh_from_db()
    text = autosave(host_client, application, host_mobile="13800001111")
    assert 'data-testid="saved"' in text
    assert refused_blocks(text) is None
    fresh = Application.objects.get(pk=application.pk)
    assert (fresh.host_mobile, fresh.title) == ("13800001111", "先改的名称")


def test_a_held_table_keeps_its_stored_rows(host_client):
    application = factories.complete("provincial", actor=host_client.host)
    rows = list(application.sessions.values_list("topic", "class_hours"))
    text = autosave(
        host_client, application, **{"sessions-0-topic": "改了的内容", "sessions-1-class_hours": "99", "title": "名称"}
    )
    assert refused_blocks(text) == ["sessions"]
    assert list(Application.objects.get(pk=application.pk).sessions.values_list("topic", "class_hours")) == rows
    assert Application.objects.get(pk=application.pk).title == "名称"


def test_the_same_values_again_write_nothing(host_client):
    application = factories.complete("provincial", actor=host_client.host)
    version = application.version
    text = autosave(host_client, application)
    assert 'data-testid="saved"' in text
    assert Application.objects.get(pk=application.pk).version == version
    autosave(host_client, application, title="改一个字")
    assert Application.objects.get(pk=application.pk).version == version + 1


def test_the_checks_panel_names_the_checks_about_unsaved_values(host_client):
    application = factories.complete("provincial", actor=host_client.host, trainees=20)  # 不少于30人: an error
    text = autosave(host_client, application, planned_trainees="999999")
    assert refused_blocks(text) == ["planned_trainees"]
    panel = text.split('id="checks"')[1]
    assert "1项输入未保存（计划招收学员人数）" in panel
    item = re.search(r'<li class="error" data-code="trainees.minimum">(.*?)</li>', panel, re.S).group(1)
    assert "新输入尚未保存：此项检查的是上次保存的值" in item
    assert re.search(r'data-testid="submit" disabled', panel)
    assert Application.objects.get(pk=application.pk).planned_trainees == 20


def test_the_save_button_without_script_answers_the_page_with_what_was_typed(host_client):
    application = factories.complete("provincial", actor=host_client.host)
    url = reverse("applications:edit", args=[application.pk])
    response = host_client.post(url, {**editor_post(application, host_mobile="1380000", title="保存按钮"), "save": "1"})
    assert response.status_code == 400
    text = response.content.decode()
    assert 'value="1380000"' in text  # the typed value, on the page
    assert refused_blocks(text) == ["host_mobile"]
    assert Application.objects.get(pk=application.pk).title == "保存按钮"


# --- two windows ---------------------------------------------------------------------------------


def test_a_stale_save_shows_both_versions_and_saves_nothing(host_client):
    application = factories.complete("provincial", actor=host_client.host)
    stale = editor_post(application, title="第二个窗口的名称", purpose="第二个窗口写的目的")
    autosave(host_client, application, title="第一个窗口的名称")
    url = reverse("applications:edit", args=[application.pk])
    text = host_client.post(url, stale, HTTP_HX_REQUEST="true").content.decode()
    stored = Application.objects.get(pk=application.pk)
    assert (stored.title, stored.purpose) == ("第一个窗口的名称", application.purpose)
    assert f'data-conflict="{stored.version}"' in text
    rows = dict(re.findall(r'<tr data-field="(\w+)"><th scope="row">[^<]*</th><td class="theirs">(.*?)</td>', text))
    mine = dict(re.findall(r'<tr data-field="(\w+)">.*?<td class="mine">(.*?)</td>', text))
    assert rows == {"title": "第一个窗口的名称", "purpose": application.purpose}
    assert mine == {"title": "第二个窗口的名称", "purpose": "第二个窗口写的目的"}
    assert f'data-keep-mine="{stored.version}"' in text
    # the page keeps its own version, so keeping mine is a deliberate overwrite of the one shown
    assert f'id="version-field" value="{application.version}"' in text


def test_keep_mine_overwrites_the_version_shown_and_is_audited(host_client):
    application = factories.complete("provincial", actor=host_client.host)
    stale = editor_post(application, title="第二个窗口的名称")
    autosave(host_client, application, title="第一个窗口的名称")
    shown = Application.objects.get(pk=application.pk).version
    url = reverse("applications:edit", args=[application.pk])
    text = host_client.post(url, {**stale, "overrides": shown}, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="saved"' in text
    stored = Application.objects.get(pk=application.pk)
    assert (stored.title, stored.version) == ("第二个窗口的名称", shown + 1)
    entry = AuditEntry.objects.for_object(stored).get(action="edit_override")
    assert (entry.actor, entry.reason, entry.data["overwritten_version"]) == (
        host_client.host,
        "项目名称",
        shown,
    )


def test_keep_mine_is_refused_when_a_third_save_came_in_between(host_client):
    application = factories.complete("provincial", actor=host_client.host)
    stale = editor_post(application, title="第二个窗口的名称")
    autosave(host_client, application, title="第一个窗口的名称")
    shown = Application.objects.get(pk=application.pk).version
    autosave(host_client, Application.objects.get(pk=application.pk), title="第三次保存")
    url = reverse("applications:edit", args=[application.pk])
    # would succeed without the check: `overrides` names a version that is no longer the stored one
    text = host_client.post(url, {**stale, "overrides": shown}, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="save-error"' in text
    assert Application.objects.get(pk=application.pk).title == "第三次保存"
    assert not AuditEntry.objects.for_object(application).filter(action="edit_override").exists()


# --- a new form is quiet until typed in ---------------------------------------------------------


def field_errors(text):
    """The error checks shown under the fields (the message blocks, not the checks panel)."""
    blocks = re.findall(r'<div class="field-msgs"[^>]*>((?:<div class="msg[^"]*"[^>]*>[^<]*</div>)*)</div>', text)
    return [code for block in blocks for code in re.findall(r'<div class="msg error" data-code="([\w.]+)"', block)]


def test_a_new_form_shows_no_error_before_anything_is_typed(host_client):
    application = factories.draft("provincial", actor=host_client.host)
    text = host_client.get(reverse("applications:edit", args=[application.pk])).content.decode()
    assert field_errors(text) == []
    assert 'data-testid="checks-quiet"' in text
    assert '<li class="error untouched" data-code="required.title">' in text  # listed, neutrally
    # typing in one field shows that field's checks only
    posted = {**editor_post(application, purpose="目的"), "quiet": "1", "touched": "purpose,title"}
    answer = host_client.post(reverse("applications:edit", args=[application.pk]), posted, HTTP_HX_REQUEST="true")
    assert set(field_errors(answer.content.decode())) == {"required.title"}


def test_pressing_save_shows_every_message(host_client):
    application = factories.draft("provincial", actor=host_client.host)
    posted = {**editor_post(application), "quiet": "1", "touched": "", "reveal": "1"}
    answer = host_client.post(reverse("applications:edit", args=[application.pk]), posted, HTTP_HX_REQUEST="true")
    shown = set(field_errors(answer.content.decode()))
    assert {"required.title", "required.purpose", "required.start_date"} <= shown


def test_a_draft_saved_before_opens_with_its_errors(host_client):
    application = factories.draft("provincial", actor=host_client.host)
    autosave(host_client, application, purpose="写过一次")
    text = host_client.get(reverse("applications:edit", args=[application.pk])).content.decode()
    assert "required.title" in field_errors(text)
    assert 'data-testid="checks-quiet"' not in text


# --- the deadline banner and the call's rules ----------------------------------------------------


def test_the_deadline_banner_follows_the_call(host_client):
    application = factories.complete("provincial", actor=host_client.host)
    url = reverse("applications:deadline_banner", args=[application.pk])
    assert "提交截止：2026年2月20日" in host_client.get(url).content.decode()
    TierRule.objects.filter(call=application.call, tier="provincial").update(deadline="2026-01-05")
    assert "申报已于2026年1月5日截止：可以继续保存草稿，但不能提交" in host_client.get(url).content.decode()
    # and an autosave answers it too, while saving what was typed
    text = autosave(host_client, application, title="截止后继续写")
    banner = text.split('id="deadline-banner"')[1].split("</div>")[0]
    assert "申报已于2026年1月5日截止" in banner
    assert Application.objects.get(pk=application.pk).title == "截止后继续写"


def test_the_dashboard_and_editor_show_the_calls_rules_from_its_data(host_client):
    application = factories.complete("provincial", actor=host_client.host)
    TierRule.objects.filter(call=application.call, tier="provincial").update(
        trainees_wording="不少于35人", duration_wording="3天左右"
    )
    dashboard = host_client.get(reverse("applications:dashboard")).content.decode()
    editor = host_client.get(reverse("applications:edit", args=[application.pk])).content.decode()
    for text in (dashboard, editor):
        rules = text.split('data-testid="call-rules-provincial"')[1].split("</details>")[0]
        assert "<dt>学员人数</dt><dd>不少于35人</dd>" in rules
        assert "<dt>研修天数</dt><dd>3天左右（含报到、返程，3至5天）</dd>" in rules
        assert "<dt>办班时间</dt><dd>应在2026年11月30日之前完成办班</dd>" in rules
        assert reverse("calls:notice", args=[application.call.pk]) in rules


def test_the_notice_page_shows_the_call_to_institutions(host_client):
    call = factories.call_2026()
    text = host_client.get(reverse("calls:notice", args=[call.pk])).content.decode()
    assert call.title in text
    assert call.topic_areas.first().description[:30] in text
    draft = Call.objects.create(year=2030, title="2030年度（未开放）", completion_date="2030-11-30", is_open=False)
    assert host_client.get(reverse("calls:notice", args=[draft.pk])).status_code == 404
