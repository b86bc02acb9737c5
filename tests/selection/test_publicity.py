"""公示 before the plan is issued (decision 0026), at its boundaries."""

import io
from datetime import date

import pytest
from django.urls import reverse
from docx import Document

from tests import factories
from tests.selection.test_selection import forwarded
from yanxiu.applications.enums import ApplicationState as S
from yanxiu.applications.models import Application
from yanxiu.audit.models import AuditEntry
from yanxiu.core.refusal import Refused
from yanxiu.selection.domain import decisions, publicity
from yanxiu.selection.interfaces.plan import plan_docx
from yanxiu.selection.models import ObjectionChannel, Outcome, PlanIssue, Publicity

pytestmark = pytest.mark.django_db

CONTACT = "省人社厅职业能力建设处 林老师 0591-87000000"


@pytest.fixture
def officer():
    return factories.province_officer()


@pytest.fixture
def shown(officer, clock):
    """Two staged decisions shown in a 公示 from Wed 29 April 2026: 29, 30 April, (1–5 May 劳动节), 6, 7, 8 May."""
    a = forwarded("provincial", title="海洋装备高级研修班")
    b = forwarded("provincial", "350200-RS", title="未入选的研修班")
    decisions.stage(a, Outcome.PROVINCIAL_ORDINARY, actor=officer)
    decisions.stage(b, Outcome.NOT_SELECTED, actor=officer)
    clock("2026-04-29T09:00:00+08:00")
    return publicity.start(a.call, officer, contact=CONTACT), a, b


def _text(call):
    return "\n".join(p.text for p in Document(io.BytesIO(plan_docx(call))).paragraphs)


def test_the_period_is_five_working_days_and_ends_before_a_make_up_saturday(shown):
    found, _a, _ = shown
    assert (found.starts_on, found.ends_on, str(found.period)) == (date(2026, 4, 29), date(2026, 5, 8), "5个工作日")
    assert [i["title"] for i in found.shown_items] == ["海洋装备高级研修班"]  # not-selected ones are not shown
    entry = AuditEntry.objects.get(action="start_publicity")
    assert entry.data["ends_on"] == "2026-05-08"


def test_issuing_on_the_last_day_is_refused_and_the_next_day_succeeds(shown, officer, clock):
    found, a, _ = shown
    clock("2026-05-08T23:30:00+08:00")
    with pytest.raises(Refused) as refused:
        decisions.publish(a.call, actor=officer)
    assert str(refused.value) == "公示期至2026年5月8日，期满后才能下达计划。"
    assert Application.objects.get(pk=a.pk).state == S.FORWARDED
    clock("2026-05-09T09:00:00+08:00")  # a 调休 Saturday: the period is over
    decisions.publish(a.call, actor=officer)
    assert Application.objects.get(pk=a.pk).state == S.PROVINCIAL_ORDINARY
    assert PlanIssue.objects.get(call=a.call).publicity == found
    assert "并于2026年4月29日至2026年5月8日公示，经公示无异议，现将2026年高级研修项目计划" in _text(a.call)


def test_an_objection_blocks_the_plan_until_its_handling_is_recorded(shown, officer, clock):
    found, a, _ = shown
    clock("2026-05-06T15:00:00+08:00")
    objection = publicity.record_objection(
        found,
        officer,
        received_on=date(2026, 5, 6),
        channel=ObjectionChannel.PHONE,
        objector="匿名",
        content="反映承办单位师资不实。",
        application=a,
    )
    clock("2026-05-11T09:00:00+08:00")
    with pytest.raises(Refused) as refused:
        decisions.publish(a.call, actor=officer)
    assert str(refused.value) == "公示期间收到的1件异议尚未登记处理情况，处理后才能下达计划。"
    publicity.handle_objection(objection, officer, handling="经核实，授课专家信息属实，维持原遴选结果。")
    decisions.publish(a.call, actor=officer)
    assert "公示期间收到异议1件，已核实处理（经核实，授课专家信息属实，维持原遴选结果），现将" in _text(a.call)
    assert [e.action for e in AuditEntry.objects.filter(action__endswith="objection").order_by("pk")] == [
        "record_objection",
        "handle_objection",
    ]


