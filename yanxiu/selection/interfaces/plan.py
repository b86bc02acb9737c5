"""The annual plan (年度高级研修项目计划): one description, three outputs.

`plan(call)` lists the published programmes by class (a class with none is left
out and the others renumbered); `plan_xlsx` renders the table, `plan_docx` the
official document the office sends as is (GB/T 9704-2012, see
docs/decisions/0012-annual-plan-official-document.md), and its PDF is made from
those bytes by the worker (documents/renditions.py).

The .docx is written as WordprocessingML text directly (no python-docx): 500
programmes take a few milliseconds (bench/documents.py).
"""

import io
import zipfile
from dataclasses import dataclass, field
from math import ceil
from xml.sax.saxutils import escape

from yanxiu.applications.enums import ApplicationState as S
from yanxiu.applications.models import Application
from yanxiu.core.dates import chinese_date, chinese_period
from yanxiu.core.spreadsheets import Workbook
from yanxiu.documents.generate.ooxml import FONT_DECLARATIONS, core_properties

from ..domain import publicity
from ..models import PlanIssue

# (key, label): the plan page, the .xlsx and the official document's annex show every column.
COLUMNS = [
    ("number", "序号"),
    ("title", "项目名称"),
    ("host", "承办单位"),
    ("authority", "主管部门"),
    ("period", "办班时间"),
    ("venue", "办班地点"),
    ("trainees", "学员人数"),
    ("funding", "经费"),
    ("domain", "领域"),
    ("contact", "联系人"),
]
DOCX_COLUMNS = COLUMNS
CLASSES = ["推荐申报国家级高级研修项目", "省级高级研修示范项目", "省级高级研修普通项目"]
CLASS_OF_STATE = {
    S.NATIONAL_CANDIDATE: 0,
    S.MINISTRY_SELECTED: 0,
    S.PROVINCIAL_DEMONSTRATION: 1,
    S.PROVINCIAL_ORDINARY: 2,
}
NUMERALS = "一二三四五六七八九十"
DEFAULT_ISSUER = "福建省人力资源和社会保障厅"
RECIPIENTS = (
    "各设区市人力资源和社会保障局、平潭综合实验区党群工作部，省直有关部门人事（教育）处，各国家级、省级继续教育基地："
)


@dataclass
class PlanRow:
    number: int
    title: str
    host: str
    authority: str
    period: str
    venue: str
    trainees: int | str | None  # a number, or the approved changed number with its mark
    funding: str
    domain: str
    contact: str

    def cells(self, columns=COLUMNS):
        return [getattr(self, key) for key, _ in columns]


@dataclass
class PlanSection:
    heading: str  # 一、省级高级研修示范项目
    name: str
    rows: list = field(default_factory=list)


CHANGED = "（经批准变更）"


def _run_values(application):
    """The class as it will run: the programme's dates, venue and capacity once the office approved a
    change (delivery keeps them on the run record, read here through the model's relation, not an
    import: selection and delivery are siblings), else the application's. Changed cells say so."""
    planned = {
        "start_date": application.start_date,
        "end_date": application.end_date,
        "venue": " ".join(p for p in (application.venue_city, application.venue_place) if p),
        "trainees": application.planned_trainees,
    }
    programme = getattr(application, "programme", None) if hasattr(application, "programme") else None
    if programme is None or programme.changed_at is None:
        return planned, set()
    running = {
        "start_date": programme.start_date,
        "end_date": programme.end_date,
        "venue": programme.venue,
        "trainees": programme.capacity,
    }
    return running, {key for key in running if running[key] != planned[key]}


