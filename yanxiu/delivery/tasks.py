"""Background job: issue the certificates of a programme and build one PDF
with a page per certificate (one LibreOffice conversion for the lot).
Idempotent: a rerun issues only missing certificates and rebuilds the file."""

from django.core.files.base import ContentFile
from django_tasks import task

from yanxiu.core import clock, jobs
from yanxiu.core.jobs import JobState
from yanxiu.core.refusal import Refused
from yanxiu.documents.generate.pdf import convert_to_pdf

from .domain.certificates import issue
from .interfaces.docs import certificate_pages
from .models import Certificate, CertificateJob


@jobs.tracked(CertificateJob)
@task()
def build_certificates(job_id):
    job = CertificateJob.objects.select_related("programme", "requested_by").get(pk=job_id)
    try:
        try:
            issue(job.programme, job.requested_by)
        except Refused as refusal:
            if not Certificate.objects.filter(trainee__programme=job.programme).exists():
                raise
            del refusal  # nothing new to issue: rebuild the file of those already issued
        certificates = list(
            Certificate.objects.filter(trainee__programme=job.programme).select_related(
                "trainee",
                "trainee__programme",
                "trainee__programme__application",
                "trainee__programme__application__call",
                "trainee__programme__application__institution",
            )
        )
        total = len(certificates) + 1  # the pages, then the conversion
        CertificateJob.objects.filter(pk=job.pk).update(state=JobState.RUNNING, total=total, done=0)

        def on_page(number):
            if number % 5 == 0:
                CertificateJob.objects.filter(pk=job.pk).update(done=number)

        docx = certificate_pages(certificates, on_page)
        CertificateJob.objects.filter(pk=job.pk).update(done=len(certificates))
        pdf = convert_to_pdf(docx)
        job.refresh_from_db()
        job.file.save(f"certificates-{job.programme_id}-{job.pk}.pdf", ContentFile(pdf), save=False)
        job.state, job.done, job.finished_at = JobState.DONE, total, clock.now()
        job.save(update_fields=["file", "state", "done", "finished_at"])
    except Exception as exc:  # shown to the user, re-raised for the worker's log
        CertificateJob.objects.filter(pk=job.pk).update(state=JobState.FAILED, error=str(exc)[:2000])
        raise
    return job.pk
