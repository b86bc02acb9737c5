"""In Chromium (decision 0017): angle brackets typed in the editor are saved and shown as text, never
run; a full-width mobile comes back half-width; an action's address opened by hand answers in Chinese."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_applicant_journey import autosave
from yanxiu.applications.models import Application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TYPED = "面向<a类>企业的x<y研修班<script>window.__ran = 1</script>"  # a title holds 60 characters
PURPOSE = '培养面向<a类>企业的人才。<img src=x onerror="window.__ran = 2">'


def test_typed_markup_is_kept_as_text_and_never_runs(login):
    page = login("zzzz")
    application = Application.objects.get(title="工业互联网与智能工厂建设高级研修班")
    pk = application.pk
    page.goto(f"/applications/{pk}/edit/")
    autosave(page, pk, lambda: page.fill('[name="title"]', TYPED), title=TYPED)
    autosave(page, pk, lambda: page.fill('[name="purpose"]', PURPOSE), purpose=PURPOSE)
    autosave(
        page,
        pk,
        lambda: page.fill('[name="host_mobile"]', "１３８００１３８０００"),
        host_mobile="１３８００１３８０００",
    )
    application.refresh_from_db()
    assert (application.title, application.purpose, application.host_mobile) == (TYPED, PURPOSE, "13800138000")

    page.goto(f"/applications/{pk}/edit/")
    expect(page.locator('[name="title"]')).to_have_value(TYPED)
    expect(page.locator('[name="host_mobile"]')).to_have_value("13800138000")
    for url in (f"/applications/{pk}/", f"/applications/{pk}/preview/"):
        page.goto(url)
        expect(page.get_by_text("面向<a类>企业的x<y研修班", exact=False).first).to_be_visible()
        assert page.evaluate("window.__ran") is None, url
        assert page.locator("img[src='x']").count() == 0, url

    reviewer = login("zz_rsj")
    reviewer.goto("/applications/inbox/?call=&stage=")
    assert reviewer.evaluate("window.__ran") is None


def test_opening_an_actions_address_answers_in_chinese(login):
    page = login("zzzz")
    pk = Application.objects.get(title="工业互联网与智能工厂建设高级研修班").pk
    page.goto(f"/applications/{pk}/")
    response = page.goto(f"/applications/{pk}/submit/")
    assert response.status == 405
    expect(page.locator("h1")).to_have_text("不能直接打开此地址")
    expect(page.get_by_test_id("error-reason")).to_contain_text("请回到原页面，点击相应按钮办理。")
    page.get_by_test_id("error-back").click()
    expect(page).to_have_url(f"{page.url.split('/applications/')[0]}/applications/{pk}/")
