"""core.compiled.by_ids: a list's row query compiled once per process, run again with other ids.
It keeps SQL, never rows: each call reads the database as it is now."""

import pytest

from tests import factories as f
from yanxiu.applications.domain import queries, workflow
from yanxiu.applications.models import Application
from yanxiu.core import compiled

pytestmark = pytest.mark.django_db


def _submitted(n):
    out = []
    for _ in range(n):
        application = f.complete("provincial", actor=f.staff(f.institution()))
        workflow.perform(application, "submit", application.created_by)
        out.append(application)
    return out


def _orm(ids):
    return queries._list_values(Application.objects.filter(pk__in=ids).order_by())


def _by_pk(rows):
    return {row["pk"]: row for row in rows}


def test_the_kept_query_gives_what_the_orm_gives_converters_included():
    a, b, c = _submitted(3)
    Application.objects.filter(pk=a.pk).update(check_summary=[{"code": "x", "message": "提醒", "reason": ""}])
    for ids in ([a.pk], [a.pk, b.pk], [c.pk, a.pk], [b.pk]):
        kept = compiled.by_ids("test.list_rows", _orm, ids)
        assert _by_pk(kept) == _by_pk(_orm(ids))
        assert sorted(_by_pk(kept)) == sorted(ids)  # the rows of these ids, not of an earlier call's
    (row,) = compiled.by_ids("test.list_rows", _orm, [a.pk])
    assert row["check_summary"] == [{"code": "x", "message": "提醒", "reason": ""}]  # JSON decoded
    assert row["start_date"] == Application.objects.get(pk=a.pk).start_date  # a date, not text


def test_a_write_shows_at_once_nothing_but_sql_is_kept():
    (a,) = _submitted(1)
    assert compiled.by_ids("test.list_rows", _orm, [a.pk])[0]["title"] == a.title
    Application.objects.filter(pk=a.pk).update(title="改过的名称")
    assert compiled.by_ids("test.list_rows", _orm, [a.pk])[0]["title"] == "改过的名称"
    assert queries.list_rows_in_order([a.pk])[0].title == "改过的名称"


def test_a_query_without_each_stand_in_once_is_run_through_the_orm_every_time():
    a, b = _submitted(2)
    compiled.by_ids("test.list_rows", _orm, [a.pk])

    def doubled(ids):  # every id twice in the parameters: no single place to put a real id
        return Application.objects.filter(pk__in=ids).filter(pk__in=ids).values("pk", "title")

    for ids in ([a.pk, b.pk], [b.pk, a.pk], [a.pk, b.pk]):
        assert _by_pk(compiled.by_ids("test.doubled", doubled, ids)) == _by_pk(doubled(ids))
    from django.db import connection

    assert connection._yanxiu_compiled[("test.doubled", 2)] is compiled._NOT_KEPT
    assert connection._yanxiu_compiled[("test.list_rows", 1)] is not compiled._NOT_KEPT
    assert compiled.by_ids("test.doubled", doubled, []) == []
