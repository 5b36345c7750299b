"""When each assigned unit's monthly report is due, and where each (assignment, month) stands.

The one home of these facts:

* the due day of a fiscal year (``ReportingCalendar``, day 5 without a row) and the due
  date and deadline of a month: a report is late when handed in after the end of its due
  day, Bangkok time;
* the state of an (assignment, month), as one SQL expression (``state_annotations``,
  used through ``ActivityUnit.objects.with_report_states``), with its symbol and label
  (``ReportState``), shown by the grids, the legend and counted by the national page
  and the reminders.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from progress.models import (
    Disbursement,
    IndicatorResult,
    MonthReport,
    PerformanceResult,
    Photo,
    ReportingCalendar,
    StepProgress,
)
from tracking import thaicalendar

BANGKOK = zoneinfo.ZoneInfo("Asia/Bangkok")
DEFAULT_DUE_DAY = ReportingCalendar._meta.get_field("due_day").default


class ReportState(models.TextChoices):
    """Where one assignment's report of one month stands (the grids' cells)."""

    NOT_DUE = "not_due", _("Month not over yet")
    NOT_STARTED = "not_started", _("Not started")
    DRAFT = "draft", _("Draft: figures recorded, not handed in")
    OVERDUE = "overdue", _("Overdue: not handed in by the due day")
    ON_TIME = "on_time", _("Handed in on time, waiting for review")
    LATE = "late", _("Handed in late, waiting for review")
    SENT_BACK = "sent_back", _("Sent back for correction")
    ACCEPTED = "accepted", _("Accepted")


# Symbol and CSS class of each state: shapes differ, so the grid reads in black and white too.
SYMBOLS = {
    ReportState.NOT_DUE: ("·", "rs-not-due"),
    ReportState.NOT_STARTED: ("○", "rs-not-started"),
    ReportState.DRAFT: ("◐", "rs-draft"),
    ReportState.OVERDUE: ("✖", "rs-overdue"),
    ReportState.ON_TIME: ("●", "rs-on-time"),
    ReportState.LATE: ("◉", "rs-late"),
    ReportState.SENT_BACK: ("↩", "rs-sent-back"),
    ReportState.ACCEPTED: ("✔", "rs-accepted"),
}
# A month with one of these is still waiting for its report (the reminders' "nothing handed in").
NOT_HANDED_IN = (ReportState.NOT_DUE, ReportState.NOT_STARTED, ReportState.DRAFT, ReportState.OVERDUE)


# --- the calendar -----------------------------------------------------------------------------


def due_days(fiscal_years) -> dict[int, int]:
    """The due day of each fiscal year (one query); years without a calendar row have day 5."""
    years = set(fiscal_years)
    stored = dict(
        ReportingCalendar.objects.filter(fiscal_year__in=years).values_list("fiscal_year", "due_day")
    )
    return {fy: stored.get(fy, DEFAULT_DUE_DAY) for fy in years}


def due_date(fiscal_year: int, month: int, due_day: int | None = None) -> dt.date:
    """The day the report of ``month`` (1 = October) of ``fiscal_year`` falls due."""
    if due_day is None:
        due_day = due_days([fiscal_year])[fiscal_year]
    return thaicalendar.report_due_date(fiscal_year, month, due_day)


def deadline(fiscal_year: int, month: int, due_day: int | None = None) -> dt.datetime:
    """The first instant at which a report of the month is late: midnight (Bangkok) after its due day."""
    day = due_date(fiscal_year, month, due_day) + dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(0), tzinfo=BANGKOK)


def is_late(submitted_at: dt.datetime, fiscal_year: int, month: int, due_day: int | None = None) -> bool:
    return submitted_at >= deadline(fiscal_year, month, due_day)


def month_bounds(fiscal_year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    """Start and end (exclusive) of a fiscal month, Bangkok time."""
    fm = thaicalendar.fiscal_months(fiscal_year)[month - 1]
    start = dt.datetime.combine(fm.first_day, dt.time(0), tzinfo=BANGKOK)
    year, month_ = (fm.year + 1, 1) if fm.month == 12 else (fm.year, fm.month + 1)
    return start, dt.datetime(year, month_, 1, tzinfo=BANGKOK)


@dataclass(frozen=True)
class Period:
    """A fiscal month seen from ``now``: its deadline, and whether it has ended / fallen due."""

    fiscal_month: thaicalendar.FiscalMonth
    due_date: dt.date
    deadline: dt.datetime
    start: dt.datetime
    end: dt.datetime
    ended: bool
    overdue: bool  # the deadline has passed

    @property
    def index(self) -> int:
        return self.fiscal_month.index

    @property
    def due_short(self) -> str:
        """``5 พ.ย.``: the due day and month, for a grid's column head (the year is the next month's)."""
        return f"{self.due_date.day} {thaicalendar.MONTHS_SHORT[self.due_date.month - 1]}"


def periods(fiscal_year: int, now: dt.datetime | None = None, due_day: int | None = None) -> list[Period]:
    """The twelve months of a fiscal year with their due dates, as of ``now`` (default: now)."""
    now = now or timezone.now()
    if due_day is None:
        due_day = due_days([fiscal_year])[fiscal_year]
    found = []
    for fm in thaicalendar.fiscal_months(fiscal_year):
        start, end = month_bounds(fiscal_year, fm.index)
        limit = deadline(fiscal_year, fm.index, due_day)
        found.append(
            Period(
                fiscal_month=fm, due_date=due_date(fiscal_year, fm.index, due_day), deadline=limit,
                start=start, end=end, ended=now >= end, overdue=now >= limit,
            )
        )  # fmt: skip
    return found


# --- the state of an (assignment, month), in SQL ------------------------------------------------


def recorded(month: int, start: dt.datetime, end: dt.datetime) -> Q:
    """Some figure of the month exists for the assigned unit (the outer row): a result, a step's or
    an indicator's progress, spending, or a photo taken (else uploaded) in the month."""
    unit = OuterRef("pk")
    photos = Photo.objects.filter(activity_unit=unit).filter(
        Q(taken_on__gte=start.date(), taken_on__lt=end.date())
        | Q(taken_on__isnull=True, uploaded_at__gte=start, uploaded_at__lt=end)
    )
    return (
        Exists(PerformanceResult.objects.filter(activity_unit=unit, month=month))
        | Exists(StepProgress.objects.filter(activity_unit=unit, month=month))
        | Exists(IndicatorResult.objects.filter(activity_unit=unit, month=month))
        | Exists(Disbursement.objects.filter(activity_unit=unit, month=month))
        | Exists(photos)
    )


