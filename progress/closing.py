"""Closing a reporting month, reopening it, and the official figures each closing stores.

A month of a fiscal year is closed exactly when its ``MonthClosure`` row exists; the
closed-month triggers then refuse any change to that month's results, step progress,
indicator results, disbursements and transfers dated in it, for every project of the
year. Closing also stores the month's figures as an ``OfficialRecord`` (revision 1,
2, … for each closing of the same month), copied in SQL from the trigger-kept
summary the dashboards read, so the official numbers are what the dashboards showed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from progress.models import (
    Disbursement,
    IndicatorResult,
    MonthClosure,
    MonthReopening,
    MonthReport,
    OfficialFigures,
    OfficialRecord,
    PerformanceResult,
    Procurement,
    StepProgress,
    Transfer,
)
from projects.models import ActivityUnit
from tracking.thaicalendar import FiscalMonth, fiscal_months, format_date


def month_end(month: FiscalMonth) -> dt.date:
    """The last day of a fiscal month."""
    first_of_next = (month.first_day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return first_of_next - dt.timedelta(days=1)


def has_ended(month: FiscalMonth, today: dt.date | None = None) -> bool:
    """A month has ended once its last day is over in Bangkok (the site's time zone)."""
    return (today or timezone.localdate()) > month_end(month)


def _fiscal_month(fiscal_year: int, month: int) -> FiscalMonth:
    if not 1 <= month <= 12:
        raise ValidationError(_("There is no such month."))
    return fiscal_months(fiscal_year)[month - 1]


# --- writes ------------------------------------------------------------------------------------


@transaction.atomic
def month_close(*, by, fiscal_year: int, month: int) -> MonthClosure:
    """Close a month that has ended and store its official figures (the next revision)."""
    if not access.may_close_months(by):
        raise PermissionDenied
    fiscal_month = _fiscal_month(fiscal_year, month)
    if not has_ended(fiscal_month):
        raise ValidationError(
            _("%(month)s has not ended yet: it can be closed from %(day)s.")
            % {
                "month": fiscal_month.label,
                "day": format_date(month_end(fiscal_month) + dt.timedelta(days=1), long=True),
            }
        )
    try:
        with transaction.atomic():
            closure = MonthClosure.objects.create(fiscal_year=fiscal_year, month=month, closed_by=by)
    except IntegrityError as error:
        raise ValidationError(_("This month is already closed.")) from error
    # The closure row is in place, so nothing of the month can change while its figures are copied.
    last = OfficialRecord.objects.filter(fiscal_year=fiscal_year, month=month).order_by("-revision").first()
    reopening = (
        MonthReopening.objects.filter(fiscal_year=fiscal_year, month=month)
        .order_by("-reopened_at", "-pk")
        .first()
        if last
        else None
    )
    record = OfficialRecord.objects.create(
        fiscal_year=fiscal_year,
        month=month,
        revision=last.revision + 1 if last else 1,
        closed_at=closure.closed_at,
        closed_by=by,
        reopening=reopening,
    )
    store_official_figures(record)
    return closure


@transaction.atomic
def month_reopen(*, by, fiscal_year: int, month: int, reason: str) -> MonthReopening:
    """Open a closed month again for corrections; its official record stays until the next closing."""
    if not access.may_reopen_months(by):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for reopening the month."))
    closure = (
        MonthClosure.objects.select_for_update()
        .select_related("closed_by")
        .filter(fiscal_year=fiscal_year, month=month)
        .first()
    )
    if closure is None:
        raise ValidationError(_("This month is not closed."))
    reopening = MonthReopening(
        fiscal_year=fiscal_year,
        month=month,
        reason=reason,
        reopened_by=by,
        closed_at=closure.closed_at,
        closed_by=closure.closed_by,
    )
    reopening.full_clean()
    reopening.save()
    closure.delete()
    return reopening


FIGURE_COLUMNS = [f.column for f in OfficialFigures._meta.concrete_fields if f.name not in ("id", "record")]


def store_official_figures(record: OfficialRecord) -> None:
    """Copy the month's figures into the record: one ``INSERT … SELECT`` per level.

    Assigned units: their summary rows as the dashboards read them. Budget lines: each unit's
    allocation, commitments and disbursements to the end of the month per category and pool of
    money. Projects: their totals and percentages to the end of the month, from the rows just copied.
    """
    columns = ", ".join(FIGURE_COLUMNS)
    m = record.month  # PostgreSQL arrays count from 1: element m is the total to the end of month m
    params = {"record": record.pk, "fy": record.fiscal_year, "month": m, "m": m}
    with connection.cursor() as cursor:
        # The summary is recomputed at commit: bring it up to date with this transaction's own writes
        # first, so the record never misses a change made just before the closing.
        cursor.execute("SET CONSTRAINTS progress_figures_flush IMMEDIATE")
        cursor.execute("SET CONSTRAINTS progress_figures_flush DEFERRED")
        cursor.execute(
            f"INSERT INTO progress_officialfigures (record_id, {columns}) "  # noqa: S608 - column names from the model  # nosec B608
            f"SELECT %(record)s, {columns} FROM progress_assignmentfigures WHERE fiscal_year = %(fy)s",
            params,
        )
        cursor.execute(
            """
            INSERT INTO progress_officialbudgetline
                (record_id, activity_unit_id, project_id, funding_source, category, carried_over,
                 allocated, committed, disbursed)
            SELECT %(record)s, f.activity_unit_id, f.project_id, f.funding_source, l.category, l.carried_over,
                   SUM(l.allocated), SUM(l.committed), SUM(l.disbursed)
            FROM (
                SELECT activity_unit_id, category, carried_over, amount AS allocated,
                       0::numeric AS committed, 0::numeric AS disbursed
                FROM projects_budgetallocation
                UNION ALL
                SELECT activity_unit_id, category, carried_over, 0, committed, disbursed
                FROM progress_disbursement WHERE month <= %(month)s
            ) l
            JOIN progress_officialfigures f
              ON f.activity_unit_id = l.activity_unit_id AND f.record_id = %(record)s
            GROUP BY f.activity_unit_id, f.project_id, f.funding_source, l.category, l.carried_over
            """,
            params,
        )
        cursor.execute(
            """
            INSERT INTO progress_officialprojectfigures
                (record_id, project_id, funding_source, assignments, allocated, planned_spending, received,
                 committed, disbursed, allocated_investment, disbursed_investment, allocated_carried,
                 received_carried, disbursed_carried, output_percent, step_percent, indicators_met,
                 indicator_count)
            SELECT %(record)s, project_id, MIN(funding_source), COUNT(*), SUM(allocated),
                   SUM(planned_spending[%(m)s]), SUM(received[%(m)s]), SUM(committed[%(m)s]),
                   SUM(disbursed[%(m)s]), SUM(allocated_investment), SUM(disbursed_investment[%(m)s]),
                   SUM(allocated_carried), SUM(received_carried[%(m)s]), SUM(disbursed_carried[%(m)s]),
                   AVG(CASE WHEN planned_quantity[%(m)s] > 0
                            THEN LEAST(result_quantity[%(m)s] * 100 / planned_quantity[%(m)s], 100) END),
                   AVG(step_completion[%(m)s]),
                   COALESCE(SUM(indicators_met[%(m)s]), 0), COALESCE(SUM(indicator_count), 0)
            FROM progress_officialfigures WHERE record_id = %(record)s
            GROUP BY project_id
            """,
            params,
        )


# --- reads -------------------------------------------------------------------------------------


@dataclass
class MonthState:
    month: FiscalMonth
    ended: bool
    closure: MonthClosure | None = None
    record: OfficialRecord | None = None  # the newest revision of its official figures
    reopening: MonthReopening | None = None  # the latest reopening

    @property
    def closed(self) -> bool:
        return self.closure is not None


def year_months(fiscal_year: int, today: dt.date | None = None) -> list[MonthState]:
    """The twelve months of a fiscal year with their closing state, in three queries."""
    closures = {
        c.month: c for c in MonthClosure.objects.filter(fiscal_year=fiscal_year).select_related("closed_by")
    }
    records = {
        r.month: r
        for r in OfficialRecord.objects.filter(fiscal_year=fiscal_year)
        .latest_revisions()
        .select_related("closed_by")
    }
    reopenings = {}
    for r in MonthReopening.objects.filter(fiscal_year=fiscal_year).select_related(
        "reopened_by", "closed_by"
    ):
        reopenings.setdefault(r.month, r)  # newest first
    return [
        MonthState(
            month=m,
            ended=has_ended(m, today),
            closure=closures.get(m.index),
            record=records.get(m.index),
            reopening=reopenings.get(m.index),
        )
        for m in fiscal_months(fiscal_year)
    ]


@dataclass
class ProjectLocks:
    """What closing a month locks in one project, and which of its assignments are not in yet."""

    pk: int
    code: str
    name: str
    assignments: int = 0
    results: int = 0
    steps: int = 0
    indicators: int = 0
    disbursements: int = 0
    transfers: int = 0
    procurements: int = 0
    not_handed_in: list = field(default_factory=list)
    without_figures: list = field(default_factory=list)


def _count(model, **filters):
    rows = (
        model.objects.filter(activity_unit=OuterRef("pk"), **filters)
        .order_by()
        .values("activity_unit")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def what_closing_locks(fiscal_year: int, month: int) -> list[ProjectLocks]:
    """Per project of the year: the rows of the month closing locks, and the assignments still missing
    (report not handed in or sent back; no figures at all for the month). One query."""
    fiscal_month = fiscal_months(fiscal_year)[month - 1]
    days = {"date__gte": fiscal_month.first_day, "date__lte": month_end(fiscal_month)}
    handed_in = MonthReport.objects.filter(
        activity_unit=OuterRef("pk"),
        month=month,
        status__in=[MonthReport.Status.SUBMITTED, MonthReport.Status.ACCEPTED],
    )
    rows = (
        ActivityUnit.objects.filter(activity__project__fiscal_year=fiscal_year)
        .annotate(
            n_results=_count(PerformanceResult, month=month),
            n_steps=_count(StepProgress, month=month),
            n_indicators=_count(IndicatorResult, month=month),
            n_disbursements=_count(Disbursement, month=month),
            n_transfers=_count(Transfer, **days),
            n_procurements=_count(
                Procurement, contract_date__gte=days["date__gte"], contract_date__lte=days["date__lte"]
            ),
            report_status=Subquery(handed_in.values("status")[:1]),
        )
        .values(
            "pk",
            "activity__project_id",
            "activity__project__code",
            "activity__project__name",
            "activity__order",
            "activity__name",
            "unit__name_th",
            "unit__name_sort",
            "n_results",
            "n_steps",
            "n_indicators",
            "n_disbursements",
            "n_transfers",
            "n_procurements",
            "report_status",
        )
        .order_by("activity__project__code", "activity__order", "unit__name_sort")
    )
    projects: dict[int, ProjectLocks] = {}
    for row in rows:
        project = projects.setdefault(
            row["activity__project_id"],
            ProjectLocks(
                pk=row["activity__project_id"],
                code=row["activity__project__code"],
                name=row["activity__project__name"],
            ),
        )
        project.assignments += 1
        project.results += row["n_results"]
        project.steps += row["n_steps"]
        project.indicators += row["n_indicators"]
        project.disbursements += row["n_disbursements"]
        project.transfers += row["n_transfers"]
        project.procurements += row["n_procurements"]
        label = f"{row['activity__order']}. {row['activity__name']} · {row['unit__name_th']}"
        if row["report_status"] is None:
            project.not_handed_in.append(label)
        if not (row["n_results"] or row["n_steps"] or row["n_indicators"] or row["n_disbursements"]):
            project.without_figures.append(label)
    return list(projects.values())
