"""Each role's corrected journey (issue 12), in Chromium on the demo; fixed clock 2026-01-10."""

import pytest
from playwright.sync_api import expect

from yanxiu.applications.models import Application
from yanxiu.calls.models import Call
from yanxiu.core import clock
from yanxiu.delivery.models import Programme

pytestmark = pytest.mark.browser


def test_a_refused_edit_disables_submit_in_the_checks_panel(login):
    host = login("zzzz")
    application = Application.objects.get(call__year=2027, institution__name="漳州智造科技有限公司", tier="provincial")
    host.goto(f"/applications/{application.pk}/edit/")
    host.fill('[name="planned_trainees"]', "40")
    expect(host.get_by_test_id("saved")).to_be_visible()
    expect(host.get_by_test_id("checks-ok")).to_be_visible()
    expect(host.get_by_test_id("submit")).to_be_enabled()
    host.fill('[name="end_date"]', "2027-06-01")  # before the start (2027-06-15)
    expect(host.get_by_test_id("checks-unsaved")).to_be_visible()
    expect(host.get_by_test_id("checks-ok")).to_have_count(0)
    expect(host.get_by_test_id("submit")).to_be_disabled()


def test_the_office_copies_next_years_call_and_opens_it_after_confirming(login):
    office = login("province")
    office.get_by_role("link", name="年度通知").click()
    office.get_by_test_id("copy-2027").click()
    expect(office.get_by_test_id("call-state")).to_have_text("未开放")
    assert Call.objects.get(year=2028).is_open is False
    office.get_by_label("学员数量下限").last.fill("35")
    office.get_by_label("学员数量要求原文").last.fill("不少于35人")  # the wording may not say 30 (decision 0022)
    office.get_by_test_id("save-call").click()
    expect(office.locator(".messages")).to_contain_text("已保存（修改2项）")
    assert Call.objects.get(year=2028).tier_rule("provincial").min_trainees == 35
    office.get_by_test_id("toggle-open").click()
    expect(office.get_by_test_id("confirm-summary")).to_contain_text("将开放2028年度申报")
    office.get_by_test_id("confirm").click()
    expect(office.get_by_test_id("call-state")).to_have_text("开放申报")


def test_a_visitor_is_told_when_the_class_is_full(login, live_server):
    from yanxiu.demo.today import seed_today

    made = seed_today(clock.today())
    programme = made["enrolling"]
    visitor = login("zzzz")  # any browser; the page is public
    visitor.goto(f"/p/programmes/{programme.pk}/")
    expect(visitor.get_by_test_id("enrol-form")).to_be_visible()
    Programme.objects.filter(pk=programme.pk).update(capacity=32)  # 32 approved: full
    visitor.reload()
    expect(visitor.get_by_test_id("class-full")).to_contain_text("已满")
    expect(visitor.get_by_test_id("enrol-form")).to_have_count(0)
