"""The project workbook: one layout for export, the blank template and import.

Rows are keyed by fiscal year and project code, then activity order, unit
code and so on, so an exported file imports back onto the same rows. Cells are read with
tracking/spreadsheets.py.
"""

from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import FundingSource
from projects.models import BudgetCategory, Project
from tracking.thaicalendar import fiscal_months


def sheet_layouts(fiscal_year: int | None = None):
    """Sheet title → column headers, in Thai whatever the user's language, so files travel."""
    with translation.override("th"):
        return _layouts(fiscal_year)


def _layouts(fiscal_year):
    months = [m.short_name for m in fiscal_months(fiscal_year or 2570)]
    key = [_("Fiscal year"), _("Project code")]
    return {
        "projects": (_("Projects"), [*key, _("Project name"), _("Money source"), _("Responsible unit code"),
                                     _("Plan or strategy served"), _("Objective"), _("Start"), _("End"), _("Status")]),
        "activities": (_("Activities"), [*key, _("Activity no."), _("Activity"), _("Description")]),
        "units": (_("Units"), [*key, _("Activity no."), _("Unit code"), _("Unit name"), _("Carries it out"),
                               _("Receives budget"), _("Output counting unit")]),
        "steps": (_("Steps"), [*key, _("Activity no."), _("Step no."), _("Step"), _("Weight (%)")]),
        "plans": (_("Monthly plan"), [*key, _("Activity no."), _("Unit code"), _("Line"), *months]),
        "budgets": (_("Budget"), [*key, _("Activity no."), _("Unit code"), _("Budget category"), _("Carried over"),
                                  _("Amount (baht)")]),
        "indicators": (_("Indicators"), [*key, _("Activity no."), _("Indicator"), _("Unit of measure"), _("Target")]),
    }  # fmt: skip


def plan_lines():
    with translation.override("th"):
        return {"quantity": _("Output"), "spending": _("Spending (baht)")}


def funding_choices():
    return dict(FundingSource.choices)


def status_choices():
    return dict(Project.Status.choices)


def category_choices():
    return dict(BudgetCategory.choices)
