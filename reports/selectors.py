"""The ALRO dashboards' figures, summed in SQL from one summary row per assigned unit.

Every function takes the figures a user may see (``scoped_figures``), already
narrowed by the dashboard's filters, and the month the report runs to; each
returns a fixed number of queries' worth of rows however many projects,
units and years there are. Percentages are worked out in Python from those
sums (two numbers a row); a zero base gives None, shown as "–".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Case, Count, DecimalField, F, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Coalesce, Least

from accounts.models import FundingSource
from progress.models import (
    SLIGHTLY_BEHIND,
    AssignmentFigures,
    FiguresVersion,
    OfficialFigures,
    OfficialRecord,
    cumulative,
    month_index,
    standing,
)
from projects.selectors import MONEY
from reports.models import DisbursementTargets
from tracking.thaicalendar import percent

PERCENT = DecimalField(max_digits=9, decimal_places=4)
ZERO = Decimal(0)
HUNDRED = Decimal(100)


# The figures a dashboard shows for a closed month: the official record stored at closing, or the
# latest figures with any later corrections (a month still open has only the latter).
OFFICIAL, LIVE = "official", "live"


@dataclass(frozen=True)
class Filters:
    fiscal_year: int
    month: int  # the report runs to the end of this fiscal month (1 = October)
    source: str = ""
    province: object = None  # accounts.Province
    unit: object = None  # accounts.OrgUnit
    project: object = None  # projects.Project
    asof: str = ""  # OFFICIAL or LIVE for a month with an official record, else ""
    official: object = None  # progress.OfficialRecord whose figures are shown (its newest revision)

    def as_query(self, **changes) -> dict:
        """The filters as URL parameters, with ``changes`` applied (None drops one)."""
        values = {
            "fy": self.fiscal_year,
            "month": self.month,
            "source": self.source or None,
            "province": self.province.code if self.province else None,
            "unit": self.unit.pk if self.unit else None,
            "project": self.project.pk if self.project else None,
            "asof": self.asof or None,
        }
        values.update(changes)
        return {key: value for key, value in values.items() if value not in (None, "")}


def year_state(fiscal_year: int) -> tuple[int | None, dict]:
    """The version of the year's figures and the newest official record of each closed month, in one query.

    Records come back unsaved-looking (pk, month and revision only): enough to read their figures;
    a page that shows who closed the month fetches the rest.
    """
    version = FiguresVersion.objects.filter(fiscal_year=fiscal_year).values_list(
        Value(0, output_field=IntegerField()), "version", Value(0, output_field=IntegerField())
    )
    records = (
        OfficialRecord.objects.filter(fiscal_year=fiscal_year)
        .order_by()
        .values_list("month", "pk", "revision")
    )
    figures_version, newest = None, {}
    for month, number, revision in version.union(records, all=True):
        if month == 0:
            figures_version = number
        elif month not in newest or revision > newest[month].revision:
            newest[month] = OfficialRecord(pk=number, fiscal_year=fiscal_year, month=month, revision=revision)
    return figures_version, newest


def scoped_figures(user, filters: Filters, record=None):
    """The summary rows of the year this user may see, narrowed by the filters: the official record's
    copies when the filters ask for it (or ``record`` is given), else the live summary."""
    record = record or filters.official
    if record is not None:
        rows = OfficialFigures.objects.visible_to(user).filter(record=record)
    else:
        rows = AssignmentFigures.objects.visible_to(user)
    return rows.for_dashboard(filters)


def at(name: str, month: int) -> F:
    """The cumulative figure ``name`` as of fiscal month ``month`` (progress.models.cumulative)."""
    return cumulative(name, month)


def money_sums(month: int) -> dict:
    """Aggregates of the budget dashboard, to the end of ``month``."""

    def total(expression):
        return Coalesce(Sum(expression), Value(ZERO), output_field=MONEY)

    return {
        "allocated": total("allocated"),
        "allocated_investment": total("allocated_investment"),
        "planned": total(at("planned_spending", month)),
        "received": total(at("received", month)),
        "committed": total(at("committed", month)),
        "disbursed": total(at("disbursed", month)),
        "disbursed_investment": total(at("disbursed_investment", month)),
        "allocated_carried": total("allocated_carried"),
        "received_carried": total(at("received_carried", month)),
        "disbursed_carried": total(at("disbursed_carried", month)),
        "assignments": Count("pk"),
    }


@dataclass
class MoneyRow:
    """One line of the budget dashboard: sums and the percentages worked out from them."""

    key: object = None
    label: str = ""
    allocated: Decimal = ZERO
    allocated_investment: Decimal = ZERO
    planned: Decimal = ZERO
    received: Decimal = ZERO
    committed: Decimal = ZERO
    disbursed: Decimal = ZERO
    disbursed_investment: Decimal = ZERO
    allocated_carried: Decimal = ZERO
    received_carried: Decimal = ZERO
    disbursed_carried: Decimal = ZERO
    assignments: int = 0
    extra: dict = field(default_factory=dict)
    rank: int | None = None

    @classmethod
    def from_sums(cls, sums: dict, **attributes) -> MoneyRow:
        names = cls.__dataclass_fields__.keys()
        return cls(**{k: v for k, v in sums.items() if k in names}, **attributes)

    @property
    def of_allocated(self):
        return percent(self.disbursed, self.allocated)

    @property
    def of_received(self):
        return percent(self.disbursed, self.received)

    @property
    def plan_of_allocated(self):
        return percent(self.planned, self.allocated)

    @property
    def investment_of_allocated(self):
        return percent(self.disbursed_investment, self.allocated_investment)

    @property
    def remaining(self):
        return self.allocated - self.disbursed

    @property
    def carried_of_allocated(self):
        return percent(self.disbursed_carried, self.allocated_carried)

    @property
    def carried_of_received(self):
        return percent(self.disbursed_carried, self.received_carried)


def budget_total(rows, month: int) -> MoneyRow:
    return MoneyRow.from_sums(rows.aggregate(**money_sums(month)))


def budget_by_source(rows, month: int) -> list[MoneyRow]:
    found = {r["funding_source"]: r for r in rows.values("funding_source").annotate(**money_sums(month))}
    return [
        MoneyRow.from_sums(found[value], key=value, label=label)
        for value, label in FundingSource.choices
        if value in found
    ]


def budget_by_unit(rows, month: int) -> list[MoneyRow]:
    """Every unit with figures, ranked by the share of its allocation disbursed (no budget last)."""
    grouped = rows.values(
        "unit_id", "unit__name_th", "unit__kind", "unit__name_sort", "unit__province__name_th"
    ).annotate(**money_sums(month))
    result = [
        MoneyRow.from_sums(
            r,
            key=r["unit_id"],
            label=r["unit__name_th"],
            extra={
                "kind": r["unit__kind"],
                "province": r["unit__province__name_th"],
                "sort": r["unit__name_sort"],
            },
        )
        for r in grouped
    ]
    return rank(result, score=lambda row: row.of_allocated, name=lambda row: row.extra["sort"])


def rank(result: list, *, score, name) -> list:
    """Order by ``score`` (highest first, None last, then by name) and number the places."""
    result.sort(key=lambda row: (score(row) is None, -(score(row) or 0), name(row)))
    for place, row in enumerate(result, start=1):
        row.rank = place if score(row) is not None else None
    return result


def budget_by_province(rows, month: int) -> list[MoneyRow]:
    """Provincial offices' figures per province, in Thai order of the province's name."""
    grouped = (
        rows.filter(unit__province__isnull=False)
        .values(
            "unit__province_id",
            "unit__province__code",
            "unit__province__name_th",
            "unit__province__name_sort",
        )
        .annotate(**money_sums(month))
        .order_by("unit__province__name_sort")
    )
    return [
        MoneyRow.from_sums(r, key=r["unit__province__code"], label=r["unit__province__name_th"])
        for r in grouped
    ]


def budget_by_project(rows, month: int) -> list[MoneyRow]:
    grouped = (
        rows.values("project_id", "project__code", "project__name", "funding_source")
        .annotate(**money_sums(month))
        .order_by("project__code")
    )
    return [
        MoneyRow.from_sums(
            r,
            key=r["project_id"],
            label=r["project__name"],
            extra={"code": r["project__code"], "source": r["funding_source"]},
        )
        for r in grouped
    ]


def assignment_rows(rows, month: int) -> list[MoneyRow]:
    """One line per assigned unit (activity × unit), for a project's or a unit's page."""
    grouped = (
        rows.values(
            "activity_unit_id",
            "project__code",
            "project_id",
            "activity__order",
            "activity__name",
            "unit__name_th",
            "unit__name_sort",
            "activity_unit__output_unit",
        )
        .annotate(**{**money_sums(month), **performance_sums(month, capped=False)})
        .order_by("project__code", "activity__order", "unit__name_sort")
    )
    return [
        MoneyRow.from_sums(
            r,
            key=r["activity_unit_id"],
            label=f"{r['activity__order']}. {r['activity__name']}",
            extra={**r, "performance": PerformanceRow.from_sums(r)},
        )
        for r in grouped
    ]


def monthly_series(rows, month: int) -> list[dict]:
    """Cumulative plan, disbursement and receipts of each month of the year, in one query.

    Months after ``month`` carry the plan only: their results are not in yet.
    """
    aggregates = {}
    for m in range(1, 13):
        for name in (
            "planned_spending",
            "disbursed",
            "disbursed_investment",
            "received",
            "disbursed_carried",
        ):
            aggregates[f"{name}_{m}"] = Coalesce(Sum(at(name, m)), Value(ZERO), output_field=MONEY)
    sums = rows.aggregate(**aggregates)
    return [
        {
            "month": m,
            "planned": sums[f"planned_spending_{m}"],
            "disbursed": sums[f"disbursed_{m}"] if m <= month else None,
            "disbursed_investment": sums[f"disbursed_investment_{m}"] if m <= month else None,
            "received": sums[f"received_{m}"] if m <= month else None,
            "disbursed_carried": sums[f"disbursed_carried_{m}"] if m <= month else None,
        }
        for m in range(1, 13)
    ]


QUARTER_END_MONTHS = (3, 6, 9, 12)


def quarter_standing(series: list[dict], total: MoneyRow, targets: DisbursementTargets | None, month: int):
    """Each quarter's target and what was disbursed by its last month, for the whole budget and investment."""
    result = []
    for quarter, last in enumerate(QUARTER_END_MONTHS, start=1):
        point = series[last - 1]
        reached = last <= month
        result.append(
            {
                "quarter": quarter,
                "month": last,
                "target": targets.quarters("overall")[quarter - 1] if targets else None,
                "actual": percent(point["disbursed"], total.allocated) if reached else None,
                "investment_target": targets.quarters("investment")[quarter - 1] if targets else None,
                "investment_actual": percent(point["disbursed_investment"], total.allocated_investment)
                if reached
                else None,
            }
        )
    for row in result:
        row["met"] = (
            None if row["actual"] is None or row["target"] is None else row["actual"] >= row["target"]
        )
        row["investment_met"] = (
            None
            if row["investment_actual"] is None or row["investment_target"] is None
            else row["investment_actual"] >= row["investment_target"]
        )
    return result


