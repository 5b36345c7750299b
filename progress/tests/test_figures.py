"""The dashboards' summary kept by PostgreSQL equals the raw rows, whatever wrote them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection

from progress.models import (
    AssignmentFigures,
    Disbursement,
    IndicatorResult,
    PerformanceResult,
    StepProgress,
    Transfer,
)
from progress.tests.data import (
    expected_indicators_met,
    expected_money,
    expected_step_percent,
    flush_figures,
    generate_year,
)
from projects.models import ActivityUnit, BudgetAllocation, IndicatorTarget, MonthlyPlan, Project, Step

pytestmark = pytest.mark.django_db


def recomputed(au: ActivityUnit) -> dict:
    """One assigned unit's figures from its raw rows, month by month, in Python."""

    def cumulative(values):
        total, out = Decimal(0), []
        for month in range(1, 13):
            total += values.get(month, Decimal(0))
            out.append(total)
        return out

    def by_month(queryset, field):
        sums = {}
        for month, value in queryset.values_list("month", field):
            sums[month] = sums.get(month, Decimal(0)) + value
        return sums

    plans = MonthlyPlan.objects.filter(activity_unit=au)
    spent = Disbursement.objects.filter(activity_unit=au)
    return {
        "planned_quantity": cumulative(by_month(plans, "quantity")),
        "planned_spending": cumulative(by_month(plans, "spending")),
        "result_quantity": cumulative(
            by_month(PerformanceResult.objects.filter(activity_unit=au), "quantity")
        ),
        "disbursed": cumulative(by_month(spent.filter(carried_over=False), "disbursed")),
        "committed": cumulative(by_month(spent.filter(carried_over=False), "committed")),
        "disbursed_investment": cumulative(
            by_month(spent.filter(carried_over=False, category="investment"), "disbursed")
        ),
        "disbursed_carried": cumulative(by_month(spent.filter(carried_over=True), "disbursed")),
        "allocated": sum(
            (a.amount for a in BudgetAllocation.objects.filter(activity_unit=au, carried_over=False)),
            Decimal(0),
        ),
        "allocated_carried": sum(
            (a.amount for a in BudgetAllocation.objects.filter(activity_unit=au, carried_over=True)),
            Decimal(0),
        ),
        "received_total": sum(
            (
                t.amount if t.kind == "transfer" else -t.amount
                for t in Transfer.objects.filter(activity_unit=au, carried_over=False)
            ),
            Decimal(0),
        ),
    }


def recomputed_steps(au):
    steps = list(Step.objects.filter(activity_id=au.activity_id))
    if not steps:
        return None
    reports = list(StepProgress.objects.filter(activity_unit=au).order_by("month"))
    out = []
    for month in range(1, 13):
        total = Decimal(0)
        for step in steps:
            latest = [r.percent for r in reports if r.step_id == step.pk and r.month <= month]
            total += step.weight * (latest[-1] if latest else 0) / 100
        out.append(total.quantize(Decimal("0.01")))
    return out


def recomputed_indicators(au):
    from projects.models import Indicator

    out = []
    targets = {t.indicator_id: t.target for t in IndicatorTarget.objects.filter(activity_unit=au)}
    results = list(IndicatorResult.objects.filter(activity_unit=au).order_by("month"))
    for month in range(1, 13):
        met = 0
        for indicator in Indicator.objects.filter(activity_id=au.activity_id):
            latest = [r.value for r in results if r.indicator_id == indicator.pk and r.month <= month]
            met += bool(latest) and latest[-1] >= targets.get(indicator.pk, indicator.target)
        out.append(met)
    return out


def assert_matches_raw_rows():
    for au in ActivityUnit.objects.select_related("activity__project"):
        figures = AssignmentFigures.objects.get(pk=au.pk)
        expected = recomputed(au)
        expected["step_completion"] = recomputed_steps(au)
        expected["indicators_met"] = recomputed_indicators(au)
        for name, value in expected.items():
            actual = figures.received[11] if name == "received_total" else getattr(figures, name)
            assert actual == value, (au.pk, name)
        assert figures.fiscal_year == au.activity.project.fiscal_year
        assert figures.funding_source == au.activity.project.funding_source
        assert figures.unit_id == au.unit_id
    assert AssignmentFigures.objects.count() == ActivityUnit.objects.count()


def test_generated_year_is_summarised_exactly(people):
    data = generate_year()
    assert_matches_raw_rows()
    for row in data.rows:
        figures = AssignmentFigures.objects.get(pk=row.assignment.pk)
        for month in (1, 6, 12):
            assert figures.step_completion[month - 1] == expected_step_percent(row, month).quantize(
                Decimal("0.01")
            )
            assert figures.indicators_met[month - 1] == expected_indicators_met(row, month)
        assert figures.indicator_count == 1
    money = expected_money(data.rows, 12, data.fiscal_year)
    assert sum(f.allocated for f in AssignmentFigures.objects.all()) == money["allocated"]


