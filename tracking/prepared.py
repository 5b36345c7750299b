"""values() queries whose SQL is built once per process and then run with other arguments.

Turning an annotated queryset into SQL (joins, correlated subqueries) costs Django a couple of
milliseconds, several times what PostgreSQL needs to run it for one project. A page that runs the
same query for every request with only an id changing can build it once:

    UNITS = PreparedValues(lambda project_id: ActivityUnit.objects.filter(...).values(...))
    rows = UNITS(project_id=7)  # list of dicts, as list(queryset) would give

The queryset is built with a marker number for each argument; the markers' places among the SQL
parameters are remembered and filled with the real arguments on each call. Rows are dicts with the
queryset's column names. Only for values() querysets whose columns need no conversion from the
database (numbers, text, dates, booleans); the tests compare each one with its ORM result.
"""

from django.db import connections

_MARKER_BASE = 1_987_654_321


class PreparedValues:
    def __init__(self, build):
        self.build = build
        self._compiled: dict[tuple, tuple] = {}

    def _compile(self, names: tuple[str, ...]):
        markers = {name: _MARKER_BASE + i for i, name in enumerate(names)}
        queryset = self.build(**markers)
        alias = queryset.db  # where the database router sends this model's reads
        sql, params = queryset.query.get_compiler(alias).as_sql()
        by_marker = {marker: name for name, marker in markers.items()}
        slots = [by_marker.get(param) if isinstance(param, int) else None for param in params]
        missing = set(names) - set(slots)
        if missing:
            raise ValueError(f"arguments not found in the query's parameters: {sorted(missing)}")
        return alias, sql, list(params), slots

    def __call__(self, **arguments) -> list[dict]:
        names = tuple(sorted(arguments))
        compiled = self._compiled.get(names)
        if compiled is None:
            compiled = self._compiled[names] = self._compile(names)
        alias, sql, params, slots = compiled
        values = [arguments[slot] if slot else param for param, slot in zip(params, slots, strict=True)]
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, values)
            columns = [column.name for column in cursor.description]
            return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
