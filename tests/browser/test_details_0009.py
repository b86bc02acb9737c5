"""Details users notice (issue 12, decision 0009), in Chromium on the demo: every input of
the editor names itself, the schedule table stays beside the sidebar at 1366×768, upload
errors show at the upload, and the certificate list refreshes when its job ends."""

import pytest
from playwright.sync_api import expect

from yanxiu.accounts.models import User
from yanxiu.applications.models import Application
from yanxiu.core import clock as system_clock
from yanxiu.core.jobs import JobState
from yanxiu.delivery.domain import certificates
from yanxiu.delivery.models import CertificateJob, Programme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UNLABELLED = """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
  .filter(e => !e.closest('template') && !e.closest('[aria-hidden=true]'))
  .filter(e => !(e.getAttribute('aria-label') || e.getAttribute('aria-labelledby')
                 || (e.id && document.querySelector('label[for="' + e.id + '"]')) || e.closest('label')))
  .map(e => e.name || e.id)"""


def test_every_editor_input_is_labelled_and_the_schedule_fits_beside_the_sidebar(login, tmp_path):
    application = Application.objects.get(title="工业互联网与智能工厂建设高级研修班")
    assert application.sessions.exists()
    page = login("zzzz")
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"/applications/{application.pk}/edit/")
    page.get_by_role("button", name="＋ 添加一位专家").click()
    assert page.evaluate(UNLABELLED) == []
    assert page.get_by_label("日程第1行 方式").count() == 1
    assert page.get_by_label("专家第1行 姓名").count() == 1

    method = page.locator("#id_sessions-0-format")
    method.scroll_into_view_if_needed()
    box = method.bounding_box()
    sidebar = page.locator("aside.sidebar").bounding_box()
    table = page.locator("#section-content .rows-scroll").bounding_box()
    assert box["x"] >= 0
    assert box["y"] >= 0
    assert box["x"] + box["width"] <= min(sidebar["x"], table["x"] + table["width"], 1366)
    assert box["y"] + box["height"] <= 768
    assert table["x"] + table["width"] <= sidebar["x"]  # the table scrolls inside its own column
    # The chosen way of teaching reads in full.
    shown = method.evaluate(
        "e => { const c = document.createElement('canvas').getContext('2d');"
        " c.font = getComputedStyle(e).font; return c.measureText(e.selectedOptions[0].text).width; }"
    )
    assert shown + 24 <= box["width"]  # 24 px: the arrow and the padding

    # An upload error shows at the upload control, with the list still empty.
    bad = tmp_path / "setup.pdf"
    bad.write_bytes(b"MZ\x90\x00" + b"\x00" * 100)
    page.set_input_files("#id_file", str(bad))
    page.locator("#attachments").get_by_role("button", name="上传").click()
    result = page.locator("#upload-result")
    expect(result).to_contain_text("文件内容与扩展名不符")
    expect(result).to_be_in_viewport()
    expect(page.locator("#attachments")).to_contain_text("暂无附件")


def test_the_certificate_list_refreshes_when_the_job_ends(login, clock):
    clock("2026-11-02T10:00:00+08:00")
    host = User.objects.get(username="fzxx")
    programme = Programme.objects.get(application__institution=host.institution)
    job = CertificateJob.objects.create(programme=programme, requested_by=host, created_at=system_clock.now())
    page = login("fzxx")
    page.goto(f"/delivery/{programme.pk}/certificates/")
    expect(page.get_by_test_id("certificates")).to_contain_text("尚未颁发")
    expect(page.get_by_test_id("job-state")).to_have_text("排队中")

    issued = certificates.issue(programme, host)  # what the background job does, without the PDF
    CertificateJob.objects.filter(pk=job.pk).update(state=JobState.DONE, total=1, done=1)

    expect(page.get_by_test_id("job-state")).to_have_text("已完成")
    expect(page.get_by_test_id(f"verify-{issued[0].serial}")).to_be_visible()
    expect(page.get_by_test_id("certificates")).not_to_contain_text("尚未颁发")


def test_every_input_is_labelled_on_the_pages_of_each_role(login):
    from yanxiu.calls.models import Call
    from yanxiu.reviews.models import ReviewRound

    programme = Programme.objects.get(application__institution__users__username="fzxx")
    call = Call.objects.get(year=2026)
    pages = {
        "fzxx": ["/delivery/", f"/delivery/{programme.pk}/trainees/", f"/delivery/{programme.pk}/attendance/"],
        "fz_rsj": [f"/batches/ranking/{call.pk}/provincial/"],
        "province": [
            f"/delivery/{programme.pk}/",
            f"/selection/{call.pk}/",
            *[f"/reviews/{r.pk}/" for r in ReviewRound.objects.all()[:1]],
        ],
    }
    unlabelled = {}
    for username, paths in pages.items():
        page = login(username)
        for path in paths:
            page.goto(path)
            assert page.url.endswith(path)
            missing = page.evaluate(UNLABELLED)
            if missing:
                unlabelled[path] = missing
    assert unlabelled == {}
