"""A generated fiscal year of ALRO data with known totals, and sums over it computed independently.

Shared by the tests of the figures summary (progress) and of the dashboards (reports).
"""

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection

from accounts.models import OrgUnit
from progress.models import (
    Disbursement,
    IndicatorResult,
    MonthReport,
    PerformanceResult,
    StepProgress,
    Transfer,
)
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


def report_in_state(
    activity_unit, month, status, *, by, submitted_at=None, decided_by=None, decided_at=None, reason=""
):
    """A monthly report in ``status``, reached by the steps the database allows: handed in, then
    accepted or sent back (a sent-back report always says what to fix)."""
    from django.utils import timezone

    report = MonthReport.objects.create(
        activity_unit=activity_unit,
        month=month,
        status=MonthReport.Status.SUBMITTED,
        submitted_at=submitted_at or timezone.now(),
        submitted_by=by,
    )
    if status != MonthReport.Status.SUBMITTED:
        report.status = status
        report.decided_at = decided_at or timezone.now()
        report.decided_by = decided_by or by
        report.reason = reason or ("แก้ไขตัวเลข" if status == MonthReport.Status.SENT_BACK else "")
        report.save()
    return report


def flush_figures():
    """Run the deferred refresh of the figures summary now (tests never commit)."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS progress_figures_flush IMMEDIATE")
        cursor.execute("SET CONSTRAINTS progress_figures_flush DEFERRED")


UNITS = ("ALRO-P50", "ALRO-P57", "ALRO-P40", "ALRO-P30", "ALRO-SKS", "ALRO-SPP")
CENTS = Decimal("0.01")


@dataclass
class Row:
    """What the generator wrote for one assigned unit, kept to recompute every figure independently."""

    assignment: ActivityUnit
    source: str
    unit_code: str
    province_code: str | None
    allocated: dict = field(default_factory=dict)  # (category, carried) → amount
    plan: dict = field(default_factory=dict)  # month → (quantity, spending)
    results: dict = field(default_factory=dict)  # month → quantity
    spent: dict = field(default_factory=dict)  # (month, category, carried) → (committed, disbursed)
    transfers: list = field(default_factory=list)  # (date, signed amount, carried)
    steps: dict = field(default_factory=dict)  # step → {month: percent}
    indicators: dict = field(default_factory=dict)  # indicator → (unit target or None, {month: value})


@dataclass
class Dataset:
    fiscal_year: int
    rows: list

    def where(self, **conditions):
        return [r for r in self.rows if all(getattr(r, k) == v for k, v in conditions.items())]


def generate_year(seed=2570, fiscal_year=2570, projects=6, prefix="G"):
    """A fiscal year of projects on six units in four provinces and two bureaus, written straight
    to the tables (as an import or a script would), with every amount remembered."""
    rng = random.Random(seed)  # noqa: S311 - test data
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=UNITS).select_related("province")}
    owner = units["ALRO-SPP"]
    start = dt.date(fiscal_year - 544, 10, 1)
    rows = []
    for p in range(projects):
        source = "budget_act" if p % 3 else "land_reform_fund"
        project = Project.objects.create(
            fiscal_year=fiscal_year, funding_source=source, code=f"{prefix}{p:02d}", name=f"โครงการทดสอบ {p}",
            owner_unit=owner,
        )  # fmt: skip
        for order in range(1, 3):
            activity = Activity.objects.create(project=project, order=order, name=f"กิจกรรม {p}.{order}")
            steps = Step.objects.bulk_create(
                [Step(activity=activity, order=1, name="เตรียมการ", weight=Decimal("30")),
                 Step(activity=activity, order=2, name="ดำเนินการ", weight=Decimal("70"))]
            )  # fmt: skip
            indicator = Indicator.objects.create(
                activity=activity, name="ผลผลิต", unit_of_measure="ราย", target=Decimal(100)
            )
            for code in rng.sample(UNITS, 3):
                unit = units[code]
                au = ActivityUnit.objects.create(activity=activity, unit=unit, output_unit="ราย")
                row = Row(au, source, code, unit.province.code if unit.province else None)
                categories = ["operating", "investment"] if rng.random() < 0.5 else ["operating"]
                for category in categories:
                    row.allocated[(category, False)] = Decimal(rng.randint(100, 900) * 1000)
                if rng.random() < 0.3:
                    row.allocated[("investment", True)] = Decimal(rng.randint(50, 300) * 1000)
                if rng.random() < 0.15:  # no budget at all yet: percentages must show "–"
                    row.allocated = {}
                BudgetAllocation.objects.bulk_create(
                    BudgetAllocation(activity_unit=au, category=c, carried_over=carried, amount=amount)
                    for (c, carried), amount in row.allocated.items()
                )
                this_year = sum((a for (c, carried), a in row.allocated.items() if not carried), Decimal(0))
                for month in range(1, 13):
                    quantity = Decimal(rng.randint(0, 5))
                    spending = (this_year / 12).quantize(CENTS)
                    row.plan[month] = (quantity, spending)
                MonthlyPlan.objects.bulk_create(
                    MonthlyPlan(activity_unit=au, month=m, quantity=q, spending=s)
                    for m, (q, s) in row.plan.items()
                )
                for (category, carried), amount in row.allocated.items():
                    received = (amount * Decimal("0.9")).quantize(CENTS)
                    when = start + dt.timedelta(days=rng.randint(0, 200))
                    row.transfers.append((when, received, carried))
                    if rng.random() < 0.3:
                        back = (received * Decimal("0.1")).quantize(CENTS)
                        row.transfers.append((when + dt.timedelta(days=30), -back, carried))
                    # Spend at most what stays after a return, spread over the first months.
                    budget = (received * Decimal("0.8")).quantize(CENTS)
                    for month in range(1, rng.randint(2, 9)):
                        disbursed = (budget / 10).quantize(CENTS)
                        row.spent[(month, category, carried)] = ((disbursed / 2).quantize(CENTS), disbursed)
                Transfer.objects.bulk_create(
                    Transfer(activity_unit=au, kind="transfer" if amount > 0 else "return", date=when,
                             amount=abs(amount), carried_over=carried, document_no="ทดสอบ",
                             created_by_id=_creator().pk)
                    for when, amount, carried in row.transfers
                )  # fmt: skip
                Disbursement.objects.bulk_create(
                    Disbursement(activity_unit=au, month=m, category=c, carried_over=carried, committed=cm,
                                 disbursed=d)
                    for (m, c, carried), (cm, d) in row.spent.items()
                )  # fmt: skip
                for month in range(1, rng.randint(1, 12) + 1):
                    row.results[month] = Decimal(rng.randint(0, 6))
                PerformanceResult.objects.bulk_create(
                    PerformanceResult(activity_unit=au, month=m, quantity=q) for m, q in row.results.items()
                )
                for step in steps:
                    reports = {
                        m: Decimal(min(100, rng.randint(0, 30) * m))
                        for m in sorted(rng.sample(range(1, 13), 3))
                    }
                    row.steps[step] = reports
                    StepProgress.objects.bulk_create(
                        StepProgress(activity_unit=au, step=step, month=m, percent=v)
                        for m, v in reports.items()
                    )
                unit_target = Decimal(rng.randint(10, 60)) if rng.random() < 0.7 else None
                if unit_target is not None:
                    IndicatorTarget.objects.create(indicator=indicator, activity_unit=au, target=unit_target)
                values = {m: Decimal(rng.randint(0, 80)) for m in sorted(rng.sample(range(1, 13), 2))}
                IndicatorResult.objects.bulk_create(
                    IndicatorResult(indicator=indicator, activity_unit=au, month=m, value=v)
                    for m, v in values.items()
                )
                row.indicators[indicator] = (unit_target, values)
                rows.append(row)
    flush_figures()
    return Dataset(fiscal_year=fiscal_year, rows=rows)


def _creator():
    from accounts.models import User

    return (
        User.objects.filter(username="super").first() or User.objects.get_or_create(username="generator")[0]
    )


# --- independent sums over what the generator wrote -------------------------------------------


def fiscal_month(fiscal_year: int, day: dt.date) -> int:
    index = (day.year * 12 + day.month) - ((fiscal_year - 544) * 12 + 10) + 1
    return min(12, max(1, index))


def expected_money(rows, month: int, fiscal_year: int) -> dict:
    result = dict.fromkeys(
        ("allocated", "allocated_investment", "allocated_carried", "planned", "received", "received_carried",
         "committed", "disbursed", "disbursed_investment", "disbursed_carried"),
        Decimal(0),
    )  # fmt: skip
    for row in rows:
        for (category, carried), amount in row.allocated.items():
            if carried:
                result["allocated_carried"] += amount
            else:
                result["allocated"] += amount
                if category == "investment":
                    result["allocated_investment"] += amount
        result["planned"] += sum((s for m, (_q, s) in row.plan.items() if m <= month), Decimal(0))
        for day, amount, carried in row.transfers:
            if fiscal_month(fiscal_year, day) <= month:
                result["received_carried" if carried else "received"] += amount
        for (m, category, carried), (committed, disbursed) in row.spent.items():
            if m > month:
                continue
            if carried:
                result["disbursed_carried"] += disbursed
            else:
                result["disbursed"] += disbursed
                result["committed"] += committed
                if category == "investment":
                    result["disbursed_investment"] += disbursed
    return result


def expected_output_percent(rows, month: int) -> Decimal | None:
    """Mean over assigned units with a plan of min(result / plan, 1) × 100."""
    shares = []
    for row in rows:
        planned = sum((q for m, (q, _s) in row.plan.items() if m <= month), Decimal(0))
        done = sum((q for m, q in row.results.items() if m <= month), Decimal(0))
        if planned > 0:
            shares.append(min(done * 100 / planned, Decimal(100)))
    return sum(shares, Decimal(0)) / len(shares) if shares else None


def expected_step_percent(row, month: int) -> Decimal:
    total = Decimal(0)
    for step, reports in row.steps.items():
        latest = [v for m, v in sorted(reports.items()) if m <= month]
        total += step.weight * (latest[-1] if latest else 0) / 100
    return total


def expected_indicators_met(row, month: int) -> int:
    met = 0
    for indicator, (unit_target, values) in row.indicators.items():
        latest = [v for m, v in sorted(values.items()) if m <= month]
        target = unit_target if unit_target is not None else indicator.target
        met += bool(latest) and latest[-1] >= target
    return met