def _row(number, application):
    # The national form's funding answer (附件1) describes national funding: a national
    # application that fell back to the provincial tier is funded as a provincial programme.
    funding = (
        application.get_funding_display()
        if application.funding and application.tier == "national"
        else ("省级示范项目经费" if application.state == S.PROVINCIAL_DEMONSTRATION else "单位自筹")
    )
    phone = application.host_office_phone or application.host_mobile
    values, changed = _run_values(application)
    period = chinese_period(values["start_date"], values["end_date"])
    return PlanRow(
        number=number,
        title=application.title,
        host=application.institution.name,
        authority=application.institution.authority.name,
        period=period + (CHANGED if changed & {"start_date", "end_date"} else ""),
        venue=values["venue"] + (CHANGED if "venue" in changed else ""),
        trainees=f"{values['trainees']}{CHANGED}" if "trainees" in changed else values["trainees"],
        funding=funding,
        domain=str(application.domain or ""),
        contact=" ".join(p for p in (application.host_contact, phone) if p),
    )


def plan(call):
    """The plan's classes that hold programmes, numbered 一、二、… in that order."""
    applications = (
        Application.objects.filter(call=call, state__in=list(CLASS_OF_STATE))
        .select_related("institution", "institution__authority", "domain", "programme")
        .order_by("institution__authority__code", "authority_rank", "pk")
    )
    rows = [[] for _ in CLASSES]
    for application in applications:
        found = rows[CLASS_OF_STATE[application.state]]
        found.append(_row(len(found) + 1, application))
    present = [(name, found) for name, found in zip(CLASSES, rows, strict=True) if found]
    return [PlanSection(f"{NUMERALS[i]}、{name}", name, found) for i, (name, found) in enumerate(present)]


def title(call):
    return f"福建省专业技术人才知识更新工程{call.year}年高级研修项目计划"


def issuer(call):
    return call.issuing_authority or DEFAULT_ISSUER


# --- .xlsx ------------------------------------------------------------------------------

# Column widths in characters (Excel's unit); A4 landscape holds about 150 at 10 pt.
# Landscape A4 at 10 pt printed at 90 % (≥ 9 pt, core.spreadsheets): the columns add up to what
# the page's width holds at that scale.
XLSX_WIDTHS = [4, 21, 16, 14, 11, 13, 6, 9, 11, 13]
XLSX_FONT_PT = 10


