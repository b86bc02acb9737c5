"""Staged decisions published at once, the ministry's answer and the fallback, the plan, reminders."""

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from tests import factories
from yanxiu.applications.domain import workflow
from yanxiu.applications.enums import ApplicationState as S
from yanxiu.applications.models import Application
from yanxiu.audit.models import AuditEntry
from yanxiu.batches.domain import operations
from yanxiu.batches.domain.operations import BATCH_WORKFLOW
from yanxiu.core.refusal import Refused
from yanxiu.notifications.models import Message
from yanxiu.notifications.reminders import send_deadline_reminders
from yanxiu.selection.domain import decisions
from yanxiu.selection.interfaces.plan import plan, plan_docx, plan_xlsx
from yanxiu.selection.models import Decision, Outcome

pytestmark = pytest.mark.django_db


def forwarded(tier="provincial", authority_code="350100-RS", **fields):
    """An application the authority approved and sent up in a batch."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    host = factories.staff(factories.institution(authority_code))
    application = factories.complete(tier, actor=host, **fields)
    workflow.perform(application, "submit", host)
    reviewer = factories.reviewer(host.institution.authority)
    workflow.perform(application, "approve", reviewer, reason="同意")
    batch = operations.create_batch(call=application.call, tier=tier, actor=reviewer)
    application.refresh_from_db()
    operations.set_members(batch, [application], actor=reviewer)
    operations.upload_scan(
        batch, application=None, uploaded=SimpleUploadedFile("s.pdf", b"%PDF-1"), ext=".pdf", actor=reviewer
    )
    application.refresh_from_db()
    operations.upload_scan(
        batch, application=application, uploaded=SimpleUploadedFile("f.pdf", b"%PDF-1"), ext=".pdf", actor=reviewer
    )
    BATCH_WORKFLOW.perform(batch, "submit", reviewer)
    return Application.objects.select_related("institution", "domain").get(pk=application.pk)


@pytest.fixture
def officer():
    return factories.province_officer()


def test_decisions_are_staged_then_published_together(officer, django_capture_on_commit_callbacks):
    national = forwarded("national")
    provincial = forwarded("provincial", "350200-RS")
    decisions.stage(national, Outcome.NATIONAL_CANDIDATE, actor=officer)
    decisions.stage(provincial, Outcome.PROVINCIAL_DEMONSTRATION, actor=officer)
    decisions.stage(provincial, Outcome.PROVINCIAL_ORDINARY, actor=officer)  # changing one's mind replaces it
    assert Decision.objects.filter(published_at__isnull=True).count() == 2
    # nothing visible to the institutions yet
    assert Application.objects.get(pk=national.pk).state == S.FORWARDED
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        published = decisions.publish(national.call, actor=officer, without_publicity="（测试）不经公示")
    assert len(published) == 2
    assert Application.objects.get(pk=national.pk).state == S.NATIONAL_CANDIDATE
    assert Application.objects.get(pk=provincial.pk).state == S.PROVINCIAL_ORDINARY
    recipients = sorted(address for m in mail.outbox for address in m.to)
    assert recipients == sorted(
        [national.created_by.email, provincial.created_by.email]
        + [u.email for u in factories.authority().users.all()]
        + [u.email for u in factories.authority("350200-RS").users.all()]
    )
    with pytest.raises(Refused, match="没有待发布"):
        decisions.publish(national.call, actor=officer, without_publicity="（测试）不经公示")


def test_staging_is_recorded_on_the_decision_which_the_host_does_not_see(officer):
    application = forwarded("provincial")
    decision = decisions.stage(application, Outcome.PROVINCIAL_DEMONSTRATION, actor=officer, note="示范")
    decisions.stage(application, Outcome.PROVINCIAL_ORDINARY, actor=officer)
    decisions.unstage(Decision.objects.get(pk=decision.pk), actor=officer)
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Decision), object_id=decision.pk
    ).order_by("id")
    assert [(e.action, e.actor, e.data["changes"]) for e in entries] == [
        (
            "stage_decision",
            officer,
            [
                {"field": "note", "before": None, "after": "示范"},
                {"field": "outcome", "before": None, "after": "provincial_demonstration"},
            ],
        ),
        (
            "stage_decision",
            officer,
            [
                {"field": "note", "before": "示范", "after": ""},
                {"field": "outcome", "before": "provincial_demonstration", "after": "provincial_ordinary"},
            ],
        ),
        (
            "unstage_decision",
            officer,
            [
                {"field": "note", "before": "", "after": None},
                {"field": "outcome", "before": "provincial_ordinary", "after": None},
            ],
        ),
    ]
    # The application's history (shown to its host) says nothing before publication.
    assert not AuditEntry.objects.for_object(application).filter(action__endswith="stage_decision").exists()


def test_only_national_applications_can_be_recommended_to_the_ministry(officer):
    provincial = forwarded("provincial")
    with pytest.raises(Refused, match="只有国家级申报"):
        decisions.stage(provincial, Outcome.NATIONAL_CANDIDATE, actor=officer)


def test_only_the_province_office_decides():
    application = forwarded("provincial")
    reviewer = factories.reviewer(application.institution.authority)
    with pytest.raises(Refused, match="只有省人社厅"):
        decisions.stage(application, Outcome.PROVINCIAL_ORDINARY, actor=reviewer)


def test_a_national_candidate_the_ministry_rejects_falls_back_to_the_provincial_plan(officer):
    national = forwarded("national")
    assert national.competent_department.level == "national"
    decisions.stage(national, Outcome.NATIONAL_CANDIDATE, actor=officer)
    decisions.publish(national.call, actor=officer, without_publicity="（测试）不经公示")
    decisions.record_ministry_answer(Application.objects.get(pk=national.pk), selected=False, actor=officer)
    fallen = Application.objects.get(pk=national.pk)
    assert (fallen.state, fallen.tier, fallen.fallback_from_national, fallen.recruitment_scope) == (
        S.FORWARDED,
        "provincial",
        True,
        "province",
    )
    # its 附件2 is written from its 附件1 data: a provincial department from the domain catalogue
    assert (fallen.competent_department.name, fallen.competent_department.level) == (
        "福建省工业和信息化厅",
        "provincial",
    )
    assert next(iter(decisions.pool(fallen.call))) == fallen
    decision = decisions.stage(fallen, Outcome.PROVINCIAL_DEMONSTRATION, actor=officer)
    # 6 days against the provincial 4天左右: into the plan only with a reason (decision 0016)
    decisions.publish(
        fallen.call, actor=officer, reasons={decision.pk: "经核实，6天安排合理。"}, without_publicity="（测试）不经公示"
    )
    assert Application.objects.get(pk=national.pk).state == S.PROVINCIAL_DEMONSTRATION
    sections = plan(fallen.call)
    # Only the class that holds programmes, numbered 一 (issue 11: no empty sections).
    assert [(s.heading, len(s.rows)) for s in sections] == [("一、省级高级研修示范项目", 1)]
    assert sections[0].rows[0].title == "人工智能赋能制造业高级研修班"


def test_a_selected_national_candidate_stays_national(officer):
    national = forwarded("national")
    decisions.stage(national, Outcome.NATIONAL_CANDIDATE, actor=officer)
    decisions.publish(national.call, actor=officer, without_publicity="（测试）不经公示")
    decisions.record_ministry_answer(Application.objects.get(pk=national.pk), selected=True, actor=officer)
    assert Application.objects.get(pk=national.pk).state == S.MINISTRY_SELECTED
    with pytest.raises(Refused, match="不能人社部未入选"):
        decisions.record_ministry_answer(Application.objects.get(pk=national.pk), selected=False, actor=officer)


def test_a_national_application_decided_provincial_directly_becomes_provincial(officer):
    national = forwarded("national")
    decisions.stage(national, Outcome.PROVINCIAL_ORDINARY, actor=officer)
    decisions.publish(national.call, actor=officer, without_publicity="（测试）不经公示")
    application = Application.objects.get(pk=national.pk)
    assert (application.state, application.tier, application.fallback_from_national) == (
        S.PROVINCIAL_ORDINARY,
        "provincial",
        True,
    )


def test_the_plan_documents_list_each_class(officer):
    a = forwarded("national", title="量子信息高级研修班")
    b = forwarded("provincial", "350200-RS", title="海洋装备高级研修班")
    c = forwarded("provincial", "350500-RS", title="文物数字化高级研修班")
    d = forwarded("provincial", "350600-RS", title="未入选的研修班")
    for application, outcome in [
        (a, Outcome.NATIONAL_CANDIDATE),
        (b, Outcome.PROVINCIAL_DEMONSTRATION),
        (c, Outcome.PROVINCIAL_ORDINARY),
        (d, Outcome.NOT_SELECTED),
    ]:
        decisions.stage(application, outcome, actor=officer)
    decisions.publish(a.call, actor=officer, without_publicity="（测试）不经公示")

    workbook = load_workbook(io.BytesIO(plan_xlsx(a.call)))
    cells = [[c for c in row if c is not None] for row in workbook.active.iter_rows(values_only=True)]
    assert cells[0] == ["福建省专业技术人才知识更新工程2026年高级研修项目计划"]
    assert cells[1][:3] == ["序号", "项目名称", "承办单位"]
    assert cells[2] == ["一、推荐申报国家级高级研修项目（1项）"]
    assert cells[3][:2] == [1, "量子信息高级研修班"]  # 序号 is a number
    assert cells[4] == ["二、省级高级研修示范项目（1项）"]
    assert cells[5][1] == "海洋装备高级研修班"
    assert cells[6] == ["三、省级高级研修普通项目（1项）"]
    assert cells[7][1] == "文物数字化高级研修班"
    assert len(cells) == 8  # the not-selected programme is not in the plan
    assert workbook.active.print_title_rows == "$2:$2"  # the header row repeats on every page

    document = Document(io.BytesIO(plan_docx(a.call)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "福建省专业技术人才知识更新工程2026年高级研修项目计划" in text
    assert "2026年11月30日前完成办班" in text
    table_titles = [[row.cells[1].text for row in table.rows[1:]] for table in document.tables]
    assert table_titles == [["量子信息高级研修班"], ["海洋装备高级研修班"], ["文物数字化高级研修班"]]
    assert document.sections[0].top_margin.mm == pytest.approx(37, abs=0.1)
    title_run = document.paragraphs[0].runs[0]
    assert (
        title_run._element.rPr.rFonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
        == "方正小标宋简体"
    )


def test_reminders_go_out_7_3_and_1_days_before_and_only_once(clock):
    draft = factories.draft("national")
    submitted = factories.complete("provincial")
    workflow.perform(submitted, "submit", submitted.created_by)
    factories.reviewer(submitted.institution.authority)
    clock("2026-01-08T08:00:00+08:00")  # national deadline 2026-01-16: 8 days
    assert send_deadline_reminders() == 0
    clock("2026-01-09T08:00:00+08:00")  # 7 days
    assert send_deadline_reminders() == 1
    assert Message.objects.filter(recipient=draft.created_by, subject__contains="还有7天").count() == 1
    assert send_deadline_reminders() == 0  # rerun the same day: nothing twice
    clock("2026-02-17T08:00:00+08:00")  # provincial deadline 2026-02-20: 3 days; the authority has one waiting
    assert send_deadline_reminders() == 1
    assert (
        Message.objects.filter(
            recipient__authority=submitted.institution.authority, subject__contains="还有3天"
        ).count()
        == 1
    )


# --- pages ---------------------------------------------------------------------------


def test_selection_pages_are_for_the_province_office_only(client):
    call = factories.call_2026()
    urls = [
        reverse("selection:index"),
        reverse("selection:pool", args=[call.pk]),
        reverse("selection:ministry", args=[call.pk]),
        reverse("selection:plan", args=[call.pk]),
        reverse("selection:plan_download", args=[call.pk, "docx"]),
        reverse("selection:extensions"),
    ]
    for user in (factories.staff(), factories.reviewer(factories.authority()), factories.user("expert")):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 403, url
    client.force_login(factories.province_officer())
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_the_office_stages_and_publishes_through_its_pages(client, officer):
    application = forwarded("provincial")
    client.force_login(officer)
    client.post(
        reverse("selection:stage", args=[application.call_id, application.pk]), {"outcome": "provincial_demonstration"}
    )
    page = client.get(reverse("selection:pool", args=[application.call_id])).content.decode()
    assert "发布已拟定的 1 项结果" in page
    asked = client.post(reverse("selection:publish", args=[application.call_id])).content.decode()
    assert "将发布2026年1项遴选结果" in asked
    assert Application.objects.get(pk=application.pk).state == S.FORWARDED
    client.post(
        reverse("selection:publish", args=[application.call_id]),
        {"confirmed": "1", "without_publicity": "（测试）不经公示"},
    )
    assert Application.objects.get(pk=application.pk).state == S.PROVINCIAL_DEMONSTRATION
    response = client.get(reverse("selection:plan_download", args=[application.call_id, "xlsx"]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_office_grants_an_extension(client, officer):
    from yanxiu.organisations.models import DeadlineExtension

    institution = factories.institution()
    client.force_login(officer)
    data = {
        "call": factories.call_2026().pk,
        "tier": "national",
        "institution": institution.pk,
        "until": "2026-01-20T18:00",
        "reason": "系统故障补报",
    }
    response = client.post(reverse("selection:extensions"), data)
    assert response.status_code == 302
    assert DeadlineExtension.objects.get().granted_by == officer
    both = dict(data, authority=factories.authority().pk)
    # (the database constraint adds its own technical message after this one: see the eng-tests report)
    assert client.post(reverse("selection:extensions"), both).context["form"].errors["__all__"][0] == (
        "请在承办单位和主管部门中选择且只选择一个。"
    )
    early = dict(data, until="2026-01-15T18:00")
    assert client.post(reverse("selection:extensions"), early).context["form"].errors == {
        "until": ["延期时间应晚于原截止时间。"]
    }
    assert DeadlineExtension.objects.count() == 1


def test_the_pool_shows_each_applications_review_result(client, officer):
    from decimal import Decimal

    from tests.reviews import factories as review_factories

    application = forwarded("provincial")
    client.force_login(officer)
    page = client.get(reverse("selection:pool", args=[application.call_id])).content.decode()
    assert "未进入评审" in page
    review_round = review_factories.review_round(officer, reviews_per_application=1)
    task = review_factories.assign(review_round, application, review_factories.expert())
    review_factories.submit(task, values=(8, 8, 8, 8, 8))
    rows = client.get(reverse("selection:pool", args=[application.call_id])).context["rows"]
    [(_, result)] = {a.pk: r for a, _, r in rows}[application.pk]
    assert (result.rank, result.submitted, result.summary.trimmed_mean) == (1, 1, Decimal("80.00"))


def test_the_ministrys_answer_keeps_its_note_and_the_institution_sees_the_fallback(client, officer):
    from yanxiu.audit.models import AuditEntry

    national = forwarded("national")
    decisions.stage(national, Outcome.NATIONAL_CANDIDATE, actor=officer)
    decisions.publish(national.call, actor=officer, without_publicity="（测试）不经公示")
    client.force_login(officer)
    client.post(
        reverse("selection:ministry_answer", args=[national.call_id, national.pk]),
        {"selected": "no", "note": "人社厅函〔2026〕12号", "confirmed": "1"},
    )
    assert (
        AuditEntry.objects.for_object(national).filter(action="ministry_reject").last().reason == "人社厅函〔2026〕12号"
    )
    client.force_login(national.created_by)
    page = client.get(reverse("applications:detail", args=[national.pk])).content.decode()
    assert "已按通知自动转入省级项目" in page


def test_experts_and_hosts_are_reminded_before_their_deadlines(clock):
    from datetime import timedelta

    from tests.delivery.helpers import planned
    from tests.reviews import factories as rf
    from yanxiu.delivery.domain.programmes import closing_deadline

    programme = planned("provincial", authority_code="350200-RS")  # made while the call is open
    review_round = rf.review_round(reviews_per_application=1)  # deadline in tests/reviews/factories.DEADLINE
    application = rf.forwarded("provincial")
    expert = rf.expert(affiliation="外省大学")
    rf.assign(review_round, application, expert)
    day_before = review_round.deadline - timedelta(days=1)
    clock(f"{day_before.isoformat()}T08:00:00+08:00")
    assert send_deadline_reminders() >= 1
    assert Message.objects.filter(recipient=expert, subject__contains="还有1天").count() == 1
    assert send_deadline_reminders() == 0

    due = closing_deadline(programme)
    clock(f"{(due - timedelta(days=3)).isoformat()}T08:00:00+08:00")
    send_deadline_reminders()
    host = programme.application.created_by
    assert Message.objects.filter(recipient=host, subject__contains="结业材料").count() == 1
