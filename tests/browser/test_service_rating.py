"""好差评 in a browser (decision 0027): `fzxx`, whose 2026 provincial application was selected,
rates the service from 我的申报; a second try says it is done; the office reads the figures."""

import pytest
from playwright.sync_api import expect

from yanxiu.applications.models import Application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_applicant_rates_once_and_the_office_sees_it(login):
    host = login("fzxx")
    decided = Application.objects.get(institution__users__username="fzxx", call__year=2026, state="provincial_ordinary")
    host.goto("/applications/")
    host.get_by_test_id("ratings-link").click()
    host.get_by_test_id(f"rate-{decided.pk}").click()
    host.get_by_label("很满意").check()
    host.fill("#id_comment", "审核退回意见具体，办理及时。")
    host.get_by_test_id("rate-submit").click()
    expect(host.locator(".messages")).to_contain_text("感谢您的评价！")
    expect(host.get_by_test_id(f"rated-{decided.pk}")).to_have_text("已评价：很满意")
    host.goto(f"/ratings/application/{decided.pk}/")
    expect(host.get_by_test_id("already-rated")).to_contain_text("每个事项只能评价一次")

    office = login("province")
    office.goto("/delivery/")
    office.get_by_test_id("rating-figures-link").click()
    expect(office.get_by_test_id("figures-1")).to_contain_text("100.0%")
    expect(office.get_by_test_id("rating-comments")).to_contain_text("审核退回意见具体，办理及时。")