def text_width(text):
    """Width in Chinese characters: ASCII letters and digits count half."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in str(text))


def plan_xlsx(call):
    buffer = io.BytesIO()
    workbook = Workbook(buffer)
    sheet = workbook.add_worksheet("年度计划")
    base = {"font_name": "仿宋_GB2312", "font_size": XLSX_FONT_PT}
    title_format = workbook.add_format(
        {"font_name": "方正小标宋简体", "font_size": 16, "align": "center", "valign": "vcenter"}
    )
    section_format = workbook.add_format({**base, "font_name": "黑体", "border": 1, "valign": "vcenter"})
    header = workbook.add_format(
        {**base, "font_name": "黑体", "border": 1, "align": "center", "valign": "vcenter", "text_wrap": True}
    )
    cell = workbook.add_format({**base, "border": 1, "valign": "vcenter", "text_wrap": True})
    number = workbook.add_format({**base, "border": 1, "valign": "vcenter", "align": "center"})
    sheet.set_paper(9)  # A4
    sheet.set_landscape()
    sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    sheet.fit_to_pages(1, 0)  # every column on the page's width; as many pages as the rows need
    sheet.repeat_rows(1)  # the header row on every printed page
    sheet.center_horizontally()
    sheet.set_footer("&C第 &P 页，共 &N 页")
    for index, width in enumerate(XLSX_WIDTHS):
        sheet.set_column(index, index, width)
    sheet.merge_range(0, 0, 0, len(COLUMNS) - 1, title(call), title_format)
    sheet.set_row(0, 30)
    labels = [label for _, label in COLUMNS]
    sheet.write_row(1, 0, labels, header)  # rows get their heights from their text (core.spreadsheets)
    row = 2
    for section in plan(call):
        sheet.merge_range(row, 0, row, len(COLUMNS) - 1, f"{section.heading}（{len(section.rows)}项）", section_format)
        sheet.set_row(row, 20)
        row += 1
        for item in section.rows:
            values = item.cells()
            for col, value in enumerate(values):
                if isinstance(value, int):
                    sheet.write_number(row, col, value, number)
                elif value is None:
                    sheet.write_blank(row, col, None, cell)
                else:
                    sheet.write_string(row, col, value, cell)
            row += 1
    workbook.close()
    return buffer.getvalue()


# --- .docx (GB/T 9704-2012) -----------------------------------------------------------------
# Lengths in twips (1/20 pt; 1 mm = 56.7 twips), font sizes in half-points.

PAGE_W, PAGE_H = 11906, 16838  # A4
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 2098, 1984, 1587, 1474  # 37, 35, 28, 26 mm
TEXT_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT  # 156 mm
TEXT_H = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM  # 225 mm
LANDSCAPE_TEXT_W = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM  # the annex: margins turned with the page, 225 mm
LINE = 579  # 22 lines on the 225 mm text area (the standard's 三号 body)
SIZE_BODY, SIZE_TITLE, SIZE_NOTE, SIZE_TABLE = 32, 44, 28, 21  # 三号, 二号, 四号, 五号
CHAR = 320  # one 三号 character
FONT_BODY, FONT_TITLE, FONT_HEADING, FONT_NUMBER = "仿宋_GB2312", "方正小标宋简体", "黑体", "宋体"
RED = "FF0000"

# The annex table's columns (twips) by what they hold in 五号 (10.5 pt = 210 twips a character,
# plus 2 x 57 cell margin), balanced so no column runs long (decision 0020): 办班时间 in two lines
# broken after its dash (never inside a date), 经费 and 领域 in two lines, 联系人 as the name over
# the phone number ("0591-87000001" on one line). The title column takes what is left (about 11
# characters a line), so the widths fill the landscape text area exactly.
_FIXED = {
    "number": 450,
    "host": 1500,
    "authority": 1300,
    "period": 1800,
    "venue": 1100,
    "trainees": 550,
    "funding": 800,
    "domain": 1250,
    "contact": 1600,
}
DOCX_WIDTHS = [_FIXED.get(key, LANDSCAPE_TEXT_W - sum(_FIXED.values())) for key, _ in DOCX_COLUMNS]
assert sum(DOCX_WIDTHS) == LANDSCAPE_TEXT_W


def _text(value):
    return escape(str(value if value is not None else ""))


def _rpr(font, size, color=None, bold=False):
    colour = f'<w:color w:val="{color}"/>' if color else ""
    weight = "<w:b/><w:bCs/>" if bold else ""
    return (
        f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}" w:hint="eastAsia"/>'
        f'{weight}{colour}<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>'
    )


def _run(text, rpr):
    return f'<w:r>{rpr}<w:t xml:space="preserve">{_text(text)}</w:t></w:r>'


def _lines(lines, rpr):
    """Runs for several lines of one paragraph, separated by line breaks."""
    return f"<w:r>{rpr}<w:br/></w:r>".join(_run(line, rpr) for line in lines)


def _ppr(align=None, before=0, after=0, line=LINE, rule="exact", ind="", extra="", rpr=""):
    jc = f'<w:jc w:val="{align}"/>' if align else ""
    spacing = f'<w:spacing w:before="{before}" w:after="{after}" w:line="{line}" w:lineRule="{rule}"/>'
    return f"<w:pPr>{extra}{spacing}{ind}{jc}{rpr}</w:pPr>"


def _p(runs="", **ppr):
    return f"<w:p>{_ppr(**ppr)}{runs}</w:p>"


def _body_p(text, **ppr):
    rpr = _rpr(FONT_BODY, SIZE_BODY)
    return _p(_run(text, rpr), rpr=rpr, **ppr)


def _empty(count=1, size=SIZE_BODY):
    return "".join(_p(rpr=_rpr(FONT_BODY, size)) for _ in range(count))


def title_lines(text_parts, room=20):
    """Set the title's lines deliberately: pack whole parts, never break inside one.

    `room` is in 二号 characters on the 156 mm text area (digits count half).
    """
    lines, current = [], ""
    for part in text_parts:
        if current and text_width(current + part) > room:
            lines.append(current)
            current = part
        else:
            current += part
    return [*lines, current] if current else lines


def document_title_lines(call):
    parts = [
        issuer(call),
        "关于印发",
        "福建省专业技术人才",
        "知识更新工程",
        f"{call.year}年",
        "高级研修项目计划",
        "的通知",
    ]
    return title_lines(parts)


MM = 56.7  # twips
FOOTER_PORTRAIT = round((35 - 7 - 3.4) * MM)  # 1395
FOOTER_LANDSCAPE = round((26 - 7 - 3.4) * MM)  # the annex's bottom margin is 26 mm


def _sect(landscape=False, last=False):
    """A section's properties: odd/even footers, A4 portrait or landscape (margins turned with the page)."""
    footers = '<w:footerReference w:type="default" r:id="rIdFooterOdd"/><w:footerReference w:type="even" r:id="rIdFooterEven"/>'
    if landscape:
        size = f'<w:pgSz w:w="{PAGE_H}" w:h="{PAGE_W}" w:orient="landscape"/>'
        margins = (
            f'<w:pgMar w:top="{MARGIN_LEFT}" w:right="{MARGIN_BOTTOM}" w:bottom="{MARGIN_RIGHT}" '
            f'w:left="{MARGIN_TOP}" w:header="851" w:footer="{FOOTER_LANDSCAPE}" w:gutter="0"/>'
        )
    else:
        size = f'<w:pgSz w:w="{PAGE_W}" w:h="{PAGE_H}"/>'
        # The page number's dashes 7 mm under the text area (GB/T 9704): footer distance
        # 35 - 7 - 3.4 mm, the 四号 line's half under its dashes (measured 9.6 mm at 22 mm).
        margins = (
            f'<w:pgMar w:top="{MARGIN_TOP}" w:right="{MARGIN_RIGHT}" w:bottom="{MARGIN_BOTTOM}" '
            f'w:left="{MARGIN_LEFT}" w:header="851" w:footer="{FOOTER_PORTRAIT}" w:gutter="0"/>'
        )
    align = '<w:vAlign w:val="bottom"/>' if last else ""  # 版记: at the foot of the last page
    # The 版记 starts on an even page (the back of the last sheet): an evenPage break.
    start = "evenPage" if last else "nextPage"
    return f'<w:sectPr>{footers}<w:type w:val="{start}"/>{size}{margins}<w:cols w:space="425"/>{align}<w:docGrid w:type="lines" w:linePitch="{LINE}"/></w:sectPr>'


