"""Word documents of the delivery: daily sign-in sheets and completion
certificates. PDF goes through documents/generate/pdf.py (LibreOffice)."""

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from yanxiu.core.dates import chinese_date

from ..domain.certificates import verification_url
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
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


SIGN_IN_COLUMNS = [("序号", 14), ("姓名", 28), ("工作单位", 78), ("上午签到", 35), ("下午签到", 35)]


def sign_in_sheets(programme, trainees, days):
    """One page per class day: the approved trainees with two empty signature columns."""
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
        for i, (label, width) in enumerate(SIGN_IN_COLUMNS):
            table.columns[i].width = Mm(width)
            cell = table.rows[0].cells[i]
            cell.width = Mm(width)
            cell.text = ""
            _font(cell.paragraphs[0].add_run(label), TITLE_FONT, 11)
        for row_number, trainee in enumerate(trainees, start=1):
            cells = table.add_row().cells
            for i, value in enumerate([str(row_number), trainee.name, trainee.employer, "", ""]):
                cells[i].width = Mm(SIGN_IN_COLUMNS[i][1])
                _font(cells[i].paragraphs[0].add_run(value), BODY_FONT, 11)
    return _bytes(document)


def certificate_pages(certificates, on_page=None):
    """One certificate per page, each with its serial and a QR code to the verification page."""
    document = _document(landscape=True)
    for number, certificate in enumerate(certificates):
        trainee = certificate.trainee
        programme = trainee.programme
        if number:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _paragraph(document, f"证书编号：{certificate.serial}", size=11, align=WD_ALIGN_PARAGRAPH.RIGHT)
        _paragraph(document, "结 业 证 书", TITLE_FONT, 36, WD_ALIGN_PARAGRAPH.CENTER)
        _paragraph(document, "")
        _paragraph(
            document,
            f"    {trainee.name}同志（身份证号：{trainee.id_masked}）于{chinese_date(programme.start_date)}至"
            f"{chinese_date(programme.end_date)}参加专业技术人才知识更新工程{programme.call.year}年"
            f"{programme.application.get_tier_display()}高级研修项目“{programme}”，完成规定的研修任务，"
            f"计{certificate.credit_hours.normalize():f}学时，准予结业。",
            size=18,
        )
        _paragraph(document, "")
        _paragraph(document, f"承办单位：{programme.institution.name}", size=16, align=WD_ALIGN_PARAGRAPH.RIGHT)
        _paragraph(document, chinese_date(certificate.issued_at.date()), size=16, align=WD_ALIGN_PARAGRAPH.RIGHT)
        picture = document.add_paragraph()
        picture.add_run().add_picture(io.BytesIO(qr.png(verification_url(certificate), scale=4)), width=Mm(28))
        _paragraph(document, f"扫码或访问 {verification_url(certificate)} 核验", size=9)
        if on_page:
            on_page(number + 1)
    return _bytes(document)
