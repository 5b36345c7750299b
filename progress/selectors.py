"""Reads of progress reporting: the figures a page shows, summed in SQL with a fixed number of queries."""

import functools

from django.db.models import F, FilteredRelation, Q, Subquery
from django.db.models.functions import Coalesce

from accounts import access
from progress.models import Disbursement, IndicatorResult, MonthReport, Photo, Procurement, Transfer
from projects.models import (
    ActivityUnit,
    BudgetAllocation,
    BudgetCategory,
    IndicatorTarget,
    Project,
)
from projects.selectors import MONEY, ZERO
from tracking.prepared import PreparedValues
from tracking.templatetags.thai import choice_labels


def _at(name: str, month: int):
    """An assigned unit's cumulative figure ``name`` to the end of ``month`` (0 before October)."""
    if month < 1:
        return ZERO
    return Coalesce(F(f"figures__{name}__{month - 1}"), ZERO, output_field=MONEY)


def with_figures(queryset, month: int):
    """Assigned units with plan and result for ``month``, and money allocated, received to date and
    disbursed to date.

    Read from each unit's figures (progress.AssignmentFigures, kept by PostgreSQL): one join,
    whatever the months and years of rows behind them. This year's money and money carried over
    from last year are kept apart, as the dashboards and the drill-down keep them.
    """
    return queryset.annotate(
        planned_month=_at("planned_quantity", month) - _at("planned_quantity", month - 1),
        result_month=_at("result_quantity", month) - _at("result_quantity", month - 1),
        planned_spending_to_date=_at("planned_spending", month),
        disbursed_to_date=_at("disbursed", month),
        allocated=Coalesce(F("figures__allocated"), ZERO, output_field=MONEY),
        received=_at("received", month),
        disbursed_carried_to_date=_at("disbursed_carried", month),
        received_carried=_at("received_carried", month),
    )


def with_report(queryset, month: int, user=None):
    """Assigned units with their report of ``month`` (``report_status``, ``report_reason``; None when
    not handed in) and, given a user, whether that user may hand it in or review it: one join and two
    columns in the page's own query, however many units it lists."""
    queryset = queryset.annotate(
        month_report=FilteredRelation("month_reports", condition=Q(month_reports__month=month)),
        report_status=F("month_report__status"),
        report_reason=F("month_report__reason"),
    )
    if user is not None:
        queryset = queryset.annotate(**access.report_rights_annotations(user))
    return queryset


def month_report_status(activity_unit_id, month: int):
    """The status of an assigned unit's report of ``month`` as a subquery (None when not handed in)."""
    return Subquery(
        MonthReport.objects.filter(activity_unit_id=activity_unit_id, month=month).values("status")[:1]
    )


def budget_lines(activity_unit) -> list[tuple[str, bool, str]]:
    """The unit's budget lines (category, carried over, label): those it was allocated or has spent on.

    This year's lines first, in the order of the budget categories; a unit
    with no allocation yet gets this year's operating budget.
    """
    found = set(
        BudgetAllocation.objects.filter(activity_unit=activity_unit).values_list("category", "carried_over")
    ) | set(Disbursement.objects.filter(activity_unit=activity_unit).values_list("category", "carried_over"))
    order = {value: index for index, value in enumerate(BudgetCategory.values)}
    lines = sorted(found, key=lambda line: (line[1], order.get(line[0], 99))) or [
        (BudgetCategory.OPERATING.value, False)
    ]
    return [(category, carried, line_label(category, carried)) for category, carried in lines]


line_label = BudgetCategory.line_label


@functools.lru_cache(maxsize=16)
def _listed(month: int):
    """The progress list's queryset for ``month`` before its filters, built once per process.

    Django takes about a millisecond to resolve the eight figure annotations, as long as the rest
    of the page's queries; each request adds its filters to a copy (the relations filtered on are
    single-valued, so filtering after annotating gives the same rows).
    """
    return with_figures(
        ActivityUnit.objects.select_related("activity__project", "unit").order_by(
            "activity__project__code", "activity__order", "unit__name_sort"
        ),
        month,
    )