def _header_block(call, issue):
    """版头: the issuing office's mark in red, the document number under it, the red rule."""
    mark = f"{issuer(call)}文件"
    # As large as fits one line of the text area (at most 一号 + a little), set in red 小标宋.
    size = min(72, int(TEXT_W / 20 / text_width(mark) * 2) - 2)
    mark_rpr = _rpr(FONT_TITLE, size, color=RED)
    number = (issue.document_number if issue else "") or f"〔{call.year}〕　　号"
    rule = f'<w:pBdr><w:bottom w:val="single" w:sz="18" w:space="11" w:color="{RED}"/></w:pBdr>'
    body = _rpr(FONT_BODY, SIZE_BODY)
    return (
        # The mark's top edge 35 mm under the text area's.
        _p(_run(mark, mark_rpr), align="center", before=1984, line=size * 12, rpr=mark_rpr)
        + _p(_run(number, body), align="center", before=2 * LINE, extra=rule, rpr=body)
    )


def _signature_block(call, issue):
    """署名 above 成文日期 (right by four characters), centred on it; room above for the seal."""
    day = chinese_date(issue.issued_on) if issue else ""
    signer = issuer(call)
    date_right = 4 * CHAR
    centre = date_right + int(text_width(day or "2026年1月1日") * CHAR / 2)
    signer_right = max(0, centre - int(text_width(signer) * CHAR / 2))
    return (
        _empty(2)  # the seal (42 mm) presses on the signature and the date, its top within a line of the text
        + _body_p(signer, align="right", ind=f'<w:ind w:right="{signer_right}"/>')
        + _body_p(day or "　　年　月　日", align="right", ind=f'<w:ind w:right="{date_right}"/>')
    )


