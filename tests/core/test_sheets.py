"""The one .xlsx reader and its report (core.sheets): what the roster, the expert pool, the reference
dictionaries and the ministry's answer read through."""

import io
import zipfile

import pytest

from yanxiu.core.sheets import SheetReport, SheetUnreadable, cell_text, padded, read_sheet
from yanxiu.core.spreadsheets import xlsx_bytes


def workbook(rows):
    def write(book):
        sheet = book.add_worksheet()
        for number, row in enumerate(rows):
            sheet.write_row(number, 0, row)

    return xlsx_bytes(write)


def test_cells_are_read_as_the_text_a_person_sees():
    assert [cell_text(v) for v in (None, 12.0, 12.5, "  会计 ", 7)] == ["", "12", "12.5", "会计", "7"]


def test_the_first_sheet_is_read_with_row_numbers():
    data = workbook([["编号", "结果"], [101, "入选"], [], ["", " 未入选 "]])
    assert read_sheet(data) == [(1, ["编号", "结果"]), (2, ["101", "入选"]), (3, ["", ""]), (4, ["", "未入选"])]


def test_a_file_that_is_no_xlsx_is_refused_in_chinese_naming_what_was_expected():
    with pytest.raises(SheetUnreadable, match=r"^文件不是有效的名册文件（\.xlsx）"):
        read_sheet(b"PK\x03\x04 not really", what="名册文件")


def test_a_zip_without_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(SheetUnreadable):
        read_sheet(buffer.getvalue())


def test_past_max_rows_the_reading_stops():
    data = workbook([["编号"], ["1"], ["2"], ["3"]])
    assert len(read_sheet(data, max_rows=3)) == 4
    with pytest.raises(SheetUnreadable, match=r"^超过每次最多导入2行的限制，请分批导入。$"):
        read_sheet(data, max_rows=2)


def test_the_report_checks_the_header_and_says_what_is_missing():
    report = SheetReport()
    assert report.header_matches(["编号", "结果", ""], ["编号", "结果"], "请下载模板。")
    assert report.ok
    assert not report.header_matches(["编号"], ["编号", "结果"], "请下载模板。")
    assert not report.header_matches(["结果", "编号"], ["编号", "结果"], "请下载模板。")
    assert report.file_errors == [
        "表头与模板不一致（缺少列：结果）。请下载模板。",
        "表头与模板不一致（列的顺序不对）。请下载模板。",
    ]
    assert not report.ok


def test_the_report_keeps_each_rows_problems_and_says_them_as_lines():
    report = SheetReport()
    report.row_problems(2, [])
    assert report.ok
    report.row_problems(3, ["编号：未找到。", "结果：请填写。"])
    report.refuse_file("文件是空的。")
    assert report.row_errors == [(3, ["编号：未找到。", "结果：请填写。"])]
    assert report.messages() == ["文件是空的。", "第3行：编号：未找到。；结果：请填写。"]
    assert padded(["a"], 3) == ["a", "", ""]
    assert padded(["a", "b", "c"], 2) == ["a", "b"]
