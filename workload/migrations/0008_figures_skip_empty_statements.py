"""Statement triggers of the figures skip statements that changed no row.

An aspect is saved with INSERT … ON CONFLICT DO UPDATE: the INSERT trigger fires with no new
row and still ran a refresh of nothing, a good part of the statement's time.
"""

from django.db import migrations

FUNCTIONS = {
    "insert": "SELECT DISTINCT (to_jsonb(r) ->> TG_ARGV[0])::bigint FROM new_rows r",
    "update": (
        "SELECT (to_jsonb(r) ->> TG_ARGV[0])::bigint FROM new_rows r\n"
        "        UNION SELECT (to_jsonb(r) ->> TG_ARGV[0])::bigint FROM old_rows r"
    ),
    "delete": "SELECT DISTINCT (to_jsonb(r) ->> TG_ARGV[0])::bigint FROM old_rows r",
}


def guarded(event: str, rows: str) -> str:
    return f"""
CREATE OR REPLACE FUNCTION workload_figures_after_{event}() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE ids bigint[];
BEGIN
    ids := ARRAY({rows});
    IF cardinality(ids) > 0 THEN
        PERFORM workload_refresh_figures(ids);
    END IF;
    RETURN NULL;
END;
$$;
"""


def unguarded(event: str, rows: str) -> str:
    """As 0006 wrote them."""
    return f"""
CREATE OR REPLACE FUNCTION workload_figures_after_{event}() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM workload_refresh_figures(ARRAY(
        {rows}));
    RETURN NULL;
END;
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("workload", "0007_lock_waits_for_confirmation")]

    operations = [
        migrations.RunSQL(
            sql=[guarded(event, rows) for event, rows in FUNCTIONS.items()],
            reverse_sql=[unguarded(event, rows) for event, rows in FUNCTIONS.items()],
        )
    ]
