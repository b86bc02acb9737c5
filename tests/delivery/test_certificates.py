"""Certificates: who earns one, serials, the PDF job, verification, the credit-hours record."""

import io
import subprocess
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from openpyxl import load_workbook

from yanxiu.delivery.domain import attendance, certificates, enrolment
from yanxiu.delivery.models import Certificate, CertificateJob, PersonalDataAccess
from yanxiu.documents.models import PdfRendition
from yanxiu.documents.renditions import convert_rendition

from .helpers import add_trainees, host_of, planned

pytestmark = pytest.mark.django_db


@pytest.fixture
def attended(clock):
    programme = planned()
    host = host_of(programme)
    trainees = add_trainees(programme, 3)
    enrolment.review(programme, trainees, host, approve=True)
    clock("2026-09-06T09:00:00+08:00")
    for day, half in attendance.half_days(programme):
        present = [trainees[0].pk, trainees[1].pk] + ([trainees[2].pk] if half == "am" else [])
        attendance.record_attendance(programme, day, half, present, host)
    return programme, trainees


def test_certificates_go_to_those_who_attended_enough(attended):
    programme, trainees = attended
    issued = certificates.issue(programme, host_of(programme))
    prefix = f"FJZSGX2026{programme.pk:04d}"
    assert [(c.trainee_id, c.serial, c.credit_hours) for c in issued] == [
        (trainees[0].pk, prefix + "001", Decimal("32")),
        (trainees[1].pk, prefix + "002", Decimal("32")),
    ]
    assert certificates.issue(programme, host_of(programme)) == []  # idempotent


def test_the_background_job_builds_the_pdf_and_the_verification_page_answers(
    attended, client, django_capture_on_commit_callbacks
):
    programme, trainees = attended
    client.force_login(host_of(programme))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/delivery/{programme.pk}/certificates/")
    assert response.status_code == 302
    job = CertificateJob.objects.get()
    assert (job.state, job.done, job.total) == ("done", 3, 3)
    with default_storage.open(job.file.name, "rb") as f:
        data = f.read()
    text = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    certificate = Certificate.objects.order_by("serial").first()
    assert certificate.serial in text
    assert trainees[0].id_masked in text
    assert trainees[0].id_number not in text
    client.logout()
    page = client.get(f"/p/verify/{certificate.token}/").content.decode()
    assert certificate.serial in page
    assert trainees[0].id_masked in page
    assert trainees[0].id_number not in page
    assert client.get("/p/verify/not-a-token/").status_code == 404


def test_a_trainee_downloads_their_own_certificate_from_the_verification_link(attended, client):
    programme, trainees = attended
    certificates.issue(programme, host_of(programme))
    certificate = Certificate.objects.get(trainee=trainees[0])
    url = f"/p/verify/{certificate.token}/certificate.pdf"
    assert client.get(url).status_code == 202  # the progress page: the worker makes the PDF
    convert_rendition(PdfRendition.objects.get().pk)
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    text = "".join(text.split())  # pdftotext spaces out digits next to Chinese characters
    assert certificate.serial in text
    assert trainees[0].name in text
    assert trainees[1].name not in text
    assert trainees[0].id_number not in text
    assert client.get(f"/p/verify/{certificate.token}/certificate.docx").content[:2] == b"PK"
    assert client.get("/p/verify/not-a-token/certificate.pdf").status_code == 404
    assert client.get(f"/p/verify/{certificate.token}/certificate.exe").status_code == 404


def test_the_credit_hours_record_exports_whole_numbers_and_logs_it(attended, client):
    programme, trainees = attended
    certificates.issue(programme, host_of(programme))
    client.force_login(host_of(programme))
    url = f"/delivery/{programme.pk}/credit-hours.xlsx"
    masked = load_workbook(io.BytesIO(client.get(url).content)).worksheets[0]
    assert [c.value for c in masked[2]][1:3] == [trainees[0].name, trainees[0].id_masked]
    assert PersonalDataAccess.objects.count() == 0
    sheet = load_workbook(io.BytesIO(client.post(url, {"reason": "继续教育学时登记"}).content)).worksheets[0]
    assert [*[c.value for c in sheet[2]][1:3], sheet["H2"].value] == [trainees[0].name, trainees[0].id_number, 32]
    access = PersonalDataAccess.objects.get()
    assert (access.purpose, access.reason, access.client_address) == ("导出学时登记表", "继续教育学时登记", "127.0.0.1")
