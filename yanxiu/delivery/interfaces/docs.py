"""Word documents of the delivery: daily sign-in sheets and completion
certificates. PDF goes through documents/generate/pdf.py (LibreOffice)."""

import copy
import io
import zipfile

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell

from yanxiu.core.dates import chinese_date

from ..domain.certificates import lookup_url, verification_url
from . import qr

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "黑体"


def _font(run, name, size):
    run.font.name = name
    run.font.size = Pt(size)
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    return run


def _document(landscape=False):
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(12)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    return document


def _paragraph(document, text, font=BODY_FONT, size=12, align=None, bold=False):
    paragraph = document.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    run = _font(paragraph.add_run(text), font, size)
    run.bold = bold
    return paragraph


def _bytes(document):
    """The .docx bytes, the same for the same document (fixed zip dates): the PDF cache's key
    (documents.renditions) is their hash."""
    buffer = io.BytesIO()
    document.save(buffer)
    fixed = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(info.filename))
    return fixed.getvalue()


# Column widths (mm) summing to the text width of A4 portrait with 20 mm margins (170 mm).
SIGN_IN_COLUMNS = [("序号", 12), ("姓名", 24), ("工作单位", 64), ("上午签到", 35), ("下午签到", 35)]
TEXT_WIDTH_MM = 170
SIGN_ROW_MM = 10  # room to sign by hand (at least 8 mm)
HEADER_ROW_MM = 9


