"""Two people saving the same month at the same moment: one wins, the other is told; nothing is lost."""

import datetime as dt
from decimal import Decimal

import pytest

from progress import services
from progress.models import Disbursement, PerformanceResult
from tracking.tests.concurrency import at_once

# Threads need committed rows; the geography of the data migrations is put back afterwards.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_simultaneous_first_saves_of_a_month_keep_one_and_report_the_other(assignment, people):
    def save(quantity):
        return lambda: services.performance_save(
            by=people["province_user"], activity_unit=assignment, month=1, version=None,
            fields={"quantity": quantity, "narrative": f"ผล {quantity}"},
        )  # fmt: skip

    outcomes = at_once(save(5), save(9))
    conflicts = [o for o in outcomes if isinstance(o.error, services.Conflict)]
    saved = [o for o in outcomes if o.error is None]
    assert len(saved) == 1 and len(conflicts) == 1, outcomes
    row = PerformanceResult.objects.get(activity_unit=assignment, month=1)
    assert row.quantity == saved[0].value.quantity and row.version == 1
    # The loser is shown what the winner saved, so nothing is overwritten unseen.
    assert conflicts[0].error.current.quantity == row.quantity


def test_simultaneous_edits_of_the_same_version_never_lose_an_update_silently(assignment, people):
    services.performance_save(
        by=people["province_user"], activity_unit=assignment, month=1, version=None, fields={"quantity": 1}
    )

    def edit(quantity):
        return lambda: services.performance_save(
            by=people["province_user"],
            activity_unit=assignment,
            month=1,
            version=1,
            fields={"quantity": quantity},
        )

    for _round in range(3):
        row = PerformanceResult.objects.get(activity_unit=assignment, month=1)
        PerformanceResult.objects.filter(pk=row.pk).update(version=1)
        outcomes = at_once(edit(6), edit(7))
        winners = [o.value.quantity for o in outcomes if o.error is None]
        assert len(winners) == 1, outcomes
        assert sum(isinstance(o.error, services.Conflict) for o in outcomes) == 1
        row.refresh_from_db()
        assert (row.quantity, row.version) == (winners[0], 2)


def receive(assignment, people, amount):
    services.transfer_add(
        by=people["finance_budget"], activity_unit=assignment, kind="transfer", date=dt.date(2026, 10, 5),
        amount=Decimal(amount), document_no="กษ 1201/ว 101",
    )  # fmt: skip


def test_simultaneous_spending_saves_write_all_lines_of_one_person_or_none(assignment, people):
    receive(assignment, people, "5000.00")

    def spend(amount):
        line = services.LineFigures(
            category="operating", carried_over=False, committed=Decimal(0), disbursed=Decimal(amount)
        )
        return lambda: services.disbursement_save(
            by=people["finance_budget"], activity_unit=assignment, month=1, lines=[line]
        )

    outcomes = at_once(spend("1000.50"), spend("2000.25"))
    assert sum(o.error is None for o in outcomes) == 1, outcomes
    assert sum(isinstance(o.error, services.Conflict) for o in outcomes) == 1
    (row,) = Disbursement.objects.filter(activity_unit=assignment, month=1)
    assert row.disbursed in (Decimal("1000.50"), Decimal("2000.25")) and row.version == 1


def test_two_months_spent_at_once_cannot_overspend_what_the_unit_received(assignment, people):
    """Each month alone fits the 3,000 baht received; both together do not: one must be refused."""
    receive(assignment, people, "3000.00")

    def spend(month):
        line = services.LineFigures(
            category="operating", carried_over=False, committed=Decimal(0), disbursed=Decimal("2000.00")
        )
        return lambda: services.disbursement_save(
            by=people["finance_budget"], activity_unit=assignment, month=month, lines=[line]
        )

    outcomes = at_once(spend(1), spend(2))
    refused = [o.error for o in outcomes if o.error is not None]
    assert len(refused) == 1, outcomes
    assert "เกิน" in " ".join(refused[0].messages)  # the Thai "more than received" message
    total = sum(d.disbursed for d in Disbursement.objects.filter(activity_unit=assignment))
    assert total == Decimal("2000.00")
