"""PDFs never made in a web request: queued for the worker, cached per version, never mixed up."""

import shutil
import subprocess
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse

from yanxiu.accounts.models import User
from yanxiu.applications.models import Application
from yanxiu.core import clock
from yanxiu.documents.generate import pdf
from yanxiu.documents.generate.forms_docx import render_application_docx
from yanxiu.documents.models import PdfRendition
from yanxiu.documents.renditions import convert_rendition, request_pdf


@pytest.fixture(autouse=True)
def _libreoffice_installed():
    assert pdf.is_available(), "LibreOffice not installed: make system-deps"
    assert shutil.which("pdftotext"), "poppler-utils not installed: make system-deps"


def pdf_text(data):
    completed = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return "".join(completed.stdout.decode("utf-8").split())


def login(client, username):
    client.force_login(User.objects.get(username=username))


def form_url(application):
    return reverse("documents:application_form", args=[application.pk, "pdf"])


def test_the_same_version_gives_the_same_bytes(national):
    assert render_application_docx(national) == render_application_docx(national)


def test_a_pdf_is_queued_then_served_from_the_cache(client, national, django_capture_on_commit_callbacks):
    login(client, "province")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = client.get(form_url(national))
    # The request only queued the conversion: the page shows progress and polls.
    assert first.status_code == 202
    assert len(callbacks) == 1
    page = first.content.decode()
    assert 'data-testid="pdf-progress"' in page
    rendition = PdfRendition.objects.get()
    # The page polls for this version by its key (decision 0032).
    assert f'hx-get="{form_url(national)}?pdf={rendition.key}"' in page
    assert rendition.state == "done"  # the immediate backend ran the task on commit
    assert rendition.source == b""

    poll = client.get(f"{form_url(national)}?pdf={rendition.key}", headers={"HX-Request": "true"})
    assert poll.status_code == 200
    assert 'data-testid="pdf-download"' in poll.content.decode()
    assert "hx-get" not in poll.content.decode()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        served = client.get(form_url(national))
    assert callbacks == []
    assert served.status_code == 200
    assert served["Content-Type"] == "application/pdf"
    assert "生物育种与种业振兴关键技术高级研修班" in pdf_text(served.content)
    assert PdfRendition.objects.count() == 1


def test_a_poll_reads_the_version_it_waits_for_without_making_the_source_again(
    client, national, monkeypatch, django_capture_on_commit_callbacks
):
    """Decision 0032: a poll names its version's key, so it costs a lookup, not a .docx; the access
    check still runs first, and a lost conversion is queued again as before."""
    from yanxiu.documents import views

    login(client, "province")
    made = []
    render = views.render_application_docx
    monkeypatch.setattr(views, "render_application_docx", lambda a: made.append(a.pk) or render(a))
    rendition = PdfRendition.objects.create(key="k" * 64, suffix=".docx", source=b"queued")
    poll = client.get(f"{form_url(national)}?pdf={rendition.key}", headers={"HX-Request": "true"})
    assert poll.status_code == 202
    assert made == []
    assert f'hx-get="{form_url(national)}?pdf={rendition.key}"' in poll.content.decode()

    login(client, "xmhy")  # another organisation: refused before any rendition is looked up
    assert client.get(f"{form_url(national)}?pdf={rendition.key}", headers={"HX-Request": "true"}).status_code == 404

    login(client, "province")
    PdfRendition.objects.filter(pk=rendition.pk).update(created_at=clock.now() - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        lost = client.get(f"{form_url(national)}?pdf={rendition.key}", headers={"HX-Request": "true"})
    assert made == [national.pk]  # the lost version is not waited for: the current one is asked for
    assert len(callbacks) == 1
    assert f"pdf={rendition.key}" not in lost.content.decode()


def test_a_new_version_gets_a_new_pdf(client, national, django_capture_on_commit_callbacks):
    login(client, "province")
    with django_capture_on_commit_callbacks(execute=True):
        client.get(form_url(national))
    Application.objects.filter(pk=national.pk).update(purpose="改过的研修目的，用于检验缓存按版本区分。")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(form_url(national)).status_code == 202
    served = client.get(form_url(national))
    assert served.status_code == 200
    assert "改过的研修目的" in pdf_text(served.content)
    assert PdfRendition.objects.count() == 2


def test_a_failed_conversion_says_so_and_can_be_retried(client, national, settings, django_capture_on_commit_callbacks):
    login(client, "province")
    settings.DOCUMENTS_UNOSERVER = ""  # a fresh soffice does it, and fails
    settings.DOCUMENTS_SOFFICE = broken_soffice()
    with django_capture_on_commit_callbacks(execute=True):
        client.get(form_url(national))
    poll = client.get(form_url(national), headers={"HX-Request": "true"})
    assert PdfRendition.objects.get().state == "failed"
    assert "PDF 转换失败" in poll.content.decode()
    assert f"{form_url(national)}?retry=1" in poll.content.decode()
    settings.DOCUMENTS_SOFFICE = ""
    with django_capture_on_commit_callbacks(execute=True):
        client.get(form_url(national) + "?retry=1")
    assert PdfRendition.objects.get().state == "done"


def test_another_organisation_cannot_reach_a_cached_pdf(client, national, django_capture_on_commit_callbacks):
    login(client, "province")
    with django_capture_on_commit_callbacks(execute=True):
        client.get(form_url(national))
    login(client, "xmhy")
    assert client.get(form_url(national)).status_code == 404


def test_the_worker_converts_each_rendition_once(national):
    rendition = request_pdf(render_application_docx(national))
    assert convert_rendition(rendition.pk) == rendition.pk
    assert convert_rendition(rendition.pk) is None  # already done: a second run does nothing
    rendition.refresh_from_db()
    assert rendition.state == "done"
    assert rendition.seconds > 0


# --- concurrency: conversions at the same time never mix files ---------------------------------


def distinct_documents(demo, count=4):
    applications = list(Application.objects.select_related("call", "institution").order_by("pk")[:count])
    return [(a.title, render_application_docx(a)) for a in applications]


def convert_all_at_once(documents):
    results, errors = {}, []
    barrier = threading.Barrier(len(documents))

    def work(title, data):
        barrier.wait()
        try:
            results[title] = pdf_text(pdf.convert_to_pdf(data))
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=item) for item in documents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results