def _row_properties(row, height_mm, *, header=False):
    """A row that is never split across pages, at least `height_mm` tall; a header row repeats
    at the top of every page the table runs onto."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(tr_pr.makeelement(qn("w:cantSplit"), {}))
    height = tr_pr.makeelement(qn("w:trHeight"), {qn("w:val"): str(int(Mm(height_mm).twips)), qn("w:hRule"): "atLeast"})
    tr_pr.append(height)
    if header:
        tr_pr.append(tr_pr.makeelement(qn("w:tblHeader"), {}))


def _vertically_centred(cell):
    tc_pr = cell._tc.get_or_add_tcPr()
    tc_pr.append(tc_pr.makeelement(qn("w:vAlign"), {qn("w:val"): "center"}))


def _sign_row(table):
    """One signature row built with python-docx, copied for every trainee: python-docx builds each
    element through its XML helpers (about a millisecond apiece here), so a sheet of 60 trainees
    over 5 days built cell by cell took 15 s; copying a finished row costs microseconds."""
    row = table.add_row()
    _row_properties(row, SIGN_ROW_MM)
    for i, tc in enumerate(row._tr.tc_lst):
        cell = _Cell(tc, table)  # not `row.cells`: it lays out the whole table's grid on every call
        cell.width = Mm(SIGN_IN_COLUMNS[i][1])
        _vertically_centred(cell)
        _font(cell.paragraphs[0].add_run("X" if i < 3 else ""), BODY_FONT, 11)
    return row._tr


def sign_in_sheets(programme, trainees, days):
    """One table per class day (a new page each): the approved trainees with two empty
    signature columns, within the margins, the header repeated on every page, rows to sign in."""
    assert sum(width for _, width in SIGN_IN_COLUMNS) <= TEXT_WIDTH_MM
    document = _document()
    for number, day in enumerate(days):
        if number:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _paragraph(document, str(programme), TITLE_FONT, 16, WD_ALIGN_PARAGRAPH.CENTER)
        _paragraph(
            document, f"学员签到表（{chinese_date(day)}，第{number + 1}天）", TITLE_FONT, 14, WD_ALIGN_PARAGRAPH.CENTER
        )
        _paragraph(document, f"承办单位：{programme.institution.name}    地点：{programme.venue}", size=11)
        table = document.add_table(rows=1, cols=len(SIGN_IN_COLUMNS))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        header = table.rows[0]
        _row_properties(header, HEADER_ROW_MM, header=True)
        header_cells = [_Cell(tc, table) for tc in header._tr.tc_lst]
        for i, (label, width) in enumerate(SIGN_IN_COLUMNS):
            table.columns[i].width = Mm(width)
            cell = header_cells[i]
            cell.width = Mm(width)
            cell.text = ""
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            _vertically_centred(cell)
            _font(cell.paragraphs[0].add_run(label), TITLE_FONT, 11)
        template = _sign_row(table)
        for row_number, trainee in enumerate(trainees, start=1):
            tr = copy.deepcopy(template)
            for t, value in zip(tr.iter(qn("w:t")), (str(row_number), trainee.name, trainee.employer), strict=True):
                t.text = value
            table._tbl.append(tr)
        table._tbl.remove(template)
    return _bytes(document)


SEAL_MM = 42  # a round official seal is 40–42 mm across
WORD_JOINER = "\u2060"


def whole(text):
    """`text` that never breaks across lines (a date, "28学时"): word joiners between its characters."""
    return WORD_JOINER.join(text)


def _borderless(table):
    borders = table._tbl.tblPr.makeelement(qn("w:tblBorders"), {})
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(borders.makeelement(qn(f"w:{side}"), {qn("w:val"): "nil"}))
    table._tbl.tblPr.append(borders)


def _cell_paragraph(cell, text, font=BODY_FONT, size=12, align=None, first=False):
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if text:
        _font(paragraph.add_run(text), font, size)
    return paragraph


def certificate_pages(certificates, on_page=None):
    """One certificate per page (A4 landscape): the serial, the text, and at the foot the QR code
    to the verification page (at settings.SITE_URL) on the left and, on the right, the issuer's
    name and the date with the place marked for its seal (盖章处) over them."""
    document = _document(landscape=True)
    for number, certificate in enumerate(certificates):
        trainee = certificate.trainee
        programme = trainee.programme
        url = verification_url(certificate)
        if number:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _paragraph(document, f"证书编号：{certificate.serial}", size=11, align=WD_ALIGN_PARAGRAPH.RIGHT)
        _paragraph(document, "结 业 证 书", TITLE_FONT, 36, WD_ALIGN_PARAGRAPH.CENTER)
        _paragraph(
            document,
            f"    {trainee.name}同志（身份证号：{trainee.id_masked}）于{whole(chinese_date(programme.start_date))}至"
            f"{whole(chinese_date(programme.end_date))}参加专业技术人才知识更新工程{programme.call.year}年"
            f"{programme.application.get_tier_display()}高级研修项目“{programme}”，完成规定的研修任务，"
            f"计{whole(certificate.hours_text)}，准予结业。",
            size=18,
        )
        foot = document.add_table(rows=1, cols=2)
        foot.autofit = False
        _borderless(foot)
        widths = (Mm(130), Mm(127))  # the 257 mm text width of A4 landscape with 20 mm margins
        for column, width in zip(foot.columns, widths, strict=True):
            column.width = width
        left, right = foot.rows[0].cells
        left.width, right.width = widths
        tr_pr = foot.rows[0]._tr.get_or_add_trPr()
        tr_pr.append(tr_pr.makeelement(qn("w:cantSplit"), {}))
        tr_pr.append(
            tr_pr.makeelement(
                qn("w:trHeight"), {qn("w:val"): str(int(Mm(SEAL_MM + 8).twips)), qn("w:hRule"): "atLeast"}
            )
        )
        picture = _cell_paragraph(left, "", first=True)
        picture.add_run().add_picture(io.BytesIO(qr.png(url, scale=4)), width=Mm(28))
        _cell_paragraph(left, f"扫码或访问 {url} 核验", size=9)
        _cell_paragraph(left, f"也可在 {lookup_url()} 按证书编号和姓名查询", size=9)
        # The seal goes over the issuer's name and the date, as on any official certificate: the
        # marker sits right over them, with an empty space above it for the seal's upper half, so a
        # 42 mm seal centred on the marker covers the name and the date (decision 0020).
        spacer = _cell_paragraph(right, "", align=WD_ALIGN_PARAGRAPH.CENTER, first=True)
        spacer.paragraph_format.space_before = Mm(SEAL_MM / 2 - 8)
        lines = [
            ("（盖章处）", 10, 14),
            (f"承办单位：{programme.institution.name}", 16, 22),
            (whole(chinese_date(certificate.issued_at.date())), 16, 22),
        ]
        for text, size, pitch in lines:  # exact pitches: the three lines within the seal's 21 mm radius
            line = _cell_paragraph(right, text, size=size, align=WD_ALIGN_PARAGRAPH.CENTER)
            line.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            line.paragraph_format.line_spacing = Pt(pitch)
            line.paragraph_format.space_after = Pt(0)
        if on_page:
            on_page(number + 1)
    return _bytes(document)
