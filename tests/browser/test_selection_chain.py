"""The whole selection chain in a real browser, with every role doing its own step.

厦门海洋装备研究院 (xmhy) writes and submits a national application; 厦门市人社局
(xm_rsj) returns it, the institution fixes and resubmits it, the authority
approves it and sends it up in a national batch with the stamped 附件3 scan;
the province office (province) assigns experts to it in the demo's 2026
review round (automatically, then swaps one expert by hand); the three experts
score it; the office recommends it to the ministry and publishes; the ministry
does not select it, so it falls back to the provincial pool, where the office
makes it a provincial demonstration programme, publishes again and finds it in
the provincial section of the annual plan.

The clock starts at 2026-01-10 10:00 (tests/conftest.py, national deadline
2026-01-16) and moves forward for the review, the selection and the ministry's
answer.
"""

import re
from datetime import datetime

import pytest
from django.core import mail
from playwright.sync_api import expect

from yanxiu.accounts.models import User
from yanxiu.applications.enums import ApplicationState
from yanxiu.applications.models import Application
from yanxiu.batches.models import Batch, BatchState
from yanxiu.calls.models import Call
from yanxiu.demo.reviews import ROUND_NAME
from yanxiu.notifications.models import Message
from yanxiu.reviews.domain.results import round_results
from yanxiu.reviews.enums import AssignmentState
from yanxiu.reviews.models import Assignment, ExpertProfile, ReviewRound
from yanxiu.selection.models import Decision, Outcome

from .test_applicant_journey import (
    audit_trail,
    autosave,
    check_codes,
    create_application,
    fill_application,
    submit_and_expect_state,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "海洋牧场智能装备运维高级研修班"
RETURN_COMMENT = "请将计划招收学员人数增加到60人，扩大面向全国的招生规模。"
OPINION = "同意推荐申报国家级高级研修项目。"
SCAN_NAME = "附件3汇总表-厦门市人社局-盖章.pdf"
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)

# username, display name, five criterion scores (each out of 10), recommendation, comment
EXPERT_REVIEWS = [
    (
        "zj_huang",
        "黄晓敏",
        ["9", "9", "8", "8", "9"],
        "recommend",
        "选题紧扣海洋强国战略，智能运维内容前沿，建议推荐。",
    ),
    ("zj_zheng", "郑文华", ["8", "8", "8", "7", "8"], "consider", "内容较充实，现场教学安排可进一步细化。"),
    ("zj_lin", "林海峰", ["9", "8", "9", "8", "8"], "recommend", "师资权威，海洋装备领域特色鲜明。"),
]
# Totals 86.50, 78.50 and 84.50: with three reviews the trimmed mean is the mean.
TRIMMED_MEAN = "83.17"


# --- helpers -----------------------------------------------------------------


def expect_message(page, text):
    expect(page.locator(".messages")).to_contain_text(text)


def expect_state(page, pk, label):
    """The institution's (or anyone's) view of the application's state."""
    page.goto(f"/applications/{pk}/")
    expect(page.get_by_test_id("state")).to_have_text(label)


def expect_notified(page, subject_end, body_text=None):
    """The newest message in the user's inbox is about `subject_end`."""
    page.get_by_role("link", name=re.compile(r"^消息")).click()
    newest = page.locator("table.list tr").nth(1)
    expect(newest).to_contain_text(f"【研修申报】{TITLE}")
    expect(newest).to_contain_text(subject_end)
    if body_text:
        expect(newest).to_contain_text(body_text)


def application_state(pk):
    return Application.objects.get(pk=pk).state


def open_selection_pool(page, call):
    """The office's way to the 2026 pool: 遴选与计划 → the call's 遴选 link."""
    page.get_by_role("link", name="遴选与计划").click()
    page.locator("table.list tr", has=page.locator("td", has_text=re.compile(rf"^{call.year}$"))).get_by_role(
        "link", name="遴选", exact=True
    ).click()
    expect(page).to_have_url(re.compile(rf"/selection/{call.pk}/$"))


