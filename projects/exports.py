from django.utils import translation

from projects.models import Activity as ActivityModel
from projects.models import ActivityUnit, BudgetAllocation, Indicator, MonthlyPlan, Project, Step
from projects.spreadsheet import be_date, plan_lines, sheet_layouts, yes_no
from tracking.xlsx import workbook_response

WIDTHS = {
    "projects": [10, 14, 50, 30, 16, 40, 50, 12, 12, 18],
    "activities": [10, 14, 10, 50, 50],
    "units": [10, 14, 10, 14, 40, 12, 12, 16],
    "steps": [10, 14, 10, 10, 40, 10],
    "plans": [10, 14, 10, 14, 16, *[12] * 12],
    "budgets": [10, 14, 10, 14, 18, 12, 18],
    "indicators": [10, 14, 10, 50, 14, 14],
}


def project_workbook_response(projects, fiscal_year: int, *, blank=False):
    """The projects (a queryset the user may see) as the import layout; ``blank`` gives headers only."""
    layouts = sheet_layouts(fiscal_year)
    ids = [] if blank else list(projects.values_list("pk", flat=True))
    rows = {name: [] for name in layouts}
    if ids:
        rows = _rows(ids)
    sheets = [(layouts[name][0], layouts[name][1], WIDTHS[name], rows[name]) for name in layouts]
    name = f"projects-{fiscal_year}-template.xlsx" if blank else f"projects-{fiscal_year}.xlsx"
    return workbook_response(filename=name, sheets=sheets)


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
             be_date(p.start_date), be_date(p.end_date), thai(p.get_status_display)]
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
