"""Thin views: downloads of the official forms, the summary sheet, bulk
exports (a background job) and the upload page for importing Word forms."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from yanxiu.applications.models import Application
from yanxiu.batches.models import Batch
from yanxiu.calls.models import Call
from yanxiu.core import jobs
from yanxiu.core.downloads import DOCX, PDF, XLSX, attachment, stored_file
from yanxiu.core.jobs import JobState

from .generate import pdf
from .generate.forms_docx import form_filename, render_application_docx
from .generate.summary import render_summary_docx, render_summary_xlsx
from .imports import report
from .imports.importer import ASK, ON_DUPLICATE, import_sources
from .imports.sources import expand_bytes
from .interfaces.summary import applications_for_summary, signer_for, summary_sheet
from .models import ExportJob, PdfRendition
from .renditions import polled_rendition, request_pdf
from .tasks import build_export

MAX_UPLOAD_FILES = 50


def _pdf_or_progress(request, make_source, filename, back_url, suffix=".docx"):
    """The PDF of this exact version if it is made, else a progress page (the worker makes it).

    The page polls this same URL (htmx), so every poll re-checks access (the
    caller's lookup runs first). A poll names the version it waits for
    (`?pdf=<key>`) and reads that rendition's state without making the source
    again (decision 0032: rendering the .docx on every poll held a web process
    ≈10 ms a poll); once the PDF is there the fragment offers it and starts the
    download in a hidden frame, and the download itself (no `pdf=`) makes the
    source and serves its current version.
    """
    if not pdf.is_available():
        message = pdf.MISSING_MESSAGE
        return render(request, "documents/pdf_unavailable.html", {"message": message, "back_url": back_url}, status=503)
    htmx = request.headers.get("HX-Request") == "true"
    rendition = polled_rendition(request.GET.get("pdf", "")) if htmx else None
    if rendition is None:
        rendition = request_pdf(make_source(), suffix, retry=request.GET.get("retry") == "1")
    if rendition.state == PdfRendition.State.DONE and not htmx:
        with rendition.file.open("rb") as stored:
            return attachment(stored.read(), filename, PDF)
    query = request.GET.copy()
    query.pop("retry", None)
    query.pop("pdf", None)
    url = request.path + (f"?{query.urlencode()}" if query else "")
    retry_url = url + ("&" if query else "?") + "retry=1"
    poll_url = url + ("&" if query else "?") + f"pdf={rendition.key}"
    context = {
        "rendition": rendition,
        "filename": filename,
        "back_url": back_url,
        "url": url,
        "retry_url": retry_url,
        "poll_url": poll_url,
    }
    template = "documents/_pdf_progress.html" if htmx else "documents/pdf_progress.html"
    return render(request, template, context, status=202 if rendition.state != PdfRendition.State.DONE else 200)


# Other apps' downloads (the annual plan) use the same cached, background PDFs.
pdf_or_progress = _pdf_or_progress


def _visible_application(request, pk):
    queryset = Application.objects.visible_to(request.user).select_related(
        "call", "institution", "institution__authority", "domain", "competent_department"
    )
    return get_object_or_404(queryset, pk=pk)


@login_required
def application_form(request, pk, fmt):
    application = _visible_application(request, pk)
    if fmt == "docx":
        return attachment(render_application_docx(application), form_filename(application), DOCX)
    if fmt == "pdf":
        return _pdf_or_progress(
            request,
            lambda: render_application_docx(application),
            form_filename(application, "pdf"),
            reverse("documents:application_form", args=[pk, "docx"]),
        )
    raise Http404


def _summary_call(request):
    year = request.GET.get("year", "")
    calls = Call.objects.prefetch_related("tier_rules")
    call = calls.filter(year=year).first() if year.isdigit() else calls.filter(is_open=True).order_by("-year").first()
    if call is None:
        raise Http404("没有申报通知。")
    return call


@login_required
def summary(request, fmt="html"):
    user = request.user
    if not user.has_perm("documents.view_summary"):
        raise PermissionDenied("您的角色不能查看汇总表。")
    call = _summary_call(request)
    applications = list(applications_for_summary(user, call))
    sheet = summary_sheet(applications, year=call.year, signer=signer_for(user))
    if fmt in SUMMARY_FORMATS:
        back = reverse("documents:summary") + f"?year={call.year}"
        return _summary_file(request, sheet, fmt, f"附件3-汇总表-{call.year}", back)
    recent = [jobs.expire_if_stale(job) for job in ExportJob.objects.filter(requested_by=user)[:5]]
    return render(request, "documents/summary.html", {"sheet": sheet, "call": call, "jobs": recent})


@login_required
def batch_summary_file(request, pk, fmt):
    """A batch's 附件3 summary, to print, stamp and scan (from the same renderers as every summary)."""
    batch = get_object_or_404(Batch.objects.visible_to(request.user).select_related("call", "authority"), pk=pk)
    members = batch.applications.select_related("domain", "institution").order_by("authority_rank", "pk")
    sheet = summary_sheet(members, year=batch.call.year, signer=batch.authority.name)
    name = f"附件3-汇总表-{batch.authority.name}-{batch.call.year}年{batch.get_tier_display()}第{batch.number}批"
    return _summary_file(request, sheet, fmt, name, reverse("batches:detail", args=[pk]))


SUMMARY_FORMATS = ("xlsx", "docx", "pdf")


def _summary_file(request, sheet, fmt, name, back):
    """A 附件3 summary as .xlsx, .docx or (from the worker) PDF; `back` is where the progress page returns."""
    if fmt == "xlsx":
        return attachment(render_summary_xlsx(sheet), f"{name}.xlsx", XLSX)
    if fmt == "docx":
        return attachment(render_summary_docx(sheet), f"{name}.docx", DOCX)
    if fmt == "pdf":
        return _pdf_or_progress(request, lambda: render_summary_docx(sheet), f"{name}.pdf", back)
    raise Http404


# --- bulk export (background job) ----------------------------------------------------------


@login_required
@require_POST
def export_start(request):
    user = request.user
    if not user.has_perm("documents.export_all"):
        raise PermissionDenied("只有主管部门和省人社厅可以批量导出。")
    call = _summary_call(request)
    scope = user.authority.name if user.authority_id else "全省"  # export_all: an authority, or the province
    job = ExportJob.objects.create(requested_by=user, call=call, description=f"{call.year}年 {scope} 全部申报表")
    transaction.on_commit(lambda: build_export.enqueue(job.pk))
    return redirect("documents:export_status", pk=job.pk)


@login_required
@require_POST
def export_batch(request, batch_pk):
    """The zip of one batch's forms and its 附件3, for anyone who may see the batch."""
    batch = get_object_or_404(Batch.objects.visible_to(request.user).select_related("call", "authority"), pk=batch_pk)
    job = ExportJob.objects.create(
        requested_by=request.user, call=batch.call, batch=batch, description=f"{batch} 全部申报表"
    )
    transaction.on_commit(lambda: build_export.enqueue(job.pk))
    return redirect("documents:export_status", pk=job.pk)


def _own_job(request, pk):
    return jobs.expire_if_stale(get_object_or_404(ExportJob, pk=pk, requested_by=request.user))


@login_required
def export_status(request, pk):
    job = _own_job(request, pk)
    template = "documents/_export_progress.html" if request.htmx else "documents/export.html"
    return render(request, template, {"job": job})


@login_required
def export_download(request, pk):
    job = _own_job(request, pk)
    if job.state != JobState.DONE or not job.file:
        raise Http404("导出尚未完成。")
    return stored_file(job.file, f"申报表-{job.call.year}-{job.pk}.zip")


# --- upload page --------------------------------------------------------------------------------


@login_required
def upload(request):
    user = request.user
    if not user.has_perm("documents.import_forms"):
        raise PermissionDenied("只有省人社厅和主管部门可以导入 Word 申报表。")
    context = {"max_files": MAX_UPLOAD_FILES, "duplicate_choices": ON_DUPLICATE.items(), "on_duplicate": ASK}
    if request.method == "POST":
        files = request.FILES.getlist("files")[:MAX_UPLOAD_FILES]
        dry_run = request.POST.get("dry_run") == "1"
        on_duplicate = request.POST.get("on_duplicate", ASK)
        on_duplicate = on_duplicate if on_duplicate in ON_DUPLICATE else ASK
        sources = (s for f in files for s in expand_bytes(f.name, f.read()))
        results = list(import_sources(sources, actor=user, dry_run=dry_run, on_duplicate=on_duplicate))
        context.update(
            {"results": results, "dry_run": dry_run, "lines": list(report.rows(results)), "on_duplicate": on_duplicate}
        )
        if request.POST.get("report") == "xlsx":
            return attachment(report.xlsx(results), "导入报告.xlsx", XLSX)
    return render(request, "documents/upload.html", context)