# Each write on its own, touching one assigned unit only, so that a missing trigger shows.
WRITES = {
    "plan bulk update": lambda au: MonthlyPlan.objects.filter(activity_unit=au, month__in=[3, 4]).update(
        spending=Decimal("1234.56"), quantity=Decimal(7)
    ),
    "result delete": lambda au: PerformanceResult.objects.filter(activity_unit=au, month=1).delete(),
    "step progress update": lambda au: StepProgress.objects.filter(activity_unit=au).update(
        percent=Decimal(100)
    ),
    "disbursement by SQL": lambda au: _sql(
        "UPDATE progress_disbursement SET disbursed = disbursed / 2 WHERE activity_unit_id = %s", au.pk
    ),
    "allocation by SQL": lambda au: _sql(
        "UPDATE projects_budgetallocation SET amount = amount + 1000 WHERE activity_unit_id = %s", au.pk
    ),
    "transfer added": lambda au: Transfer.objects.create(
        activity_unit=au,
        kind="transfer",
        date=dt.date(2026, 12, 1),
        amount=Decimal(500),
        document_no="ก",
        created_by=_anyone(),
    ),
    "step weights": lambda au: _reweigh(au.activity_id),
    "indicator target": lambda au: _sql(
        "UPDATE projects_indicator SET target = 0 WHERE activity_id = %s", au.activity_id
    ),
    "indicator result": lambda au: IndicatorResult.objects.update_or_create(
        indicator=au.activity.indicators.get(), activity_unit=au, month=1, defaults={"value": Decimal(999999)}
    ),
    "unit target": lambda au: IndicatorTarget.objects.update_or_create(
        indicator=au.activity.indicators.get(), activity_unit=au, defaults={"target": Decimal(0)}
    ),
}
# The whole target counts for a unit without its own share of it.
CHOICE = {
    "indicator target": {"indicator_targets__isnull": True},
    "unit target": {"indicator_targets__isnull": True},
}


def _anyone():
    from accounts.models import User

    return User.objects.first()


def _sql(statement, *params):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _reweigh(activity_id):
    first, second = Step.objects.filter(activity_id=activity_id).order_by("order")
    Step.objects.filter(pk=first.pk).update(weight=Decimal(60))
    Step.objects.filter(pk=second.pk).update(weight=Decimal(40))


@pytest.mark.parametrize("write", WRITES)
def test_any_write_keeps_the_summary_right(people, write):
    generate_year(projects=2)
    # An assigned unit with rows of every kind, so that the write changes something.
    au = (
        ActivityUnit.objects.filter(disbursements__isnull=False, results__month=1, **CHOICE.get(write, {}))
        .distinct()
        .first()
    )
    before = AssignmentFigures.objects.get(pk=au.pk)
    WRITES[write](au)
    flush_figures()
    assert_matches_raw_rows()
    after = AssignmentFigures.objects.get(pk=au.pk)
    figures = ("planned_spending", "result_quantity", "step_completion", "disbursed", "allocated", "received",
               "indicators_met")  # fmt: skip
    assert any(getattr(before, name) != getattr(after, name) for name in figures), "the write changed nothing"


def test_an_assigned_unit_that_goes_takes_its_figures_with_it(people):
    generate_year(projects=1)
    bare = ActivityUnit.objects.filter(
        results__isnull=True, disbursements__isnull=True, transfers__isnull=True
    )
    au = bare.first() or ActivityUnit.objects.create(
        activity=ActivityUnit.objects.first().activity, unit_id=people["province_user_b"].org_unit_id
    )
    flush_figures()
    assert AssignmentFigures.objects.filter(pk=au.pk).exists()
    au.delete()
    flush_figures()
    assert not AssignmentFigures.objects.filter(pk=au.pk).exists()


def test_a_project_moved_to_another_year_or_source_moves_its_figures(people):
    generate_year(projects=1)
    project = Project.objects.get()
    Project.objects.filter(pk=project.pk).update(fiscal_year=2571, funding_source="budget_act")
    flush_figures()
    years = set(AssignmentFigures.objects.values_list("fiscal_year", "funding_source"))
    assert years == {(2571, "budget_act")}


def test_a_full_refresh_changes_nothing(people):
    generate_year(projects=2)
    before = {f.pk: (f.disbursed, f.step_completion, f.allocated) for f in AssignmentFigures.objects.all()}
    with connection.cursor() as cursor:
        cursor.execute("SELECT progress_refresh_all_figures()")
    after = {f.pk: (f.disbursed, f.step_completion, f.allocated) for f in AssignmentFigures.objects.all()}
    assert before == after
