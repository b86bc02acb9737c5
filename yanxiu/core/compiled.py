"""A list page's row query compiled once per process, then run again with other ids (issue 26).

Building and compiling a values() query with its annotations and subqueries costs a list page
several milliseconds of Python on every render, although only the page's ids change. `by_ids`
keeps, per database connection, the SQL and parameters of `build(ids)` for each number of ids,
compiled once with stand-in ids, and runs it again with the real ids in their places, through
Django's own converters (dates, decimals, JSON): the rows are exactly what the queryset's
values() would give. Nothing else may vary between calls of one `key`: `build` must depend on
the ids alone (no date, no user); a query whose parameters do is not kept.

A stand-in id that the compiled parameters do not hold exactly once (Django folded or copied
it) is no place to put a real id: such a query is run through the ORM every time.
"""

from django.db import connection

# Stand-in ids: negative, far below any primary key, so no other parameter equals one.
_STAND_IN = -(10**15)
_NOT_KEPT = object()


def _compile(queryset, count):
    query = queryset.query
    compiler = query.get_compiler(queryset.db)
    sql, params = compiler.as_sql()
    stand_ins = [_STAND_IN - n for n in range(count)]
    places = []
    for stand_in in stand_ins:
        found = [i for i, param in enumerate(params) if param == stand_in]
        if len(found) != 1:
            return _NOT_KEPT
        places.append(found[0])
    names = [*query.extra_select, *query.values_select, *query.annotation_select]
    # compiler.select is set by as_sql(): the selected expressions, whose converters apply.
    converters = compiler.get_converters([expression for expression, _, _ in compiler.select])
    return compiler, sql, list(params), places, names, converters


def by_ids(key, build, ids):
    """[dict] of `build(ids)` (a values() queryset on the default database, filtered on these ids;
    any order), run from the SQL compiled for `key` and len(ids) on this thread's connection."""
    ids = list(ids)
    if not ids:
        return []
    kept = connection.__dict__.setdefault("_yanxiu_compiled", {})
    entry = kept.get((key, len(ids)))
    if entry is None:
        entry = kept[(key, len(ids))] = _compile(build([_STAND_IN - n for n in range(len(ids))]), len(ids))
    if entry is _NOT_KEPT:
        return list(build(ids))
    compiler, sql, params, places, names, converters = entry
    params = list(params)
    for place, pk in zip(places, ids, strict=True):
        params[place] = pk
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if converters:
        rows = compiler.apply_converters(rows, converters)
    return [dict(zip(names, row, strict=True)) for row in rows]