def assert_each_pdf_is_its_own(documents, results):
    titles = [title for title, _ in documents]
    assert len(set(titles)) == len(titles)
    assert set(results) == set(titles)
    for title, text in results.items():
        assert title in text
        assert [t for t in titles if t != title and t in text] == []


def test_concurrent_pooled_conversions_never_mix_files(demo, settings, tmp_path):
    settings.DOCUMENTS_UNOSERVER = ""
    settings.DOCUMENTS_SOFFICE_POOL = 2
    settings.DOCUMENTS_SOFFICE_PROFILES = str(tmp_path / "profiles")
    documents = distinct_documents(demo)
    assert_each_pdf_is_its_own(documents, convert_all_at_once(documents))
    assert sorted(p.name for p in (tmp_path / "profiles").iterdir() if p.is_dir()) == ["profile0", "profile1"]


@pytest.fixture
def unoserver(warm_converter):
    """The warm converter of this test process (tests/conftest.py), once it listens."""
    assert warm_converter, "unoserver cannot start: make system-deps (python3-uno)"
    # A generous number of polls: LibreOffice starts slowly on a loaded machine.
    for _poll in range(180):
        if pdf.unoserver_alive(warm_converter):
            return warm_converter
        time.sleep(0.5)
    pytest.fail("unoserver did not start")
    return None


def broken_soffice():
    path = Path(tempfile.mkdtemp()) / "soffice"
    path.write_text("#!/bin/sh\necho broken >&2\nexit 3\n")
    path.chmod(0o755)
    return str(path)


def test_concurrent_conversions_through_the_warm_converter_never_mix_files(demo, settings, unoserver):
    settings.DOCUMENTS_UNOSERVER = unoserver
    # A fallback to a fresh soffice would fail: every PDF comes from the warm converter.
    settings.DOCUMENTS_SOFFICE = broken_soffice()
    documents = distinct_documents(demo)
    assert_each_pdf_is_its_own(documents, convert_all_at_once(documents))


def test_without_the_warm_converter_running_a_pooled_soffice_does_it(national, settings, tmp_path):
    settings.DOCUMENTS_UNOSERVER = "127.0.0.1:2018"  # nothing listens there
    settings.DOCUMENTS_SOFFICE_PROFILES = str(tmp_path / "profiles")
    assert "生物育种与种业振兴关键技术高级研修班" in pdf_text(pdf.convert_to_pdf(render_application_docx(national)))
