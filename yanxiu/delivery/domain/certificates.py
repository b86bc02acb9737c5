"""Completion certificates: who earns one, serial numbers, verification."""

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.urls import reverse

from yanxiu.audit.log import record
from yanxiu.core import clock
from yanxiu.core.refusal import Refused

from ..enums import ProgrammeState
from ..models import Certificate, CertificateJob, Programme
from .attendance import summaries
from .programmes import require_host


def serial_prefix(programme):
    return f"FJZSGX{programme.call.year}{programme.pk:04d}"


def verification_url(certificate):
    return settings.SITE_URL.rstrip("/") + reverse("delivery_public:verify", args=[certificate.token])


def lookup_url():
    """Where anyone can check a certificate by its serial number and the holder's name."""
    return settings.SITE_URL.rstrip("/") + reverse("delivery_public:verify_lookup")


@transaction.atomic
def issue(programme, actor):
    """Certificates for every approved trainee who attended enough (idempotent:
    a rerun issues only the missing ones; hours of issued ones never change)."""
    require_host(actor, programme)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if programme.state == ProgrammeState.NOT_COMPLETED:
        raise Refused("项目已认定未按计划完成，不能颁发结业证书。")
    if programme.end_date >= clock.today():
        raise Refused("研修班结束后才能颁发结业证书。")
    eligible = [s for s in summaries(programme) if s.eligible]
    if not eligible:
        raise Refused("没有达到出勤要求的学员，无法颁发结业证书。")
    have = set(Certificate.objects.filter(trainee__programme=programme).values_list("trainee_id", flat=True))
    prefix = serial_prefix(programme)
    last = Certificate.objects.filter(serial__startswith=prefix).aggregate(m=Max("serial"))["m"]
    number = int(last[len(prefix) :]) if last else 0
    now = clock.now()
    new = []
    for summary in eligible:
        if summary.trainee.pk in have:
            continue
        number += 1
        new.append(
            Certificate(
                trainee=summary.trainee,
                serial=f"{prefix}{number:03d}",
                credit_hours=summary.credit_hours,
                issued_at=now,
            )
        )
    Certificate.objects.bulk_create(new)
    if new:
        record(programme, action="issue_certificates", label="颁发结业证书", actor=actor, data={"count": len(new)})
    return new


def start_job(programme, actor, *, enqueue):
    """Record the job that issues the certificates and builds their PDF, with its audit entry;
    `enqueue(job_pk)` (the task's, passed by the caller: tasks sit above the domain) runs after commit."""
    require_host(actor, programme)
    if programme.state == ProgrammeState.NOT_COMPLETED:
        raise Refused("项目已认定未按计划完成，不能颁发结业证书。")
    with transaction.atomic():
        job = CertificateJob.objects.create(programme=programme, requested_by=actor, created_at=clock.now())
        record(programme, action="start_certificates", label="开始生成结业证书", actor=actor, data={"job": job.pk})
        transaction.on_commit(lambda: enqueue(job.pk))
    return job
