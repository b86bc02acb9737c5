"""Background jobs: PDFs (queue "pdf"), and the bulk zip of every form of a call (or one authority, or one batch)."""

import io
import zipfile

from django.core.files.base import ContentFile
from django_tasks import task

from yanxiu.accounts.models import User
from yanxiu.applications.models import Application
from yanxiu.core import clock, jobs
from yanxiu.core.jobs import JobState

from .generate.forms_docx import render_application_docx
from .generate.summary import render_summary_docx, render_summary_xlsx
from .interfaces.summary import SUMMARY_STATES, summary_sheet
from .models import ExportJob, PdfRendition
from .renditions import convert_rendition


def export_queryset(job):
    user = User.objects.get(pk=job.requested_by_id)
    applications = Application.objects.visible_to(user).filter(call_id=job.call_id)
    if job.batch_id:
        # A batch's forms, in the authority's order (as on its 附件3).
        applications = applications.filter(batch_id=job.batch_id)
        order = ("authority_rank", "pk")
    else:
        applications = applications.filter(state__in=SUMMARY_STATES)
        order = ("institution__authority__code", "tier", "pk")
    return (
        applications.select_related("call", "institution", "institution__authority", "domain", "competent_department")
        .prefetch_related("call__tier_rules", "call__topic_areas", "topic_claims__area", "sessions", "lecturers")
        .order_by(*order)
    )


@jobs.tracked(ExportJob)
@task()
def build_export(job_id):
    """Idempotent: a rerun rebuilds the zip from scratch."""
    job = ExportJob.objects.select_related("call", "batch__authority").get(pk=job_id)
    applications = list(export_queryset(job))
    ExportJob.objects.filter(pk=job.pk).update(state=JobState.RUNNING, total=len(applications) + 2, done=0)
    try:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for number, application in enumerate(applications, start=1):
                rule = application.call.tier_rule(application.tier)
                folder = application.institution.authority.name
                title = (application.title or "未命名").replace("/", "／")[:40]
                archive.writestr(
                    f"{folder}/{rule.form_label}-{title}-{application.pk}.docx", render_application_docx(application)
                )
                if number % 10 == 0:
                    ExportJob.objects.filter(pk=job.pk).update(done=number)
            signer = job.batch.authority.name if job.batch_id else ""
            sheet = summary_sheet(applications, year=job.call.year, signer=signer)
            archive.writestr(f"附件3-汇总表-{job.call.year}.xlsx", render_summary_xlsx(sheet))
            archive.writestr(f"附件3-汇总表-{job.call.year}.docx", render_summary_docx(sheet))
        job.refresh_from_db()
        job.file.save(f"export-{job.pk}.zip", ContentFile(buffer.getvalue()), save=False)
        job.state, job.done, job.finished_at = JobState.DONE, job.total, clock.now()
        job.save(update_fields=["file", "state", "done", "finished_at"])
    except Exception as exc:  # recorded for the user, then re-raised for the worker's log
        ExportJob.objects.filter(pk=job.pk).update(state=JobState.FAILED, error=str(exc)[:2000])
        raise
    return job.pk


@jobs.tracked(PdfRendition)
@task(queue_name="pdf")
def make_pdf(rendition_id):
    """One PDF (renditions.request_pdf queued it); its own queue, so a bulk export never delays it."""
    return convert_rendition(rendition_id)
