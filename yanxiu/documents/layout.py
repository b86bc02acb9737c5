"""Where each field of the official forms sits, shared by generation and import.

The blank forms (blanks/att1.docx, att2.docx, att3.docx, copied from the
department's published forms) are the layout: generation fills their cells,
so rows, labels, order and merged cells are the official ones by construction.

Every filled field carries a content control whose tag is `yx:<field>`, so a
generated form that a person then edited reads back exactly.
"""

from dataclasses import dataclass

from yanxiu.applications import catalogue
from yanxiu.applications.catalogue import HINT_CONTENT, HINT_LECTURERS, HINT_TRAINEES_NATIONAL

TAG_PREFIX = "yx:"

# Printed hints inside value cells ("（包括但不限于……）"), declared with their slots in the catalogue.
# Generation keeps a hint only while the field is empty; import strips a hint that was left in front
# of the typed text.
HINTS = (HINT_CONTENT, HINT_LECTURERS, HINT_TRAINEES_NATIONAL)


@dataclass(frozen=True)
class Slot:
    """One value cell: table row and cell (w:tc) index in that row."""

    row: int
    cell: int
    hint: str = ""


# Plain text fields of 附件1 / 附件2: field name -> slot, from the catalogue's Word slots.
TEXT_SLOTS = {
    form: {
        slot.key: Slot(*slot.cells[form], slot.hints.get(form, ""))
        for slot in catalogue.SLOTS
        if form in slot.cells and slot.kind == "text"
    }
    for form in catalogue.BOTH
}


def _cells(key):
    return {form: Slot(*cell) for form, cell in catalogue.SLOT[key].cells.items()}


# Tick-box cells, and the authority's opinion (the catalogue's slots).
FUNDING_SLOT = _cells("funding")
SCOPE_SLOT = _cells("scope")
BASE_SLOT = _cells("base")
OPINION_SLOT = _cells("opinion")

# 附件2 printed on one A4 page (issue 11): column widths (twips, the blank's
# 5 × 1769 text width) that fit the values the form holds ("0591-87000001",
# "13900000001", "2026年10月20日—10月23日" in 五号), the table in 五号 (10.5 pt)
# with the schedule and lecturers in 小五 (9 pt, one session per line), single spacing,
# and the opinion/stamp row kept whole and at least 42.3 mm tall (a 42 mm seal).
PRINT_LAYOUT = {
    "att2": {
        "grid": (1470, 1180, 2300, 1400, 2495),
        # Top and bottom margins 25 mm and 20 mm (the blank's 37/35 mm leave no room
        # for typical content); left and right stay the blank's.
        "margins": {"top": 1418, "bottom": 1134},
        # Sizes tried in order until the form's estimated height fits the page with its stamp row
        # (generate/fit.py; decision 0020): (table size, its exact pitch), (schedule and lecturers'
        # size, their pitch), in half-points and twips. The last is the readable minimum: the table
        # in 小五 (9 pt) at an 11 pt pitch, the schedule and lecturers in 8 pt at 9.5 pt. Past it the
        # schedule continues on a second page, clearly marked ("continuation").
        "fit": (
            {"table": (21, 280), "dense": (18, 240)},
            {"table": (21, 250), "dense": (18, 210)},
            {"table": (21, 240), "dense": (16, 190)},
            {"table": (18, 220), "dense": (16, 190)},
        ),
        "dense_fields": ("content", "lecturers"),  # a session or a lecturer per line
        # Height of what stands above the table (附件2, the title, 申报单位, 申报时间), measured in print.
        "header_twips": 2580,
        "safety_twips": 120,  # the estimate's margin of error (it over-estimates by 0–6 pt)
        "scope_blank_lines": False,
        "base_one_line": True,
        "min_heights": {OPINION_SLOT["att2"].row: 2400},
    },
}

# Past the smallest sizes, 附件2's schedule continues after the table on a page of its own:
# the cell ends with the note, the rest is under the heading in a control tagged
# yx:content.continued; the importer joins them back (imports/reader.py).
CONTINUED_NOTE = "（日程安排未完，续见附页）"
CONTINUED_HEADING = "附：研修内容和方式（续）"

# Chinese names of the fields, for content-control titles and import reports: the catalogue's
# slots, and the parts of the tick-box cells and the header.
FIELD_LABELS = {
    "applicant": "申报单位",
    "submitted": "申报时间",
    **{slot.key: slot.label for slot in catalogue.SLOTS},
    "funding.fiscal": "财政资助项目",
    "funding.self_funded": "自筹经费项目",
    "content.continued": "研修内容和方式（续）",
    "base.national": "国家级继续教育基地",
    "base.provincial": "省级继续教育基地",
    "base.none": "否（非继续教育基地）",
}

# Labels that differ between the two forms, for import reports.
FORM_LABELS = {form: {s.key: s.labels[form] for s in catalogue.SLOTS if form in s.labels} for form in catalogue.BOTH}

BASE_CODES = ("national", "provincial", "none")

# 附件3: the columns of the summary sheet.
SUMMARY_COLUMNS = [
    ("seq", "序号"),
    ("title", "研修选题"),
    ("host", "承办单位"),
    ("contact", "联系人"),
    ("phone", "联系电话"),
    ("domain", "所属专业技术领域"),
]
