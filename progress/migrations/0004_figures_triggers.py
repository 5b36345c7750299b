"""Each assigned unit's figures kept by PostgreSQL: see progress/sql/0004_figures.sql."""

from pathlib import Path

from django.db import migrations

SQL = (Path(__file__).resolve().parent.parent / "sql" / "0004_figures.sql").read_text(encoding="utf-8")

TRIGGERS = {
    "projects_activityunit": "activityunit",
    "projects_monthlyplan": "monthlyplan",
    "projects_budgetallocation": "budgetallocation",
    "projects_indicatortarget": "indicatortarget",
    "progress_performanceresult": "performanceresult",
    "progress_stepprogress": "stepprogress",
    "progress_indicatorresult": "indicatorresult",
    "progress_disbursement": "disbursement",
    "progress_transfer": "transfer",
    "projects_step": "step",
    "projects_indicator": "indicator",
    "projects_activity": "activity",
    "projects_project": "project",
}
REVERSE = [
    *(f"DROP TRIGGER IF EXISTS progress_figures_{name} ON {table}" for table, name in TRIGGERS.items()),
    "DROP TRIGGER IF EXISTS progress_figures_project_names ON projects_project",
    "DROP TABLE IF EXISTS progress_figures_queue",
    "DROP FUNCTION IF EXISTS progress_bump_project_year()",
    "DROP FUNCTION IF EXISTS progress_figures_flush()",
    "DROP FUNCTION IF EXISTS progress_figures_enqueue()",
    "DROP FUNCTION IF EXISTS progress_refresh_all_figures()",
    "DROP FUNCTION IF EXISTS progress_refresh_figures(bigint[])",
    "DROP FUNCTION IF EXISTS progress_bump_versions(smallint[])",
    "DROP SEQUENCE IF EXISTS progress_figures_version_seq",
]


class Migration(migrations.Migration):
    dependencies = [("progress", "0003_assignment_figures")]

    operations = [migrations.RunSQL(sql=[SQL], reverse_sql=REVERSE)]
