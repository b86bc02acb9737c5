"""The PDFs as printed: read back with pdftotext -layout and checked line by line."""

import shutil
import subprocess
from datetime import timedelta

import pytest

from yanxiu.applications.interfaces.form_context import official_form
from yanxiu.applications.models import Application
from yanxiu.documents import layout
from yanxiu.documents.generate import pdf
from yanxiu.documents.generate.forms_docx import render_application_docx
from yanxiu.documents.imports.parse_forms import compact

from .helpers import NS, W, document_xml
from .helpers import application as application_titled


@pytest.fixture(autouse=True)
def _libreoffice_installed():
    assert pdf.is_available(), "LibreOffice not installed: make system-deps"
    assert shutil.which("pdftotext"), "poppler-utils not installed: make system-deps"


def pdf_lines(data):
    completed = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return [compact(line) for line in completed.stdout.decode("utf-8").splitlines()]


def starts_a_line(lines, text, label):
    """`text` begins a printed line: only characters of the label column come before it."""
    head = compact(text)[:10]
    for line in lines:
        at = line.find(head)
        if at >= 0 and set(line[:at]) <= set(label):
            return True
    return False


@pytest.mark.parametrize("title", ["生物育种与种业振兴关键技术高级研修班", "文物数字化保护与利用高级研修班"])
def test_every_line_of_a_multi_line_field_starts_its_own_printed_line(title, demo):
    application = application_titled(title)
    form = official_form(application)
    lines = pdf_lines(pdf.convert_to_pdf(render_application_docx(application)))
    fields = [(form.content, "研修内容和方式"), (form.lecturers, "授课专家情况"), (form.trainees, "研修培训对象")]
    checked = 0
    for value, label in fields:
        for line in filter(None, (s.strip() for s in value.split("\n"))):
            assert starts_a_line(lines, line, label), (label, line)
            checked += 1
    sessions = [line for line in form.content.split("\n") if "主讲" in line or "日上午" in line or "日下午" in line]
    assert len(sessions) >= 4
    assert checked >= len(sessions) + 3


def page_count(data):
    completed = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True)
    line = next(x for x in completed.stdout.decode().splitlines() if x.startswith("Pages:"))
    return int(line.split()[1])


def typical(application):
    """8 sessions and 4 lecturers, as a typical 附件2 holds."""
    sessions = list(application.sessions.all())
    for number, session in enumerate(sessions * 2):
        if number >= len(sessions):
            session.pk = None
            session.date += timedelta(days=1)
            session.topic = f"{session.topic}（续）"
            session.save()
    for lecturer in list(application.lecturers.all()):
        lecturer.pk = None
        lecturer.name += "二"
        lecturer.save()
    application = application_titled(application.title)
    assert (application.sessions.count(), application.lecturers.count()) == (8, 4)
    return application


def test_every_provincial_form_of_the_demo_prints_on_one_page(demo):
    applications = list(Application.objects.filter(tier="provincial").order_by("pk"))
    assert len(applications) >= 3
    for application in applications:
        assert page_count(pdf.convert_to_pdf(render_application_docx(application))) == 1, application.title


def test_a_typical_provincial_form_prints_on_one_page_with_its_values_whole(provincial):
    application = typical(provincial)
    data = pdf.convert_to_pdf(render_application_docx(application))
    assert page_count(data) == 1
    lines = pdf_lines(data)
    form = official_form(application)
    for value in (form.period, form.host["办公电话"], form.host["手机"], form.title):
        assert any(compact(value) in line for line in lines), value
    sessions = form.content.split("\n")[1:]
    assert len(sessions) == 8
    for session in sessions:  # one printed line each
        assert any(compact(session) in line for line in lines), session
    assert any("（盖章）" in line for line in lines)


def test_no_row_of_the_provincial_form_splits_and_the_stamp_row_holds_a_seal(provincial):
    root = document_xml(render_application_docx(provincial))
    rows = root.findall(".//w:tbl/w:tr", NS)
    assert all(row.find("w:trPr/w:cantSplit", NS) is not None for row in rows)
    stamp = rows[layout.OPINION_SLOT["att2"].row]
    assert "审核意见" in "".join(stamp.itertext())
    height = stamp.find("w:trPr/w:trHeight", NS)
    assert height.get(f"{{{W}}}hRule") == "atLeast"
    assert int(height.get(f"{{{W}}}val")) >= 42 * 1440 / 25.4  # 42 mm
