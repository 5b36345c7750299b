"""values() queries whose SQL is built once per process and then run with other arguments.

Turning an annotated queryset into SQL (joins, correlated subqueries) costs Django a couple of
milliseconds, several times what PostgreSQL needs to run it for one project. A page that runs the
same query for every request with only an id changing can build it once:

    UNITS = PreparedValues(lambda project_id: ActivityUnit.objects.filter(...).values(...))
    rows = UNITS(project_id=7)  # list of dicts, as list(queryset) would give

The queryset is built with marker numbers for the arguments; the markers' places among the SQL
parameters are remembered and filled with the real arguments on each call. Rows are dicts with the
queryset's column names. Only for values() querysets whose columns need no conversion from the
database (numbers, text, dates, booleans); the tests compare each one with its ORM result.
"""

from django.db import connections

# Two sets of marker numbers, small enough for a smallint column (Django turns a lookup beyond a
# column's range into no condition at all). The query is built with both; a parameter counts as an
# argument only where it is the argument's marker in both, so a constant that happens to equal
# one marker is never taken for it.
_MARKERS = (31_001, 31_501)


class PreparedValues:
    def __init__(self, build):
        self.build = build
        self._compiled: dict[tuple, tuple] = {}

    def _sql(self, names: tuple[str, ...], base: int):
        queryset = self.build(**{name: base + i for i, name in enumerate(names)})
        alias = queryset.db  # where the database router sends this model's reads
        sql, params = queryset.query.get_compiler(alias).as_sql()
        return alias, sql, list(params)

    def _compile(self, names: tuple[str, ...]):
        alias, sql, params = self._sql(names, _MARKERS[0])
        _alias, other_sql, other_params = self._sql(names, _MARKERS[1])
        if sql != other_sql or len(params) != len(other_params):
            raise ValueError("the query's SQL depends on the values of its arguments; use the queryset")
        slots = []
        for first, second in zip(params, other_params, strict=True):
            slot = None
            for i, name in enumerate(names):
                if first == _MARKERS[0] + i and second == _MARKERS[1] + i:
                    slot = name
            slots.append(slot)
        missing = set(names) - set(slots)
        if missing:
            raise ValueError(f"arguments not found in the query's parameters: {sorted(missing)}")
        return alias, sql, params, slots

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
