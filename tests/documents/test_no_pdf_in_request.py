"""No web request converts a PDF (decisions 0007, 0020): every PDF URL answers with the progress
page and queues the worker, and serves the PDF once the worker has made it.

The converter's entry points are patched to fail while a request is being handled (between
Django's request_started and request_finished signals), then every URL that can answer a PDF is
fetched; a list of those URLs taken from the URL configuration makes sure none is forgotten.
"""

import io
import threading
import zipfile

import pytest
from django.core.signals import request_finished, request_started
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from lxml import etree

from tests import factories
from tests.delivery.helpers import add_trainees, host_of, planned
from yanxiu.delivery.domain import attendance, certificates, enrolment
from yanxiu.delivery.interfaces import docs
from yanxiu.documents.generate import pdf
from yanxiu.documents.models import PdfRendition
from yanxiu.documents.renditions import convert_rendition

pytestmark = pytest.mark.django_db
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class InRequest(threading.local):
    active = False


@pytest.fixture
def no_conversion_in_requests(monkeypatch):
    state = InRequest()

    def started(**kwargs):
        state.active = True

    def finished(**kwargs):
        state.active = False

    request_started.connect(started, weak=False)
    request_finished.connect(finished, weak=False)
    calls = []

    def guard(real):
        def converter(*args, **kwargs):
            if state.active:
                calls.append(real.__name__)
                raise AssertionError(f"{real.__name__} called while handling a web request")
            return real(*args, **kwargs)

        return converter

    for name in ("convert", "convert_with_soffice", "convert_with_unoserver"):
        monkeypatch.setattr(pdf, name, guard(getattr(pdf, name)))
    yield calls
    request_started.disconnect(started)
    request_finished.disconnect(finished)


def _patterns(resolver, namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", str(entry.pattern)


def pdf_url_names():
    """Every named URL that can answer a PDF: a `.<fmt>` or `.pdf` route."""
    return {name for name, route in _patterns(get_resolver()) if "<str:fmt>" in route or route.endswith(".pdf")}


@pytest.fixture
def world(clock):
    programme = planned()
    host = host_of(programme)
    trainees = add_trainees(programme, 3)
    enrolment.review(programme, trainees, host, approve=True)
    clock("2026-09-06T09:00:00+08:00")
    for day, half in attendance.half_days(programme):
        attendance.record_attendance(programme, day, half, [t.pk for t in trainees], host)
    issued = certificates.issue(programme, host)
    return programme, issued[0]


def test_no_pdf_url_converts_in_the_request(
    client, world, no_conversion_in_requests, django_capture_on_commit_callbacks
):
    programme, certificate = world
    application = programme.application
    officer = factories.province_officer()
    urls = {
        "documents:application_form": reverse("documents:application_form", args=[application.pk, "pdf"]),
        "documents:summary_file": reverse("documents:summary_file", args=["pdf"]) + f"?year={application.call.year}",
        "documents:batch_summary_file": reverse("documents:batch_summary_file", args=[application.batch_id, "pdf"]),
        "selection:plan_download": reverse("selection:plan_download", args=[application.call_id, "pdf"]),
        "delivery:sign_in": reverse("delivery:sign_in", args=[programme.pk, "pdf"]),
        "delivery_public:certificate_file": reverse(
            "delivery_public:certificate_file", args=[certificate.token, "pdf"]
        ),
    }
    assert set(urls) == pdf_url_names()  # a new PDF URL must be added here
    client.force_login(officer)
    for name, url in urls.items():
        if name.startswith("delivery_public:"):
            client.logout()
        with django_capture_on_commit_callbacks() as queued:
            response = client.get(url)
        assert response.status_code == 202, (name, response.status_code)
        assert "生成 PDF" in response.content.decode(), name
        assert len(queued) == 1, name  # the worker's job, after the commit
    assert no_conversion_in_requests == []
    assert PdfRendition.objects.filter(state=PdfRendition.State.QUEUED).count() == len(urls)


def test_the_public_certificate_is_served_once_the_worker_has_made_it(client, world, no_conversion_in_requests):
    _, certificate = world
    url = reverse("delivery_public:certificate_file", args=[certificate.token, "pdf"])
    assert client.get(url).status_code == 202
    assert client.get(url, headers={"HX-Request": "true"}).status_code == 202  # a poll: the same rendition
    rendition = PdfRendition.objects.get()
    convert_rendition(rendition.pk)  # the worker, outside any request
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content if response.streaming else [response.content]).startswith(b"%PDF-")
    assert no_conversion_in_requests == []


def test_the_certificate_and_sign_in_sheets_give_the_same_bytes_each_time(world):
    programme, certificate = world
    assert docs.certificate_pages([certificate]) == docs.certificate_pages([certificate])
    trainees = list(programme.trainees.all())
    days = attendance.class_days(programme)
    assert docs.sign_in_sheets(programme, trainees, days) == docs.sign_in_sheets(programme, trainees, days)


def test_a_sign_in_sheet_copies_a_finished_row_for_each_trainee(world, monkeypatch):
    """Building each row through python-docx (about a millisecond per element here) made a sheet of
    60 trainees over 5 days take 15 s, 16× a 附件1: one row is built per day and copied."""
    from docx.table import Table, _Row

    def refuse(self):
        raise AssertionError("_Row.cells lays out the whole table's grid on every call")

    built = []
    add_row = Table.add_row

    def counting(self):
        built.append(1)
        return add_row(self)

    monkeypatch.setattr(_Row, "cells", property(refuse))
    monkeypatch.setattr(Table, "add_row", counting)
    programme, _ = world
    trainees = list(programme.trainees.all())
    days = attendance.class_days(programme)
    assert len(trainees) * len(days) > len(days)
    data = docs.sign_in_sheets(programme, trainees, days)
    assert len(built) == len(days)
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    rows = root.findall(f".//{W}tbl/{W}tr")
    assert len(rows) == len(days) * (1 + len(trainees))
    names = ["".join(row.itertext()) for row in rows[1 : 1 + len(trainees)]]
    assert names == [f"{n}{t.name}{t.employer}" for n, t in enumerate(trainees, start=1)]
