"""The office sees what it decides on (issue 20, decision 0016), in a real browser.

1. The demo's national application (生物育种…, 2026-08-03, 6 days) was recommended in spring and
   not selected by the ministry; in December it is back in the pool as provincial. The office sees
   its past dates and the provincial findings, and can put it into the plan only with a reason.
2. Moving the open 2027 call's provincial deadline into the past asks first, says who is affected,
   and tells them.
"""

import pytest
from playwright.sync_api import expect

from yanxiu.accounts.models import User
from yanxiu.applications.enums import ApplicationState
from yanxiu.applications.models import Application
from yanxiu.calls.models import Call
from yanxiu.notifications.models import Message
from yanxiu.selection.domain import decisions
from yanxiu.selection.models import Decision, Outcome

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "生物育种与种业振兴关键技术高级研修班"
REASON = "该班已于8月按原计划举办，经核实列入省级计划，以便结业考核。"


def fallen_back(clock):
    office = User.objects.get(username="province")
    application = Application.objects.get(title=TITLE)
    clock("2026-03-10T10:00:00+08:00")
    decisions.stage(application, Outcome.NATIONAL_CANDIDATE, actor=office)
    decisions.publish(application.call, actor=office, without_publicity="（测试）不经公示")
    clock("2026-04-20T10:00:00+08:00")
    decisions.record_ministry_answer(Application.objects.get(pk=application.pk), selected=False, actor=office)
    return Application.objects.get(pk=application.pk)


def test_the_office_publishes_a_fallback_with_past_dates_only_with_a_reason(login, clock):
    application = fallen_back(clock)
    pk = application.pk
    clock("2026-12-07T10:00:00+08:00")
    office = login("province")
    office.goto(f"/selection/{application.call_id}/")
    expect(office.get_by_test_id("pool-flagged")).to_be_visible()
    findings = office.get_by_test_id(f"findings-{pk}")
    expect(findings).to_contain_text("开班日期2026年8月3日不晚于今天（2026年12月7日）")
    expect(findings).to_contain_text("每期研修时间4天左右（含报到返程时间），本项目为6天")

    office.get_by_test_id(f"outcome-{pk}").select_option(Outcome.PROVINCIAL_ORDINARY)
    office.get_by_test_id(f"stage-{pk}").click()
    expect(office.get_by_test_id(f"outcome-{pk}")).to_have_value(Outcome.PROVINCIAL_ORDINARY)
    decision = Decision.objects.get(application_id=pk, published_at__isnull=True)

    office.get_by_test_id("publish").click()
    expect(office.get_by_test_id("confirm-summary")).to_contain_text("项遴选结果")
    box = office.get_by_test_id(f"reason-{decision.pk}")
    reason_input = office.get_by_test_id("confirm-input").filter(has=box)
    expect(reason_input).to_contain_text("本项目为6天")
    # confirming without a reason is refused on the same page; nothing is published
    office.get_by_test_id("confirm").click()
    expect(office.get_by_test_id("confirm-error")).to_contain_text("请逐项填写列入计划的理由")
    expect(reason_input).to_contain_text("请填写将此项目列入计划的理由。")
    assert Application.objects.get(pk=pk).state == ApplicationState.FORWARDED

    box.fill(REASON)
    # not in the 公示 of March (decision 0026): issued without one, with the reason recorded
    office.get_by_test_id("without_publicity").fill("人社部结果晚到，经厅领导同意不再公示")
    office.get_by_test_id("confirm").click()
    expect(office.locator(".messages")).to_contain_text("已发布1项遴选结果，并已通知相关单位。")
    expect(office.get_by_test_id(f"outcome-{pk}")).to_have_count(0)
    assert Application.objects.get(pk=pk).state == ApplicationState.PROVINCIAL_ORDINARY
    assert Decision.objects.get(pk=decision.pk).note == REASON


def test_moving_an_open_calls_deadline_into_the_past_is_confirmed_and_told(login, clock):
    clock("2026-11-25T10:00:00+08:00")
    call = Call.objects.get(year=2027)
    assert call.is_open
    host = User.objects.get(username="zzzz")  # has a provincial draft in the 2027 call
    office = login("province")
    office.goto(f"/calls/{call.pk}/")
    office.locator("#id_provincial-deadline").fill("2026-11-20")
    office.get_by_test_id("save-call").click()

    summary = office.get_by_test_id("confirm-summary")
    expect(summary).to_contain_text("省级申报截止日期由2027年2月20日改为2026年11月20日（已过，保存后立即生效）")
    expect(office.get_by_test_id("confirmation")).to_contain_text("涉及1个有草稿或已提交申报的承办单位")
    expect(office.get_by_test_id("confirm-warning")).to_contain_text("早于今天：保存后即已截止")
    assert Call.objects.get(pk=call.pk).tier_rule("provincial").deadline.isoformat() == "2027-02-20"

    office.get_by_test_id("confirm").click()
    expect(office.locator(".messages")).to_contain_text("已保存")
    assert Call.objects.get(pk=call.pk).tier_rule("provincial").deadline.isoformat() == "2026-11-20"
    told = Message.objects.get(recipient=host, subject="【研修申报】2027年度申报通知日期变更")
    assert "省级申报截止日期由2027年2月20日改为2026年11月20日" in told.body
