"""Reads of progress reporting: the figures a page shows come from each assigned unit's summary row
(progress.AssignmentFigures), read through its QuerySet methods; the rest in a fixed number of queries."""

from django.db.models import OuterRef, Q, Subquery

from accounts import access
from accounts.models import OrgUnit, unit_name
from progress.models import (
    AssignmentFigures,
    Disbursement,
    FiguresVersion,
    IndicatorResult,
    MonthReport,
    Photo,
    Procurement,
    StepProgress,
    Transfer,
)
from projects.models import Activity, ActivityUnit, BudgetAllocation, BudgetCategory, IndicatorTarget, Project
from tracking.caching import newest_change
from tracking.templatetags.thai import choice_labels


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


def assignments_for(user, *, fiscal_year: int, month: int, q: str = ""):
    """The progress list: the figures of the year's assigned units this user may see, with the
    month's values and report; a bureau's or province's user sees their own unit's only.

    Each row links to the report page, which decides who may hand it in or review it.
    """
    rows = AssignmentFigures.objects.visible_to(user).for_unit_list(
        fiscal_year, month, unit=access.reporting_unit(user)
    )
    if q:
        rows = rows.filter(
            Q(activity__name__icontains=q) | Q(project__name__icontains=q) | Q(project__code__icontains=q)
        )
    return rows


def unit_list_version(fiscal_year: int) -> tuple | None:
    """Changes whenever anything the progress list of ``fiscal_year`` shows changes (one query): the
    year's figures (plan, results, money: any change takes a new number from the summaries'
    sequence), and the history PostgreSQL writes for every change of month reports, projects,
    activities, assigned units and units, however made. None while the year has no figures."""
    return (
        FiguresVersion.objects.filter(fiscal_year=fiscal_year)
        .values_list(
            "version",
            newest_change(MonthReport),
            newest_change(Project),
            newest_change(Activity),
            newest_change(ActivityUnit),
            newest_change(OrgUnit),
        )
        .first()
    )


def project_figures(user, project, month: int):
    """A project's assigned units whose figures the user may see (the figures' rule, as on every
    page and dashboard), with their month's figures, report and the user's report rights."""
    return (
        AssignmentFigures.objects.visible_to(user)
        .for_project_page(project, month)
        .annotate(**access.report_rights_annotations(user, "activity_unit__"))
    )


def steps_with_progress(assignment, month: int):
    """The activity's steps, each with the assigned unit's completion of ``month`` (``percent``,
    None when not reported), in one query."""
    progress = StepProgress.objects.filter(activity_unit=assignment, month=month, step=OuterRef("pk"))
    return assignment.activity.steps.annotate(percent=Subquery(progress.values("percent")))


def indicators_with_results(assignment, month: int):
    """The activity's indicators, each with the assigned unit's result of ``month`` (``value``,
    None when not reported), in one query."""
    results = IndicatorResult.objects.filter(activity_unit=assignment, month=month, indicator=OuterRef("pk"))
    return assignment.activity.indicators.annotate(value=Subquery(results.values("value")))


def latest_results(project, month: int):
    """The latest result of each indicator and unit of ``project`` as of ``month``, as values."""
    return (
        IndicatorResult.objects.filter(indicator__activity__project=project, month__lte=month)
        .order_by("indicator_id", "activity_unit_id", "-month")
        .distinct("indicator_id", "activity_unit_id")
        .values(
            "indicator_id", "activity_unit_id", "value", "indicator__name", "indicator__target",
            "indicator__unit_of_measure", unit=unit_name("activity_unit__unit__"),
        )
    )  # fmt: skip


def unit_targets(project):
    """Each unit's own share of the indicators' targets of ``project``."""
    return IndicatorTarget.objects.filter(indicator__activity__project=project).values(
        "indicator_id", "activity_unit_id", "target"
    )


def indicator_standing(project, month: int) -> list[dict]:
    """Each indicator's latest result per unit as of ``month``, against the unit's (or whole) target.

    Plain values, not models: a project has a row per indicator and unit, and four models a row
    cost more than the page around them.
    """
    latest = latest_results(project, month)
    targets = {(t["indicator_id"], t["activity_unit_id"]): t["target"] for t in unit_targets(project)}
    rows = []
    for result in latest:
        key = (result["indicator_id"], result["activity_unit_id"])
        target = targets.get(key, result["indicator__target"])
        rows.append(
            {
                "indicator": result["indicator__name"],
                "unit": result["unit"],
                "unit_of_measure": result["indicator__unit_of_measure"],
                "value": result["value"],
                "target": target,
                "met": result["value"] >= target,
            }
        )
    return rows


# --- the list tabs of a project (procurements, transfers, photos) ------------------------------

_UNIT = {"unit": unit_name("activity_unit__unit__")}
_PROCUREMENT = ("pk", "item", "method", "contract_amount", "vendor", "contract_no", "contract_date", "status")
_TRANSFER = ("pk", "kind", "date", "amount", "carried_over", "document_no", "note", "override_reason")
TAB_ROWS = {
    "procurement": lambda project: (
        Procurement.objects.filter(activity_unit__activity__project=project)
        .values(*_PROCUREMENT, "activity_unit_id", **_UNIT)
        .order_by("pk")
    ),
    "transfers": lambda project: (
        Transfer.objects.filter(activity_unit__activity__project=project)
        .values(*_TRANSFER, "activity_unit_id", **_UNIT)
        .order_by("date", "pk")
    ),
    "photos": lambda project: (
        Photo.objects.filter(activity_unit__activity__project=project)
        .values("pk", "caption", "taken_on", "activity_unit_id", **_UNIT)
        .order_by("-taken_on", "-uploaded_at")
    ),
}
_LABELLED = {"procurement": (Procurement, ("method", "status")), "transfers": (Transfer, ("kind",))}


def tab_rows(tab: str, project) -> list[dict]:
    """A list tab's rows as plain values (a project has a hundred transfers; a model each, with its
    unit and assignment, cost more than the page around them), each with its unit's name and the
    labels of its choices (``kind_label``, ``method_label``, ``status_label``)."""
    model, fields = _LABELLED.get(tab, (None, ()))
    labels = {field: choice_labels(model, field) for field in fields}
    rows = TAB_ROWS[tab](project)
    for row in rows:
        for field, names in labels.items():
            row[f"{field}_label"] = names.get(row[field], row[field])
    return rows
