"""The summary of assigned units' figures is kept by PostgreSQL: see reports/sql/0002_figures.sql."""

from pathlib import Path

from django.db import migrations

SQL = (Path(__file__).resolve().parent.parent / "sql" / "0002_figures.sql").read_text(encoding="utf-8")

REVERSE = """
DROP TRIGGER IF EXISTS reports_figures_activityunit ON projects_activityunit;
DROP TRIGGER IF EXISTS reports_figures_monthlyplan ON projects_monthlyplan;
DROP TRIGGER IF EXISTS reports_figures_budgetallocation ON projects_budgetallocation;
DROP TRIGGER IF EXISTS reports_figures_indicatortarget ON projects_indicatortarget;
DROP TRIGGER IF EXISTS reports_figures_performanceresult ON progress_performanceresult;
DROP TRIGGER IF EXISTS reports_figures_stepprogress ON progress_stepprogress;
DROP TRIGGER IF EXISTS reports_figures_indicatorresult ON progress_indicatorresult;
DROP TRIGGER IF EXISTS reports_figures_disbursement ON progress_disbursement;
DROP TRIGGER IF EXISTS reports_figures_transfer ON progress_transfer;
DROP TRIGGER IF EXISTS reports_figures_step ON projects_step;
DROP TRIGGER IF EXISTS reports_figures_indicator ON projects_indicator;
DROP TRIGGER IF EXISTS reports_figures_activity ON projects_activity;
DROP TRIGGER IF EXISTS reports_figures_project ON projects_project;
DROP TABLE IF EXISTS reports_figures_queue;
DROP FUNCTION IF EXISTS reports_figures_flush();
DROP FUNCTION IF EXISTS reports_figures_enqueue();
DROP FUNCTION IF EXISTS reports_refresh_all_figures();
DROP FUNCTION IF EXISTS reports_refresh_figures(bigint[]);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_figures_and_targets"),
        ("projects", "0001_initial"),
        ("progress", "0002_budget_lines"),
    ]

    operations = [migrations.RunSQL(sql=[SQL], reverse_sql=[REVERSE])]
