"""Report fixtures: personas of both agencies; the generated year lives in progress.tests.data."""

import pytest

from accounts.roles import Role
from progress.tests.data import (  # noqa: F401 - re-exported for the report tests
    expected_indicators_met,
    expected_money,
    expected_output_percent,
    expected_step_percent,
    flush_figures,
    generate_year,
)
from projects.tests.conftest import make_project  # noqa: F401 - shared fixture


@pytest.fixture
def people(make_user):
    return {
        "super": make_user("super", roles=[Role.SUPER_ADMIN], unit="ALRO-ICT"),
        "admin_all": make_user("admin_all", roles=[Role.ADMIN_ALL], unit="ALRO-KTP"),
        "admin_fund": make_user("admin_fund", roles=[Role.ADMIN_FUND], unit="ALRO-SBT"),
        "finance_budget": make_user("finance_budget", roles=[Role.FINANCE_BUDGET], unit="ALRO-SBK"),
        "finance_fund": make_user("finance_fund", roles=[Role.FINANCE_FUND], unit="ALRO-SBT"),
        "bureau_user": make_user("bureau_user", roles=[Role.BUREAU_USER], unit="ALRO-SKS"),
        "province_user": make_user("province_user", roles=[Role.PROVINCE_USER], unit="ALRO-P50"),
        "province_user_b": make_user("province_user_b", roles=[Role.PROVINCE_USER], unit="ALRO-P57"),
        "report_viewer": make_user("report_viewer", roles=[Role.REPORT_VIEWER], unit="ALRO-SWP"),
        "recorder": make_user("recorder", roles=[Role.DISTRICT_RECORDER], unit="DLA-D5001"),
        "recorder_b": make_user("recorder_b", roles=[Role.DISTRICT_RECORDER], unit="DLA-D5701"),
        "confirmer": make_user("confirmer", roles=[Role.PROVINCE_CONFIRMER], unit="DLA-P50"),
        "confirmer_b": make_user("confirmer_b", roles=[Role.PROVINCE_CONFIRMER], unit="DLA-P57"),
        "dla_admin": make_user("dla_admin", roles=[Role.DLA_ADMIN], unit="DLA-PSD"),
        "sso": make_user("sso", roles=[Role.PROVINCE_SSO_ADMIN], unit="DLA-P50"),
    }


FORMATS = {"money": "#,##0.00", "number": "#,##0.00", "percent": "0.00%", "count": "#,##0"}


def assert_typed_sheets(workbook, tables):
    """Each table's sheet: header frozen, a filter over header and rows (not the totals), figures as
    numbers in their column kind's format."""
    for table in tables:
        sheet = workbook[table.sheet or table.title]
        last_column = sheet.cell(1, len(table.columns)).column_letter
        assert sheet.freeze_panes == "A2", table.key
        assert sheet.auto_filter.ref == f"A1:{last_column}{len(table.rows) + 1}", table.key
        for row in sheet.iter_rows(min_row=2):
            for cell, column in zip(row, table.columns, strict=False):
                if column.kind in FORMATS and cell.value is not None:
                    assert isinstance(cell.value, int | float), (table.key, column.header, cell.value)
                    assert cell.number_format == FORMATS[column.kind], (table.key, column.header)
                if column.kind == "month" and cell.value is not None:
                    assert cell.is_date and cell.number_format == "[$-107041E]mmm yy", (table.key, cell.value)
