"""Invitations in a real browser (issue 22, decision 0024): an institution's account administrator
invites a colleague, who opens the mailed link, sets a password, logs in and creates an
application; the office invites an expert of the pool, who sets a password and scores the
application assigned to them. The e-mails are read from Django's outbox (locmem, tests/conftest.py;
the live server runs in this process)."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.conftest import TIMEOUT_MS
from yanxiu.accounts.models import User
from yanxiu.applications.models import Application
from yanxiu.reviews.enums import AssignmentState
from yanxiu.reviews.models import Assignment

from .test_applicant_journey import create_application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Mein-Eigenes-2026"
LINK = re.compile(r"https?://[^\s/]+(/account/invitation/[\w-]+/)")


def mailed_link(to):
    [message] = [m for m in mail.outbox if m.to == [to] and "账号邀请" in m.subject]
    return LINK.search(message.body).group(1)


def anonymous_page(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def set_password_and_log_in(page, path, username):
    page.goto(path)
    expect(page.get_by_test_id("invited-username")).to_have_text(username)
    page.fill("#id_new_password1", PASSWORD)
    page.fill("#id_new_password2", PASSWORD)
    page.get_by_role("button", name="设置密码").click()
    expect(page).to_have_url(re.compile(r"/login/$"))
    expect(page.locator(".messages")).to_contain_text(f"密码已设置。请用登录用户名 {username} 和新密码登录。")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("header .who")).to_be_visible()


def test_a_colleague_is_invited_sets_a_password_and_applies(login, chromium, live_server):
    admin = login("zzzz")
    admin.get_by_role("link", name="本单位账号").click()
    admin.get_by_test_id("invite-colleague").click()
    admin.get_by_label("登录用户名").fill("zz_li")
    admin.get_by_label("姓名").fill("李新")
    admin.get_by_label("电子邮箱").fill("zz_li@example.invalid")
    admin.get_by_role("button", name="发送邀请").click()
    expect(admin.locator(".messages")).to_contain_text("已向 李新（zz_li）发送邀请邮件")
    expect(admin.get_by_test_id("staff-state-zz_li")).to_contain_text("待接受邀请")

    colleague = anonymous_page(chromium, live_server)
    path = mailed_link("zz_li@example.invalid")
    set_password_and_log_in(colleague, path, "zz_li")
    pk = create_application(colleague, "provincial")
    application = Application.objects.get(pk=pk)
    assert (application.created_by.username, application.institution.name) == ("zz_li", "漳州智造科技有限公司")

    # The link is used up; the administrator sees the colleague set up and the trail of both.
    colleague.goto(path)
    expect(colleague.get_by_test_id("invitation-refused")).to_contain_text("该邀请链接已经使用过")
    admin.reload()
    expect(admin.get_by_test_id("staff-state-zz_li")).to_have_text("有效")
    admin.get_by_role("link", name="操作记录").click()
    trail = admin.get_by_test_id("staff-trail")
    expect(trail).to_contain_text("接受邀请并设置密码")
    expect(trail).to_contain_text("邀请账号")
    colleague.context.close()


def test_an_expert_is_invited_sets_a_password_and_scores(login, chromium, live_server):
    # zj_huang as the pool import leaves an expert: no password yet.
    expert = User.objects.get(username="zj_huang")
    expert.set_unusable_password()
    expert.save()
    assignment = Assignment.objects.get(expert=expert, state=AssignmentState.ASSIGNED)
    title = assignment.application.title

    office = login("province")
    office.goto("/reviews/experts/")
    office.get_by_test_id("invite-zj_huang").click()
    expect(office.locator(".messages")).to_contain_text("已向评审专家黄晓敏发送邀请邮件")

    page = anonymous_page(chromium, live_server)
    set_password_and_log_in(page, mailed_link(expert.email), "zj_huang")
    page.goto("/reviews/mine/")
    task_row = page.get_by_test_id("my-assignments").locator("tr", has_text=title)
    task_row.get_by_role("link", name="评分").click()
    scores = page.locator('input[name^="score_"]')
    for index in range(scores.count()):
        scores.nth(index).fill("8")
    page.check('input[name="recommendation"][value="recommend"]')
    page.fill('textarea[name="comment"]', "选题契合产业需求，建议推荐。")
    page.get_by_test_id("submit-review").click()
    expect(page.locator(".messages")).to_contain_text("评审意见已提交。")
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.SUBMITTED
    assert assignment.review.comment == "选题契合产业需求，建议推荐。"
    page.context.close()