def _colophon(call, issue):
    """版记: 抄送, then 印发机关 and 印发日期, between full-width rules (thick, thin, thick)."""
    rpr = _rpr(FONT_BODY, SIZE_NOTE)
    thick = '<w:{side} w:val="single" w:sz="8" w:space="3" w:color="000000"/>'
    thin = '<w:{side} w:val="single" w:sz="5" w:space="3" w:color="000000"/>'
    day = chinese_date(issue.issued_on) if issue else "　　年　月　日"
    copy_to = (issue.copy_to if issue else "").strip().rstrip("。")
    printed = (
        _run(f"\u3000{call.printing_office or issuer(call) + '办公室'}", rpr)
        + f"<w:r>{rpr}<w:tab/></w:r>"
        + _run(f"{day}印发", rpr)
    )
    tabs = f'<w:tabs><w:tab w:val="right" w:pos="{TEXT_W - 280}"/></w:tabs>'
    copy_line = f"\u3000抄送：{copy_to}。"
    # Its last line on the page's last line (the section is also bottom-aligned, which Word and
    # WPS honour and LibreOffice 7.4 does not): the space above is what the rules and lines leave.
    room = TEXT_W // 280
    lines = 1 + ((1 + ceil(max(0, text_width(copy_line) - room) / (room - 4))) if copy_to else 0)
    before = TEXT_H - lines * 560 - 6 * 50 - 150
    if copy_to:
        borders = "<w:pBdr>" + thick.format(side="top") + thin.format(side="bottom") + "</w:pBdr>"
        # A second line starts under the text after "抄送：" (one character in, then four).
        hanging = '<w:ind w:left="1120" w:hanging="1120"/>'
        first = _p(_run(copy_line, rpr), extra=borders, before=before, line=560, ind=hanging, rpr=rpr)
        printed_borders = "<w:pBdr>" + thick.format(side="bottom") + "</w:pBdr>"
        return first + _p(printed, extra=printed_borders + tabs, line=560, rpr=rpr)
    printed_borders = "<w:pBdr>" + thick.format(side="top") + thick.format(side="bottom") + "</w:pBdr>"
    return _p(printed, extra=printed_borders + tabs, before=before, line=560, rpr=rpr)