def state_expression(period: Period):
    """The ReportState of the outer assigned unit's report of ``period``'s month, as SQL.

    The MonthReport row decides when there is one; without it, the clock and the figures do.
    PostgreSQL's COALESCE and CASE stop at the first answer, so the figures are looked at
    only for months without a report.
    """
    month = period.index
    report = MonthReport.objects.filter(activity_unit=OuterRef("pk"), month=month).annotate(
        state=Case(
            When(status=MonthReport.Status.ACCEPTED, then=Value(ReportState.ACCEPTED)),
            When(status=MonthReport.Status.SENT_BACK, then=Value(ReportState.SENT_BACK)),
            When(submitted_at__lt=period.deadline, then=Value(ReportState.ON_TIME)),
            default=Value(ReportState.LATE),
        )
    )
    if period.overdue:
        without_report = Value(ReportState.OVERDUE)
    else:
        without_report = Case(
            When(recorded(month, period.start, period.end), then=Value(ReportState.DRAFT)),
            default=Value(ReportState.NOT_STARTED if period.ended else ReportState.NOT_DUE),
        )
    return Coalesce(Subquery(report.values("state")[:1]), without_report, output_field=models.CharField())


def late_expression(period: Period):
    """Was the outer assigned unit's report of the month handed in after its deadline (whatever
    became of it since)? The national page counts accepted reports as on time or late with it."""
    return Exists(
        MonthReport.objects.filter(
            activity_unit=OuterRef("pk"), month=period.index, submitted_at__gte=period.deadline
        )
    )


