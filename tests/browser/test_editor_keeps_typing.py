"""The editor never loses what was typed (issue 20, decision 0014), in Chromium.

A refused field holds only itself (its typed value stays, everything else is saved); leaving
with anything unsaved asks; 保存 goes to the first field in error; a new form is quiet until
typed in; two windows show each other's version and one action keeps the user's.
"""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from yanxiu.applications.models import Application
from yanxiu.audit.models import AuditEntry
from yanxiu.calls.models import TierRule
from yanxiu.core import clock
from yanxiu.core.dates import chinese_date

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DRAFT_TITLE = "工业互联网与智能工厂建设高级研修班"  # zzzz's demo draft (28 trainees: below 30)
EDIT_URL = re.compile(r"/applications/(\d+)/edit/$")


def answer_to(page, pk, action):
    """Run `action` and return the body of the next autosave answer (status 200)."""
    with page.expect_response(
        lambda r: r.request.method == "POST" and r.url.endswith(f"/applications/{pk}/edit/")
    ) as answer:
        action()
    response = answer.value
    assert response.status == 200
    return response.text()


def asks_before_leaving(page):
    """Close the tab as a user would: the page asks (beforeunload); the user stays."""

    def keep(dialog):  # handled here, not auto-dismissed by Playwright
        return None

    page.on("dialog", keep)
    with page.expect_event("dialog") as asked:
        page.close(run_before_unload=True)
    assert asked.value.type == "beforeunload"
    asked.value.dismiss()
    page.remove_listener("dialog", keep)
    return not page.is_closed()


def leaves_without_asking(page):
    seen = []

    def on_dialog(dialog):
        seen.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    with page.expect_event("close"):
        page.close(run_before_unload=True)
    return seen == []


def test_a_refused_field_keeps_everything_else_saved_and_its_typed_value(login):
    page = login("zzzz")
    application = Application.objects.get(title=DRAFT_TITLE)
    pk, stored_mobile = application.pk, application.host_mobile
    page.goto(f"/applications/{pk}/edit/")

    def type_three_fields():
        page.fill('[name="purpose"]', "面向全省制造业企业，提升工业互联网平台建设与运维能力。")
        page.fill('[name="host_mobile"]', "1380000")
        page.fill('[name="title"]', "工业互联网与智能工厂建设高级研修班（修订）")
        page.keyboard.press("Tab")

    body = answer_to(page, pk, type_three_fields)
    while 'data-refused="host_mobile"' not in body:  # an earlier debounced save may answer first
        body = answer_to(page, pk, lambda: None)
    expect(page.get_by_test_id("save-partial")).to_contain_text("手机")
    fresh = Application.objects.get(pk=pk)
    assert (fresh.title, fresh.purpose, fresh.host_mobile) == (
        "工业互联网与智能工厂建设高级研修班（修订）",
        "面向全省制造业企业，提升工业互联网平台建设与运维能力。",
        stored_mobile,
    )
    # the typed value stays, with its reason at the field, marked as not saved
    expect(page.locator('[name="host_mobile"]')).to_have_value("1380000")
    expect(page.locator("#field-host_mobile")).to_have_class(re.compile(r"\brefused\b"))
    expect(page.locator("#msgs-host_mobile .msg.error")).to_contain_text("手机号码格式不正确")
    expect(page.locator("#msgs-host_mobile .msg.held")).to_contain_text("此项未保存")
    expect(page.get_by_test_id("checks-unsaved")).to_contain_text("1项输入未保存（手机）")
    expect(page.get_by_test_id("submit")).to_be_disabled()

    # leaving now asks (the tab stays open when the user says no)
    assert asks_before_leaving(page)

    # corrected, it is retried and saved at once; then leaving asks nothing
    body = answer_to(page, pk, lambda: page.fill('[name="host_mobile"]', "13800001111"))
    while 'data-testid="saved"' not in body:
        body = answer_to(page, pk, lambda: None)
    expect(page.locator("#field-host_mobile")).not_to_have_class(re.compile(r"\brefused\b"))
    expect(page.locator("#msgs-host_mobile .msg")).to_have_count(0)
    assert Application.objects.get(pk=pk).host_mobile == "13800001111"
    assert leaves_without_asking(page)


def test_save_goes_to_the_first_field_in_error_and_a_new_form_is_quiet(login):
    page = login("xmhy")
    page.goto("/applications/")
    page.get_by_test_id("new-2026-provincial").click()
    expect(page).to_have_url(EDIT_URL)
    pk = int(EDIT_URL.search(page.url).group(1))

    # A new form: nothing red under the fields; the panel lists what is missing, neutrally.
    expect(page.locator("#editor .field-msgs .msg")).to_have_count(0)
    expect(page.get_by_test_id("checks-quiet")).to_be_visible()
    expect(page.locator('#checks li.untouched[data-code="required.title"]')).to_be_visible()

    # Typing in one field shows that field's checks only.
    answer_to(
        page,
        pk,
        lambda: (page.fill('[name="planned_trainees"]', "20"), page.keyboard.press("Tab")),
    )
    expect(page.locator('#msgs-planned_trainees .msg.error[data-code="trainees.minimum"]')).to_be_visible()
    expect(page.locator("#msgs-title .msg")).to_have_count(0)

    # 保存: every message shows, and focus goes to the first field in error (the title).
    answer_to(page, pk, lambda: page.get_by_test_id("save").click())
    expect(page.locator('#msgs-title .msg.error[data-code="required.title"]')).to_be_visible()
    expect(page.locator('[name="title"]')).to_be_focused()


