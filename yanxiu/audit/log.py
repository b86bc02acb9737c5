from django.contrib.contenttypes.models import ContentType
from django.db.models import F

from yanxiu.core import clock

from .models import AuditEntry, DataVersion


def bump_version():
    """Every audited write moves the data version on (see DataVersion)."""
    if not DataVersion.objects.filter(pk=1).update(value=F("value") + 1):
        DataVersion.objects.get_or_create(pk=1, defaults={"value": 1})


def data_version():
    return DataVersion.objects.filter(pk=1).values_list("value", flat=True).first() or 0


def record(obj, *, action, label, actor=None, from_state="", to_state="", reason="", data=None):
    bump_version()
    return AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        action=action,
        action_label=label,
        actor=actor,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        data=data or {},
        created_at=clock.now(),
    )