def state_annotations(months: list[Period], *, lateness: bool = False) -> dict:
    """``state_1`` … ``state_12`` (and ``late_1`` … with ``lateness``) for the given months."""
    found = {f"state_{p.index}": state_expression(p) for p in months}
    if lateness:
        found.update({f"late_{p.index}": late_expression(p) for p in months})
    return found


# --- grids -----------------------------------------------------------------------------------


@dataclass
class Cell:
    state: str
    period: Period

    @property
    def symbol(self) -> str:
        return SYMBOLS[self.state][0]

    @property
    def css(self) -> str:
        return SYMBOLS[self.state][1]

    @property
    def label(self):
        return ReportState(self.state).label


def grid_rows(assignments, fiscal_year: int, now: dt.datetime | None = None):
    """(months, rows): each assigned unit of ``assignments`` (a queryset already narrowed to what
    the user may see) with ``cells``, one per fiscal month. Two queries: the calendar and the rows."""
    months = periods(fiscal_year, now)
    rows = list(
        assignments.select_related("activity__project", "unit")
        .with_report_states(months)
        .order_by("activity__project__code", "activity__order", "unit__name_sort", "pk")
    )
    for row in rows:
        row.cells = [Cell(getattr(row, f"state_{p.index}"), p) for p in months]
    return months, rows


@dataclass
class Tally:
    """Counts of one group (a province or a bureau) in one month."""

    assignments: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    due: bool = False

    @property
    def on_time_percent(self):
        return thaicalendar.percent(self.on_time, self.assignments) if self.due else None

    @property
    def late_percent(self):
        return thaicalendar.percent(self.late, self.assignments) if self.due else None

    @property
    def missing_percent(self):
        return thaicalendar.percent(self.missing, self.assignments) if self.due else None


@dataclass
class GroupRow:
    name: str
    province_code: str | None = None
    unit_id: int | None = None
    months: list = field(default_factory=list)


HANDED_IN = (ReportState.ON_TIME, ReportState.LATE, ReportState.ACCEPTED)


def national(assignments, fiscal_year: int, now: dt.datetime | None = None):
    """(months, provinces, bureaus, total): per province (its provincial units) and per central
    unit, and in all, how many assignments handed in each due month on time, late, or not
    (a report sent back counts as not handed in until it comes back). One query for the rows."""
    months = periods(fiscal_year, now)
    rows = (
        assignments.with_report_states(months, lateness=True)
        .order_by()
        .values(
            "unit_id", "unit__name_th", "unit__name_sort", "unit__province__code", "unit__province__name_th",
            "unit__province__name_sort", "unit__kind",
            *(f"state_{p.index}" for p in months), *(f"late_{p.index}" for p in months),
        )
    )  # fmt: skip
    groups: dict = {}
    total = GroupRow(name="", months=[Tally(due=p.overdue) for p in months])
    for row in rows:
        if row["unit__kind"] == "provincial" and row["unit__province__code"]:
            key = ("province", row["unit__province__name_sort"], row["unit__province__code"])
            if key not in groups:
                groups[key] = GroupRow(name=row["unit__province__name_th"], province_code=key[2])
        else:
            key = ("bureau", row["unit__name_sort"], row["unit_id"])
            if key not in groups:
                groups[key] = GroupRow(name=row["unit__name_th"], unit_id=row["unit_id"])
        group = groups[key]
        if not group.months:
            group.months = [Tally(due=p.overdue) for p in months]
        for i, p in enumerate(months):
            state, late = row[f"state_{p.index}"], row[f"late_{p.index}"]
            for tally in (group.months[i], total.months[i]):
                tally.assignments += 1
                if state in HANDED_IN:
                    if state == ReportState.LATE or (state == ReportState.ACCEPTED and late):
                        tally.late += 1
                    else:
                        tally.on_time += 1
                elif p.overdue:
                    tally.missing += 1
    ordered = [groups[key] for key in sorted(groups)]
    provinces = [g for g in ordered if g.province_code]
    bureaus = [g for g in ordered if not g.province_code]
    return months, provinces, bureaus, total
