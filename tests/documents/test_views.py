"""Downloads on the application page, the summary, bulk export and upload."""

import io
import zipfile

import pytest
from django.urls import reverse

from yanxiu.accounts.models import User
from yanxiu.applications.models import Application
from yanxiu.documents.models import ExportJob

from .helpers import shared_example


def login(client, username):
    client.force_login(User.objects.get(username=username))


def test_host_downloads_its_form(client, national):
    login(client, "zhongye")
    response = client.get(reverse("documents:application_form", args=[national.pk, "docx"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert response.content[:2] == b"PK"
    assert "filename*=UTF-8''%E9%99%84%E4%BB%B61-" in response["Content-Disposition"]


@pytest.mark.parametrize("username", ["xmhy", "qz_rsj"])
def test_other_organisations_get_404(client, national, username):
    login(client, username)
    assert client.get(reverse("documents:application_form", args=[national.pk, "docx"])).status_code == 404


def test_pdf_without_libreoffice_says_so_and_offers_word(client, national, settings):
    settings.DOCUMENTS_SOFFICE = "/nonexistent/soffice"
    login(client, "province")
    response = client.get(reverse("documents:application_form", args=[national.pk, "pdf"]))
    assert response.status_code == 503
    assert "服务器未安装 PDF 转换组件（LibreOffice）" in response.content.decode()
    assert reverse("documents:application_form", args=[national.pk, "docx"]) in response.content.decode()


def test_authority_summary_lists_only_its_institutions(client, demo):
    login(client, "fz_rsj")
    response = client.get(reverse("documents:summary") + "?year=2026")
    assert [r.title for r in response.context["sheet"].rows] == ["人工智能赋能传统制造业数字化转型高级研修班"]
    assert response.context["sheet"].signer == "福州市人力资源和社会保障局"
    xlsx = client.get(reverse("documents:summary_file", args=["xlsx"]) + "?year=2026")
    assert xlsx.status_code == 200
    assert xlsx.content[:2] == b"PK"


def test_bulk_export_runs_as_a_job(client, demo, django_capture_on_commit_callbacks):
    login(client, "province")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("documents:export_start") + "?year=2026")
    job = ExportJob.objects.get()
    assert response.url == reverse("documents:export_status", args=[job.pk])
    assert (job.state, job.done, job.total) == ("done", job.total, 5)
    status = client.get(response.url, HTTP_HX_REQUEST="true")
    assert 'value="100"' in status.content.decode()
    download = client.get(reverse("documents:export_download", args=[job.pk]))
    names = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))).namelist()
    assert len([n for n in names if n.endswith(".docx") and "附件3" not in n]) == 3
    assert "附件3-汇总表-2026.xlsx" in names
    login(client, "fz_rsj")
    assert client.get(reverse("documents:export_download", args=[job.pk])).status_code == 404


def test_upload_page_imports_and_reports(client, demo):
    login(client, "province")
    data = shared_example("example-att2.docx").read_bytes()
    before = Application.objects.count()
    upload = io.BytesIO(data)
    upload.name = "example-att2.docx"
    bad = io.BytesIO(b"MZ" + b"\0" * 50)
    bad.name = "virus.docx"
    # the example is a demo application's form: a copy on purpose (test_reimport.py covers the default)
    response = client.post(reverse("documents:upload"), {"files": [upload, bad], "on_duplicate": "copy"})
    assert response.status_code == 200
    lines = response.context["lines"]
    assert [(line[0], line[1], line[2]) for line in lines] == [
        ("example-att2.docx", "附件2 省级申报表", "已导入（草稿）"),
        ("virus.docx", "无法识别", "未导入"),
    ]
    assert Application.objects.count() == before + 1


def test_institution_staff_cannot_open_the_upload_page(client, demo):
    login(client, "zhongye")
    assert client.get(reverse("documents:upload")).status_code == 403


def test_application_page_links_the_downloads(client, national):
    login(client, "zhongye")
    page = client.get(reverse("applications:detail", args=[national.pk])).content.decode()
    assert f'href="/documents/applications/{national.pk}/form.docx"' in page
    assert f'href="/documents/applications/{national.pk}/form.pdf"' in page


def test_batch_export_zips_the_batch_forms(client, demo, django_capture_on_commit_callbacks):
    from yanxiu.batches.models import Batch

    batch = Batch.objects.get(authority__code="SZ-NYNCT")
    member = batch.applications.get()
    login(client, "nyt")
    page = client.get(reverse("batches:detail", args=[batch.pk])).content.decode()
    assert f'action="{reverse("documents:export_batch", args=[batch.pk])}"' in page
    assert client.get(reverse("documents:export_batch", args=[batch.pk])).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("documents:export_batch", args=[batch.pk]))
    job = ExportJob.objects.get()
    assert response.url == reverse("documents:export_status", args=[job.pk])
    assert (job.batch, job.call, job.state, job.total, job.description) == (
        batch,
        batch.call,
        "done",
        3,
        f"{batch} 全部申报表",
    )
    download = client.get(reverse("documents:export_download", args=[job.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert archive.namelist() == [
        f"{member.institution.authority.name}/附件1-{member.title}-{member.pk}.docx",
        "附件3-汇总表-2026.xlsx",
        "附件3-汇总表-2026.docx",
    ]


@pytest.mark.parametrize("username", ["fz_rsj", "zhongye"])
def test_batch_export_is_only_for_those_who_see_the_batch(client, demo, username):
    from yanxiu.batches.models import Batch

    login(client, username)
    assert (
        client.post(
            reverse("documents:export_batch", args=[Batch.objects.get(authority__code="SZ-NYNCT").pk])
        ).status_code
        == 404
    )
    assert ExportJob.objects.count() == 0