# --- performance ------------------------------------------------------------------------------


def performance_sums(month: int, *, capped: bool = True) -> dict:
    """Aggregates of the performance dashboard, to the end of ``month``.

    Output quantities have different counting units, so they are never
    added up across assignments: each assignment's result ÷ plan is averaged,
    capped at 100 % (``capped``) so that one unit's surplus does not hide
    another's shortfall. A line of one assigned unit (``capped=False``) shows
    its own share, as its drill-down does. Step completion is the weighted
    completion of each assignment's steps, averaged.
    """
    index = month_index(month)
    planned, done = at("planned_quantity", month), at("result_quantity", month)
    with_plan = Q(**{f"planned_quantity__{index}__gt": 0})
    share = done * HUNDRED / planned
    output_percent = Case(
        When(with_plan, then=Least(share, Value(HUNDRED)) if capped else share),
        output_field=PERCENT,
    )
    # The SQL form of progress.models.is_behind: output to date below SLIGHTLY_BEHIND % of plan.
    behind = with_plan & Q(**{f"result_quantity__{index}__lt": planned * SLIGHTLY_BEHIND / HUNDRED})
    return {
        "output_percent": Avg(output_percent),
        "with_plan": Count("pk", filter=with_plan),
        "behind": Count("pk", filter=behind),
        "step_percent": Avg(at("step_completion", month), output_field=PERCENT),
        "indicators_met": Coalesce(Sum(at("indicators_met", month)), 0),
        "indicator_count": Coalesce(Sum("indicator_count"), 0),
        "allocated": Coalesce(Sum("allocated"), Value(ZERO), output_field=MONEY),
        "disbursed": Coalesce(Sum(at("disbursed", month)), Value(ZERO), output_field=MONEY),
        "assignments": Count("pk"),
    }


