"""Reads of project management, each page's main query in one call, sums in SQL."""

from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Prefetch, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from projects.models import ActivityUnit, BudgetAllocation, MonthlyPlan, Project

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


def units_with_totals():
    """Assigned units with their planned spending and allocation, to flag plans above the budget."""
    return (
        ActivityUnit.objects.select_related("unit")
        .annotate(
            planned_spending=summed(MonthlyPlan, "spending"),
            planned_quantity=summed(MonthlyPlan, "quantity"),
            allocated=summed(BudgetAllocation, "amount"),
        )
        .order_by("unit__name_sort")
    )


def project_detail(queryset, pk):
    """One project with everything its page shows: a fixed number of queries."""
    return (
        queryset.select_related("owner_unit")
        .prefetch_related(
            "activities__steps",
            "activities__indicators__unit_targets__activity_unit__unit",
            Prefetch("activities__units", queryset=units_with_totals()),
        )
        .get(pk=pk)
    )