def pool_row(page, pk):
    return page.locator("table.list tr", has=page.get_by_test_id(f"outcome-{pk}"))


def stage_and_publish(page, pk, outcome, reason=None):
    """Stage and publish one decision; `reason`: what the confirmation asks for a flagged item (0016)."""
    page.get_by_test_id(f"outcome-{pk}").select_option(outcome)
    page.get_by_test_id(f"stage-{pk}").click()
    expect(page.get_by_test_id(f"outcome-{pk}")).to_have_value(outcome)
    expect(pool_row(page, pk)).to_have_class("highlight")
    decision = Decision.objects.get(application_id=pk, published_at__isnull=True)
    assert decision.outcome == outcome
    publish = page.get_by_test_id("publish")
    expect(publish).to_have_text("发布已拟定的 1 项结果")
    publish.click()
    expect(page.get_by_test_id("confirm-summary")).to_contain_text("项遴选结果")  # says how many before acting
    if reason:
        page.get_by_test_id(f"reason-{decision.pk}").fill(reason)
    # This chain publishes without a 公示 (the 公示 has its own journey, decision 0026): say why.
    page.get_by_test_id("without_publicity").fill("人社部报送时限紧，经厅领导同意不经公示")
    page.get_by_test_id("confirm").click()
    expect_message(page, "已发布1项遴选结果，并已通知相关单位。")
    expect(page.get_by_test_id(f"outcome-{pk}")).to_have_count(0)  # decided: out of the pool
    expect(page.get_by_test_id("publish")).to_be_disabled()
    assert not Decision.objects.filter(application_id=pk, published_at__isnull=True).exists()


# --- the chain -----------------------------------------------------------------


