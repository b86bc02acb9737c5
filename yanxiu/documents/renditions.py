"""PDFs made in the background and cached per source version (PdfRendition).

A web request never converts: `request_pdf` finds the PDF of these exact
source bytes, or records the source and queues `tasks.make_pdf` for the
worker, which converts it with the warm converter (generate/pdf.py).
"""

import hashlib
import time
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from yanxiu.core import clock

from .generate import pdf
from .models import PdfRendition

# A conversion not finished after this long was lost (a worker restarted): queue it again.
STALE_AFTER = timedelta(minutes=5)


def source_key(data, suffix):
    return hashlib.sha256(suffix.encode() + b"\0" + data).hexdigest()


def request_pdf(data, suffix=".docx", retry=False):
    """The rendition of `data`; queued for the worker if it is new (or failed and `retry`)."""
    from .tasks import make_pdf  # noqa: PLC0415 (tasks import this module)

    key = source_key(data, suffix)
    rendition = PdfRendition.objects.filter(key=key).first()
    if rendition is None:
        try:
            with transaction.atomic():
                rendition = PdfRendition.objects.create(key=key, suffix=suffix, source=data)
        except IntegrityError:  # another request created it first
            return PdfRendition.objects.get(key=key)
    else:
        lost = is_lost(rendition)
        again = retry and rendition.state == PdfRendition.State.FAILED
        if not (lost or again):
            return rendition
        PdfRendition.objects.filter(pk=rendition.pk).update(
            state=PdfRendition.State.QUEUED, source=data, error="", created_at=clock.now()
        )
        rendition.refresh_from_db()
    pk = rendition.pk
    transaction.on_commit(lambda: make_pdf.enqueue(pk))
    return rendition


def is_lost(rendition):
    """Queued or running for longer than any conversion takes: its worker was lost."""
    unfinished = rendition.state in (PdfRendition.State.QUEUED, PdfRendition.State.RUNNING)
    return unfinished and clock.now() - rendition.created_at > STALE_AFTER


def polled_rendition(key):
    """The rendition a progress page polls (its source version's key), without making the source
    again; None if there is none or it was lost (the caller then asks `request_pdf`, which requeues)."""
    rendition = PdfRendition.objects.filter(key=key).defer("source").first() if key else None
    return None if rendition is None or is_lost(rendition) else rendition


def convert_rendition(rendition_id):
    """The worker's part: convert one queued rendition (idempotent)."""
    claimed = PdfRendition.objects.filter(
        pk=rendition_id, state__in=[PdfRendition.State.QUEUED, PdfRendition.State.RUNNING]
    ).update(state=PdfRendition.State.RUNNING)
    if not claimed:
        return None
    rendition = PdfRendition.objects.get(pk=rendition_id)
    started = time.perf_counter()
    try:
        data = pdf.convert_to_pdf(bytes(rendition.source), suffix=rendition.suffix)
    except (pdf.ConverterMissing, pdf.ConversionFailed) as problem:
        PdfRendition.objects.filter(pk=rendition.pk).update(
            state=PdfRendition.State.FAILED, error=str(problem)[:2000], finished_at=clock.now()
        )
        return rendition.pk
    rendition.file.save(f"{rendition.key}.pdf", ContentFile(data), save=False)
    rendition.state, rendition.source, rendition.error = PdfRendition.State.DONE, b"", ""
    rendition.seconds, rendition.finished_at = time.perf_counter() - started, clock.now()
    rendition.save(update_fields=["file", "state", "source", "error", "seconds", "finished_at"])
    return rendition.pk


def forget_old(days=None):
    """Delete finished renditions (and their files) older than `days` (YANXIU_PDF_KEEP_DAYS, 30):
    a cache, so a later request for the same source converts it again. Returns how many."""
    days = days if days is not None else int(getattr(settings, "YANXIU_PDF_KEEP_DAYS", 30))
    old = PdfRendition.objects.filter(
        state__in=[PdfRendition.State.DONE, PdfRendition.State.FAILED],
        created_at__lt=clock.now() - timedelta(days=days),
    )
    count = 0
    for rendition in old.iterator():
        if rendition.file:
            rendition.file.delete(save=False)
        rendition.delete()
        count += 1
    return count
