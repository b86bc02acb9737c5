"""Pages: who sees what, what bad input gets, and how many queries a list costs."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from yanxiu.applications.domain import editing, workflow
from yanxiu.applications.enums import ApplicationState as S
from yanxiu.applications.models import Application, Attachment
from yanxiu.core import clock

pytestmark = pytest.mark.django_db


def editor_post(application, **changes):
    """The editor's full POST for `application`, with `changes` applied."""
    data = {
        "version": application.version,
        "title": application.title,
        "start_date": application.start_date.isoformat() if application.start_date else "",
        "end_date": application.end_date.isoformat() if application.end_date else "",
        "venue_city": application.venue_city,
        "venue_place": application.venue_place,
        "domain": application.domain_id or "",
        "competent_department": application.competent_department_id or "",
        "funding": application.funding,
        "funding_source": application.funding_source,
        "purpose": application.purpose,
        "content_summary": application.content_summary,
        "lecturer_summary": application.lecturer_summary,
        "trainee_description": application.trainee_description,
        "planned_trainees": application.planned_trainees or "",
        "recruitment_scope": application.recruitment_scope,
        "trainee_title_levels": application.trainee_title_levels,
        "host_name": application.host_name,
        "host_contact": application.host_contact,
        "host_office_phone": application.host_office_phone,
        "host_mobile": application.host_mobile,
        "host_fax": application.host_fax,
        "host_address": application.host_address,
        "base_status": application.base_status,
        "base_batch": application.base_batch or "",
        "declares_independent_hosting": "on" if application.declares_independent_hosting else "",
        "declares_no_trainee_fees": "on" if application.declares_no_trainee_fees else "",
        "declares_mainly_offline": "on" if application.declares_mainly_offline else "",
    }
    sessions = list(application.sessions.all())
    data.update(
        {
            "sessions-TOTAL_FORMS": len(sessions),
            "sessions-INITIAL_FORMS": len(sessions),
            "sessions-MIN_NUM_FORMS": 0,
            "sessions-MAX_NUM_FORMS": 1000,
        }
    )
    for i, s in enumerate(sessions):
        data.update(
            {
                f"sessions-{i}-date": s.date.isoformat(),
                f"sessions-{i}-half_day": s.half_day,
                f"sessions-{i}-topic": s.topic,
                f"sessions-{i}-speaker": s.speaker,
                f"sessions-{i}-format": s.format,
                f"sessions-{i}-mode": s.mode,
                f"sessions-{i}-class_hours": str(s.class_hours),
            }
        )
    lecturers = list(application.lecturers.all())
    data.update(
        {
            "lecturers-TOTAL_FORMS": len(lecturers),
            "lecturers-INITIAL_FORMS": len(lecturers),
            "lecturers-MIN_NUM_FORMS": 0,
            "lecturers-MAX_NUM_FORMS": 1000,
        }
    )
    for i, lecturer in enumerate(lecturers):
        data.update(
            {
                f"lecturers-{i}-name": lecturer.name,
                f"lecturers-{i}-title": lecturer.title,
                f"lecturers-{i}-position": lecturer.position,
                f"lecturers-{i}-affiliation": lecturer.affiliation,
                f"lecturers-{i}-topic": lecturer.topic,
            }
        )
    for claim in application.topic_claims.select_related("area"):
        data[f"topic_{claim.area.code}"] = "on"
        data[f"topic_{claim.area.code}_explanation"] = claim.explanation
    data = {k: v for k, v in data.items() if v not in (None, "")}
    data.update(changes)
    return data


@pytest.fixture
def host_client(client):
    host = factories.staff()
    client.force_login(host)
    client.host = host
    return client


def snapshot(application):
    fresh = Application.objects.get(pk=application.pk)
    return (
        fresh.version,
        fresh.title,
        fresh.start_date,
        fresh.end_date,
        fresh.planned_trainees,
        fresh.purpose,
        fresh.sessions.count(),
    )


# --- scoping ----------------------------------------------------------------------


def test_another_institutions_application_is_404_everywhere(host_client):
    other = factories.complete("provincial")
    for name in ("detail", "edit", "checks", "preview", "history"):
        assert host_client.get(reverse(f"applications:{name}", args=[other.pk])).status_code == 404
    for action in ("submit", "withdraw", "return"):
        assert host_client.post(reverse("applications:act", args=[other.pk, action])).status_code == 404
    assert (
        host_client.post(reverse("applications:edit", args=[other.pk]), editor_post(other, title="改")).status_code
        == 404
    )
    assert Application.objects.get(pk=other.pk).state == S.DRAFT


