"""Submissions' figures kept by PostgreSQL: see workload/sql/0006_submission_figures.sql."""

from pathlib import Path

from django.db import migrations

SQL = (Path(__file__).resolve().parent.parent / "sql" / "0006_submission_figures.sql").read_text(encoding="utf-8")

TRIGGERS = {
    "workload_answer": ("insert", "update", "delete"),
    "workload_extraitem": ("insert", "update", "delete"),
    "workload_covereddistrict": ("insert", "update", "delete"),
    "workload_submission": ("insert", "update", "delete"),
}
REVERSE = [
    *(
        f"DROP TRIGGER IF EXISTS workload_figures_{table.split('_', 1)[1].replace('covereddistrict', 'covered')}"
        f"_{event} ON {table}"
        for table, events in TRIGGERS.items()
        for event in events
    ),
    "DROP TRIGGER IF EXISTS workload_figures_hours_per_day ON workload_questionnaire",
    "DROP TRIGGER IF EXISTS workload_figures_aspect_number ON workload_aspect",
    "DROP TRIGGER IF EXISTS workload_figures_question_aspect ON workload_question",
    "DROP FUNCTION IF EXISTS workload_figures_of_questionnaire()",
    "DROP FUNCTION IF EXISTS workload_figures_of_submission()",
    "DROP FUNCTION IF EXISTS workload_figures_after_insert()",
    "DROP FUNCTION IF EXISTS workload_figures_after_update()",
    "DROP FUNCTION IF EXISTS workload_figures_after_delete()",
    "DROP FUNCTION IF EXISTS workload_refresh_all_figures()",
    "DROP FUNCTION IF EXISTS workload_refresh_figures(bigint[])",
    "DROP SEQUENCE IF EXISTS workload_figures_version_seq",
]


class Migration(migrations.Migration):
    dependencies = [("workload", "0005_submission_figures")]

    operations = [migrations.RunSQL(sql=[SQL], reverse_sql=REVERSE)]
