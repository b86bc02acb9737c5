"""The annual plan (年度高级研修项目计划): one description, two outputs.

`plan(call)` lists the published programmes by class; `plan_xlsx` and
`plan_docx` render it. The .docx follows GB/T 9704-2012 for an official
document: A4, margins 37/35/28/26 mm, title in 方正小标宋简体 二号, body in
仿宋_GB2312 三号, headings in 黑体, page numbers "— 1 —" at the foot.
"""

import io
from dataclasses import dataclass, field

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from yanxiu.applications.enums import ApplicationState as S
from yanxiu.applications.models import Application
from yanxiu.core.dates import chinese_date, chinese_period
from yanxiu.core.spreadsheets import Workbook

COLUMNS = ["序号", "项目名称", "承办单位", "主管部门", "办班时间", "办班地点", "学员人数", "经费"]
WIDTHS_MM = [12, 70, 50, 40, 42, 28, 16, 22]


@dataclass
class PlanSection:
    heading: str
    rows: list = field(default_factory=list)


def _row(number, application):
    # The national form's funding answer (附件1) describes national funding: a national
    # application that fell back to the provincial tier is funded as a provincial programme.
    funding = (
        application.get_funding_display()
        if application.funding and application.tier == "national"
        else ("省级示范项目经费" if application.state == S.PROVINCIAL_DEMONSTRATION else "单位自筹")
    )
    return [
        str(number),
        application.title,
        application.institution.name,
        application.institution.authority.name,
        chinese_period(application.start_date, application.end_date),
        " ".join(p for p in (application.venue_city, application.venue_place) if p),
        str(application.planned_trainees or ""),
        funding,
    ]


def plan(call):
    applications = (
        Application.objects.filter(
            call=call,
            state__in=[S.NATIONAL_CANDIDATE, S.MINISTRY_SELECTED, S.PROVINCIAL_DEMONSTRATION, S.PROVINCIAL_ORDINARY],
        )
        .select_related("institution", "institution__authority")
        .order_by("institution__authority__code", "authority_rank", "pk")
    )
    sections = [
        PlanSection("一、推荐申报国家级高级研修项目"),
        PlanSection("二、省级高级研修示范项目"),
        PlanSection("三、省级高级研修普通项目"),
    ]
    place = {S.NATIONAL_CANDIDATE: 0, S.MINISTRY_SELECTED: 0, S.PROVINCIAL_DEMONSTRATION: 1, S.PROVINCIAL_ORDINARY: 2}
    for application in applications:
        section = sections[place[application.state]]
        section.rows.append(_row(len(section.rows) + 1, application))
    return sections


def title(call):
    return f"福建省专业技术人才知识更新工程{call.year}年高级研修项目计划"


def plan_xlsx(call):
    buffer = io.BytesIO()
    workbook = Workbook(buffer)
    sheet = workbook.add_worksheet("年度计划")
    title_format = workbook.add_format(
        {"bold": True, "font_size": 16, "align": "center", "valign": "vcenter", "font_name": "宋体"}
    )
    section_format = workbook.add_format({"bold": True, "font_name": "黑体", "border": 1})
    header = workbook.add_format(
        {"bold": True, "border": 1, "align": "center", "valign": "vcenter", "text_wrap": True, "bg_color": "#F2F2F2"}
    )
    cell = workbook.add_format({"border": 1, "valign": "vcenter", "text_wrap": True})
    sheet.set_paper(9)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(1)
    for index, width in enumerate(WIDTHS_MM):
        sheet.set_column(index, index, width / 2.2)
    sheet.merge_range(0, 0, 0, len(COLUMNS) - 1, title(call), title_format)
    sheet.set_row(0, 30)
    sheet.write_row(1, 0, COLUMNS, header)
    row = 2
    for section in plan(call):
        sheet.merge_range(row, 0, row, len(COLUMNS) - 1, f"{section.heading}（{len(section.rows)}项）", section_format)
        row += 1
        for values in section.rows:
            sheet.write_row(row, 0, values, cell)
            row += 1
    workbook.close()
    return buffer.getvalue()


def _font(run, east_asian, size_pt, bold=False):
    run.font.size = Pt(size_pt)
    run.font.bold = bold
    run.font.name = east_asian
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)


def _paragraph(document, text, east_asian="仿宋_GB2312", size=16, bold=False, align=None, indent=False):
    paragraph = document.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    paragraph.paragraph_format.line_spacing = Pt(28)
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    _font(paragraph.add_run(text), east_asian, size, bold)
    return paragraph


def _page_number_footer(section):
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run("— "), "宋体", 14)
    run = paragraph.add_run()
    _font(run, "宋体", 14)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._element.append(element)
    _font(paragraph.add_run(" —"), "宋体", 14)


def plan_docx(call, document_number=""):
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    _page_number_footer(section)
    _paragraph(document, title(call), "方正小标宋简体", 22, align=WD_ALIGN_PARAGRAPH.CENTER)
    if document_number:
        _paragraph(document, document_number, align=WD_ALIGN_PARAGRAPH.CENTER)
    sections = plan(call)
    counts = "、".join(f"{s.heading[2:]}{len(s.rows)}项" for s in sections)
    _paragraph(
        document,
        "各设区市人力资源和社会保障局、平潭综合实验区党群工作部，省直有关部门人事（教育）处，各国家级、省级继续教育基地：",
    )
    _paragraph(
        document,
        (
            f"根据《关于申报专业技术人才知识更新工程{call.year}年高级研修项目的通知》，经单位申报、主管部门审核推荐、专家评审和择优遴选，"
            f"现将{call.year}年高级研修项目计划（{counts}）印发给你们。请各承办单位严格按照计划组织实施，"
            f"独立承办，不得与其他单位联办、不得转移培训业务，并于{chinese_date(call.completion_date)}前完成办班。"
            f"推荐申报国家级的项目，如未入选国家级计划，自动转入省级项目。"
        ),
        indent=True,
    )
    landscape = document.add_section()
    landscape.orientation = WD_ORIENT.LANDSCAPE
    landscape.page_width, landscape.page_height = Mm(297), Mm(210)
    landscape.top_margin, landscape.bottom_margin = Mm(28), Mm(26)
    landscape.left_margin, landscape.right_margin = Mm(37), Mm(35)
    _paragraph(document, "附件", "黑体", 16)
    _paragraph(document, title(call), "方正小标宋简体", 18, align=WD_ALIGN_PARAGRAPH.CENTER)
    for plan_section in sections:
        _paragraph(document, f"{plan_section.heading}（{len(plan_section.rows)}项）", "黑体", 16)
        table = document.add_table(rows=1, cols=len(COLUMNS))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for row_values in [COLUMNS, *plan_section.rows]:
            cells = table.rows[0].cells if row_values is COLUMNS else table.add_row().cells
            for index, text in enumerate(row_values):
                cells[index].width = Mm(WIDTHS_MM[index])
                cells[index].text = ""
                _font(cells[index].paragraphs[0].add_run(text), "仿宋_GB2312", 11, bold=row_values is COLUMNS)
        for index, width in enumerate(WIDTHS_MM):
            table.columns[index].width = Mm(width)
        # repeat the header row on every printed page
        header_properties = table.rows[0]._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        header_properties.append(repeat)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
