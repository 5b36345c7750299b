from django.utils import translation
from django.utils.translation import gettext_lazy as _

from projects.models import Activity as ActivityModel
from projects.models import ActivityUnit, BudgetAllocation, Indicator, MonthlyPlan, Project, Step
from projects.spreadsheet import plan_lines, sheet_layouts
from tracking.spreadsheets import yes_no
from tracking.xlsx import (
    COUNT,
    DATE,
    MONEY,
    NUMBER,
    TEXT,
    YEAR,
    Column,
    Sheet,
    download_names,
    workbook_response,
)

# Each sheet's columns in the order of its headers: (kind, width). A step's weight stays the number
# typed (100 for 100 %), not a fraction shown as a percentage, because the import reads it back as
# that number and cannot see a cell's display format in every reader (.ods through calamine).
KEY = [(YEAR, 10), (TEXT, 14)]
KINDS = {
    "projects": [*KEY, (TEXT, 50), (TEXT, 30), (TEXT, 16), (TEXT, 40), (TEXT, 50), (DATE, 14), (DATE, 14),
                 (TEXT, 18)],
    "activities": [*KEY, (COUNT, 10), (TEXT, 50), (TEXT, 50)],
    "units": [*KEY, (COUNT, 10), (TEXT, 14), (TEXT, 40), (TEXT, 12), (TEXT, 12), (TEXT, 16)],
    "steps": [*KEY, (COUNT, 10), (COUNT, 10), (TEXT, 40), (NUMBER, 12)],
    "plans": [*KEY, (COUNT, 10), (TEXT, 14), (TEXT, 16), *[(NUMBER, 14)] * 12],
    "budgets": [*KEY, (COUNT, 10), (TEXT, 14), (TEXT, 18), (TEXT, 12), (MONEY, 18)],
    "indicators": [*KEY, (COUNT, 10), (TEXT, 50), (TEXT, 14), (NUMBER, 14)],
}  # fmt: skip


def project_workbook_response(projects, fiscal_year: int, *, blank=False):
    """The projects (a queryset the user may see) as the import layout; ``blank`` gives headers only."""
    layouts = sheet_layouts(fiscal_year)
    ids = [] if blank else list(projects.values_list("pk", flat=True))
    rows = {name: [] for name in layouts}
    if ids:
        rows = _rows(ids)
    sheets = [
        Sheet(
            title=layouts[name][0],
            columns=[
                Column(header, kind, width)
                for header, (kind, width) in zip(layouts[name][1], KINDS[name], strict=True)
            ],
            rows=rows[name],
        )
        for name in layouts
    ]
    title = _("Project template") if blank else _("Projects")
    return workbook_response(**download_names(title, fiscal_year), sheets=sheets)


def thai(display):
    with translation.override("th"):
        return str(display())


def _rows(ids):
    lines = plan_lines()
    projects = Project.objects.filter(pk__in=ids).select_related("owner_unit").order_by("fiscal_year", "code")
    activities = (
        ActivityModel.objects.filter(project_id__in=ids)
        .select_related("project")
        .order_by("project__code", "order")
    )
    units = ActivityUnit.objects.filter(activity__project_id__in=ids).select_related(
        "activity__project", "unit"
    )
    units = units.order_by("activity__project__code", "activity__order", "unit__code")
    plans = {}
    for plan in MonthlyPlan.objects.filter(activity_unit__activity__project_id__in=ids):
        plans[(plan.activity_unit_id, plan.month)] = plan
    key = lambda p: [p.fiscal_year, p.code]  # noqa: E731 - a one-line helper reads best here
    result = {
        "projects": [
            [*key(p), p.name, thai(p.get_funding_source_display), p.owner_unit.code, p.strategy, p.objective,
             p.start_date, p.end_date, thai(p.get_status_display)]
            for p in projects
        ],
        "activities": [[*key(a.project), a.order, a.name, a.description] for a in activities],
        "units": [
            [*key(u.activity.project), u.activity.order, u.unit.code, u.unit.name_th, yes_no(u.is_executing),
             yes_no(u.is_budget_receiving), u.output_unit]
            for u in units
        ],
        "steps": [
            [*key(s.activity.project), s.activity.order, s.order, s.name, s.weight]
            for s in Step.objects.filter(activity__project_id__in=ids)
            .select_related("activity__project")
            .order_by("activity__project__code", "activity__order", "order")
        ],
        "plans": [],
        "budgets": [
            [*key(b.activity_unit.activity.project), b.activity_unit.activity.order, b.activity_unit.unit.code,
             thai(b.get_category_display), yes_no(b.carried_over), b.amount]
            for b in BudgetAllocation.objects.filter(activity_unit__activity__project_id__in=ids)
            .select_related("activity_unit__activity__project", "activity_unit__unit")
            .order_by("activity_unit__activity__project__code", "activity_unit__activity__order",
                      "activity_unit__unit__code", "category", "carried_over")
        ],
        "indicators": [
            [*key(i.activity.project), i.activity.order, i.name, i.unit_of_measure, i.target]
            for i in Indicator.objects.filter(activity__project_id__in=ids)
            .select_related("activity__project")
            .order_by("activity__project__code", "activity__order", "pk")
        ],
    }  # fmt: skip
    for u in units:
        for field, label in lines.items():
            values = [getattr(plans[(u.pk, m)], field) if (u.pk, m) in plans else 0 for m in range(1, 13)]
            result["plans"].append([*key(u.activity.project), u.activity.order, u.unit.code, label, *values])
    return result
