"""An atomic per-hour counter of public posts (one database row per client, form and hour)."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F

from yanxiu.core import clock

from ..models import PostCounter


def count_post(bucket, client):
    """Add one post and return how many this client made to `bucket` this hour (this one included)."""
    now = clock.now()
    hour = now.replace(minute=0, second=0, microsecond=0)
    key = f"{bucket}:{client}:{hour:%Y%m%d%H}"[:200]
    for _ in range(3):
        with transaction.atomic():
            if PostCounter.objects.filter(key=key).update(count=F("count") + 1):
                return PostCounter.objects.values_list("count", flat=True).get(key=key)
            try:
                with transaction.atomic():
                    PostCounter.objects.create(key=key, count=1, hour=hour)
                return 1
            except IntegrityError:
                continue  # another request created it first: increment theirs
    raise RuntimeError("rate counter unavailable")


def forget_old(hours=24):
    return PostCounter.objects.filter(hour__lt=clock.now() - timedelta(hours=hours)).delete()[0]
