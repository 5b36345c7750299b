"""``summary_lock()``: the one lock step of both trigger-kept summaries.

The refresh functions of the ALRO figures (``progress_refresh_figures``, progress 0004) and of
the DLA figures (``workload_refresh_figures``, workload 0006) began with the same lock step,
written twice, differing only in the summary's lock id. It is written once here; progress 0013
and workload 0015 replace each function's copy with a call (``PERFORM summary_lock(id, ids)``).

The lock step: concurrent refreshes of the same row take an advisory lock on its key, in key
order, so a later one waits and then reads the committed rows; a batch of more than 1,000 keys
takes one exclusive lock on the whole summary instead (the lock table is finite), which every
smaller batch shares.

The shell's migration, not one app's: each app's migration depends on it, neither on the other.
"""

from django.db import migrations

BATCH = 1000


def lock_step(summary: str) -> str:
    """The lock step's text, with ``summary`` as the lock id, as progress 0004 and workload 0006 wrote it."""
    return f"""    IF cardinality(ids) > {BATCH} THEN
        PERFORM pg_advisory_xact_lock({summary}, 0);
    ELSE
        PERFORM pg_advisory_xact_lock_shared({summary}, 0);
        PERFORM pg_advisory_xact_lock({summary}, x.id::int)
        FROM (SELECT DISTINCT unnest(ids) AS id ORDER BY 1) AS x;
    END IF;
"""


SUMMARY_LOCK = f"""
CREATE OR REPLACE FUNCTION summary_lock(summary integer, ids bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
{lock_step("summary")}END;
$$;
"""


def through_summary_lock(released_sql: str, function: str, summary: int) -> tuple[str, str]:
    """``function`` as the released migration's ``released_sql`` created it, with its lock step a call.

    Returns (the function calling ``summary_lock``, the function as released). The rest of the
    text is the released one, unchanged: a released migration never changes, so neither does this.
    """
    start = released_sql.index(f"CREATE OR REPLACE FUNCTION {function}(")
    end = released_sql.index("\n$$;\n", start) + len("\n$$;\n")
    released = released_sql[start:end]
    step = lock_step(str(summary))
    if released.count(step) != 1:
        raise ValueError(f"{function}: the lock step of summary {summary} is not written once")
    return released.replace(step, f"    PERFORM summary_lock({summary}, ids);\n"), released


class Migration(migrations.Migration):
    dependencies = []

    operations = [
        migrations.RunSQL(sql=SUMMARY_LOCK, reverse_sql="DROP FUNCTION IF EXISTS summary_lock(integer, bigint[])")
    ]
