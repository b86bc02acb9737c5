"""The whole database (and the uploaded files) as a comparable value, for
"a refused request changes nothing" assertions.

Left out: sessions (logging in writes them), the public rate-limit counter
(it counts refused posts on purpose), django-tasks' results, and the security
events of the audit trail (a refusal is audited on purpose, issue 10)."""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection

from yanxiu.audit.models import SECURITY_ACTIONS

IGNORED = {
    "sessions.session",
    "delivery.postcounter",
    "django_tasks_db.dbtaskresult",
    "admin.logentry",
}


def snapshot():
    state = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in IGNORED or model._meta.proxy or not model._meta.managed:
            continue
        if label == "audit.auditentry":
            state[label] = list(model.objects.exclude(action__in=SECURITY_ACTIONS).order_by("pk").values_list())
            continue
        table, pk = connection.ops.quote_name(model._meta.db_table), connection.ops.quote_name(model._meta.pk.column)
        with connection.cursor() as cursor:  # raw rows: fast enough to compare after every refused request
            cursor.execute(f"SELECT * FROM {table} ORDER BY {pk}")  # noqa: S608 - quoted names from the models
            state[label] = cursor.fetchall()
    media = Path(settings.MEDIA_ROOT)
    state["media files"] = (
        sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()) if media.exists() else []
    )
    return state


def changes(before, after):
    """The tables (or the media files) that differ, for a readable failure."""
    return sorted(name for name in set(before) | set(after) if before.get(name) != after.get(name))
