"""The figures summary on the one mechanism both apps' summaries now share.

Until now the two summaries were kept two ways: progress queued every written row's assigned
unit from a row trigger and recomputed the queued units at commit; workload recomputed the
touched submissions at the end of each statement, from statement triggers with transition
tables. One mechanism now serves both:

- ``summary_touched()`` is the one trigger function of both summaries: a statement trigger
  (``AFTER INSERT``, ``UPDATE`` or ``DELETE ... FOR EACH STATEMENT`` with its transition tables)
  reads the keys the statement wrote from the column named by its second argument, and hands
  them, once per statement and only when there are any, to the summary's *touch* function named
  by its first argument. A bulk update of a year's plan is one call, not one per row.
- Each summary has one touch function, ``<summary>_touch(ids bigint[])``, the single entry point
  of every trigger of that summary (the few row triggers that watch a column with a WHEN, such
  as a project's fiscal year, call it too). It decides when the rows are recomputed:
  ``progress_figures_touch`` puts the assigned units in the transaction's queue, recomputed once
  at commit by the deferred ``progress_figures_flush`` (a month's results, steps and indicators
  are several statements on one unit, recomputed once); ``workload_figures_touch`` (workload
  0014) recomputes at once (an aspect is saved in one statement, and the confirmation reads the
  figures in the same transaction).
- Unchanged: the refresh functions and their advisory locks, the queue and its flush, the
  fiscal years' data versions (``progress_figuresversion``, read by the page caches),
  ``progress_refresh_all_figures()``.

``summary_touched()`` is created with the same text by this migration and by workload 0014, so
neither app's history needs the other's; going back, it is dropped only when no trigger uses it.
"""

from django.db import migrations

# The same text in workload/migrations/0014_figures_statement_triggers.py.
SUMMARY_TOUCHED = """
CREATE OR REPLACE FUNCTION summary_touched() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    ids bigint[];
BEGIN
    -- TG_ARGV[0]: the summary's touch function; TG_ARGV[1]: the column that names its key.
    IF TG_OP = 'INSERT' THEN
        ids := ARRAY(SELECT DISTINCT (to_jsonb(r) ->> TG_ARGV[1])::bigint FROM new_rows r);
    ELSIF TG_OP = 'UPDATE' THEN
        ids := ARRAY(SELECT (to_jsonb(r) ->> TG_ARGV[1])::bigint FROM new_rows r
                     UNION SELECT (to_jsonb(r) ->> TG_ARGV[1])::bigint FROM old_rows r);
    ELSE
        ids := ARRAY(SELECT DISTINCT (to_jsonb(r) ->> TG_ARGV[1])::bigint FROM old_rows r);
    END IF;
    IF cardinality(ids) > 0 THEN
        EXECUTE format('SELECT %I($1)', TG_ARGV[0]) USING ids;
    END IF;
    RETURN NULL;
END;
$$;
"""

DROP_SUMMARY_TOUCHED_IF_UNUSED = """
DO $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid WHERE p.proname = 'summary_touched'
    ) THEN
        DROP FUNCTION IF EXISTS summary_touched();
    END IF;
END;
$$;
"""

TOUCH = """
CREATE OR REPLACE FUNCTION progress_figures_touch(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO progress_figures_queue (txid, activity_unit_id)
    SELECT txid_current(), x.id FROM (SELECT DISTINCT unnest(ids) AS id) x WHERE x.id IS NOT NULL
    ON CONFLICT DO NOTHING;
$$;

-- Steps and indicators belong to an activity: every unit assigned to it.
CREATE OR REPLACE FUNCTION progress_figures_touch_activities(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
    SELECT progress_figures_touch(ARRAY(SELECT au.id FROM projects_activityunit au WHERE au.activity_id = ANY(ids)));
$$;
"""

# The row triggers that stay (they watch a column, with a WHEN): through the touch function.
ENQUEUE = """
CREATE OR REPLACE FUNCTION progress_figures_enqueue() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    keys bigint[] := ARRAY[]::bigint[];
BEGIN
    IF TG_OP <> 'DELETE' THEN
        keys := keys || (to_jsonb(NEW) ->> TG_ARGV[1])::bigint;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        keys := keys || (to_jsonb(OLD) ->> TG_ARGV[1])::bigint;
    END IF;
    IF TG_ARGV[0] = 'unit' THEN
        PERFORM progress_figures_touch(keys);
    ELSIF TG_ARGV[0] = 'activity' THEN
        PERFORM progress_figures_touch_activities(keys);
    ELSE
        PERFORM progress_figures_touch(ARRAY(
            SELECT au.id FROM projects_activityunit au
            JOIN projects_activity a ON a.id = au.activity_id
            WHERE a.project_id = ANY(keys)
        ));
    END IF;
    RETURN NULL;
END;
$$;
"""