def test_national_application_from_submission_to_the_provincial_plan(login, clock, tmp_path):
    call = Call.objects.get(year=2026)

    # 1. The institution writes a national application and submits it.
    host = login("xmhy")
    pk = create_application(host, "national")
    autosave(
        host,
        pk,
        lambda: (
            fill_application(
                host,
                title=TITLE,
                start="2026-11-23",
                end="2026-11-28",
                place="厦门国际会议中心",
                domain="工程技术（海洋）",
                department="工业和信息化部",
                topic="industry",
                trainees=50,
                session_date="2026-11-24",
            ),
            host.check('[name="funding"][value="fiscal"]'),
            host.fill('[name="lecturers-0-topic"]', "深远海装备智能运维"),
        ),
        **{"lecturers-0-topic": "深远海装备智能运维", "planned_trainees": "50"},
    )
    assert check_codes(host) == {"error": set(), "warning": set()}
    submit_and_expect_state(host, pk)
    application = Application.objects.get(pk=pk)
    assert (application.state, application.tier, application.planned_trainees) == (
        ApplicationState.SUBMITTED,
        "national",
        50,
    )

    # 2. 厦门市人社局 returns it with a comment.
    reviewer = login("xm_rsj")
    expect(reviewer).to_have_url(re.compile(r"/applications/inbox/$"))
    reviewer.locator("table.list").get_by_role("link", name=TITLE, exact=True).click()
    expect(reviewer).to_have_url(re.compile(rf"/applications/{pk}/$"))
    expect(reviewer.get_by_test_id("state")).to_have_text("已提交主管部门")
    reviewer.fill("#reason-return", RETURN_COMMENT)
    reviewer.get_by_test_id("action-return").click()
    expect_message(reviewer, "已退回修改。")
    expect(reviewer.get_by_test_id("state")).to_have_text("退回修改")
    assert application_state(pk) == ApplicationState.RETURNED

    # 3. The institution is told, fixes the application and resubmits it.
    host.goto("/applications/")
    expect(host.locator("header nav .badge")).to_have_text("1")
    expect_notified(host, "退回修改", RETURN_COMMENT)
    expect_state(host, pk, "退回修改")
    expect(host.locator(".deadline-banner")).to_contain_text(RETURN_COMMENT)
    host.locator(".tabs").get_by_role("link", name="填写").click()
    expect(host).to_have_url(re.compile(rf"/applications/{pk}/edit/$"))
    autosave(host, pk, lambda: host.fill('[name="planned_trainees"]', "60"), planned_trainees="60")
    assert check_codes(host) == {"error": set(), "warning": set()}
    submit_and_expect_state(host, pk)
    application.refresh_from_db()
    assert (application.state, application.planned_trainees) == (ApplicationState.SUBMITTED, 60)

    # 4. The authority sees what changed and approves it with its opinion.
    reviewer.reload()
    expect(reviewer.get_by_test_id("state")).to_have_text("已提交主管部门")
    expect(reviewer.get_by_test_id("changes").locator("tr").nth(1).locator("td")).to_have_text(
        ["计划招收学员人数", "50", "60"]
    )
    expect(reviewer.get_by_test_id("changes").locator("tr")).to_have_count(2)  # the header and that one change
    reviewer.fill("#reason-approve", OPINION)
    reviewer.get_by_test_id("action-approve").click()
    expect_message(reviewer, "已审核通过。")
    expect(reviewer.get_by_test_id("state")).to_have_text("主管部门审核通过")
    expect(reviewer.locator(".card", has_text="主管部门审核意见")).to_contain_text(OPINION)
    application.refresh_from_db()
    assert (application.state, application.authority_opinion) == (ApplicationState.AUTHORITY_APPROVED, OPINION)

    # 5. ... and sends it up in a national batch with the stamped 附件3 scan.
    reviewer.get_by_role("link", name="报送批次").click()
    reviewer.get_by_test_id("new-batch-2026-national").click()
    expect(reviewer).to_have_url(re.compile(r"/batches/(\d+)/$"))
    batch_pk = int(re.search(r"/batches/(\d+)/$", reviewer.url).group(1))
    expect(reviewer.get_by_test_id("batch-state")).to_have_text("编制中")
    reviewer.get_by_label(f"{TITLE}（厦门海洋装备研究院）").check()
    reviewer.get_by_test_id("save-members").click()
    expect_message(reviewer, "批次项目已更新。")
    expect(reviewer.locator("table.list tr", has_text=TITLE)).to_contain_text("主管部门审核通过")
    # Not without the stamped summary.
    expect(reviewer.get_by_test_id("batch-submit")).to_be_disabled()
    expect(reviewer.locator("aside")).to_contain_text("请先上传盖章的汇总表（附件3）。")
    scan = tmp_path / SCAN_NAME
    scan.write_bytes(PDF)
    summary_card = reviewer.locator(".card", has=reviewer.get_by_test_id("upload-summary"))
    summary_card.locator('input[type="file"][name="file"]').set_input_files(scan)
    reviewer.get_by_test_id("upload-summary").click()
    expect_message(reviewer, f"已上传“{SCAN_NAME}”。")
    expect(
        reviewer.locator(".card", has_text="盖章汇总表（附件3）扫描件").get_by_role("link", name=SCAN_NAME)
    ).to_be_visible()
    expect(reviewer.get_by_test_id("batch-submit")).to_be_enabled()
    reviewer.get_by_test_id("batch-submit").click()
    expect(reviewer.get_by_test_id("confirm-summary")).to_contain_text("将把本批次的1项")
    reviewer.get_by_test_id("confirm").click()
    expect_message(reviewer, "已报送省人社厅。")
    expect(reviewer.get_by_test_id("batch-state")).to_have_text("已报送省人社厅")
    expect(reviewer.locator("table.list tr", has_text=TITLE)).to_contain_text("已报送省人社厅")
    batch = Batch.objects.get(pk=batch_pk)
    assert (batch.state, batch.tier, batch.authority.code) == (BatchState.SUBMITTED, "national", "350200-RS")
    assert list(batch.scans.values_list("application_id", "original_name")) == [(None, SCAN_NAME)]
    application.refresh_from_db()
    assert (application.state, application.batch_id) == (ApplicationState.FORWARDED, batch_pk)

    expect_notified(host, "报送省人社厅")
    expect_state(host, pk, "已报送省人社厅")

    # 6. Late February: the province office assigns experts in the demo's 2026 round.
    clock("2026-02-25T09:00:00+08:00")
    review_round = ReviewRound.objects.get(call=call, name=ROUND_NAME)
    assert set(review_round.tiers) == {"national", "provincial"}
    office = login("province")
    office.get_by_role("link", name="专家评审").click()
    office.get_by_test_id("rounds").locator("tr", has_text=ROUND_NAME).get_by_role("link", name="分配").click()
    expect(office).to_have_url(re.compile(rf"/reviews/{review_round.pk}/assignments/$"))
    row = office.get_by_test_id("assignment-rows").locator("tr", has_text=TITLE)
    expect(row).to_contain_text("未分配")
    expect(row).to_contain_text("缺3位")
    office.get_by_test_id("auto-assign").click()
    expect_message(office, "已最优分配3项评审任务")
    expect(row).to_contain_text("已满")
    # The optimum gives it three eligible experts at once; nobody from 厦门 or its authority may review it.
    assigned = Assignment.objects.filter(round=review_round, application_id=pk)
    automatic = sorted(assigned.values_list("expert__username", flat=True))
    assert len(automatic) == 3
    assert set(assigned.values_list("is_automatic", flat=True)) == {True}
    assert not assigned.filter(expert__expert_profile__authority__code="350200-RS").exists()

    # The office settles the panel by hand: it removes whom it does not want and adds the others
    # (林海峰, the round's marine-engineering expert, among them).
    wanted = ["zj_huang", "zj_lin", "zj_zheng"]
    for username in automatic:
        if username not in wanted:
            name = str(User.objects.get(username=username))
            row.locator("div", has_text=name).get_by_role("button", name="移除").click()
            expect_message(office, "已移除该评审任务。")
    for username in wanted:
        if username not in automatic:
            profile = ExpertProfile.objects.select_related("user").get(user__username=username)
            row.get_by_label("选择评审专家").select_option(label=f"{profile.user}（{profile.affiliation}）")
            row.get_by_role("button", name="分配").click()
            expect_message(office, f"已将“{TITLE}”分配给{profile.user}评审。")
    expect(row).to_contain_text("已满")
    assert sorted(assigned.values_list("expert__username", "state")) == [
        (username, AssignmentState.ASSIGNED) for username in wanted
    ]

    # 7. Each expert is told, scores it and hands in.
    for username, _name, scores, recommendation, comment in EXPERT_REVIEWS:
        expert = login(username)
        expect(expert).to_have_url(re.compile(r"/reviews/mine/$"))
        expect(expert.locator("header nav .badge")).to_be_visible()
        assert Message.objects.filter(
            recipient__username=username, subject__startswith="【专家评审】您有1项新的评审任务"
        ).exists()
        task_row = expert.get_by_test_id("my-assignments").locator("tr", has_text=TITLE)
        expect(task_row).to_contain_text("待评审")
        task_row.get_by_role("link", name="评分").click()
        expect(expert.get_by_role("heading", name=f"评审：{TITLE}", exact=True)).to_be_visible()
        expect(expert.locator("p.help").first).to_contain_text("承办单位：厦门海洋装备研究院")
        score_inputs = expert.locator('input[name^="score_"]')
        expect(score_inputs).to_have_count(len(scores))
        for index, value in enumerate(scores):
            score_inputs.nth(index).fill(value)
        expert.check(f'input[name="recommendation"][value="{recommendation}"]')
        expert.fill('textarea[name="comment"]', comment)
        expert.get_by_test_id("submit-review").click()
        expect(expert).to_have_url(re.compile(r"/reviews/mine/$"))
        expect_message(expert, "评审意见已提交。截止前仍可修改。")
        expect(task_row).to_contain_text("已提交")
        assignment = assigned.get(expert__username=username)
        assert assignment.state == AssignmentState.SUBMITTED
        assert (assignment.review.recommendation, assignment.review.comment) == (recommendation, comment)
        assert [str(s.value) for s in assignment.review.scores.all()] == [f"{v}.0" for v in scores]

    result = next(r for r in round_results(review_round).all_results if r.application.pk == pk)
    assert (result.submitted, result.rank, str(result.summary.trimmed_mean)) == (3, 1, TRIMMED_MEAN)

    # 8. March: the office recommends it to the ministry and publishes.
    clock("2026-03-10T10:00:00+08:00")
    open_selection_pool(office, call)
    row = pool_row(office, pk)
    expect(row).to_contain_text("国家级")
    expect(row).to_contain_text(f"第1名 · 截尾均分 {TRIMMED_MEAN}（3/3份）")
    stage_and_publish(office, pk, Outcome.NATIONAL_CANDIDATE)
    application.refresh_from_db()
    assert (application.state, application.tier) == (ApplicationState.NATIONAL_CANDIDATE, "national")
    assert list(Decision.objects.filter(application_id=pk).values_list("outcome", flat=True)) == [
        Outcome.NATIONAL_CANDIDATE
    ]

    expect_notified(host, "推荐申报国家级")
    expect_state(host, pk, "推荐申报国家级")
    expect_notified(reviewer, "推荐申报国家级")

    # 9. April: the ministry does not select it; it falls back to the provincial pool.
    clock("2026-04-20T10:00:00+08:00")
    office.locator(".tabs").get_by_role("link", name="人社部结果").click()
    candidate = office.locator("table.list tr", has_text=TITLE)
    expect(candidate).to_contain_text("推荐申报国家级")
    office.get_by_test_id(f"ministry-no-{pk}").click()
    expect(office.get_by_test_id("confirm-summary")).to_contain_text("人社部未入选")
    office.get_by_test_id("confirm").click()
    expect_message(office, "已登记：人社部未入选，项目已自动转入省级待遴选。")
    expect(office.get_by_test_id(f"ministry-no-{pk}")).to_have_count(0)
    expect(office.locator("h2", has_text="已转入省级的国家级申报").locator("+ ul")).to_contain_text(
        f"{TITLE}（厦门海洋装备研究院）：已报送省人社厅"
    )
    application.refresh_from_db()
    assert (application.state, application.tier, application.fallback_from_national, application.recruitment_scope) == (
        ApplicationState.FORWARDED,
        "provincial",
        True,
        "province",
    )
    assert application.competent_department.name == "福建省海洋与渔业局"

    # It needs no stamped 附件2: nobody resubmits a fallback, so the office's list flags nothing missing.
    office.get_by_role("link", name="申报审核").click()
    listed = office.locator("table.list tr", has=office.get_by_role("link", name=TITLE, exact=True))
    expect(listed).to_contain_text("已报送省人社厅")
    expect(listed.locator("td").nth(1)).to_have_text("省级")
    expect(listed.locator("[data-flag]")).to_have_count(0)

    # Newest: the provincial rules run again (6 days against 4天左右); before it, the ministry's answer.
    expect_notified(host, "转入省级后的规则检查", "本项目为6天")
    expect(host.locator("table.list tr").nth(2)).to_contain_text("人社部未入选，转入省级")
    expect_state(host, pk, "已报送省人社厅")
    expect(host.locator(".card", has_text="承办单位：")).to_contain_text("2026年 · 省级")

    # 10. The office makes it a provincial demonstration programme and publishes again.
    open_selection_pool(office, call)
    row = pool_row(office, pk)
    expect(row).to_contain_text("省级")
    expect(row.locator(".msg.warning").first).to_have_text("国家级未入选转入")
    # re-checked under the provincial rules: into the plan only with a reason (decision 0016)
    expect(office.get_by_test_id(f"findings-{pk}")).to_contain_text("本项目为6天")
    expect(row).to_contain_text(f"截尾均分 {TRIMMED_MEAN}（3/3份）")  # the experts' scores are kept
    # A provincial application can no longer be recommended to the ministry.
    expect(office.get_by_test_id(f"outcome-{pk}").locator("option")).to_have_text(
        ["（未拟定）", "省级示范项目", "省级普通项目", "不予入选"]
    )
    stage_and_publish(office, pk, Outcome.PROVINCIAL_DEMONSTRATION, reason="6天含两天现场教学，经核实安排合理。")
    application.refresh_from_db()
    assert (application.state, application.tier, application.fallback_from_national) == (
        ApplicationState.PROVINCIAL_DEMONSTRATION,
        "provincial",
        True,
    )
    # Both decisions stay: the latest counts, the first is history.
    assert [(d.outcome, d.published_at) for d in Decision.objects.filter(application_id=pk).order_by("staged_at")] == [
        (Outcome.NATIONAL_CANDIDATE, datetime.fromisoformat("2026-03-10T10:00:00+08:00")),
        (Outcome.PROVINCIAL_DEMONSTRATION, datetime.fromisoformat("2026-04-20T10:00:00+08:00")),
    ]

    # 11. The annual plan lists it under the provincial demonstration programmes.
    office.locator(".tabs").get_by_role("link", name="年度计划").click()
    # the demo's own programmes (an ordinary one in Fuzhou) are in the plan too
    ordinary = Application.objects.filter(call__year=2026, state=ApplicationState.PROVINCIAL_ORDINARY).count()
    # A class with no programme is left out and the others are renumbered (issue 11).
    expect(office.locator("h2")).to_have_text(
        [
            "一、省级高级研修示范项目（1项）",
            f"二、省级高级研修普通项目（{ordinary}项）",
        ]
    )
    demonstration = office.locator("h2", has_text="一、省级高级研修示范项目").locator("+ table")
    plan_row = demonstration.locator("tr", has_text=TITLE)
    cells = plan_row.locator("td")
    expect(cells).to_have_count(10)  # … 经费, 领域, 联系人
    expected = [
        "1",
        TITLE,
        "厦门海洋装备研究院",
        "厦门市人力资源和社会保障局",
        "2026年11月23日—11月28日",
        "厦门市 厦门国际会议中心",
        "60",
        "省级示范项目经费",
    ]
    for index, text in enumerate(expected):
        expect(cells.nth(index)).to_have_text(text)
    expect(office.locator("h2", has_text="推荐申报国家级")).to_have_count(0)

    # What the institution and its authority finally see.
    expect_notified(host, "入选省级示范项目")
    expect_state(host, pk, "入选省级示范项目")
    expect(host.locator(".card", has_text="承办单位：")).to_contain_text("2026年 · 省级")
    expect_notified(reviewer, "入选省级示范项目")
    assert [action for action, _, _ in audit_trail(pk)] == [
        "create",
        "submit",
        "return",
        "submit",
        "approve",
        "forward",
        # the review steps, without the experts' names: auto-assigned 3, one swapped by hand, 3 reviews
        "review_assigned",
        "review_unassigned",
        "review_assigned",
        "review_submitted",
        "review_submitted",
        "review_submitted",
        "decide_national_candidate",
        "ministry_reject",
        "fallback_checks",  # the provincial rules run again (decision 0009)
        "decide_demonstration",
    ]
    assert audit_trail(pk)[2] == ("return", "returned", RETURN_COMMENT)
    final_subject = f"【研修申报】{TITLE}（厦门海洋装备研究院，省级）：入选省级示范项目"
    assert Message.objects.filter(recipient__username="xmhy").latest("pk").subject == final_subject
    assert [m.to for m in mail.outbox if m.subject == final_subject] == [
        ["xm_rsj@example.invalid", "xmhy@example.invalid"]
    ]
