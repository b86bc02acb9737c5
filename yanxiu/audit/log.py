from django.contrib.contenttypes.models import ContentType

from yanxiu.core import clock

from .models import AuditEntry


def record(obj, *, action, label, actor=None, from_state="", to_state="", reason="", data=None):
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
