"""Decision 0026 in a real browser, each step by the role that does it: the office publishes a 公示,
the public sees it without logging in, the office records an objection by phone and its handling and
issues the plan once the period is over; a host asks to change a class of the plan, the office
approves, and the public page shows the change."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_delivery_journey import TITLE, plan_demo_programme
from yanxiu.accounts.models import User
from yanxiu.applications.enums import ApplicationState
from yanxiu.applications.models import Application
from yanxiu.delivery.models import Programme
from yanxiu.selection.domain import decisions
from yanxiu.selection.models import Outcome

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_office_publicises_records_an_objection_and_issues_after_the_period(login, chromium, live_server, clock):
    application = Application.objects.get(title=TITLE)
    decisions.stage(application, Outcome.NATIONAL_CANDIDATE, actor=User.objects.get(username="province"))
    clock("2026-04-29T09:00:00+08:00")  # 29, 30 April, (1–5 May), 6, 7, 8 May
    office = login("province")
    office.goto(f"/selection/{application.call_id}/publicity/")
    office.fill("#id_contact", "省人社厅职业能力建设处 林老师 0591-87000000")
    office.get_by_test_id("start-publicity").click()
    expect(office.locator(".messages")).to_contain_text("已发布公示，公示期至2026年5月8日。")

    public = chromium.new_context(base_url=live_server.url, locale="zh-CN").new_page()
    public.goto("/p/publicity/")
    expect(public.get_by_test_id("publicity-period")).to_have_text("2026年4月29日至2026年5月8日（5个工作日）")
    expect(public.get_by_test_id("publicity-item")).to_contain_text(TITLE)
    expect(public.get_by_test_id("publicity-contact")).to_contain_text("林老师 0591-87000000")

    clock("2026-05-06T15:00:00+08:00")
    office.goto(f"/selection/{application.call_id}/publicity/")
    office.fill("#id_received_on", "2026-05-06")
    office.select_option("#id_channel", "phone")
    office.select_option("#id_application", str(application.pk))
    office.fill("#id_content", "来电反映该项目授课专家与申报不符。")
    office.get_by_test_id("record-objection").click()
    expect(office.get_by_test_id("objection")).to_contain_text("来电反映该项目授课专家与申报不符。")

    # On the last day of the period: the same publication is refused.
    clock("2026-05-08T17:00:00+08:00")
    office.goto(f"/selection/{application.call_id}/")
    office.get_by_test_id("publish").click()
    office.get_by_test_id("confirm").click()
    expect(office.locator(".messages")).to_contain_text("公示期至2026年5月8日，期满后才能下达计划。")
    assert Application.objects.get(pk=application.pk).state == ApplicationState.FORWARDED

    clock("2026-05-11T09:00:00+08:00")
    office.goto(f"/selection/{application.call_id}/publicity/")
    objection = office.get_by_test_id("objection")
    objection.locator("textarea").fill("经核实，授课专家调整已报备，维持原遴选结果。")
    objection.get_by_role("button", name="登记处理情况").click()
    expect(office.get_by_test_id("objection-handling")).to_contain_text("维持原遴选结果")
    office.goto(f"/selection/{application.call_id}/")
    office.get_by_test_id("publish").click()
    office.get_by_test_id("confirm").click()
    expect(office.locator(".messages")).to_contain_text("已发布1项遴选结果")
    assert Application.objects.get(pk=application.pk).state == ApplicationState.NATIONAL_CANDIDATE


def test_a_host_asks_to_change_the_venue_and_the_office_approves(login, chromium, live_server):
    programme = plan_demo_programme()
    host = login("zhongye")
    host.goto(f"/delivery/{programme.pk}/")
    host.fill("#id_schedule", "8月3日报到；8月4日至7日专题报告；8月8日返程。")
    host.fill("#id_experts", "李院士（中国农业大学）")
    host.fill("#id_venue", "三明市沙县区种业创新中心")
    host.fill("#id_reason", "原场地装修，改在种业创新中心。")
    host.get_by_test_id("confirm-arrangements").click()
    expect(host.locator(".messages")).to_contain_text("已提交变更申请，待省人社厅审批。")
    assert Programme.objects.get(pk=programme.pk).venue != "三明市沙县区种业创新中心"

    office = login("province")
    office.goto("/delivery/changes/")
    change = programme.changes.get()
    office.get_by_test_id(f"approve-change-{change.pk}").click()
    expect(office.locator(".messages")).to_contain_text("已审批。")

    public = chromium.new_context(base_url=live_server.url, locale="zh-CN").new_page()
    public.goto(f"/p/programmes/{programme.pk}/")
    expect(public.locator("table.list")).to_contain_text("三明市沙县区种业创新中心")
    expect(public.get_by_test_id("approved-change")).to_contain_text("经省人社厅批准变更")
    host.goto(f"/delivery/{programme.pk}/")
    expect(host.get_by_test_id("change-decided-by")).to_contain_text(str(User.objects.get(username="province")))
