import json
import random

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.models import F

from yanxiu.core import clock
from yanxiu.core.net import client_ip
from yanxiu.core.page_versions import USER_PARTS

from .models import DATA_VERSION_SLOTS, SECURITY_ACTIONS, AuditEntry, DataVersion, Outcome


def _slot():
    """This connection's slot of the data version (1..DATA_VERSION_SLOTS), fixed for its life."""
    slot = getattr(connection, "_yanxiu_version_slot", None)
    if slot is None:
        slot = connection._yanxiu_version_slot = random.randint(1, DATA_VERSION_SLOTS)  # not a secret
    return slot


def bump_version():
    """Every audited write moves the data version on (see DataVersion): one slot's row."""
    slot = _slot()
    if DataVersion.objects.filter(pk=slot).update(value=F("value") + 1):
        return
    _, created = DataVersion.objects.get_or_create(pk=slot, defaults={"value": 1})
    if not created:  # another connection inserted the slot meanwhile
        DataVersion.objects.filter(pk=slot).update(value=F("value") + 1)


def versions(user_id=None):
    """(the data version, the last admin change's id, *the user's parts), read in one statement:
    the admin writes a LogEntry, not an audit entry, and the parts are what other apps add about
    the user (core.page_versions: the unread count). Every conditional page and every 304 asks
    it, so it is plain SQL, a tenth of the cost of compiling the same reads through the ORM."""
    quote = connection.ops.quote_name
    reads = [
        f"SELECT SUM(value) FROM {quote(DataVersion._meta.db_table)}",  # noqa: S608 (table names)
        f"SELECT MAX(id) FROM {quote(LogEntry._meta.db_table)}",  # noqa: S608
        *USER_PARTS,
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"({sql})" for sql in reads), [user_id] * len(USER_PARTS))
        total, last_admin_change, *parts = cursor.fetchone()
    return int(total or 0), last_admin_change or 0, *parts


def data_version():
    """The sum of the slots, read in one statement."""
    return versions()[0]


def record(obj, *, action, label, actor=None, from_state="", to_state="", reason="", data=None):
    bump_version()
    return AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        action=action,
        action_label=label,
        actor=actor,
        username=getattr(actor, "username", "") or "",
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        data=data or {},
        created_at=clock.now(),
    )


def as_json(value):
    """`value` as the audit trail stores it: dates, decimals and ids as JSON would write them."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def changes(before, after):
    """What changed between two dicts of values: {"before": {...}, "after": {...}}, changed keys only."""
    before, after = as_json(before or {}), as_json(after or {})
    changed = sorted(key for key in before.keys() | after.keys() if before.get(key) != after.get(key))
    return {
        "before": {key: before.get(key) for key in changed},
        "after": {key: after.get(key) for key in changed},
    }


def record_change(obj, *, action, label, actor, before, after, reason="", data=None):
    """An audit entry for an edit, with what it changed (before/after of the changed values only).

    Like Indico's `make_diff_log`: the auditor sees which values moved, not a copy of the object.
    `data` adds context that is not a change (the half-day an attendance list is for, say)."""
    return record(
        obj, action=action, label=label, actor=actor, reason=reason, data={**(data or {}), **changes(before, after)}
    )


def security_event(request, action, *, outcome=Outcome.SUCCESS, user=None, username="", reason="", data=None):
    """A login, failed login, logout, lockout, password change or refusal:
    time, account, client address, outcome."""
    if user is None and request is not None:
        candidate = getattr(request, "user", None)
        user = candidate if getattr(candidate, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(user) if user else None,
        object_id=user.pk if user else None,
        action=action,
        action_label=SECURITY_ACTIONS[action],
        actor=user,
        username=(username or getattr(user, "username", "") or "")[:150],
        client_ip=client_ip(request) if request is not None else "",
        outcome=outcome,
        reason=reason,
        data=data or {},
        created_at=clock.now(),
    )


def permission_denied(request, exception=None):
    """Audit a refused request (403). Called by the security middleware for every
    PermissionDenied; a 403 handler may call it too (it records once per request)."""
    if getattr(request, "_audited_refusal", False):
        return None
    request._audited_refusal = True
    reason = str(exception) if exception is not None and str(exception) else ""
    return security_event(
        request,
        "permission_denied",
        outcome=Outcome.REFUSED,
        reason=reason[:500],
        data={"path": request.path[:300], "method": request.method},
    )
