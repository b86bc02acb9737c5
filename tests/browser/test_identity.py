"""Identity controls in a real browser, under the Content-Security-Policy:
the idle warning (static/core/site.js), its "继续使用", the automatic logout,
and the lockout page."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_idle_warning_keeps_the_session_or_logs_out(login, settings):
    # Short limits so the test waits seconds, not minutes (the real ones: 1800 s and 60 s).
    settings.YANXIU_SESSION_IDLE_SECONDS = 6
    settings.YANXIU_SESSION_WARNING_SECONDS = 4
    page = login("zzzz")
    warning = page.get_by_test_id("session-warning")
    expect(warning).to_be_hidden()
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("秒后自动退出")
    page.get_by_role("button", name="继续使用").click()
    expect(warning).to_be_hidden()
    # No more activity: the page logs itself out and says why.
    expect(page).to_have_url(re.compile(r"/login/\?timeout=1$"))
    expect(page.locator(".msg")).to_contain_text("您已长时间未操作")
    page.goto("/applications/")
    expect(page).to_have_url(re.compile(r"/login/\?next="))


def test_the_lockout_page_is_chinese_and_the_right_password_then_fails(chromium, live_server, seeded):
    context = chromium.new_context(base_url=live_server.url, locale="zh-CN")
    page = context.new_page()
    page.goto("/login/")
    for _ in range(5):
        page.fill("#id_username", "zzzz")
        page.fill("#id_password", "wrong-password")
        page.get_by_role("button", name="登录").click()
    expect(page.get_by_test_id("locked-out")).to_contain_text("登录失败次数过多，已暂时锁定，请 15 分钟后再试。")
    page.fill("#id_username", "zzzz")
    page.fill("#id_password", seeded.DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_test_id("locked-out")).to_be_visible()
    expect(page.locator("header .who")).to_have_count(0)
    context.close()