def test_authorities_see_only_their_institutions_and_never_drafts(client):
    fuzhou_host = factories.staff(factories.institution("350100-RS"))
    xiamen_host = factories.staff(factories.institution("350200-RS"))
    fuzhou_app = factories.complete("provincial", actor=fuzhou_host)
    xiamen_app = factories.complete("provincial", actor=xiamen_host)
    workflow.perform(fuzhou_app, "submit", fuzhou_host)
    workflow.perform(xiamen_app, "submit", xiamen_host)
    fuzhou_draft = factories.complete("provincial", actor=fuzhou_host)
    reviewer = factories.reviewer(fuzhou_host.institution.authority)
    client.force_login(reviewer)
    page = client.get(reverse("applications:inbox"))
    assert [a.pk for a, _ in page.context["rows"]] == [fuzhou_app.pk]
    assert client.get(reverse("applications:detail", args=[xiamen_app.pk])).status_code == 404
    assert client.get(reverse("applications:detail", args=[fuzhou_draft.pk])).status_code == 404
    assert client.get(reverse("applications:detail", args=[fuzhou_app.pk])).status_code == 200
    # drafts the authority imported itself (from Word forms) are the exception
    from yanxiu.applications.domain import editing

    imported = editing.create_application(
        call=fuzhou_app.call, tier="provincial", institution=fuzhou_host.institution, actor=reviewer
    )
    assert client.get(reverse("applications:detail", args=[imported.pk])).status_code == 200
    other_reviewer = factories.reviewer(factories.authority("350200-RS"))
    client.force_login(other_reviewer)
    assert client.get(reverse("applications:detail", args=[imported.pk])).status_code == 404
    client.force_login(reviewer)
    # a reviewer cannot edit even its own institutions' applications
    assert client.get(reverse("applications:edit", args=[fuzhou_app.pk])).status_code == 403


