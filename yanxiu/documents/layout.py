"""Where each field of the official forms sits, shared by generation and import.

The blank forms (blanks/att1.docx, att2.docx, att3.docx, copied from the
department's published forms) are the layout: generation fills their cells,
so rows, labels, order and merged cells are the official ones by construction.

Every filled field carries a content control whose tag is `yx:<field>`, so a
generated form that a person then edited reads back exactly.
"""

from dataclasses import dataclass

TAG_PREFIX = "yx:"

# Printed hints inside value cells ("（包括但不限于……）"). Generation keeps a hint
# only while the field is empty; import strips a hint that was left in front of
# the typed text.
HINT_CONTENT = "（包括但不限于主题报告、专题研讨、学术交流、现场教学）"
HINT_LECTURERS = "（如有院士或省部级领导出席，请重点阐述）"
HINT_TRAINEES_NATIONAL = "（应面向全国招收，研修学员一般应是具有中高级职称的专业技术人员，或是在管理岗位工作的经营管理人员，并应向基层一线人才倾斜）"
HINTS = (HINT_CONTENT, HINT_LECTURERS, HINT_TRAINEES_NATIONAL)


@dataclass(frozen=True)
class Slot:
    """One value cell: table row and cell (w:tc) index in that row."""

    row: int
    cell: int
    hint: str = ""


# Plain text fields of 附件1 / 附件2: field name -> slot.
TEXT_SLOTS = {
    "att1": {
        "title": Slot(0, 1),
        "period": Slot(1, 1),
        "venue": Slot(1, 3),
        "domain": Slot(2, 1),
        "department": Slot(2, 3),
        "purpose": Slot(5, 1),
        "content": Slot(6, 1, HINT_CONTENT),
        "lecturers": Slot(7, 1, HINT_LECTURERS),
        "trainees": Slot(8, 1, HINT_TRAINEES_NATIONAL),
        # Rows 9-11 (申报单位信息) belong to the province office: left empty (附件4 第2条).
        "host.name": Slot(12, 2),
        "host.contact": Slot(12, 4),
        "host.office_phone": Slot(13, 2),
        "host.mobile": Slot(13, 4),
        "host.fax": Slot(14, 2),
        "host.address": Slot(14, 4),
    },
    "att2": {
        "title": Slot(0, 1),
        "period": Slot(1, 1),
        "venue": Slot(1, 3),
        "domain": Slot(2, 1),
        "department": Slot(2, 3),
        "purpose": Slot(4, 1),
        "content": Slot(5, 1, HINT_CONTENT),
        "lecturers": Slot(6, 1),
        "trainees": Slot(7, 1),
        "host.name": Slot(8, 2),
        "host.contact": Slot(8, 4),
        "host.office_phone": Slot(9, 2),
        "host.mobile": Slot(9, 4),
        "host.fax": Slot(10, 2),
        "host.address": Slot(10, 4),
    },
}

# Tick-box cells.
FUNDING_SLOT = {"att1": Slot(3, 1)}
SCOPE_SLOT = {"att1": Slot(4, 1), "att2": Slot(3, 1)}
BASE_SLOT = {"att1": Slot(15, 2), "att2": Slot(11, 2)}
OPINION_SLOT = {"att2": Slot(12, 1)}

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
        "min_heights": {12: 2400},
    },
}

# Past the smallest sizes, 附件2's schedule continues after the table on a page of its own:
# the cell ends with the note, the rest is under the heading in a control tagged
# yx:content.continued; the importer joins them back (imports/reader.py).
CONTINUED_NOTE = "（日程安排未完，续见附页）"
CONTINUED_HEADING = "附：研修内容和方式（续）"

# OfficialForm.host keys -> field names.
HOST_KEYS = {
    "单位名称": "host.name",
    "联系人": "host.contact",
    "办公电话": "host.office_phone",
    "手机": "host.mobile",
    "传真": "host.fax",
    "地址": "host.address",
}

# Chinese names of the fields, for content-control titles and import reports.
FIELD_LABELS = {
    "applicant": "申报单位",
    "submitted": "申报时间",
    "title": "项目名称",
    "period": "办班时间",
    "venue": "办班地点",
    "domain": "选题所属领域",
    "department": "选题所属行业主管部门",
    "funding": "申报项目类别",
    "funding.fiscal": "财政资助项目",
    "funding.self_funded": "自筹经费项目",
    "funding.source": "自筹经费来源",
    "scope": "是否符合选题范围",
    "purpose": "研修目的和作用",
    "content": "研修内容和方式",
    "content.continued": "研修内容和方式（续）",
    "lecturers": "授课专家情况",
    "trainees": "研修（培训）对象",
    "host.name": "承办单位名称",
    "host.contact": "联系人",
    "host.office_phone": "办公电话",
    "host.mobile": "手机",
    "host.fax": "传真",
    "host.address": "地址",
    "base": "是否继续教育基地",
    "base.national": "国家级继续教育基地",
    "base.batch": "国家级基地批次",
    "base.provincial": "省级继续教育基地",
    "base.none": "否（非继续教育基地）",
    "opinion": "审核意见",
}

# Labels that differ between the two forms, for import reports.
FORM_LABELS = {
    "att1": {"domain": "选题所属行业领域", "trainees": "研修对象"},
    "att2": {"domain": "选题所属专业技术领域", "trainees": "培训对象"},
}

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