def assignments_for(user, *, fiscal_year: int, month: int, q: str = ""):
    """The assignments in a user's progress list: own unit's for unit users, all they see otherwise."""
    unit = access.reporting_unit(user)
    if unit is not None:
        # Their own unit's assignments only. Each is in a project they see (access.project_scope
        # shows unit users every project that assigns their unit), so visibility needs no second
        # pass over the year's projects. Found through the assignments' figures, which copy the
        # year and the unit under one index (kept by PostgreSQL at every commit): through the
        # project instead, PostgreSQL reads every year's activities, 10 times the work after ten years.
        assignments = _listed(month).filter(figures__fiscal_year=fiscal_year, figures__unit=unit)
    else:
        projects = Project.objects.visible_to(user).filter(fiscal_year=fiscal_year)
        # The year on the joined project too: the planner then starts from the year's projects
        # rather than scanning every year's activities (the list must not slow down as years pile up).
        assignments = _listed(month).filter(
            activity__project__in=projects, activity__project__fiscal_year=fiscal_year
        )
    if q:
        assignments = assignments.filter(
            Q(activity__name__icontains=q)
            | Q(activity__project__name__icontains=q)
            | Q(activity__project__code__icontains=q)
        )
    return assignments


# Latest result of each indicator and unit as of a month, and the units' own targets: the SQL is
# built once per process (tracking.prepared), the project and month filled in.
LATEST_RESULTS = PreparedValues(
    lambda project, month: IndicatorResult.objects.filter(
        indicator__activity__project=project, month__lte=month
    )
    .order_by("indicator_id", "activity_unit_id", "-month")
    .distinct("indicator_id", "activity_unit_id")
    .values(
        "indicator_id", "activity_unit_id", "value", "indicator__name", "indicator__target",
        "indicator__unit_of_measure", "activity_unit__unit__short_name", "activity_unit__unit__name_th",
    )
)  # fmt: skip
UNIT_TARGETS = PreparedValues(
    lambda project: IndicatorTarget.objects.filter(indicator__activity__project=project).values(
        "indicator_id", "activity_unit_id", "target"
    )
)


def indicator_standing(project, month: int) -> list[dict]:
    """Each indicator's latest result per unit as of ``month``, against the unit's (or whole) target.

    Plain values, not models: a project has a row per indicator and unit, and four models a row
    cost more than the page around them.
    """
    latest = LATEST_RESULTS(project=project.pk, month=month)
    targets = {
        (t["indicator_id"], t["activity_unit_id"]): t["target"] for t in UNIT_TARGETS(project=project.pk)
    }
    rows = []
    for result in latest:
        key = (result["indicator_id"], result["activity_unit_id"])
        target = targets.get(key, result["indicator__target"])
        rows.append(
            {
                "indicator": result["indicator__name"],
                "unit": result["activity_unit__unit__short_name"] or result["activity_unit__unit__name_th"],
                "unit_of_measure": result["indicator__unit_of_measure"],
                "value": result["value"],
                "target": target,
                "met": result["value"] >= target,
            }
        )
    return rows


# --- the list tabs of a project (procurements, transfers, photos) ------------------------------

_UNIT = ("activity_unit_id", "activity_unit__unit__short_name", "activity_unit__unit__name_th")
_PROCUREMENT = ("pk", "item", "method", "contract_amount", "vendor", "contract_no", "contract_date", "status")
_TRANSFER = ("pk", "kind", "date", "amount", "carried_over", "document_no", "note", "override_reason")
TAB_ROWS = {
    "procurement": PreparedValues(
        lambda project: (
            Procurement.objects.filter(activity_unit__activity__project=project)
            .values(*_PROCUREMENT, *_UNIT)
            .order_by("pk")
        )
    ),
    "transfers": PreparedValues(
        lambda project: (
            Transfer.objects.filter(activity_unit__activity__project=project)
            .values(*_TRANSFER, *_UNIT)
            .order_by("date", "pk")
        )
    ),
    "photos": PreparedValues(
        lambda project: (
            Photo.objects.filter(activity_unit__activity__project=project)
            .values("pk", "caption", "taken_on", *_UNIT)
            .order_by("-taken_on", "-uploaded_at")
        )
    ),
}
_LABELLED = {"procurement": (Procurement, ("method", "status")), "transfers": (Transfer, ("kind",))}


def tab_rows(tab: str, project) -> list[dict]:
    """A list tab's rows as plain values (a project has a hundred transfers; a model each, with its
    unit and assignment, cost more than the page around them), each with its unit's name and the
    labels of its choices (``kind_label``, ``method_label``, ``status_label``)."""
    model, fields = _LABELLED.get(tab, (None, ()))
    labels = {field: choice_labels(model, field) for field in fields}
    rows = TAB_ROWS[tab](project=project.pk)
    for row in rows:
        short_name = row.pop("activity_unit__unit__short_name")
        name = row.pop("activity_unit__unit__name_th")
        row["unit"] = short_name or name
        for field, names in labels.items():
            row[f"{field}_label"] = names.get(row[field], row[field])
    return rows
