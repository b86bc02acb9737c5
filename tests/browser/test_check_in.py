"""QR check-in on phones (decision 0027): the host of the demo's running class (`fjcz`, seeded
around the test's day by demo/today.py, this morning's check-in open) shows the code on a
375 px screen; a trainee in a second, mobile browser context opens the code's address, confirms
with ID number and name, and the host's count rises; a second scan says already present."""

from datetime import date
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from yanxiu.delivery.models import Attendance, Trainee
from yanxiu.demo.today import seed_today

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}


def fits_the_screen(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_trainee_checks_in_on_a_phone_and_the_hosts_count_rises(login, chromium, live_server, settings, tmp_path):
    settings.SITE_URL = live_server.url
    running = seed_today(date(2026, 1, 10))["running"]
    present = set(
        Attendance.objects.filter(trainee__programme=running, date=date(2026, 1, 10), present=True).values_list(
            "trainee_id", flat=True
        )
    )
    newcomer = Trainee.objects.filter(programme=running, state="approved").exclude(pk__in=present).first()

    host = login("fjcz")
    host.set_viewport_size(PHONE)
    host.goto(f"/delivery/{running.pk}/attendance/")
    host.get_by_test_id("check-in-link").click()
    host.get_by_test_id("open-am").click()  # this morning's check-in is open already: the same one
    expect(host.get_by_test_id("present-count")).to_have_text("5")
    expect(host.get_by_test_id("qr").locator("svg")).to_be_visible()
    assert fits_the_screen(host)
    box = host.get_by_test_id("qr").bounding_box()
    assert 250 <= box["width"] <= 375  # as wide as the card allows
    link = host.get_by_test_id("qr").get_attribute("data-link")
    assert urlparse(link).path.startswith("/p/check-in/")
    host.screenshot(path=tmp_path / "host.png", full_page=True)

    phone = chromium.new_context(
        base_url=live_server.url, locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    trainee = phone.new_page()
    trainee.goto(link)
    expect(trainee.locator("h1")).to_contain_text(running.application.title)
    assert fits_the_screen(trainee)
    trainee.fill("#id_id_number", "350102000000000000")  # a wrong ID: refused, nobody marked
    trainee.fill("#id_name", newcomer.name)
    trainee.get_by_test_id("check-in-submit").click()
    expect(trainee.get_by_test_id("form-error")).to_contain_text("未找到该学员")
    trainee.fill("#id_id_number", newcomer.id_number)
    trainee.get_by_test_id("check-in-submit").click()
    expect(trainee.get_by_test_id("check-in-done")).to_have_text(f"{newcomer.name}，签到成功！")
    assert fits_the_screen(trainee)
    trainee.screenshot(path=tmp_path / "trainee.png", full_page=True)

    expect(host.get_by_test_id("present-count")).to_have_text("6")  # the host's page asks every 5 s

    # The same phone scans again: already present, still six.
    trainee.goto(link)
    trainee.fill("#id_id_number", newcomer.id_number)
    trainee.fill("#id_name", newcomer.name)
    trainee.get_by_test_id("check-in-submit").click()
    expect(trainee.get_by_test_id("check-in-done")).to_have_text(f"{newcomer.name}，您已签到，无需重复签到。")

    # The host marks one more by hand on the same page.
    other = Trainee.objects.filter(programme=running, state="approved").exclude(pk__in=present | {newcomer.pk}).first()
    host.get_by_test_id(f"mark-{other.pk}").click()
    expect(host.locator(".messages")).to_contain_text(f"已标记{other.name}出勤。")
    expect(host.get_by_test_id("present-count")).to_have_text("7")
    phone.close()
