"""The PDFs as printed: read back with pdftotext -layout and checked line by line."""

import shutil
import subprocess

import pytest

from yanxiu.applications.interfaces.form_context import official_form
from yanxiu.documents.generate import pdf
from yanxiu.documents.generate.forms_docx import render_application_docx
from yanxiu.documents.imports.parse_forms import compact

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