def test_save_focuses_a_held_field_with_its_typed_value(login):
    page = login("zzzz")
    pk = Application.objects.get(title=DRAFT_TITLE).pk
    page.goto(f"/applications/{pk}/edit/")
    page.fill('[name="title"]', "工业互联网研修班（改名）")
    page.fill('[name="base_batch"]', "0")
    answer_to(page, pk, lambda: page.get_by_test_id("save").click())
    # the trainees' rule error (28 < 30) comes before the host's batch: focus goes to the first
    expect(page.locator('[name="planned_trainees"]')).to_be_focused()
    # fix it; 保存 again goes to the held batch, its typed 0 still there
    page.fill('[name="planned_trainees"]', "35")
    body = answer_to(page, pk, lambda: page.get_by_test_id("save").click())
    assert 'data-refused="base_batch"' in body
    expect(page.locator('[name="base_batch"]')).to_be_focused()
    expect(page.locator('[name="base_batch"]')).to_have_value("0")
    fresh = Application.objects.get(pk=pk)
    assert (fresh.title, fresh.planned_trainees) == ("工业互联网研修班（改名）", 35)


def test_two_windows_show_each_other_and_one_action_keeps_mine(login):
    first = login("zzzz")
    application = Application.objects.get(title=DRAFT_TITLE)
    pk = application.pk
    first.goto(f"/applications/{pk}/edit/")
    second = first.context.new_page()
    second.goto(f"/applications/{pk}/edit/")

    body = answer_to(first, pk, lambda: (first.fill('[name="title"]', "第一个窗口的名称"), first.keyboard.press("Tab")))
    assert 'data-testid="saved"' in body
    body = answer_to(
        second,
        pk,
        lambda: (
            second.fill('[name="purpose"]', "第二个窗口写了很长的一段研修目的。"),
            second.fill('[name="title"]', "第二个窗口的名称"),
            second.keyboard.press("Tab"),
        ),
    )
    conflict = second.get_by_test_id("conflict")
    expect(conflict).to_be_visible()
    expect(conflict.locator('tr[data-field="title"] td.theirs')).to_have_text("第一个窗口的名称")
    expect(conflict.locator('tr[data-field="title"] td.mine')).to_have_text("第二个窗口的名称")
    expect(conflict.locator('tr[data-field="purpose"] td.mine')).to_have_text("第二个窗口写了很长的一段研修目的。")
    # nothing of the second window was written, and nothing it typed was lost
    assert Application.objects.get(pk=pk).title == "第一个窗口的名称"
    expect(second.locator('[name="title"]')).to_have_value("第二个窗口的名称")
    expect(second.locator('[name="purpose"]')).to_have_value("第二个窗口写了很长的一段研修目的。")

    body = answer_to(second, pk, lambda: second.get_by_test_id("keep-mine").click())
    while 'data-testid="saved"' not in body:
        body = answer_to(second, pk, lambda: None)
    expect(second.get_by_test_id("conflict")).to_have_count(0)
    fresh = Application.objects.get(pk=pk)
    assert (fresh.title, fresh.purpose) == ("第二个窗口的名称", "第二个窗口写了很长的一段研修目的。")
    assert AuditEntry.objects.for_object(fresh).filter(action="edit_override").count() == 1


def test_a_deadline_moved_into_the_past_shows_without_reload_and_typing_goes_on(login):
    page = login("zzzz")
    application = Application.objects.get(title=DRAFT_TITLE)
    pk = application.pk
    page.goto(f"/applications/{pk}/edit/")
    expect(page.locator("#deadline-banner")).to_contain_text("提交截止")
    # the office moves the deadline to yesterday while the institution is typing
    yesterday = clock.today() - timedelta(days=1)
    TierRule.objects.filter(call=application.call, tier=application.tier).update(deadline=yesterday)
    answer_to(page, pk, lambda: (page.fill('[name="title"]', "截止后继续写的名称"), page.keyboard.press("Tab")))
    expect(page.locator("#deadline-banner")).to_contain_text(
        f"申报已于{chinese_date(yesterday)}截止：可以继续保存草稿，但不能提交。"
    )
    expect(page.locator('[name="title"]')).to_have_value("截止后继续写的名称")
    assert Application.objects.get(pk=pk).title == "截止后继续写的名称"
