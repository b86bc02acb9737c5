"""Printed delivery documents: certificates with a place for the seal and the configured site's
address, sign-in sheets within the margins that repeat their header, the roster that prints legibly."""

import io
import re
import subprocess
import zipfile

import pytest
from django.test import override_settings
from lxml import etree

from yanxiu.core import spreadsheets
from yanxiu.core.spreadsheets import xlsx_bytes
from yanxiu.delivery.domain import attendance, certificates, enrolment
from yanxiu.delivery.interfaces import docs, qr, roster
from yanxiu.delivery.models import Certificate
from yanxiu.documents.generate import pdf

from .helpers import add_trainees, host_of, planned

pytestmark = pytest.mark.django_db

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
TWIPS_PER_MM = 1440 / 25.4


def xml(data, name="word/document.xml"):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(name))


def media(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [archive.read(n) for n in archive.namelist() if n.startswith("word/media/")]


def pdf_pages(data):
    """The text of each page (pdftotext puts a form feed between pages)."""
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout
    return [page for page in text.decode().split("\f") if page.strip()]


@pytest.fixture
def issued(clock):
    programme = planned()
    host = host_of(programme)
    trainees = add_trainees(programme, 3)
    enrolment.review(programme, trainees, host, approve=True)
    clock("2026-09-06T09:00:00+08:00")
    for day, half in attendance.half_days(programme):
        attendance.record_attendance(programme, day, half, [t.pk for t in trainees], host)
    certificates.issue(programme, host)
    return programme, list(
        Certificate.objects.select_related(
            "trainee__programme__application__call", "trainee__programme__application__institution"
        ).order_by("serial")
    )


# --- certificates ------------------------------------------------------------------------------


@override_settings(SITE_URL="http://192.0.2.10:8123/")
def test_the_certificate_points_at_the_configured_site_and_has_a_place_for_the_seal(issued):
    _, issued_certificates = issued
    certificate = issued_certificates[0]
    url = f"http://192.0.2.10:8123/p/verify/{certificate.token}/"
    assert certificates.verification_url(certificate) == url
    data = docs.certificate_pages([certificate])
    text = "".join(xml(data).xpath("//w:t/text()", namespaces=NS)).replace(docs.WORD_JOINER, "")
    assert f"扫码或访问 {url} 核验" in text
    assert "也可在 http://192.0.2.10:8123/p/verify/ 按证书编号和姓名查询" in text
    assert "127.0.0.1" not in text
    assert media(data) == [qr.png(url, scale=4)]  # the QR code encodes the same address
    # The seal's place is marked right over the issuer and the date, in a row that never splits.
    seal, issuer, date = text.index("（盖章处）"), text.index("承办单位："), text.index("2026年9月6日")
    assert seal < issuer < date
    row = xml(data).xpath("//w:tr[.//w:t[contains(., '盖章处')]]", namespaces=NS)[0]
    assert row.xpath("w:trPr/w:cantSplit", namespaces=NS)
    height = int(row.xpath("w:trPr/w:trHeight/@w:val", namespaces=NS)[0])
    assert height >= 42 * TWIPS_PER_MM


def test_each_certificate_prints_on_one_page_with_its_seal_place(issued):
    assert pdf.is_available(), "LibreOffice not installed: make system-deps"
    _, issued_certificates = issued
    data = pdf.convert(docs.certificate_pages(issued_certificates))
    pages = pdf_pages(data)
    assert len(pages) == len(issued_certificates) == 3
    for number, (page, certificate) in enumerate(zip(pages, issued_certificates, strict=True), start=1):
        assert certificate.serial in page
        assert "盖章处" in page
        assert "准予结业" in page
        lines = [re.sub(r"\s", "", line).replace(docs.WORD_JOINER, "") for line in page.splitlines()]
        programme = certificate.trainee.programme
        for whole in (
            f"{programme.start_date.year}年{programme.start_date.month}月{programme.start_date.day}日",
            certificate.hours_text,
        ):
            assert any(whole in line for line in lines), whole  # never broken across lines
        # A 42 mm seal centred on the marker covers the issuer's name and the date under it.
        marker, issuer, date = word_tops(data, number, ("（盖章处）", "承办单位：", "2026年9月6日"))
        assert 0 < issuer - marker < 10 * MM
        assert 0 < date - marker < 21 * MM - 16  # the date's line within the seal's radius


MM = 72 / 25.4


def word_tops(data, page, starts):
    """The top (points from the page's top) of the first word on `page` starting with each of `starts`."""
    boxes = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    words = [(y, text.replace(docs.WORD_JOINER, "")) for y, text in re.findall(r'yMin="([^"]+)"[^>]*>([^<]*)<', boxes)]
    return [next(float(y) for y, text in words if text.startswith(start)) for start in starts]


def test_the_demo_site_address_follows_make_run(tmp_path):
    """`make run HOST=… PORT=…` exports SITE_URL from them (certificates read settings.SITE_URL), to
    the seeding as well as the server and workers; a SITE_URL in the environment wins."""
    from pathlib import Path

    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text(encoding="utf-8")
    line = "run setup worker: export SITE_URL ?= http://$(HOST):$(PORT)"
    assert line in makefile.splitlines()
    # The same line in a makefile whose recipes only print what they get.
    probe = tmp_path / "Makefile"
    probe.write_text(f"HOST ?= 127.0.0.1\nPORT ?= 8000\n{line}\nsetup:\n\t@echo $$SITE_URL\nrun: setup\n")
    env = {"PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        ["make", "-s", "-f", str(probe), "run", "PORT=8765"], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.strip() == "http://127.0.0.1:8765"
    env["SITE_URL"] = "https://yanxiu.example.cn"
    out = subprocess.run(
        ["make", "-s", "-f", str(probe), "run", "PORT=8765"], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.strip() == "https://yanxiu.example.cn"


# --- the verification page: by serial number and name ---------------------------------------------


def test_a_certificate_is_found_by_its_serial_and_the_holders_name(issued, client):
    _, issued_certificates = issued
    certificate = issued_certificates[0]
    trainee = certificate.trainee
    page = client.get("/p/verify/")
    assert page.status_code == 200
    assert 'name="serial"' in page.content.decode()
    found = client.post("/p/verify/", {"serial": f" {certificate.serial.lower()} ", "name": f" {trainee.name} "})
    body = found.content.decode()
    assert found.status_code == 200
    assert 'data-testid="verified"' in body
    assert certificate.serial in body
    assert trainee.id_masked in body
    assert trainee.id_number not in body


@pytest.mark.parametrize("which", ["name", "serial", "both"])
def test_a_mismatch_says_not_found_without_saying_which_part(issued, client, which):
    _, issued_certificates = issued
    certificate, other = issued_certificates[0], issued_certificates[1]
    data = {"serial": certificate.serial, "name": certificate.trainee.name}
    if which in ("name", "both"):
        data["name"] = other.trainee.name  # a real holder, of another certificate
    if which in ("serial", "both"):
        data["serial"] = certificate.serial[:-3] + "999"
    response = client.post("/p/verify/", data)
    body = response.content.decode()
    assert response.status_code == 404
    assert 'data-testid="not-found"' in body
    assert "未找到" in body
    assert 'data-testid="verified"' not in body
    assert "姓名不符" not in body
    assert "编号不存在" not in body


@pytest.mark.parametrize("debug", [True, False])
def test_a_failed_lookup_keeps_what_was_typed_and_says_what_was_not_found(issued, client, settings, debug):
    """In the demo (DEBUG) too: the view's own 404 page, never the generic one (decision 0017)."""
    settings.DEBUG = debug
    _, issued_certificates = issued
    certificate = issued_certificates[0]
    response = client.post("/p/verify/", {"serial": certificate.serial, "name": "李四"})
    body = response.content.decode()
    assert response.status_code == 404
    assert f"未找到证书编号为“{certificate.serial}”、持证人为“李四”的证书，请核对证书编号和姓名。" in body
    assert f'name="serial" value="{certificate.serial}"' in body
    assert 'name="name" value="李四"' in body
    assert "页面不存在" not in body
    qr = client.get("/p/verify/not-a-token/")
    assert qr.status_code == 404
    assert "未找到该证书，请核对二维码或链接。" in qr.content.decode()
    assert 'name="serial"' in qr.content.decode()
    assert "页面不存在" in client.get("/p/no-such-page/").content.decode()  # unknown addresses: still Chinese


def test_the_name_must_match_exactly_apart_from_spaces(issued, client):
    _, issued_certificates = issued
    certificate = issued_certificates[0]
    name = certificate.trainee.name
    spaced = " ".join(name)  # 学 员 1: spaces are ignored
    assert client.post("/p/verify/", {"serial": certificate.serial, "name": spaced}).status_code == 200
    assert client.post("/p/verify/", {"serial": certificate.serial, "name": name[:-1]}).status_code == 404
    assert client.post("/p/verify/", {"serial": certificate.serial, "name": name + "甲"}).status_code == 404


def test_the_lookup_is_rate_limited_like_the_other_public_pages(issued, client, settings):
    settings.YANXIU_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    _, issued_certificates = issued
    certificate = issued_certificates[0]
    good = {"serial": certificate.serial, "name": certificate.trainee.name}
    for _ in range(30):
        client.post("/p/verify/", {"serial": "X", "name": "Y"}, HTTP_X_REAL_IP="10.0.0.1")
    refused = client.post("/p/verify/", good, HTTP_X_REAL_IP="10.0.0.1")
    assert refused.status_code == 429
    assert 'data-testid="verified"' not in refused.content.decode()
    assert client.post("/p/verify/", good, HTTP_X_REAL_IP="10.0.0.2").status_code == 200


def test_an_empty_lookup_asks_for_both_parts(client):
    response = client.post("/p/verify/", {"serial": "", "name": ""})
    assert response.status_code == 200
    assert "请填写证书编号" in response.content.decode()


# --- sign-in sheets ----------------------------------------------------------------------------


def test_sign_in_sheets_fit_the_margins_repeat_the_header_and_leave_room_to_sign(clock):
    programme = planned()
    trainees = add_trainees(programme, 45)  # the sheet lists whom it is given (the view: the approved)
    days = attendance.class_days(programme)
    data = docs.sign_in_sheets(programme, trainees, days)
    root = xml(data)
    section = root.xpath("//w:sectPr", namespaces=NS)[-1]
    page_width = int(section.xpath("w:pgSz/@w:w", namespaces=NS)[0])
    margins = section.xpath("w:pgMar", namespaces=NS)[0]
    text_width = page_width - int(margins.get(f"{{{W}}}left")) - int(margins.get(f"{{{W}}}right"))
    tables = root.xpath("//w:tbl", namespaces=NS)
    assert len(tables) == len(days)
    for table in tables:
        assert sum(int(w) for w in table.xpath("w:tblGrid/w:gridCol/@w:w", namespaces=NS)) <= text_width
        rows = table.xpath("w:tr", namespaces=NS)
        assert len(rows) == 46
        assert rows[0].xpath("w:trPr/w:tblHeader", namespaces=NS)
        assert not any(r.xpath("w:trPr/w:tblHeader", namespaces=NS) for r in rows[1:])
        for row in rows:
            assert row.xpath("w:trPr/w:cantSplit", namespaces=NS)
            (height,) = row.xpath("w:trPr/w:trHeight", namespaces=NS)
            assert height.get(f"{{{W}}}hRule") in ("atLeast", "exact")
        for row in rows[1:]:
            assert int(row.xpath("w:trPr/w:trHeight/@w:val", namespaces=NS)[0]) >= 8 * TWIPS_PER_MM


def test_a_long_sign_in_sheet_prints_its_header_on_every_page(clock):
    assert pdf.is_available(), "LibreOffice not installed: make system-deps"
    programme = planned()
    trainees = add_trainees(programme, 40)
    day = attendance.class_days(programme)[0]
    pages = pdf_pages(pdf.convert(docs.sign_in_sheets(programme, trainees, [day])))
    assert len(pages) >= 2  # 40 rows of 10 mm do not fit one page
    for page in pages:
        assert re.search(r"序号\s+姓名\s+工作单位\s+上午签到\s+下午签到", page)
    names = "".join("".join(p.split()) for p in pages)
    assert all(t.name in names for t in trainees)


# --- the roster --------------------------------------------------------------------------------


def sheet_xml(data):
    return xml(data, "xl/worksheets/sheet1.xml"), xml(data, "xl/workbook.xml")


X = {"x": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def test_the_roster_prints_legibly_on_landscape_a4(clock):
    programme = planned()
    host_of(programme)
    trainees = add_trainees(programme, 3)
    data = roster.export_roster(programme, trainees, {})
    sheet, book = sheet_xml(data)
    setup = sheet.xpath("x:pageSetup", namespaces=X)[0]
    assert (setup.get("paperSize"), setup.get("orientation")) == ("9", "landscape")
    widths = [float(c.get("width")) for c in sheet.xpath("x:cols/x:col", namespaces=X) for _ in _span(c)]
    assert len(widths) == len(roster.EXPORT_COLUMNS)
    assert sheet.xpath("x:sheetPr/x:pageSetUpPr/@fitToPage", namespaces=X) == []  # an explicit scale instead
    scale = int(setup.get("scale")) / 100
    assert roster.BODY_PT * scale >= 9  # never the 5.6 pt of squeezing every column onto the page
    # One page wide (the file's widths carry xlsxwriter's padding; the units set are the roster's).
    assert sum(roster.EXPORT_WIDTHS) * spreadsheets.PRINT_PT_PER_UNIT * scale <= (297 - 2 * 10.16) / 25.4 * 72
    assert "学员名册!$2:$2" in "".join(book.xpath("//x:definedName/text()", namespaces=X))  # header repeats
    # Masked unless a full export was asked for (tests/delivery/test_roster.py checks the logged one).
    from openpyxl import load_workbook

    cells = [c.value for row in load_workbook(io.BytesIO(data)).worksheets[0].iter_rows() for c in row]
    assert trainees[0].id_masked in cells
    assert trainees[0].id_number not in cells


def _span(col):
    return range(int(col.get("min")), int(col.get("max")) + 1)


def test_too_many_columns_are_not_squeezed_onto_the_page():
    def write(book):
        sheet = book.add_worksheet("x")
        sheet.set_landscape()
        sheet.write_row(0, 0, ["宽"] * 12, book.add_format({"font_size": 11}))
        sheet.set_column(0, 11, 16)
        sheet.fit_to_pages(1, 0)

    setup = etree.fromstring(zipfile.ZipFile(io.BytesIO(xlsx_bytes(write))).read("xl/worksheets/sheet1.xml"))
    scale = int(setup.find("x:pageSetup", namespaces=X).get("scale"))
    assert scale == 82  # fitting would need 53 %, i.e. 5.8 pt: 9 pt instead, the columns across pages