def _table(section):
    header_rpr = _rpr(FONT_HEADING, SIZE_TABLE)
    cell_rpr = _rpr(FONT_BODY, SIZE_TABLE)
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in DOCX_WIDTHS)
    borders = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    properties = (
        f'<w:tblPr><w:tblW w:w="{LANDSCAPE_TEXT_W}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr>'
    )
    # Off the document grid: the body's 28.95 pt grid would double-space every table line.
    tight = {"line": 300, "rule": "atLeast", "extra": '<w:snapToGrid w:val="0"/>'}
    cell_ppr = {
        "left": _ppr(align="left", **tight, rpr=cell_rpr),
        "center": _ppr(align="center", **tight, rpr=cell_rpr),
    }
    tcprs = [f'<w:tcPr><w:tcW w:w="{width}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>' for width in DOCX_WIDTHS]
    centred = {"number", "trainees", "period"}
    keys = [key for key, _ in DOCX_COLUMNS]
    out = [f"<w:tbl>{properties}<w:tblGrid>{grid}</w:tblGrid>"]
    header_ppr = _ppr(align="center", **tight, rpr=header_rpr)
    out.append("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>")
    for tcpr, (_, label) in zip(tcprs, DOCX_COLUMNS, strict=True):
        out.append(f"<w:tc>{tcpr}<w:p>{header_ppr}{_run(label, header_rpr)}</w:p></w:tc>")
    out.append("</w:tr>")
    for item in section.rows:
        out.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        for tcpr, key in zip(tcprs, keys, strict=True):
            value = getattr(item, key)
            ppr = cell_ppr["center" if key in centred else "left"]
            if key == "period" and "—" in value:  # 2026年10月20日— / 10月23日: never inside a date
                start, end = value.split("—", 1)
                runs = _lines([f"{start}—", end], cell_rpr)
            elif key == "contact" and value and " " in value:  # the name over the phone number
                runs = _lines(value.split(" ", 1), cell_rpr)
            else:
                runs = _run(value, cell_rpr) if value not in (None, "") else ""
            out.append(f"<w:tc>{tcpr}<w:p>{ppr}{runs}</w:p></w:tc>")
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def document_xml(call, issue, sections):
    title_rpr = _rpr(FONT_TITLE, SIZE_TITLE)
    counts = "、".join(f"{s.name}{len(s.rows)}项" for s in sections) or "入选项目0项"
    plan_title = title(call)
    body = [
        _header_block(call, issue),
        # The title two lines under the red rule, in lines set by whole words.
        _p(_lines(document_title_lines(call), title_rpr), align="center", before=2 * LINE, line=700, rpr=title_rpr),
        _empty(),
        _body_p(RECIPIENTS),
        _body_p(
            f"根据《关于申报专业技术人才知识更新工程{call.year}年高级研修项目的通知》，经单位申报、主管部门审核推荐、专家评审和择优遴选，"
            f"{publicity_text(issue)}"
            f"现将{call.year}年高级研修项目计划（{counts}）印发给你们。请各承办单位严格按照计划组织实施，"
            f"独立承办，不得与其他单位联办、不得转移培训业务，并于{chinese_date(call.completion_date)}前完成办班。"
            f"推荐申报国家级的项目，如未入选国家级计划，自动转入省级项目。",
            ind=f'<w:ind w:firstLine="{2 * CHAR}"/>',
        ),
        _empty(),
        # 附件说明: two characters in, a second line aligned after "附件：".
        _body_p(f"附件：{plan_title}", ind=f'<w:ind w:left="{5 * CHAR}" w:hanging="{3 * CHAR}"/>'),
        _signature_block(call, issue),
        f"<w:p><w:pPr>{_sect()}</w:pPr></w:p>",
        # The annex: its own landscape pages.
        _p(_run("附件", _rpr(FONT_HEADING, SIZE_BODY)), rpr=_rpr(FONT_HEADING, SIZE_BODY)),
        _p(
            _run(plan_title, _rpr(FONT_TITLE, 36)),
            align="center",
            before=LINE,
            after=200,
            line=600,
            rpr=_rpr(FONT_TITLE, 36),
            extra="<w:keepNext/>",
        ),
    ]
    heading_rpr = _rpr(FONT_HEADING, SIZE_BODY)
    for section in sections:
        body.append(
            _p(_run(f"{section.heading}（{len(section.rows)}项）", heading_rpr), extra="<w:keepNext/>", rpr=heading_rpr)
        )
        body.append(_table(section))
    if not sections:
        body.append(_body_p("尚无入选项目。"))
    body.append(f"<w:p><w:pPr>{_sect(landscape=True)}</w:pPr></w:p>")
    body.append(_colophon(call, issue))
    body.append(_sect(last=True))
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f"<w:document {NAMESPACES}><w:body>{''.join(body)}</w:body></w:document>"
    ).encode()


NAMESPACES = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)