def test_anonymous_users_are_sent_to_log_in(client):
    application = factories.complete("provincial")
    response = client.get(reverse("applications:detail", args=[application.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_attachments_of_others_cannot_be_downloaded(host_client):
    other = factories.complete("provincial")
    attachment = Attachment.objects.create(
        application=other,
        original_name="a.pdf",
        extension=".pdf",
        stored_token="x",
        size=1,
        uploaded_by=other.created_by,
        file="attachments/x.pdf",
    )
    url = reverse("applications:download_attachment", args=[other.pk, attachment.pk])
    assert host_client.get(url).status_code == 404


# --- the editor ----------------------------------------------------------------------


def test_creating_and_saving_through_the_editor(host_client):
    response = host_client.post(reverse("applications:create"), {"call": factories.call_2026().pk, "tier": "national"})
    application = Application.objects.get(institution=host_client.host.institution)
    assert response.url == reverse("applications:edit", args=[application.pk])
    assert (application.tier, application.host_name, application.recruitment_scope) == (
        "national",
        host_client.host.institution.name,
        "nationwide",
    )
    data = editor_post(
        application,
        title="海洋装备高级研修班",
        planned_trainees="55",
        **{
            "sessions-TOTAL_FORMS": 1,
            "sessions-0-date": "2026-08-04",
            "sessions-0-half_day": "am",
            "sessions-0-topic": "开班报告",
            "sessions-0-format": "keynote",
            "sessions-0-mode": "offline",
            "sessions-0-class_hours": "3",
            "topic_industry": "on",
            "topic_industry_explanation": "对接海洋装备产业需求",
        },
    )
    response = host_client.post(reverse("applications:edit", args=[application.pk]), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "已自动保存" in response.content.decode()
    application.refresh_from_db()
    assert (application.title, application.planned_trainees, application.version) == ("海洋装备高级研修班", 55, 2)
    assert list(application.sessions.values_list("topic", flat=True)) == ["开班报告"]
    assert application.topic_claims.get().explanation == "对接海洋装备产业需求"
    # autosave again: rows are replaced, not duplicated
    host_client.post(
        reverse("applications:edit", args=[application.pk]), editor_post(application), HTTP_HX_REQUEST="true"
    )
    assert application.sessions.count() == 1


def test_a_stale_editor_save_is_refused_with_a_message(host_client):
    application = factories.complete("provincial", actor=host_client.host)
    stale = editor_post(application, title="第二个窗口")
    host_client.post(
        reverse("applications:edit", args=[application.pk]),
        editor_post(application, title="第一个窗口"),
        HTTP_HX_REQUEST="true",
    )
    response = host_client.post(reverse("applications:edit", args=[application.pk]), stale, HTTP_HX_REQUEST="true")
    assert "已被他人" in response.content.decode()
    assert Application.objects.get(pk=application.pk).title == "第一个窗口"


BAD_INPUT = [
    ({"end_date": "2026-08-01", "start_date": "2026-09-01"}, "end_date", "结束日期早于开始日期"),
    ({"planned_trainees": "0"}, "planned_trainees", "学员人数至少为1人"),
    ({"planned_trainees": "1000000000"}, "planned_trainees", "不能超过100000人"),
    ({"planned_trainees": "五十"}, "planned_trainees", "请输入整数人数"),
    ({"start_date": "2026-02-30"}, "start_date", "请输入有效的日期"),
    ({"purpose": "长" * 100_000}, "purpose", "3000"),
    ({"title": "研修班\x07"}, "title", "含有无法显示的控制字符"),
    ({"host_mobile": "1234"}, "host_mobile", "手机号码格式不正确"),
    ({"host_office_phone": "abc"}, "host_office_phone", "电话号码格式不正确"),
    ({"sessions-0-class_hours": "9"}, "sessions", "每个半天最多4学时"),
    ({"sessions-0-date": "not-a-date"}, "sessions", "请输入有效的日期"),
]


@pytest.mark.parametrize(("changes", "field", "message"), BAD_INPUT)
def test_bad_input_gets_a_clear_message_and_changes_nothing(host_client, changes, field, message):
    application = factories.complete("provincial", actor=host_client.host)
    before = snapshot(application)
    url = reverse("applications:edit", args=[application.pk])
    response = host_client.post(url, editor_post(application, **changes))
    text = response.content.decode()
    assert response.status_code == 400
    assert message in text
    assert "本次修改未保存" in text
    assert snapshot(application) == before
    # the autosave shows the same message next to the field
    autosave = host_client.post(url, editor_post(application, **changes), HTTP_HX_REQUEST="true").content.decode()
    assert message in autosave
    assert f'id="msgs-{field}"' in autosave
    assert snapshot(application) == before


def test_script_in_a_title_is_never_rendered_as_markup(host_client):
    application = factories.complete("provincial", actor=host_client.host)
    Application.objects.filter(pk=application.pk).update(title="<script>alert(1)</script>")
    text = host_client.get(reverse("applications:preview", args=[application.pk])).content.decode()
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_the_deadline_passing_mid_edit_keeps_the_draft_but_refuses_submission(host_client, clock):
    application = factories.complete("national", actor=host_client.host)
    clock("2026-01-17T09:00:00+08:00")
    page = host_client.get(reverse("applications:edit", args=[application.pk])).content.decode()
    assert "可以继续保存草稿，但不能提交" in page
    host_client.post(reverse("applications:edit", args=[application.pk]), editor_post(application, title="截止后修改"))
    assert Application.objects.get(pk=application.pk).title == "截止后修改"
    response = host_client.post(reverse("applications:act", args=[application.pk, "submit"]), follow=True)
    assert "已于2026年1月16日截止" in response.content.decode()
    assert Application.objects.get(pk=application.pk).state == S.DRAFT


# --- attachments --------------------------------------------------------------------------


def upload(client, application, name, content):
    return client.post(
        reverse("applications:upload_attachment", args=[application.pk]),
        {"file": SimpleUploadedFile(name, content), "kind": "supporting"},
        follow=True,
    )


def test_a_real_pdf_is_accepted_and_only_the_owner_downloads_it(host_client):
    application = factories.complete("provincial", actor=host_client.host)
    response = upload(host_client, application, "证明.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF")
    assert "已上传“证明.pdf”" in response.content.decode()
    attachment = application.attachments.get()
    assert (attachment.original_name, attachment.extension) == ("证明.pdf", ".pdf")
    download = host_client.get(reverse("applications:download_attachment", args=[application.pk, attachment.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF-1.4")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100, "文件内容与扩展名不符"),
        ("form.docx", b"MZ\x90\x00" + b"\x00" * 100, "文件内容与扩展名不符"),
        ("virus.exe", b"MZ\x90\x00", "不支持的文件类型"),
        ("empty.pdf", b"", "文件是空的"),
    ],
)
def test_files_that_are_not_what_they_claim_are_refused(host_client, name, content, message):
    application = factories.complete("provincial", actor=host_client.host)
    response = upload(host_client, application, name, content)
    assert message in response.content.decode()
    assert application.attachments.count() == 0


def test_a_200_mb_upload_is_cut_off_with_a_message(host_client, settings):
    application = factories.complete("provincial", actor=host_client.host)
    response = upload(host_client, application, "huge.pdf", b"%PDF-1.4\n" + b"0" * (200 * 1024 * 1024))
    assert f"单个附件不能超过 {settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)} MB" in response.content.decode()
    assert application.attachments.count() == 0


def test_attachments_cannot_be_added_once_submitted(host_client):
    application = factories.complete("provincial", actor=host_client.host)
    workflow.perform(application, "submit", host_client.host)
    response = upload(host_client, application, "late.pdf", b"%PDF-1.4 late")
    assert response.status_code == 200
    assert application.attachments.count() == 0


# --- pages and query counts ----------------------------------------------------------------


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_the_dashboard_costs_the_same_queries_for_1_and_20_applications(host_client):
    factories.complete("provincial", actor=host_client.host)
    one = count_queries(host_client, reverse("applications:dashboard"))
    for _ in range(19):
        factories.draft("national", actor=host_client.host)
    assert count_queries(host_client, reverse("applications:dashboard")) == one


def test_the_inbox_costs_the_same_queries_for_1_and_20_applications(client):
    authority = factories.authority()
    reviewer = factories.reviewer(authority)
    client.force_login(reviewer)

    def submitted():
        host = factories.staff(factories.institution())
        application = factories.complete("provincial", actor=host)
        workflow.perform(application, "submit", host)

    submitted()
    one = count_queries(client, reverse("applications:inbox"))
    for _ in range(19):
        submitted()
    assert count_queries(client, reverse("applications:inbox")) == one
    assert len(client.get(reverse("applications:inbox")).context["rows"]) == 20


def test_every_page_of_an_application_renders_for_its_host(host_client):
    application = factories.complete("national", actor=host_client.host)
    for name in ("detail", "edit", "checks", "preview", "history"):
        response = host_client.get(reverse(f"applications:{name}", args=[application.pk]))
        assert response.status_code == 200, name
    preview = host_client.get(reverse("applications:preview", args=[application.pk])).content.decode()
    assert "2026年9月1日—9月6日" in preview
    assert "☑财政资助项目" in preview
    assert "□自筹经费项目" in preview


def test_dashboard_shows_days_left_to_each_deadline(host_client):
    text = host_client.get(reverse("applications:dashboard")).content.decode()
    # fixed clock: 2026-01-10; national deadline 2026-01-16, provincial 2026-02-20
    assert "还有 <strong>6</strong> 天" in text
    assert "还有 <strong>41</strong> 天" in text


def test_closed_tiers_offer_no_new_application_unless_extended(host_client, clock):
    from datetime import datetime

    from django.utils import timezone

    from yanxiu.organisations.models import DeadlineExtension

    clock("2026-01-20T09:00:00+08:00")
    text = host_client.get(reverse("applications:dashboard")).content.decode()
    assert 'data-testid="new-2026-national"' not in text
    assert 'data-testid="new-2026-provincial"' in text
    DeadlineExtension.objects.create(
        call=factories.call_2026(),
        tier="national",
        institution=host_client.host.institution,
        until=timezone.make_aware(datetime(2026, 1, 25, 18)),
        reason="延期",
    )
    text = host_client.get(reverse("applications:dashboard")).content.decode()
    assert 'data-testid="new-2026-national"' in text
    assert "本单位已获准延期至2026年1月25日 18:00" in text


def test_date_helpers():
    from yanxiu.core.dates import chinese_period as period_text

    assert period_text(date(2026, 6, 15), date(2026, 6, 20)) == "2026年6月15日—6月20日"
    assert period_text(date(2026, 12, 30), date(2027, 1, 2)) == "2026年12月30日—2027年1月2日"


def test_the_province_intake_filters_and_flags(client):
    from yanxiu.applications.domain import editing
    from yanxiu.organisations.enums import InstitutionType
    from yanxiu.organisations.models import ProgrammeRecord

    def submitted(authority_code="350100-RS", tier="provincial", inst=None, **fields):
        host = factories.staff(inst or factories.institution(authority_code))
        application = factories.complete(tier, actor=host, **fields)
        editing.set_warning_reason(application, code="institution.previous_completion", reason="已整改", actor=host)
        workflow.perform(application, "submit", host)
        return application

    plain = submitted(title="海洋装备智能制造高级研修班")
    twin = submitted("350200-RS", title="海洋装备智能制造研修班")  # the same title but for filler words
    missed = factories.institution("350500-RS")
    ProgrammeRecord.objects.create(institution=missed, year=2025, title="去年项目", completed=False)
    late = submitted(inst=missed, title="文物数字化研修班")
    enterprise = factories.institution("350500-RS", type=InstitutionType.ENTERPRISE, can_issue_training_invoice=False)
    Institution = type(enterprise)
    Institution.objects.filter(pk=enterprise.pk).update(
        can_issue_training_invoice=True, training_invoice_confirmed_at=clock.now()
    )
    company = submitted(inst=Institution.objects.get(pk=enterprise.pk), title="工业互联网研修班")
    Institution.objects.filter(pk=enterprise.pk).update(can_issue_training_invoice=False)
    national = submitted(tier="national", inst=plain.institution, title="量子信息高级研修班")

    client.force_login(factories.province_officer())
    rows = dict(client.get(reverse("applications:inbox")).context["rows"])
    assert {a.pk for a in rows} == {plain.pk, twin.pk, late.pk, company.pk, national.pk}
    flags = {a.pk: f for a, f in rows.items()}
    assert flags[plain.pk].similar_title
    assert flags[twin.pk].similar_title
    assert not flags[national.pk].similar_title
    assert flags[late.pk].missed_last_year
    assert not flags[plain.pk].missed_last_year
    assert flags[company.pk].enterprise_without_invoice
    assert not flags[plain.pk].same_institution_twice  # national and provincial are separate tiers

    def pks(**params):
        return {a.pk for a, _ in client.get(reverse("applications:inbox"), params).context["rows"]}

    assert pks(authority=factories.authority("350200-RS").pk) == {twin.pk}
    assert pks(tier="national") == {national.pk}
    assert pks(topic="digital") == {plain.pk, twin.pk, late.pk, company.pk, national.pk}
    assert pks(topic="strategy") == set()
    assert pks(flagged="on") == {plain.pk, twin.pk, late.pk, company.pk}
    flagged_page = client.get(reverse("applications:inbox"), {"flagged": "on"}).content.decode()
    assert "共 4 项" in flagged_page  # the rows shown, not the 5 before the flag filter


def test_the_dashboards_deadlines_are_each_tiers_deadline_for_the_institution():
    """deadlines_for reads every extension in one query: the same ends as deadline_for, tier by
    tier, with the authority's extension, the institution's own, and none of another's."""
    from datetime import datetime

    from django.utils import timezone

    from yanxiu.applications.domain.deadlines import deadline_for, deadlines_for
    from yanxiu.organisations.models import DeadlineExtension

    call = factories.call_2026()
    institution, other = factories.institution("350100-RS"), factories.institution("350200-RS")
    for tier, owner, day in [
        ("national", {"institution": institution}, 25),
        ("national", {"authority": institution.authority}, 27),
        ("provincial", {"institution": other}, 28),
    ]:
        DeadlineExtension.objects.create(
            call=call, tier=tier, until=timezone.make_aware(datetime(2026, 3, day, 18)), reason="延期", **owner
        )
    ends = deadlines_for(list(call.tier_rules.all()), institution)
    assert ends == {(call.pk, t): deadline_for(call, t, institution) for t in ("national", "provincial")}
    assert ends[call.pk, "national"] == timezone.make_aware(datetime(2026, 3, 27, 18))
    assert ends[call.pk, "provincial"] == call.tier_rule("provincial").deadline_end


def test_the_detail_shows_the_latest_return_then_what_changed_since(client):
    """The return's banner names who returned it; after the fix and resubmission the authority sees the
    fields changed since the latest return (the entries are read in one query, issue 26)."""
    host = factories.staff()
    reviewer = factories.reviewer(host.institution.authority)
    application = factories.complete("provincial", actor=host)
    url = reverse("applications:detail", args=[application.pk])
    for reason in ("第一次退回：请补充专家信息", "第二次退回：请修改项目名称"):
        workflow.perform(application, "submit", host)
        workflow.perform(application, "return", reviewer, reason=reason)
        application.refresh_from_db()
    client.force_login(host)
    page = client.get(url).content.decode()
    banner = page[page.index("<strong>退回意见</strong>") :]
    banner = banner[: banner.index("</div>")]
    assert "第二次退回：请修改项目名称" in banner
    assert "第一次退回" not in banner
    assert host.institution.authority.name in banner
    assert 'data-testid="changes"' not in page  # the host is not shown the authority's comparison
    editing.save_draft(
        application, fields={"title": "修改后的项目名称"}, actor=host, expected_version=application.version
    )
    workflow.perform(application, "submit", host)
    client.force_login(reviewer)
    page = client.get(url).content.decode()
    assert "<strong>退回意见</strong>" not in page
    changes = page[page.index('data-testid="changes"') :]
    changes = changes[: changes.index("</table>")]
    assert "修改后的项目名称" in changes
    assert changes.count("<tr>") == 2  # the heading and the one changed field
