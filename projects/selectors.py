"""Reads of project management, each page's main query in one call, sums in SQL."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from projects.models import (
    Activity,
    ActivityUnit,
    BudgetAllocation,
    Indicator,
    IndicatorTarget,
    MonthlyPlan,
    Project,
    Step,
)
from tracking.prepared import PreparedValues

MONEY = DecimalField(max_digits=17, decimal_places=2)
ZERO = Value(Decimal(0))


def summed(model, field, *, to="activity_unit", **filters):
    """SUM(``field``) over the ``model`` rows whose ``to`` is the outer row, 0 where there are none."""
    rows = model.objects.filter(**{to: OuterRef("pk")}, **filters).values(to)
    return Coalesce(
        Subquery(rows.annotate(t=Sum(field)).values("t"), output_field=MONEY), ZERO, output_field=MONEY
    )


def project_list(user, *, fy=None, source="", owner=None, status="", q=""):
    projects = Project.objects.visible_to(user).for_list()
    if fy:
        projects = projects.filter(fiscal_year=fy)
    if source:
        projects = projects.filter(funding_source=source)
    if owner:
        projects = projects.filter(owner_unit=owner)
    if status:
        projects = projects.filter(status=status)
    if q:
        projects = projects.filter(
            Q(name__icontains=q) | Q(code__icontains=q) | Q(activities__name__icontains=q)
        ).distinct()
    return projects.annotate(
        allocated=summed(BudgetAllocation, "amount", to="activity_unit__activity__project")
    ).order_by("-fiscal_year", "code")


@dataclass
class ActivityPage:
    """One activity of the project page, with its rows as plain values (no model per row)."""

    activity: Activity
    units: list = field(default_factory=list)
    steps: list = field(default_factory=list)
    indicators: list = field(default_factory=list)

    def __getattr__(self, name):
        return getattr(self.activity, name)


# The project page's rows, their SQL built once per process (tracking.prepared).
DETAIL_UNITS = PreparedValues(
    lambda project: (
        ActivityUnit.objects.filter(activity__project=project)
        .annotate(
            planned_spending=summed(MonthlyPlan, "spending"),
            planned_quantity=summed(MonthlyPlan, "quantity"),
            allocated=summed(BudgetAllocation, "amount"),
        )
        .values(
            "pk",
            "activity_id",
            "unit__name_th",
            "is_executing",
            "is_budget_receiving",
            "output_unit",
            "planned_spending",
            "planned_quantity",
            "allocated",
        )
        .order_by("unit__name_sort")
    )
)
DETAIL_STEPS = PreparedValues(
    lambda project: (
        Step.objects.filter(activity__project=project)
        .values("activity_id", "name", "weight")
        .order_by("activity_id", "order")
    )
)
DETAIL_INDICATORS = PreparedValues(
    lambda project: (
        Indicator.objects.filter(activity__project=project)
        .values("pk", "activity_id", "name", "target", "unit_of_measure")
        .order_by("activity_id", "pk")
    )
)
DETAIL_TARGETS = PreparedValues(
    lambda project: (
        IndicatorTarget.objects.filter(indicator__activity__project=project)
        .values("indicator_id", "activity_unit__unit__name_th", "target")
        .order_by("activity_unit__unit__name_sort")
    )
)


def project_detail(queryset, pk):
    """One project with everything its page shows, as values: six queries whatever its size.

    ``project.activity_pages`` lists each activity with its units (and their planned output,
    planned spending and allocation), steps and indicators (with each unit's share of the target).
    """
    project = queryset.select_related("owner_unit").get(pk=pk)
    pages = {a.pk: ActivityPage(a) for a in Activity.objects.filter(project=project).order_by("order")}
    for row in DETAIL_UNITS(project=project.pk):
        pages[row["activity_id"]].units.append(row)
    for row in DETAIL_STEPS(project=project.pk):
        pages[row["activity_id"]].steps.append(row)
    indicators = {}
    for row in DETAIL_INDICATORS(project=project.pk):
        row["targets"] = []
        indicators[row["pk"]] = row
        pages[row["activity_id"]].indicators.append(row)
    for row in DETAIL_TARGETS(project=project.pk):
        indicators[row["indicator_id"]]["targets"].append(row)
    project.activity_pages = list(pages.values())
    return project