# As 0004 wrote it.
ENQUEUE_0004 = """
CREATE OR REPLACE FUNCTION progress_figures_enqueue() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    keys bigint[] := ARRAY[]::bigint[];
    ids bigint[];
BEGIN
    IF TG_OP <> 'DELETE' THEN
        keys := keys || (to_jsonb(NEW) ->> TG_ARGV[1])::bigint;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        keys := keys || (to_jsonb(OLD) ->> TG_ARGV[1])::bigint;
    END IF;
    IF TG_ARGV[0] = 'unit' THEN
        ids := keys;
    ELSIF TG_ARGV[0] = 'activity' THEN
        ids := ARRAY(SELECT au.id FROM projects_activityunit au WHERE au.activity_id = ANY(keys));
    ELSE
        ids := ARRAY(
            SELECT au.id FROM projects_activityunit au
            JOIN projects_activity a ON a.id = au.activity_id
            WHERE a.project_id = ANY(keys)
        );
    END IF;
    INSERT INTO progress_figures_queue (txid, activity_unit_id)
    SELECT txid_current(), x.id FROM (SELECT DISTINCT unnest(ids) AS id) x WHERE x.id IS NOT NULL
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$;
"""

# Table: (trigger name, touch function, column naming the key).
WATCHED = {
    "projects_activityunit": ("activityunit", "progress_figures_touch", "id"),
    "projects_monthlyplan": ("monthlyplan", "progress_figures_touch", "activity_unit_id"),
    "projects_budgetallocation": ("budgetallocation", "progress_figures_touch", "activity_unit_id"),
    "projects_indicatortarget": ("indicatortarget", "progress_figures_touch", "activity_unit_id"),
    "progress_performanceresult": ("performanceresult", "progress_figures_touch", "activity_unit_id"),
    "progress_stepprogress": ("stepprogress", "progress_figures_touch", "activity_unit_id"),
    "progress_indicatorresult": ("indicatorresult", "progress_figures_touch", "activity_unit_id"),
    "progress_disbursement": ("disbursement", "progress_figures_touch", "activity_unit_id"),
    "progress_transfer": ("transfer", "progress_figures_touch", "activity_unit_id"),
    "projects_step": ("step", "progress_figures_touch_activities", "activity_id"),
    "projects_indicator": ("indicator", "progress_figures_touch_activities", "activity_id"),
}
REFERENCING = {
    "insert": "REFERENCING NEW TABLE AS new_rows",
    "update": "REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows",
    "delete": "REFERENCING OLD TABLE AS old_rows",
}


def statement_triggers() -> list[str]:
    return [
        f"CREATE TRIGGER progress_figures_{name}_{event} AFTER {event.upper()} ON {table} "
        f"{REFERENCING[event]} FOR EACH STATEMENT EXECUTE FUNCTION summary_touched('{touch}', '{column}')"
        for table, (name, touch, column) in WATCHED.items()
        for event in REFERENCING
    ]


def drop_statement_triggers() -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS progress_figures_{name}_{event} ON {table}"
        for table, (name, _touch, _column) in WATCHED.items()
        for event in REFERENCING
    ]


def row_triggers_0004() -> list[str]:
    """The row triggers as 0004 created them."""
    how = {"progress_figures_touch": "unit", "progress_figures_touch_activities": "activity"}
    return [
        f"CREATE TRIGGER progress_figures_{name} AFTER INSERT OR UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION progress_figures_enqueue('{how[touch]}', '{column}')"
        for table, (name, touch, column) in WATCHED.items()
    ]


FORWARD = [
    SUMMARY_TOUCHED,
    TOUCH,
    ENQUEUE,
    *(f"DROP TRIGGER progress_figures_{name} ON {table}" for table, (name, _t, _c) in WATCHED.items()),
    *statement_triggers(),
]
REVERSE = [
    *drop_statement_triggers(),
    ENQUEUE_0004,
    *row_triggers_0004(),
    "DROP FUNCTION IF EXISTS progress_figures_touch_activities(bigint[])",
    "DROP FUNCTION IF EXISTS progress_figures_touch(bigint[])",
    DROP_SUMMARY_TOUCHED_IF_UNUSED,
]


class Migration(migrations.Migration):
    dependencies = [("progress", "0011_result_check")]

    operations = [migrations.RunSQL(sql=FORWARD, reverse_sql=REVERSE)]
