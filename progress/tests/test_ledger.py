"""The money ledger, closed months and optimistic locking, at the database and service level."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction

from progress import services
from progress.models import Disbursement, PerformanceResult, Transfer

pytestmark = pytest.mark.django_db


def transfer(assignment, user, amount, kind="transfer", **extra):
    return services.transfer_add(
        by=user, activity_unit=assignment, kind=kind, date=dt.date(2026, 11, 1), amount=Decimal(amount),
        document_no="กษ 1201/123", **extra,
    )  # fmt: skip


def spend(assignment, user, amount, month=1, override_reason="", category="operating", carried_over=False):
    line = services.LineFigures(
        category=category, carried_over=carried_over, committed=Decimal(0), disbursed=Decimal(amount)
    )
    return services.disbursement_save(
        by=user, activity_unit=assignment, month=month, lines=[line], override_reason=override_reason
    )


def test_received_budget_is_transfers_minus_returns(assignment, people):
    finance = people["finance_budget"]
    transfer(assignment, finance, "100000")
    transfer(assignment, finance, "30000", kind="return")
    spend(assignment, finance, "70000", month=2)
    assert Disbursement.objects.get(activity_unit=assignment).disbursed == Decimal(70000)


def test_a_return_larger_than_what_the_unit_holds_is_refused(assignment, people):
    finance = people["finance_budget"]
    transfer(assignment, finance, "50000")
    with pytest.raises(ValidationError):
        transfer(assignment, finance, "60000", kind="return")
    assert Transfer.objects.filter(kind="return").count() == 0


def test_disbursing_more_than_received_needs_an_override_reason(assignment, people):
    finance = people["finance_budget"]
    transfer(assignment, finance, "10000")
    with pytest.raises(ValidationError):
        spend(assignment, finance, "20000")
    [row] = spend(assignment, finance, "20000", override_reason="กรมบัญชีกลางอนุมัติตามหนังสือ กค 0402/123")
    assert row.override_reason


def test_the_database_refuses_the_ledger_breach_from_sql(assignment, people):
    transfer(assignment, people["finance_budget"], "10000")
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO progress_transfer (activity_unit_id, kind, date, amount, document_no, note,"
            " override_reason, created_by_id, created_at)"
            " VALUES (%s, 'return', '2026-11-02', 20000, 'x', '', '', %s, now())",
            [assignment.pk, people["finance_budget"].pk],
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Transfer.objects.filter(activity_unit=assignment).update(amount=Decimal(1))
        Disbursement.objects.create(activity_unit=assignment, month=1, disbursed=Decimal(5000))


def test_adding_money_is_never_refused(assignment, people):
    finance = people["finance_budget"]
    transfer(assignment, finance, "1000")
    spend(assignment, finance, "5000", override_reason="เบิกก่อนโอนตามมติ")
    transfer(assignment, finance, "4000")  # brings the unit back in line
    assert Transfer.objects.count() == 2


def test_carried_over_money_is_a_pool_of_its_own(assignment, people):
    finance = people["finance_budget"]
    transfer(assignment, finance, "100000")
    transfer(assignment, finance, "20000", carried_over=True)
    with pytest.raises(ValidationError):
        spend(assignment, finance, "30000", carried_over=True)  # this year's money cannot pay for it
    spend(assignment, finance, "20000", carried_over=True)
    spend(assignment, finance, "100000", category="investment")
    with pytest.raises(ValidationError):
        transfer(assignment, finance, "1", kind="return", carried_over=True)
    assert Disbursement.objects.filter(activity_unit=assignment).count() == 2


def test_moving_a_transfer_between_pools_checks_the_pool_it_leaves(assignment, people):
    finance = people["finance_budget"]
    transfer(assignment, finance, "50000")
    row = transfer(assignment, finance, "20000", carried_over=True)
    spend(assignment, finance, "15000", carried_over=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Transfer.objects.filter(pk=row.pk).update(carried_over=False)


def test_a_month_of_several_lines_is_saved_whole_or_not_at_all(assignment, people):
    finance = people["finance_budget"]
    transfer(assignment, finance, "10000")
    lines = [
        services.LineFigures(
            category="operating", carried_over=False, committed=Decimal(0), disbursed=Decimal(6000)
        ),
        services.LineFigures(
            category="investment", carried_over=False, committed=Decimal(0), disbursed=Decimal(6000)
        ),
    ]
    with pytest.raises(ValidationError):
        services.disbursement_save(by=finance, activity_unit=assignment, month=1, lines=lines)
    assert not Disbursement.objects.exists()
    lines[1] = services.LineFigures(
        category="investment", carried_over=False, committed=Decimal(500), disbursed=Decimal(4000)
    )
    saved = services.disbursement_save(by=finance, activity_unit=assignment, month=1, lines=lines)
    assert sorted(row.category for row in saved) == ["investment", "operating"]


def test_only_finance_of_the_money_source_records_money(assignment, fund_assignment, people):
    with pytest.raises(PermissionDenied):
        transfer(assignment, people["finance_fund"], "1000")
    with pytest.raises(PermissionDenied):
        transfer(assignment, people["province_user"], "1000")
    transfer(fund_assignment, people["finance_fund"], "1000")


def test_second_save_of_the_same_month_is_told_not_overwritten(assignment, people):
    user = people["province_user"]
    first = services.performance_save(
        by=user,
        activity_unit=assignment,
        month=3,
        version=None,
        fields={"quantity": Decimal(5), "narrative": "ก"},
    )
    services.performance_save(
        by=user, activity_unit=assignment, month=3, version=first.version, fields={"quantity": Decimal(6)}
    )
    with pytest.raises(services.Conflict) as conflict:
        services.performance_save(
            by=user, activity_unit=assignment, month=3, version=first.version, fields={"quantity": Decimal(7)}
        )
    assert conflict.value.current.quantity == Decimal(6)
    assert PerformanceResult.objects.get(activity_unit=assignment, month=3).quantity == Decimal(6)


def test_units_report_only_their_own_assignments(assignment, people):
    with pytest.raises(PermissionDenied):
        services.performance_save(
            by=people["province_user_b"],
            activity_unit=assignment,
            month=1,
            version=None,
            fields={"quantity": 1},
        )
    with pytest.raises(PermissionDenied):
        services.performance_save(
            by=people["finance_budget"],
            activity_unit=assignment,
            month=1,
            version=None,
            fields={"quantity": 1},
        )


def test_a_closed_month_is_read_only_in_the_database(assignment, people):
    result = services.performance_save(
        by=people["province_user"], activity_unit=assignment, month=1, version=None, fields={"quantity": 2}
    )
    with pytest.raises(PermissionDenied):
        services.month_close(by=people["province_user"], fiscal_year=2570, month=1)
    services.month_close(by=people["admin_all"], fiscal_year=2570, month=1)
    with pytest.raises(ValidationError):
        services.performance_save(
            by=people["province_user"],
            activity_unit=assignment,
            month=1,
            version=result.version,
            fields={"quantity": 3},
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        PerformanceResult.objects.filter(pk=result.pk).update(quantity=9)
    services.performance_save(
        by=people["province_user"], activity_unit=assignment, month=2, version=None, fields={"quantity": 3}
    )


def test_results_are_visible_to_who_sees_the_project(assignment, people):
    services.performance_save(
        by=people["province_user"], activity_unit=assignment, month=1, version=None, fields={"quantity": 2}
    )
    for name, count in {"province_user": 1, "province_user_b": 0, "finance_budget": 1, "finance_fund": 0,
                        "report_viewer": 1, "admin_fund": 1, "recorder": 0}.items():  # fmt: skip
        assert PerformanceResult.objects.visible_to(people[name]).count() == count, name


def test_a_return_too_large_says_what_the_unit_holds(assignment, people):
    from django.utils import translation

    finance = people["finance_budget"]
    transfer(assignment, finance, "50000")
    transfer(assignment, finance, "5000", kind="return")
    spend(assignment, finance, "12000.50")
    with translation.override("th"), pytest.raises(ValidationError) as refused:
        transfer(assignment, finance, "40000", kind="return")
    message = " ".join(refused.value.messages)
    assert "โอนคืนมากกว่าเงินที่หน่วยงานคงเหลือ" in message
    assert "45,000.00" in message and "12,000.50" in message and "32,999.50" in message
    assert "เกินงบประมาณที่หน่วยงานได้รับ" not in message
