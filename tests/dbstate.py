"""The whole database (and the uploaded files) as a comparable value, for
"a refused request changes nothing" assertions; and ``Unchanged``, the same assertion
without reading the whole database twice when nothing was written.

Left out: sessions (logging in writes them), the public rate-limit counter
(it counts refused posts on purpose), django-tasks' results, and the security
events of the audit trail (a refusal is audited on purpose, issue 10)."""

import functools
import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction

from yanxiu.audit.models import SECURITY_ACTIONS, AuditEntry

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
    state["media files"] = media_files()
    return state


def changes(before, after):
    """The tables (or the media files) that differ, for a readable failure."""
    return sorted(name for name in set(before) | set(after) if before.get(name) != after.get(name))


# A statement that writes, and the table it writes; a statement that only reads or moves a savepoint.
WRITE = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
READ = re.compile(r"^\s*(SELECT|SAVEPOINT|RELEASE|ROLLBACK\s+TO)\b", re.IGNORECASE)


def media_files():
    media = Path(settings.MEDIA_ROOT)
    return sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()) if media.exists() else []


class Unchanged:
    """``with Unchanged() as unchanged: <request>`` then ``unchanged.changes`` is what the block
    changed, as ``changes(snapshot(), snapshot())`` would say, at a fraction of its cost.

    The block's statements are watched on the test's connection (the test client, and the
    immediate task backend, run on it). Nothing written but to the tables ``snapshot`` leaves out
    and security events appended to the audit trail: nothing changed, and the whole database is
    not read. Any other write (or a statement it cannot classify): the database is read after the
    block, the block is rolled back to a savepoint taken before it, read again and compared; so
    the block's writes are undone then (the callers roll back anyway). The media files are
    listed before and after. Must run inside a transaction (a test's).
    """

    def __enter__(self):
        self.written, self.unclassified, self.audit_rewritten = set(), [], False
        self.media = media_files()
        self.last_entry = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        self.savepoint = transaction.savepoint()
        self.watching = connection.execute_wrapper(self._watch)
        self.watching.__enter__()
        return self

    def _watch(self, execute, sql, params, many, context):
        if not READ.match(sql):
            write = WRITE.match(sql)
            if write is None:
                self.unclassified.append(sql)
            else:
                self.written.add(write.group(2))
                appends = write.group(1).upper().startswith("INSERT")
                self.audit_rewritten |= write.group(2) == AuditEntry._meta.db_table and not appends
        return execute(sql, params, many, context)

    def __exit__(self, *exc):
        self.watching.__exit__(*exc)
        if exc[0] is not None:
            return
        self.changes = ["media files"] if media_files() != self.media else []
        audit = AuditEntry._meta.db_table
        if audit in self.written and not self.audit_rewritten:
            appended = AuditEntry.objects.filter(pk__gt=self.last_entry).exclude(action__in=SECURITY_ACTIONS)
            if appended.exists():
                self.changes.append("audit.auditentry")
            self.written.discard(audit)
        if self.unclassified or self.written - ignored_tables():
            after = snapshot()
            transaction.savepoint_rollback(self.savepoint)
            self.changes = sorted(set(self.changes) | set(changes(snapshot(), after)))
        else:
            transaction.savepoint_commit(self.savepoint)


@functools.cache
def ignored_tables():
    return {model._meta.db_table for model in apps.get_models() if model._meta.label_lower in IGNORED}
