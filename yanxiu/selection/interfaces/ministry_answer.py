"""The ministry's answer by file (issue 25), and the national recommendation package it answers.

The package (`recommendation_package`): a .zip with each recommended application's 附件1 (.docx) and
a summary sheet (推荐汇总表.xlsx) with one row per application and its key, 申报编号 (the application's
number); the 人社部结果 and 备注 columns are left for the ministry's answer.

The answer (`read_answer`, then `apply_answer`): the same sheet back, filled. Read through core.sheets
(the one reader) into a SheetReport: each row is matched by 申报编号 to an application of the call
still waiting for the ministry (its title, where given, must agree), and its answer must be 入选 or
未入选. A preview shows the rows; nothing is applied unless every row is sound, and then all of them
are, in one transaction, each through the one door (`decisions.record_ministry_answer`), with one
audit entry for the file.
"""

import io
import zipfile
from dataclasses import dataclass, field

from django.db import transaction

from yanxiu.applications.enums import ApplicationState
from yanxiu.applications.models import Application
from yanxiu.audit.log import record
from yanxiu.core.refusal import Refused
from yanxiu.core.sheets import SheetReport, SheetUnreadable, padded, read_sheet
from yanxiu.core.spreadsheets import xlsx_bytes
from yanxiu.documents.generate.forms_docx import form_filename, render_application_docx

from ..domain import decisions

COLUMNS = ["申报编号", "项目名称", "承办单位", "人社部结果", "备注"]
ANSWERS = {"入选": True, "未入选": False}
MAX_ROWS = 500
MAX_BYTES = 2 * 1024 * 1024
SUMMARY_NAME = "推荐汇总表.xlsx"


def waiting(call):
    """The call's applications recommended to the ministry and not yet answered, in number order."""
    return (
        Application.objects.filter(call=call, state=ApplicationState.NATIONAL_CANDIDATE)
        .select_related("call", "institution")
        .order_by("pk")
    )


# --- the package ---------------------------------------------------------------------------------


def summary_sheet(applications):
    def write(workbook):
        sheet = workbook.add_worksheet("推荐汇总表")
        head = workbook.add_format({"bold": True, "border": 1, "text_wrap": True})
        body = workbook.add_format({"border": 1, "text_wrap": True, "valign": "top"})
        sheet.write_row(0, 0, COLUMNS, head)
        for width, column in zip((10, 40, 30, 12, 30), range(len(COLUMNS)), strict=True):
            sheet.set_column(column, column, width)
        for number, application in enumerate(applications, start=1):
            sheet.write_row(
                number, 0, [str(application.pk), application.title, application.institution.name, "", ""], body
            )
        sheet.data_validation(1, 3, max(len(applications), 1), 3, {"validate": "list", "source": list(ANSWERS)})

    return xlsx_bytes(write)


def recommendation_package(call):
    """The .zip sent to the ministry: each recommended 附件1, and the summary sheet with its keys."""
    applications = list(waiting(call))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(SUMMARY_NAME, summary_sheet(applications))
        for application in applications:
            archive.writestr(f"附件1/{form_filename(application)}", render_application_docx(application))
    return buffer.getvalue()


# --- the answer ----------------------------------------------------------------------------------


@dataclass
class AnswerRow:
    number: int
    application: Application
    selected: bool
    note: str


@dataclass
class AnswerImport(SheetReport):
    rows: list = field(default_factory=list)  # AnswerRow, every sound row
    applied: int = 0

    def preview(self):
        """(row number, 申报编号, 项目名称, 承办单位, 结果, 备注) for the preview page."""
        return [
            (
                r.number,
                r.application.pk,
                r.application.title,
                r.application.institution.name,
                "入选" if r.selected else "未入选",
                r.note,
            )
            for r in self.rows
        ]


def _row(cells, number, candidates, seen):
    key, title, _host, answer, note = padded(cells, len(COLUMNS))
    problems = []
    application = candidates.get(int(key)) if key.isdigit() else None
    if not key.isdigit():
        problems.append("申报编号：请填写汇总表中的数字编号。")
    elif application is None:
        problems.append(f"申报编号：{key}不是本年度推荐申报国家级、尚待人社部结果的项目。")
    elif int(key) in seen:
        problems.append(f"申报编号：与第{seen[int(key)]}行重复。")
    elif title and title != application.title:
        problems.append(f"项目名称：与编号{key}的项目“{application.title}”不一致。")
    if answer not in ANSWERS:
        problems.append("人社部结果：请填写“入选”或“未入选”。")
    if key.isdigit():
        seen.setdefault(int(key), number)
    if problems:
        return None, problems
    return AnswerRow(number, application, ANSWERS[answer], note), []


def read_answer(call, data):
    """Every row checked against the applications waiting for the ministry; nothing saved."""
    report = AnswerImport()
    try:
        rows = read_sheet(data, what="人社部结果文件", max_rows=MAX_ROWS)
    except SheetUnreadable as problem:
        return report.refuse_file(str(problem))
    if not report.header_matches(rows[0][1] if rows else [], COLUMNS, "请使用推荐材料包中的推荐汇总表填写结果。"):
        return report
    candidates = {a.pk: a for a in waiting(call)}
    seen = {}
    for number, cells in rows[1:]:
        if not any(cells):
            continue
        row, problems = _row(cells, number, candidates, seen)
        report.row_problems(number, problems)
        if row is not None:
            report.rows.append(row)
    if not report.rows and not report.row_errors:
        report.refuse_file("文件中没有人社部结果。")
    return report


def apply_answer(call, data, *, actor):
    """Read the file again and, if every row is sound, record every answer or none (one transaction)."""
    if not actor.has_perm("selection.record_ministry_answer"):
        raise Refused("只有省人社厅经办人可以登记人社部结果。")
    report = read_answer(call, data)
    if not report.ok:
        return report
    with transaction.atomic():
        for row in report.rows:
            decisions.record_ministry_answer(row.application, selected=row.selected, actor=actor, note=row.note)
        record(
            call,
            action="import_ministry_answer",
            label="导入人社部结果",
            actor=actor,
            data={
                "selected": [r.application.pk for r in report.rows if r.selected],
                "not_selected": [r.application.pk for r in report.rows if not r.selected],
            },
        )
    report.applied = len(report.rows)
    return report
