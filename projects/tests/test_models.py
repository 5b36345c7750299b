from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from projects.models import ActivityUnit, BudgetAllocation, MonthlyPlan, Step
from projects.tests.conftest import unit

pytestmark = pytest.mark.django_db


def immediate():
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_amounts_cannot_be_negative(make_project):
    au = ActivityUnit.objects.filter(activity__project=make_project()).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetAllocation.objects.create(activity_unit=au, category="investment", amount=Decimal("-1"))
    with pytest.raises(IntegrityError), transaction.atomic():
        MonthlyPlan.objects.filter(activity_unit=au, month=1).update(spending=Decimal("-5"))


def test_a_unit_is_assigned_once_and_a_month_planned_once(make_project):
    project = make_project()
    activity = project.activities.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityUnit.objects.create(activity=activity, unit=unit("ALRO-P50"))
    au = activity.units.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        MonthlyPlan.objects.create(activity_unit=au, month=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        MonthlyPlan.objects.create(activity_unit=au, month=13)


def test_a_unit_must_carry_out_or_receive_budget(make_project):
    activity = make_project().activities.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityUnit.objects.create(
            activity=activity, unit=unit("ALRO-P30"), is_executing=False, is_budget_receiving=False
        )


def test_step_weights_must_add_up_to_100_in_the_database(make_project):
    activity = make_project().activities.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Step.objects.filter(activity=activity, order=1).update(weight=50)
        immediate()
    with transaction.atomic():
        # Rewriting the whole set in one transaction is fine.
        Step.objects.filter(activity=activity, order=1).update(weight=30)
        Step.objects.filter(activity=activity, order=2).update(weight=70)
        immediate()
    with transaction.atomic():
        Step.objects.filter(activity=activity).delete()
        immediate()
    assert not Step.objects.filter(activity=activity).exists()


def test_project_code_is_unique_within_a_year(make_project):
    make_project(code="P-01")
    make_project(code="P-01", fy=2571)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_project(code="P-01")