def test_a_selection_changed_after_the_publicity_must_be_shown_again(shown, officer, clock):
    _found, a, b = shown
    clock("2026-05-11T09:00:00+08:00")
    decisions.stage(b, Outcome.PROVINCIAL_ORDINARY, actor=officer)  # not what the public saw
    with pytest.raises(Refused) as refused:
        decisions.publish(a.call, actor=officer)
    assert refused.value.code == "selection.publicity_needed"
    assert str(refused.value) == "拟定的遴选结果与公示的名单不一致，请重新公示；确需不经公示发布的，请填写理由。"


def test_without_a_publicity_the_plan_needs_a_recorded_reason(officer):
    a = forwarded("provincial")
    decisions.stage(a, Outcome.PROVINCIAL_ORDINARY, actor=officer)
    with pytest.raises(Refused) as refused:
        decisions.publish(a.call, actor=officer)
    assert str(refused.value) == "遴选结果须先公示，公示期满后才能下达计划；确需不经公示发布的，请填写理由。"
    decisions.publish(a.call, actor=officer, without_publicity="人社部时限要求，经厅领导批准")
    assert PlanIssue.objects.get(call=a.call).publicity_waived == "人社部时限要求，经厅领导批准"
    assert AuditEntry.objects.get(action="publish_decisions").reason == "人社部时限要求，经厅领导批准"
    assert "择优遴选，本计划未经公示（理由：人社部时限要求，经厅领导批准），现将" in _text(a.call)


def test_only_the_office_publishes_a_publicity_and_not_twice_at_once(shown, clock):
    found, a, _ = shown
    with pytest.raises(Refused):
        publicity.start(a.call, factories.reviewer(a.institution.authority), contact=CONTACT)
    with pytest.raises(Refused) as refused:
        publicity.start(a.call, found.published_by, contact=CONTACT)
    assert str(refused.value) == "公示正在进行中（至2026年5月8日），期满后才能重新公示。"


def test_the_period_may_be_counted_in_calendar_days(officer, clock):
    a = forwarded("provincial")
    decisions.stage(a, Outcome.PROVINCIAL_ORDINARY, actor=officer)
    clock("2026-04-29T09:00:00+08:00")
    found = publicity.start(a.call, officer, contact=CONTACT, days=7, unit="calendar")
    assert (found.starts_on, found.ends_on) == (date(2026, 4, 29), date(2026, 5, 5))


def test_the_public_page_shows_the_publicity_without_login(shown, client):
    _found, _a, _ = shown
    page = client.get(reverse("selection_public:publicity")).content.decode()
    assert 'data-testid="publicity-period">2026年4月29日至2026年5月8日（5个工作日）</strong>' in page
    assert page.count('data-testid="publicity-item"') == 1
    assert "海洋装备高级研修班" in page
    assert "未入选的研修班" not in page
    assert CONTACT in page


def test_the_office_records_an_objection_on_its_page(shown, officer, client, clock):
    found, a, _ = shown
    client.force_login(officer)
    url = reverse("selection:objection_record", args=[a.call_id])
    payload = {"received_on": "2026-04-30", "channel": "letter", "application": str(a.pk), "content": "反映场地不符。"}
    refused = client.post(url, {**payload, "received_on": "2026-04-28"})  # before the 公示 was published
    assert refused.status_code == 400
    assert "收到日期应在公示发布之后、今天或之前。" in refused.content.decode()
    clock("2026-04-30T16:00:00+08:00")
    assert client.post(url, payload).status_code == 302
    objection = found.objections.get()
    assert (objection.application, objection.channel, objection.handling) == (a, "letter", "")
    handle = reverse("selection:objection_handle", args=[a.call_id, objection.pk])
    assert client.post(handle, {"handling": "经核实，场地符合要求。"}).status_code == 302
    page = client.get(reverse("selection:publicity", args=[a.call_id])).content.decode()
    assert "处理情况：经核实，场地符合要求。" in page


def test_the_public_page_reads_a_constant_number_of_queries(shown, client):
    from tests.queries import count_queries

    found, _, _ = shown
    url = reverse("selection_public:publicity")
    one = count_queries(client, url)
    for n in range(3):
        Publicity.objects.create(
            call=found.call,
            items=[{**found.shown_items[0], "title": f"另一公示项目{n}"}],
            starts_on=found.starts_on,
            ends_on=found.ends_on,
            contact=CONTACT,
            published_by=found.published_by,
            published_at=found.published_at,
        )
    assert count_queries(client, url) == one
    assert "另一公示项目2" in client.get(url).content.decode()
