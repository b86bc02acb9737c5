"""Roster import: all or nothing, with a per-row report."""

import io

import pytest
import xlsxwriter
from openpyxl import load_workbook

from yanxiu.delivery.interfaces import roster
from yanxiu.delivery.models import PersonalDataAccess, Trainee

from .helpers import host_of, id_number, planned

pytestmark = pytest.mark.django_db


def workbook(rows, header=roster.COLUMNS):
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, header)
    for r, row in enumerate(rows, start=1):
        sheet.write_row(r, 0, row)
    book.close()
    return buffer.getvalue()


def row(n, **overrides):
    values = {
        "name": f"学员{n}",
        "id_number": id_number(n),
        "gender": "男",
        "employer": "某单位",
        "position": "工程师",
        "title": "中级",
        "field": "电子信息",
        "mobile": f"139{n:08d}",
        "province": "福建省",
        "grassroots": "是",
        "sector": "非公有制单位",
    }
    values.update(overrides)
    return list(values.values())


def test_the_template_reads_back_as_the_expected_header():
    sheet = load_workbook(io.BytesIO(roster.template())).worksheets[0]
    assert [c.value for c in sheet[1]] == roster.COLUMNS


def test_a_good_roster_is_imported_as_pending_enrolments():
    programme = planned()
    report = roster.import_roster(programme, workbook([row(1), row(2)]), host_of(programme))
    assert (report.ok, report.imported) == (True, 2)
    assert list(Trainee.objects.values_list("name", "state", "source", "id_masked")) == [
        ("学员1", "pending", "import", "3501**********" + id_number(1)[-4:]),
        ("学员2", "pending", "import", "3501**********" + id_number(2)[-4:]),
    ]


def test_wrong_columns_import_nothing():
    programme = planned()
    report = roster.import_roster(
        programme, workbook([row(1)], header=[*roster.COLUMNS[:-1], "备注"]), host_of(programme)
    )
    assert report.file_errors == ["表头与模板不一致（缺少列：单位性质）。请下载模板，按模板的列填写。"]
    assert Trainee.objects.count() == 0


def test_duplicate_ids_and_bad_rows_are_reported_per_row_and_nothing_is_imported():
    programme = planned()
    rows = [row(1), row(2), row(1, name="重复", mobile="13900009999"), row(4, title="初级", grassroots="也许")]
    report = roster.import_roster(programme, workbook(rows), host_of(programme))
    assert report.row_errors == [
        (4, ["身份证号与第2行重复。"]),
        (5, ["是否基层一线：请填写“是”或“否”。", "职称等级：请选择职称等级（中级、副高级、正高级或其他）。"]),
    ]
    assert Trainee.objects.count() == 0


def test_ten_thousand_rows_are_refused_whole_with_a_report():
    programme = planned()
    rows = [row(n, id_number=id_number(n % 100), mobile=f"139{n:08d}") for n in range(1, 10001)]
    report = roster.import_roster(programme, workbook(rows), host_of(programme))
    assert report.rows == 10000
    assert report.file_errors == [
        "共10000行，超过每次最多导入2000行的限制。请分批导入。",
        "导入后名单将有10000人，远超招收名额40人，请核对文件。",
    ]
    assert len(report.row_errors) == 9900  # every repeat of one of the 100 numbers
    assert report.row_errors[0] == (102, ["身份证号与第2行重复。"])
    assert Trainee.objects.count() == 0


def test_not_an_excel_file():
    programme = planned()
    report = roster.import_roster(programme, b"PK\x03\x04 not really", host_of(programme))
    # The one reader's wording (core.sheets, decision 0031), naming what was expected.
    assert report.file_errors == ["文件不是有效的名册文件（.xlsx）：可能已损坏，或只是改了扩展名。"]


def test_the_export_shows_whole_numbers_only_to_the_host_and_logs_it(client):
    programme = planned()
    host = host_of(programme)
    roster.import_roster(programme, workbook([row(1)]), host)
    client.force_login(host)
    trainee = Trainee.objects.get()
    # By default: masked ID number and mobile, nothing logged.
    response = client.get(f"/delivery/{programme.pk}/roster.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert (sheet["B3"].value, sheet["H3"].value) == (
        trainee.id_masked,
        trainee.mobile[:3] + "****" + trainee.mobile[-4:],
    )
    assert "no-store" in response["Cache-Control"]
    assert PersonalDataAccess.objects.count() == 0
    # No purpose stated: back to the list, nothing revealed.
    refused = client.post(f"/delivery/{programme.pk}/roster.xlsx", {"reason": " "})
    assert (refused.status_code, refused["Location"]) == (302, f"/delivery/{programme.pk}/trainees/")
    assert PersonalDataAccess.objects.count() == 0
    # With a purpose: whole numbers, logged with the purpose and the client's address.
    response = client.post(f"/delivery/{programme.pk}/roster.xlsx", {"reason": "报到核验"}, REMOTE_ADDR="10.1.2.3")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert (sheet["B3"].value, sheet["H3"].value) == (id_number(1), trainee.mobile)
    assert "no-store" in response["Cache-Control"]
    access = PersonalDataAccess.objects.get()
    assert (access.actor, access.purpose, access.reason, access.client_address, access.trainee_ids) == (
        host,
        "导出学员名册",
        "报到核验",
        "10.1.2.3",
        [trainee.pk],
    )
    log = client.get(f"/delivery/{programme.pk}/access-log/").content.decode()
    assert "<td>10.1.2.3</td><td>导出学员名册</td><td>报到核验</td><td>1</td>" in log
