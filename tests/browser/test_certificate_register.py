"""The office's certificate register in a browser (decision 0027): the demo's class that ended
last week (`slyx`, seeded around the test's day) has its certificates issued; `province` opens
the year's register from 项目实施, sees the masked holders and downloads the .xlsx."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from yanxiu.delivery.models import Certificate
from yanxiu.demo.today import seed_today

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_office_reads_the_register_and_downloads_it(login):
    closed = seed_today(date(2026, 1, 10))["ready_to_close"]
    year = closed.call.year
    issued = list(Certificate.objects.filter(trainee__programme=closed).select_related("trainee").order_by("serial"))
    office = login("province")
    office.goto("/delivery/")
    office.get_by_test_id(f"register-{year}").click()
    expect(office.locator("h1")).to_have_text(f"{year}年度结业证书登记簿")
    expect(office.get_by_test_id("register-count")).to_have_text(str(len(issued)))
    first_row = office.get_by_test_id("register").locator("tr").nth(1)
    expect(first_row).to_contain_text(issued[0].serial)
    expect(first_row).to_contain_text(issued[0].holder_masked)
    expect(first_row).not_to_contain_text(issued[0].trainee.name)
    with office.expect_download() as download:
        office.get_by_test_id("register-xlsx").click()
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    serials = [row[1] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert serials == [c.serial for c in issued]
