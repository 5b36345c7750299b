"""Reads of project management, each page's main query in one call, sums in SQL."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DecimalField, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from progress.models import AssignmentFigures, month_index
from projects.models import (
    MONEY_TOTAL,
    Activity,
    ActivityUnit,
    Indicator,
    IndicatorTarget,
    Project,
    Step,
)

# The one output field of a money sum (a SUM or a figure read through a join), imported wherever a
# query adds money up.
MONEY = DecimalField(**MONEY_TOTAL)
ZERO = Value(Decimal(0))


def allocated_to_project():
    """A project's allocation: the sum of its assigned units' figures (one subquery a row)."""
    rows = AssignmentFigures.objects.filter(project=OuterRef("pk")).order_by().values("project")
    return Coalesce(
        Subquery(rows.annotate(t=Sum("allocated")).values("t"), output_field=MONEY), ZERO, output_field=MONEY
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
    return projects.annotate(allocated=allocated_to_project()).order_by("-fiscal_year", "code")


@dataclass
class ActivityPage:
    """One activity of the project page, with its rows as plain values (no model per row)."""

    activity: Activity
    units: list = field(default_factory=list)
    steps: list = field(default_factory=list)
    indicators: list = field(default_factory=list)

    def __getattr__(self, name):
        return getattr(self.activity, name)


def _detail_units(project):
    """The project's assigned units with their year's planned output and spending and their
    allocation, read from each unit's figures (progress.AssignmentFigures, kept by PostgreSQL)."""
    year_end = month_index(12)
    return (
        ActivityUnit.objects.filter(activity__project=project)
        .annotate(
            planned_spending=Coalesce(F(f"figures__planned_spending__{year_end}"), ZERO, output_field=MONEY),
            planned_quantity=Coalesce(F(f"figures__planned_quantity__{year_end}"), ZERO, output_field=MONEY),
            allocated=Coalesce(F("figures__allocated"), ZERO, output_field=MONEY),
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


def _detail_steps(project):
    return (
        Step.objects.filter(activity__project=project)
        .values("activity_id", "name", "weight")
        .order_by("activity_id", "order")
    )


def _detail_indicators(project):
    return (
        Indicator.objects.filter(activity__project=project)
        .values("pk", "activity_id", "name", "target", "unit_of_measure")
        .order_by("activity_id", "pk")
    )


def _detail_targets(project):
    return (
        IndicatorTarget.objects.filter(indicator__activity__project=project)
        .values("indicator_id", "activity_unit__unit__name_th", "target")
        .order_by("activity_unit__unit__name_sort")
    )


def project_detail(queryset, pk):
    """One project with everything its page shows, as values: six queries whatever its size.

    ``project.activity_pages`` lists each activity with its units (and their planned output,
    planned spending and allocation), steps and indicators (with each unit's share of the target).
    """
    project = queryset.select_related("owner_unit").get(pk=pk)
    pages = {a.pk: ActivityPage(a) for a in Activity.objects.filter(project=project).order_by("order")}
    for row in _detail_units(project):
        pages[row["activity_id"]].units.append(row)
    for row in _detail_steps(project):
        pages[row["activity_id"]].steps.append(row)
    indicators = {}
    for row in _detail_indicators(project):
        row["targets"] = []
        indicators[row["pk"]] = row
        pages[row["activity_id"]].indicators.append(row)
    for row in _detail_targets(project):
        indicators[row["indicator_id"]]["targets"].append(row)
    project.activity_pages = list(pages.values())
    return project
