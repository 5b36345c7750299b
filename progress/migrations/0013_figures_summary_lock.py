"""The figures' refresh function takes its locks through ``summary_lock()`` (tracking 0001).

``progress_refresh_figures`` is 0004's text with its lock step, which workload's refresh function
repeated with another lock id, replaced by the call; nothing else in it changes.
"""

from importlib import import_module

from django.db import migrations

FIGURES_LOCK = 1919250036  # the lock id of this summary (workload's is 1919250037)

summary_lock = import_module("tracking.migrations.0001_summary_lock")
REFRESH, REFRESH_0004 = summary_lock.through_summary_lock(
    import_module("progress.migrations.0004_figures_triggers").SQL, "progress_refresh_figures", FIGURES_LOCK
)


class Migration(migrations.Migration):
    dependencies = [("progress", "0012_figures_statement_triggers"), ("tracking", "0001_summary_lock")]

    operations = [migrations.RunSQL(sql=REFRESH, reverse_sql=REFRESH_0004)]
