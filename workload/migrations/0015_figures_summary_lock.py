"""The figures' refresh function takes its locks through ``summary_lock()`` (tracking 0001).

``workload_refresh_figures`` is 0006's text with its lock step, which progress's refresh function
repeated with another lock id, replaced by the call; nothing else in it changes.
"""

from importlib import import_module

from django.db import migrations

FIGURES_LOCK = 1919250037  # the lock id of this summary (progress's is 1919250036)

summary_lock = import_module("tracking.migrations.0001_summary_lock")
REFRESH, REFRESH_0006 = summary_lock.through_summary_lock(
    import_module("workload.migrations.0006_submission_figures_triggers").SQL, "workload_refresh_figures", FIGURES_LOCK
)


class Migration(migrations.Migration):
    dependencies = [("workload", "0014_figures_statement_triggers"), ("tracking", "0001_summary_lock")]

    operations = [migrations.RunSQL(sql=REFRESH, reverse_sql=REFRESH_0006)]
