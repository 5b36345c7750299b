"""The submissions' figures on the one mechanism both apps' summaries now share.

``summary_touched()`` (the same text as in progress 0012, which explains the mechanism) is the
statement trigger function of every table the figures come from: it hands the submissions a
statement wrote to ``workload_figures_touch``, the one entry point of this summary, which
recomputes them at once, in the statement, as before: an aspect is saved in one statement, and
the confirmation and the pages read the figures in the same transaction. The row triggers that
watch a column (a confirmation, the hours of a working day, a question moved to another aspect)
go through the same touch function. The refresh function, its advisory locks, the rows'
versions and ``workload_refresh_all_figures()`` do not change.

The three functions of 0006/0008 (``workload_figures_after_insert/update/delete``) are replaced
by ``summary_touched()`` and dropped.
"""

from django.db import migrations

# The same text in progress/migrations/0012_figures_statement_triggers.py.
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
CREATE OR REPLACE FUNCTION workload_figures_touch(ids bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF cardinality(ids) > 0 THEN
        PERFORM workload_refresh_figures(ids);
    END IF;
END;
$$;
"""


def row_functions(refresh: str) -> str:
    """The functions of the row triggers, as 0006 wrote them with ``refresh`` as what they call."""
    return f"""
CREATE OR REPLACE FUNCTION workload_figures_of_submission() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM {refresh}(ARRAY[NEW.id]);
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION workload_figures_of_questionnaire() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    questionnaire bigint;
BEGIN
    IF TG_TABLE_NAME = 'workload_questionnaire' THEN
        questionnaire := NEW.id;
    ELSIF TG_TABLE_NAME = 'workload_aspect' THEN
        questionnaire := NEW.questionnaire_id;
    ELSE
        SELECT a.questionnaire_id INTO questionnaire FROM workload_aspect a WHERE a.id = NEW.aspect_id;
    END IF;
    PERFORM {refresh}(ARRAY(
        SELECT s.id FROM workload_submission s WHERE s.questionnaire_id = questionnaire ORDER BY s.id));
    RETURN NULL;
END;
$$;
"""


# As 0008 left them.
AFTER_FUNCTIONS_0008 = {
    "insert": "SELECT DISTINCT (to_jsonb(r) ->> TG_ARGV[0])::bigint FROM new_rows r",
    "update": (
        "SELECT (to_jsonb(r) ->> TG_ARGV[0])::bigint FROM new_rows r\n"
        "        UNION SELECT (to_jsonb(r) ->> TG_ARGV[0])::bigint FROM old_rows r"
    ),
    "delete": "SELECT DISTINCT (to_jsonb(r) ->> TG_ARGV[0])::bigint FROM old_rows r",
}


def after_function_0008(event: str, rows: str) -> str:
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


REFERENCING = {
    "insert": "REFERENCING NEW TABLE AS new_rows",
    "update": "REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows",
    "delete": "REFERENCING OLD TABLE AS old_rows",
}
# Trigger name: (table, events, column naming the submission).
WATCHED = {
    "answer": ("workload_answer", ("insert", "update", "delete"), "submission_id"),
    "extraitem": ("workload_extraitem", ("insert", "update", "delete"), "submission_id"),
    "covered": ("workload_covereddistrict", ("insert", "update", "delete"), "submission_id"),
    # A submission's own update is a row trigger with a WHEN (workload_figures_of_submission).
    "submission": ("workload_submission", ("insert", "delete"), "id"),
}


def triggers(function) -> list[str]:
    out = []
    for name, (table, events, column) in WATCHED.items():
        for event in events:
            out += [
                f"DROP TRIGGER workload_figures_{name}_{event} ON {table}",
                f"CREATE TRIGGER workload_figures_{name}_{event} AFTER {event.upper()} ON {table} "
                f"{REFERENCING[event]} FOR EACH STATEMENT EXECUTE FUNCTION {function(event, column)}",
            ]
    return out


FORWARD = [
    SUMMARY_TOUCHED,
    TOUCH,
    row_functions("workload_figures_touch"),
    *triggers(lambda event, column: f"summary_touched('workload_figures_touch', '{column}')"),
    *(f"DROP FUNCTION workload_figures_after_{event}()" for event in AFTER_FUNCTIONS_0008),
]
REVERSE = [
    *(after_function_0008(event, rows) for event, rows in AFTER_FUNCTIONS_0008.items()),
    *triggers(lambda event, column: f"workload_figures_after_{event}('{column}')"),
    row_functions("workload_refresh_figures"),
    "DROP FUNCTION IF EXISTS workload_figures_touch(bigint[])",
    DROP_SUMMARY_TOUCHED_IF_UNUSED,
]


class Migration(migrations.Migration):
    dependencies = [("workload", "0013_answer_check")]

    operations = [migrations.RunSQL(sql=FORWARD, reverse_sql=REVERSE)]