def _footer(align):
    """Page number "— 1 —" in 四号 宋体, one character in from the outer edge."""
    rpr = _rpr(FONT_NUMBER, SIZE_NOTE)
    indent = f'<w:ind w:{"right" if align == "right" else "left"}="280"/>'
    field = (
        f'<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r><w:r>{rpr}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r><w:r>{rpr}<w:t>1</w:t></w:r>'
        f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r>'
    )
    paragraph = f"<w:p>{_ppr(align=align, line=240, rule='auto', ind=indent, rpr=rpr)}{_run('— ', rpr)}{field}{_run(' —', rpr)}</w:p>"
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:ftr {NAMESPACES}>{paragraph}</w:ftr>'
    ).encode()


def _font_table():
    fonts = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:panose1 w:val="{panose}"/><w:charset w:val="86"/>'
        f'<w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>'
        for name, alt, panose, family, pitch in FONT_DECLARATIONS
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:fonts {NAMESPACES}>{fonts}</w:fonts>'
    ).encode()


STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f"<w:styles {NAMESPACES}>"
    "<w:docDefaults><w:rPrDefault><w:rPr>"
    f'<w:rFonts w:ascii="{FONT_BODY}" w:hAnsi="{FONT_BODY}" w:eastAsia="{FONT_BODY}" w:cs="{FONT_BODY}"/>'
    f'<w:kern w:val="2"/><w:sz w:val="{SIZE_BODY}"/><w:szCs w:val="{SIZE_BODY}"/>'
    '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
    '<w:pPrDefault><w:pPr><w:widowControl w:val="0"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>'
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>'
    '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/>'
    '<w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
    '<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
    "</w:tblCellMar></w:tblPr></w:style>"
    "</w:styles>"
).encode()

SETTINGS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f"<w:settings {NAMESPACES}>"
    '<w:evenAndOddHeaders/><w:defaultTabStop w:val="420"/><w:characterSpacingControl w:val="compressPunctuation"/>'
    '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
    "</w:settings>"
).encode()

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    b'<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    b'<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>'
    b'<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>'
    b'<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>'
    b'<Override PartName="/word/footer2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>'
    b'<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    b"</Types>"
)

_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    "</Relationships>"
).encode()

DOCUMENT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rIdStyles" Type="{_REL}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rIdSettings" Type="{_REL}/settings" Target="settings.xml"/>'
    f'<Relationship Id="rIdFonts" Type="{_REL}/fontTable" Target="fontTable.xml"/>'
    f'<Relationship Id="rIdFooterOdd" Type="{_REL}/footer" Target="footer1.xml"/>'
    f'<Relationship Id="rIdFooterEven" Type="{_REL}/footer" Target="footer2.xml"/>'
    "</Relationships>"
).encode()


def _core(call):
    return core_properties(title(call), f"plan-{call.year}")


def plan_issue(call):
    return PlanIssue.objects.filter(call=call).first()


def publicity_text(issue):
    """经公示无异议, the objections' handling, or why there was no 公示 (decision 0026)."""
    if issue is None:
        return ""
    return publicity.document_sentence(issue.publicity, issue.publicity_waived)


def plan_docx(call, issue=None, sections=None):
    """The plan as the official document: deterministic bytes (the PDF cache's key)."""
    issue = issue if issue is not None else plan_issue(call)
    sections = sections if sections is not None else plan(call)
    parts = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": PACKAGE_RELS,
        "word/document.xml": document_xml(call, issue, sections),
        "word/_rels/document.xml.rels": DOCUMENT_RELS,
        "word/styles.xml": STYLES,
        "word/settings.xml": SETTINGS,
        "word/fontTable.xml": _font_table(),
        "word/footer1.xml": _footer("right"),
        "word/footer2.xml": _footer("left"),
        "docProps/core.xml": _core(call),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for name, data in parts.items():
            entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, data, compresslevel=6)
    return buffer.getvalue()
