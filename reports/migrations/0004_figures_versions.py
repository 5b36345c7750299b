"""Each fiscal year's figures get a new version at every refresh: see reports/sql/0004_figures_versions.sql."""

from pathlib import Path

from django.db import migrations

SQL = (Path(__file__).resolve().parent.parent / "sql" / "0004_figures_versions.sql").read_text(encoding="utf-8")
# Back to the function of 0002, which did not bump versions.
PREVIOUS = (Path(__file__).resolve().parent.parent / "sql" / "0002_figures.sql").read_text(encoding="utf-8")
PREVIOUS_FUNCTION = PREVIOUS[
    PREVIOUS.index("CREATE OR REPLACE FUNCTION reports_refresh_figures") : PREVIOUS.index("-- Every assigned unit")
]

REVERSE = [
    "DROP TRIGGER IF EXISTS reports_figures_project_names ON projects_project",
    "DROP FUNCTION IF EXISTS reports_bump_project_year()",
    PREVIOUS_FUNCTION,
    "DROP FUNCTION IF EXISTS reports_bump_versions(smallint[])",
    "DROP SEQUENCE IF EXISTS reports_figures_version_seq",
]


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_figures_version")]

    operations = [migrations.RunSQL(sql=[SQL], reverse_sql=REVERSE)]