@dataclass
class PerformanceRow:
    key: object = None
    label: str = ""
    output_percent: Decimal | None = None
    with_plan: int = 0
    behind: int = 0
    step_percent: Decimal | None = None
    indicators_met: int = 0
    indicator_count: int = 0
    allocated: Decimal = ZERO
    disbursed: Decimal = ZERO
    assignments: int = 0
    extra: dict = field(default_factory=dict)
    rank: int | None = None

    @classmethod
    def from_sums(cls, sums: dict, **attributes) -> PerformanceRow:
        names = cls.__dataclass_fields__.keys()
        values = {k: v for k, v in sums.items() if k in names}
        for name in ("output_percent", "step_percent"):
            # Averages of percentages: rounded by the one percent() (a value as a percentage of 100).
            values[name] = percent(values.get(name), HUNDRED)
        return cls(**values, **attributes)

    @property
    def disbursed_percent(self):
        return percent(self.disbursed, self.allocated)

    @property
    def indicators_not_met(self):
        return self.indicator_count - self.indicators_met

    @property
    def standing(self) -> str:
        """on_plan / slightly_behind / behind, or '' when nothing was planned yet."""
        return standing(self.output_percent)


def performance_total(rows, month: int) -> PerformanceRow:
    return PerformanceRow.from_sums(rows.aggregate(**performance_sums(month)))


def performance_by(rows, month: int, *, key: str, label: str, order: str, extra=()) -> list[PerformanceRow]:
    grouped = rows.values(key, label, order, *extra).annotate(**performance_sums(month)).order_by(order)
    return [
        PerformanceRow.from_sums(r, key=r[key], label=r[label], extra={name: r[name] for name in extra})
        for r in grouped
    ]
