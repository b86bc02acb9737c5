"""A copy of every table's rows, taken once and put back before each test that needs it.

For transactional tests (the browser tests' live server needs committed data): the demo is seeded
once per worker and copied; each test empties the tables and loads the copy, which gives it the
same rows, with the same ids, that the seeding left (decision 0029, "Reaching 15 minutes").
A copy of some tables is added to what the others hold (``take(tables)``, ``add``): the reference
dictionaries the factories import once per process (tests/factories.reference_data, decision 0033).

SQLite: the rows as Python values, inserted back with ``executemany``. PostgreSQL: ``COPY … TO
STDOUT`` and ``COPY … FROM STDIN`` (text format, every type round-trips), then the sequences set
past the copied ids. The tables are Django's (the ones ``flush`` empties); foreign keys are
deferred to the end of the transaction on both databases, so the order of the tables is free.
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, transaction


def _tables():
    return sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))


def take(tables=None):
    """Every Django table's rows (or those of `tables`), as {table: rows} (bytes of COPY text on
    PostgreSQL)."""
    copy = {}
    with connection.cursor() as cursor:
        for table in tables or _tables():
            name = connection.ops.quote_name(table)
            if connection.vendor == "postgresql":
                with cursor.copy(f"COPY {name} TO STDOUT") as out:
                    copy[table] = b"".join(bytes(block) for block in out)
            else:
                cursor.execute(f"SELECT * FROM {name}")  # noqa: S608 - a quoted table name from Django
                copy[table] = cursor.fetchall()
    return copy


def put_back(copy):
    """Empty every Django table and load `copy` into them, in one transaction."""
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in connection.ops.sql_flush(no_style(), _tables(), allow_cascade=True):
            cursor.execute(statement)
        add(copy)
    # The content types' cache maps models to ids: the copy's ids, not the ones flush's post_migrate made.
    ContentType.objects.clear_cache()


def row_counts(tables=None):
    """{table: number of rows} of every Django table (or of `tables`)."""
    with connection.cursor() as cursor:
        counts = {}
        for table in tables or _tables():
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
        return counts


def add(copy):
    """Insert the rows of `copy` into their tables, with their ids; on PostgreSQL the copied
    tables' sequences are then set past the highest id (a later insert must not reuse one)."""
    with transaction.atomic(), connection.cursor() as cursor:
        for table, rows in copy.items():
            if not rows:
                continue
            name = connection.ops.quote_name(table)
            if connection.vendor == "postgresql":
                with cursor.copy(f"COPY {name} FROM STDIN") as into:
                    into.write(rows)
            else:
                marks = ", ".join(["%s"] * len(rows[0]))
                cursor.executemany(f"INSERT INTO {name} VALUES ({marks})", rows)  # noqa: S608
        if connection.vendor == "postgresql":
            models = [m for m in apps.get_models(include_auto_created=True) if m._meta.db_table in copy]
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)
