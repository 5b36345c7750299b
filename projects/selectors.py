"""Reads of project management, each page's main query in one call, sums in SQL."""

from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from progress.models import YEAR_END, AssignmentFigures
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


def _role_labels() -> dict:
    """The role column's text for (carries it out, receives budget): translated once a page."""
    carries, receives = _("carries it out"), _("receives budget")
    return {
        (True, True): f"{carries}, {receives}",
        (True, False): carries,
        (False, True): receives,
        (False, False): "",
    }


def _detail_units(activity_ids):
    """The activities' assigned units (who they are and what they do), in Thai order."""
    return (
        ActivityUnit.objects.filter(activity_id__in=activity_ids)
        .values("pk", "activity_id", "unit__name_th", "is_executing", "is_budget_receiving", "output_unit")
        .order_by("unit__name_sort")
    )


def _detail_steps(activity_ids):
    return (
        Step.objects.filter(activity_id__in=activity_ids)
        .values("activity_id", "name", "weight")
        .order_by("activity_id", "order")
    )


def _detail_indicators(activity_ids):
    return (
        Indicator.objects.filter(activity_id__in=activity_ids)
        .values("pk", "activity_id", "name", "target", "unit_of_measure")
        .order_by("activity_id", "pk")
    )


def _detail_targets(indicator_ids):
    return IndicatorTarget.objects.filter(indicator_id__in=indicator_ids).values(
        "indicator_id", "activity_unit_id", "target"
    )


def project_detail(user, pk):
    """One project this user may see, with everything its management page shows: seven queries
    whatever its size (fewer without activities or indicators).

    ``project.activity_pages`` lists the activities, each with its ``unit_rows``, ``step_rows`` and
    ``indicator_rows`` (with each unit's share of the target) as plain values. A unit's plan for
    the year and its allocation are values of its figures' row methods (progress.AssignmentFigures
    through ``visible_to(user)``): every unit the project assigns is listed, ``unit["figures"]``
    None (and the activity's ``figures_hidden``) where its figures are not this user's to read.
    """
    project = Project.objects.visible_to(user).select_related("owner_unit").get(pk=pk)
    pages = {}
    for activity in Activity.objects.filter(project=project).order_by("order"):
        activity.unit_rows, activity.step_rows, activity.indicator_rows = [], [], []
        activity.figures_hidden = False
        pages[activity.pk] = activity
    project.activity_pages = list(pages.values())
    if not pages:
        return project
    figures = {
        f.activity_unit_id: f
        for f in AssignmentFigures.objects.visible_to(user).for_project_management(project)
    }
    roles = _role_labels()
    units = {}
    for row in _detail_units(list(pages)):
        row["role"] = roles[row["is_executing"], row["is_budget_receiving"]]
        row["figures"] = row_figures = figures.get(row["pk"])
        if row_figures is None:
            pages[row["activity_id"]].figures_hidden = True
        else:
            row.update(
                planned_quantity=row_figures.planned_at(YEAR_END),
                planned_spending=row_figures.planned_spending_at(YEAR_END),
                allocated=row_figures.allocated,
                over_allocation=row_figures.over_allocation_at(YEAR_END),
            )
        units[row["pk"]] = row
        pages[row["activity_id"]].unit_rows.append(row)
    for row in _detail_steps(list(pages)):
        pages[row["activity_id"]].step_rows.append(row)
    indicators = {}
    for row in _detail_indicators(list(pages)):
        row["targets"] = []
        indicators[row["pk"]] = row
        pages[row["activity_id"]].indicator_rows.append(row)
    if indicators:
        # In the units' (Thai) order, each named as the units above name it.
        order = {pk: index for index, pk in enumerate(units)}
        targets = sorted(_detail_targets(list(indicators)), key=lambda t: order[t["activity_unit_id"]])
        for row in targets:
            row["unit__name_th"] = units[row["activity_unit_id"]]["unit__name_th"]
            indicators[row["indicator_id"]]["targets"].append(row)
    return project
