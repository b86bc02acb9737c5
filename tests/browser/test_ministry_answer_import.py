"""The ministry's answer by file in a real browser (issue 25): the office downloads the recommendation
package, the ministry's filled summary is uploaded, previewed row by row and confirmed; the answer is
recorded through the one door (the demo's national application of 福建现代种业研究院)."""

import io
import zipfile

import pytest
from playwright.sync_api import expect

from yanxiu.accounts.models import User
from yanxiu.applications.enums import ApplicationState
from yanxiu.applications.models import Application
from yanxiu.core.sheets import read_sheet
from yanxiu.core.spreadsheets import xlsx_bytes
from yanxiu.selection.domain import decisions
from yanxiu.selection.interfaces.ministry_answer import SUMMARY_NAME
from yanxiu.selection.models import Outcome

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "生物育种与种业振兴关键技术高级研修班"


def filled(summary, answer):
    rows = read_sheet(summary)

    def write(workbook):
        sheet = workbook.add_worksheet()
        sheet.write_row(0, 0, rows[0][1])
        for number, (_, cells) in enumerate(rows[1:], start=1):
            sheet.write_row(number, 0, [*cells[:3], answer, "人社厅函〔2026〕1号"])

    return xlsx_bytes(write)


def test_the_office_imports_the_ministrys_answer(login):
    officer = User.objects.get(username="province")
    application = Application.objects.get(title=TITLE)
    decisions.stage(application, Outcome.NATIONAL_CANDIDATE, actor=officer)
    decisions.publish(application.call, actor=officer, without_publicity="（测试）不经公示")

    office = login("province")
    office.goto(f"/selection/{application.call_id}/ministry/")
    with office.expect_download() as download:
        office.get_by_test_id("ministry-package").click()
    package = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))
    answer = filled(package.read(SUMMARY_NAME), "入选")

    office.set_input_files(
        "#answer-file", {"name": "人社部结果.xlsx", "mimeType": "application/octet-stream", "buffer": answer}
    )
    office.get_by_test_id("answer-upload").click()
    preview = office.get_by_test_id("answer-preview")
    expect(preview).to_contain_text(TITLE)
    expect(preview.locator("table tr").nth(1)).to_contain_text("入选")
    assert Application.objects.get(pk=application.pk).state == ApplicationState.NATIONAL_CANDIDATE

    office.get_by_test_id("confirm-answer-import").click()
    expect(office.locator(".messages")).to_contain_text("已导入人社部结果：入选1项，未入选0项")
    assert Application.objects.get(pk=application.pk).state == ApplicationState.MINISTRY_SELECTED
