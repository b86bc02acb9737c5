"""An institution registers, its authority confirms (or refuses), and it applies; a password is
reset by an e-mailed link and by a texted code. Real Chromium, under the CSP."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.test_applicant_journey import create_application
from yanxiu.accounts.domain import sms
from yanxiu.accounts.models import User
from yanxiu.core.validators import uscc_with_check

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

USCC = uscc_with_check("91350600MA3000021")
NEW_PASSWORD = "Renewed-2026x"


def anonymous(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1400, "height": 1000})
    return context.new_page()


def last_code(text):
    return re.search(r"验证码是 (\d{6})", text).group(1)


def register(page, password, name="漳州新材料研究院有限公司", username="zzxcl"):
    page.goto("/login/")
    page.get_by_role("link", name="单位注册").click()
    page.get_by_label("统一社会信用代码").fill(USCC)
    page.get_by_label("单位名称").fill(name)
    page.get_by_role("radio", name="企业", exact=True).check()
    page.get_by_label("主管部门").select_option(label="漳州市人力资源和社会保障局")
    page.get_by_label("能开具培训费发票").check()
    page.get_by_label("联系人", exact=True).fill("林注册")
    page.get_by_label("联系人手机").fill("13800005555")
    page.get_by_test_id("send-mobile-code").click()
    expect(page.get_by_test_id("code-sent")).to_contain_text("验证码已发送到手机 13800005555")
    page.get_by_label("手机验证码").fill(last_code(sms.outbox[-1].body))
    page.get_by_label("联系人电子邮箱").fill("lin@example.invalid")
    page.get_by_test_id("send-email-code").click()
    expect(page.get_by_test_id("code-sent")).to_contain_text("验证码已发送到邮箱 lin@example.invalid")
    page.get_by_label("邮箱验证码").fill(last_code(mail.outbox[-1].body))
    page.get_by_label("管理员账号（用户名）").fill(username)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_label("再次输入密码").fill(password)
    page.get_by_label("盖章授权书").set_input_files(
        {"name": "授权书.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%stamped\n"}
    )
    page.get_by_test_id("register-submit").click()
    expect(page.get_by_test_id("registered")).to_contain_text(f"“{name}”的注册已提交漳州市人力资源和社会保障局确认")


def test_an_institution_registers_its_authority_confirms_and_it_applies(chromium, live_server, login, seeded):
    page = anonymous(chromium, live_server)
    register(page, seeded.DEMO_PASSWORD)
    page.context.close()

    reviewer = login("zz_rsj")
    reviewer.goto("/applications/inbox/")
    panel = reviewer.get_by_test_id("pending-registrations")
    panel.get_by_role("link", name="漳州新材料研究院有限公司").click()
    expect(reviewer.get_by_test_id("registration-state")).to_have_text("待主管部门确认")
    reviewer.get_by_test_id("confirm-registration").click()
    expect(reviewer.locator(".messages")).to_contain_text("已确认“漳州新材料研究院有限公司”的注册")

    institution = login("zzxcl")
    expect(institution.get_by_test_id("registration-state")).to_have_count(0)
    pk = create_application(institution, "provincial")
    assert User.objects.get(username="zzxcl").institution.applications.filter(pk=pk).exists()


def test_a_refused_registration_shows_the_reason(chromium, live_server, login, seeded):
    page = anonymous(chromium, live_server)
    register(page, seeded.DEMO_PASSWORD)
    page.context.close()

    reviewer = login("zz_rsj")
    reviewer.goto("/institution/registrations/")
    reviewer.get_by_role("link", name="漳州新材料研究院有限公司").click()
    reviewer.get_by_label("不予确认的理由（单位将看到）").fill("授权书未加盖公章，请重新提交。")
    reviewer.get_by_test_id("refuse-registration").click()
    expect(reviewer.locator(".messages")).to_contain_text("已退回")

    institution = login("zzxcl")
    expect(institution.get_by_test_id("registration-state")).to_contain_text(
        "本单位的注册主管部门未予确认。理由：授权书未加盖公章，请重新提交。"
    )
    resubmit = institution.get_by_test_id("resubmit-registration")
    resubmit.get_by_label("新的盖章授权书").set_input_files(
        {"name": "盖章授权书.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%stamped this time\n"}
    )
    resubmit.get_by_role("button", name="重新提交").click()
    expect(institution.locator(".messages")).to_contain_text("注册已重新提交漳州市人力资源和社会保障局确认。")
    expect(institution.get_by_test_id("registration-state")).to_contain_text("本单位的注册待主管部门确认。")


def test_a_password_reset_by_email_link(chromium, live_server, seeded):
    page = anonymous(chromium, live_server)
    page.goto("/login/")
    page.get_by_role("link", name="忘记密码？").click()
    page.get_by_label("用户名").fill("zzzz")
    page.get_by_role("radio", name="通过电子邮箱接收重置链接").check()
    page.get_by_role("button", name="发送").click()
    expect(page.locator(".messages")).to_contain_text("如果该账号存在并登记了电子邮箱")
    path = re.search(r"/account/reset/[^/\s]+/[^/\s]+/", mail.outbox[-1].body).group(0)
    page.goto(path)  # the link's path on the live server (SITE_URL is the configured host)
    page.get_by_label("新密码", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("再次输入新密码").fill(NEW_PASSWORD)
    page.get_by_role("button", name="重置密码").click()
    expect(page.locator(".messages")).to_contain_text("密码已重置，请用新密码登录。")
    page.fill("#id_username", "zzzz")
    page.fill("#id_password", NEW_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("header .who")).to_be_visible()
    page.context.close()


def test_a_password_reset_by_sms_code(chromium, live_server, seeded):
    account = User.objects.get(username="fzxx")
    if not account.phone:
        account.phone = "13900001234"
        account.save(update_fields=["phone"])
    page = anonymous(chromium, live_server)
    page.goto("/account/reset/")
    page.get_by_label("用户名").fill("fzxx")
    page.get_by_role("radio", name="通过手机接收验证码").check()
    page.get_by_role("button", name="发送").click()
    expect(page.locator(".messages")).to_contain_text("如果该账号存在并登记了手机号码")
    assert [m.to for m in sms.outbox] == [account.phone]
    page.get_by_label("短信验证码").fill(last_code(sms.outbox[-1].body))
    page.get_by_label("新密码", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("再次输入新密码").fill(NEW_PASSWORD)
    page.get_by_role("button", name="重置密码").click()
    expect(page.locator(".messages")).to_contain_text("密码已重置，请用新密码登录。")
    page.fill("#id_username", "fzxx")
    page.fill("#id_password", NEW_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("header .who")).to_be_visible()
    page.context.close()
