"""三员分立 in a real browser (decision 0019): the system administrator changes a business account
and finds no superuser, group or permission field and no password reset; the security
administrator resets the password; the audit administrator reads both changes, before and after."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Reset-Pass-2026x"


def open_account(page, username):
    page.goto("/admin/accounts/user/")
    page.get_by_role("link", name=username, exact=True).click()
    expect(page).to_have_url(re.compile(r"/admin/accounts/user/\d+/change/$"))


def test_each_administrator_does_their_duty_and_the_auditor_reads_it(login):
    sysadmin = login("sysadmin")
    open_account(sysadmin, "zzzz")
    for back_door in ("#id_is_superuser", "#id_groups", "#id_user_permissions", "#id_is_staff"):
        expect(sysadmin.locator(back_door)).to_have_count(0)
    expect(sysadmin.get_by_test_id("reset-password")).to_have_count(0)
    expect(sysadmin.locator("#id_role option[value='audit_admin']")).to_have_count(0)
    sysadmin.fill("#id_display_name", "漳州智造 张经办")
    sysadmin.get_by_role("button", name="保存", exact=True).click()
    expect(sysadmin.locator(".messagelist")).to_contain_text("漳州智造 张经办")

    secadmin = login("secadmin")
    open_account(secadmin, "zzzz")
    expect(secadmin.locator("#id_display_name")).to_have_count(0)  # read only for the security administrator
    secadmin.get_by_test_id("reset-password").click()
    secadmin.fill("#id_password1", NEW_PASSWORD)
    secadmin.fill("#id_password2", NEW_PASSWORD)
    secadmin.get_by_test_id("reset-submit").click()
    expect(secadmin.locator(".messagelist")).to_contain_text("已重置 zzzz 的密码")

    auditor = login("auditor")
    auditor.goto("/audit/")
    auditor.select_option("#id_kind", "accounts")
    auditor.get_by_role("button", name="查询").click()
    entries = auditor.get_by_test_id("audit-entries")
    expect(entries).to_contain_text("修改账号")
    expect(entries).to_contain_text("姓名：")
    expect(entries).to_contain_text("→ 漳州智造 张经办")
    expect(entries).to_contain_text("重置密码")
    expect(entries).to_contain_text("密码：已设置 → 已重置（须在下次登录时修改）")
    expect(entries).to_contain_text("sysadmin")
    expect(entries).to_contain_text("secadmin")
