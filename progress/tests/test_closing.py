"""Closing a month (only once it has ended, after seeing what it locks), reopening it with a reason,
and the official figures each closing stores."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from progress import closing, services
from progress.models import (
    Disbursement,
    MonthClosure,
    MonthReopening,
    MonthReport,
    OfficialBudgetLine,
    OfficialFigures,
    OfficialProjectFigures,
    OfficialRecord,
    PerformanceResult,
    Transfer,
)
from progress.services import LineFigures
from progress.tests.data import flush_figures

BANGKOK = dt.timezone(dt.timedelta(hours=7))


def at(monkeypatch, *args):
    """Pretend the time is this moment in Bangkok."""
    moment = dt.datetime(*args, tzinfo=BANGKOK)
    monkeypatch.setattr(timezone, "now", lambda: moment)


@pytest.mark.parametrize(
    ("moment", "closable"),
    [
        ((2026, 10, 31, 23, 59, 59), False),  # the last second of October in Bangkok (16:59:59 UTC)
        ((2026, 11, 1, 0, 0, 0), True),  # the first second of November in Bangkok (still 31 Oct in UTC)
    ],
)
def test_only_a_month_that_has_ended_in_bangkok_can_be_closed(
    monkeypatch, people, assignment, moment, closable
):
    at(monkeypatch, *moment)
    if closable:
        closing.month_close(by=people["admin_all"], fiscal_year=2570, month=1)
        assert MonthClosure.objects.filter(fiscal_year=2570, month=1).exists()
    else:
        with pytest.raises(ValidationError, match="2569"):
            closing.month_close(by=people["admin_all"], fiscal_year=2570, month=1)
        assert not MonthClosure.objects.exists()
        assert not OfficialRecord.objects.exists()


def test_a_future_month_is_refused_by_the_confirm_page_too(client, monkeypatch, people, assignment):
    at(monkeypatch, 2026, 12, 6, 10, 0)
    client.force_login(people["admin_all"])
    url = reverse("progress:close_month", args=[2570, 3])  # December 2569: not over yet
    page = client.get(url).content.decode()
    assert "ยังไม่สิ้นเดือน" in page
    assert 'name="confirm"' not in page
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 200
    assert not MonthClosure.objects.exists()


def test_who_may_close_and_reopen(client, people, assignment):
    for name, status in {"province_user": 403, "admin_fund": 403, "report_viewer": 403, "admin_all": 200,
                         "super": 200}.items():  # fmt: skip
        client.force_login(people[name])
        assert client.get(reverse("progress:close_month", args=[2570, 1])).status_code == status, name
    closing.month_close(by=people["admin_all"], fiscal_year=2570, month=1)
    client.force_login(people["admin_all"])
    url = reverse("progress:reopen_month", args=[2570, 1])
    assert client.post(url, {"reason": "แก้"}).status_code == 403
    assert MonthClosure.objects.exists()
    client.force_login(people["super"])
    assert client.get(url).status_code == 200
    # A month that is not closed has nothing to reopen.
    assert client.get(reverse("progress:reopen_month", args=[2570, 2])).status_code == 404
    with pytest.raises(PermissionDenied):
        closing.month_reopen(by=people["admin_all"], fiscal_year=2570, month=1, reason="แก้")


def test_the_closing_page_lists_every_month_with_its_state(client, people, assignment):
    closing.month_close(by=people["admin_all"], fiscal_year=2570, month=1)
    client.force_login(people["admin_all"])
    response = client.get(reverse("progress:closing_year", args=[2570]))
    page = response.content.decode()
    assert [s.closed for s in response.context["states"]] == [True] + [False] * 11
    assert "ฉบับที่ 1" in page
    assert reverse("progress:close_month", args=[2570, 2]) in page  # November has ended
    assert reverse("progress:reopen_month", args=[2570, 1]) not in page  # only a super admin reopens
    assert client.get(reverse("progress:closing")).status_code == 200


def test_the_confirm_page_names_what_it_locks_and_what_is_missing(client, people, assignment, make_project):
    other = make_project(code="B-2", units=("ALRO-P50",))
    services.performance_save(
        by=people["province_user"], activity_unit=assignment, month=1, version=None, fields={"quantity": 1}
    )
    services.transfer_add(
        by=people["finance_budget"], activity_unit=assignment, kind="transfer", date=dt.date(2026, 10, 20),
        amount=Decimal(5000), document_no="กษ 1/2569",
    )  # fmt: skip
    services.disbursement_save(
        by=people["finance_budget"], activity_unit=assignment, month=1,
        lines=[LineFigures("operating", False, Decimal(0), Decimal(1000))],
    )  # fmt: skip
    MonthReport.objects.create(
        activity_unit=assignment, month=1, status="submitted", submitted_at=timezone.now(),
        submitted_by=people["province_user"],
    )  # fmt: skip
    client.force_login(people["admin_all"])
    response = client.get(reverse("progress:close_month", args=[2570, 1]))
    projects = {p.code: p for p in response.context["projects"]}
    b1 = projects["B-1"]
    assert (b1.assignments, b1.results, b1.disbursements, b1.transfers) == (2, 1, 1, 1)
    # Chiang Rai's assignment has neither a report nor figures; Chiang Mai's has both.
    assert len(b1.not_handed_in) == 1 and "เชียงใหม่" not in b1.not_handed_in[0]
    assert len(b1.without_figures) == 1
    assert projects["B-2"].results == 0 and len(projects["B-2"].not_handed_in) == 1
    assert other.code in response.content.decode()
    assert response.context["not_handed_in"] == 2
    assert not MonthClosure.objects.exists()  # looking closes nothing


def test_closing_stores_the_official_figures_at_each_level(people, assignment):
    services.transfer_add(
        by=people["finance_budget"], activity_unit=assignment, kind="transfer", date=dt.date(2026, 10, 20),
        amount=Decimal(5000), document_no="กษ 1/2569",
    )  # fmt: skip
    services.disbursement_save(
        by=people["finance_budget"], activity_unit=assignment, month=1,
        lines=[LineFigures("operating", False, Decimal(300), Decimal(1000))],
    )  # fmt: skip
    services.performance_save(
        by=people["province_user"], activity_unit=assignment, month=1, version=None, fields={"quantity": 1}
    )
    closing.month_close(by=people["admin_all"], fiscal_year=2570, month=1)  # same transaction as the writes
    record = OfficialRecord.objects.get()
    assert (record.revision, record.closed_by, record.reopening) == (1, people["admin_all"], None)
    unit = OfficialFigures.objects.get(record=record, activity_unit=assignment)
    assert unit.disbursed[0] == Decimal(1000) and unit.received[0] == Decimal(5000)
    assert OfficialFigures.objects.filter(record=record).count() == 2
    line = OfficialBudgetLine.objects.get(record=record, activity_unit=assignment)
    assert (line.category, line.allocated, line.committed, line.disbursed) == (
        "operating", Decimal(12000), Decimal(300), Decimal(1000)
    )  # fmt: skip
    project = OfficialProjectFigures.objects.get(record=record)
    assert (project.assignments, project.allocated, project.disbursed) == (2, Decimal(24000), Decimal(1000))
    assert project.output_percent == Decimal(50)  # one of two units reached its plan of 1


def test_reopen_needs_a_reason_and_is_recorded_and_audited(client, people, assignment):
    closing.month_close(by=people["admin_all"], fiscal_year=2570, month=1)
    closed_at = MonthClosure.objects.get().closed_at
    client.force_login(people["super"])
    url = reverse("progress:reopen_month", args=[2570, 1])
    response = client.post(url, {"reason": "   "})
    assert response.status_code == 200 and MonthClosure.objects.exists()
    response = client.post(url, {"reason": "ผลเดือนตุลาคมของเชียงใหม่บันทึกผิด"})
    assert response.status_code == 302
    assert not MonthClosure.objects.exists()  # open again: closed exactly when the row exists
    reopening = MonthReopening.objects.get()
    assert (reopening.reopened_by, reopening.closed_by, reopening.closed_at) == (
        people["super"], people["admin_all"], closed_at
    )  # fmt: skip
    assert reopening.reason == "ผลเดือนตุลาคมของเชียงใหม่บันทึกผิด"
    assert reopening.events.filter(pgh_label="insert").count() == 1
    assert MonthClosure.pgh_event_model.objects.filter(pgh_label="delete").count() == 1
    assert OfficialRecord.objects.count() == 1  # the official record stays until the next closing


def test_official_figures_stay_the_same_after_a_reopen_and_correction(people, assignment):
    services.transfer_add(
        by=people["finance_budget"], activity_unit=assignment, kind="transfer", date=dt.date(2026, 10, 20),
        amount=Decimal(5000), document_no="กษ 1/2569",
    )  # fmt: skip
    services.disbursement_save(
        by=people["finance_budget"], activity_unit=assignment, month=1,
        lines=[LineFigures("operating", False, Decimal(0), Decimal(1000))],
    )  # fmt: skip
    closing.month_close(by=people["admin_all"], fiscal_year=2570, month=1)
    first = OfficialRecord.objects.get()
    reopening = closing.month_reopen(
        by=people["super"], fiscal_year=2570, month=1, reason="เบิกจ่ายจริง 800 บาท"
    )
    services.disbursement_save(
        by=people["finance_budget"], activity_unit=assignment, month=1,
        lines=[LineFigures("operating", False, Decimal(0), Decimal(800), version=1)],
    )  # fmt: skip
    flush_figures()
    assert OfficialFigures.objects.get(record=first, activity_unit=assignment).disbursed[0] == Decimal(1000)
    closing.month_close(by=people["admin_all"], fiscal_year=2570, month=1)
    second = OfficialRecord.objects.get(revision=2)
    assert second.reopening == reopening
    assert OfficialFigures.objects.get(record=second, activity_unit=assignment).disbursed[0] == Decimal(800)
    assert OfficialFigures.objects.get(record=first, activity_unit=assignment).disbursed[0] == Decimal(1000)


def test_official_rows_can_never_be_updated_or_deleted(people, assignment):
    closing.month_close(by=people["admin_all"], fiscal_year=2570, month=1)
    changes = {
        OfficialRecord: {"revision": 5},
        OfficialFigures: {"allocated": Decimal(1)},
        OfficialBudgetLine: {"disbursed": Decimal(1)},
        OfficialProjectFigures: {"disbursed": Decimal(1)},
    }
    for model, change in changes.items():
        rows = model.objects.all()
        assert rows.exists(), model
        with pytest.raises(DatabaseError), transaction.atomic():
            rows.update(**change)
        with pytest.raises(DatabaseError), transaction.atomic():
            rows.delete()
    assert OfficialFigures.objects.count() == 2


def test_a_closed_month_refuses_transfers_dated_in_it(people, assignment):
    services.transfer_add(
        by=people["finance_budget"], activity_unit=assignment, kind="transfer", date=dt.date(2026, 10, 20),
        amount=Decimal(5000), document_no="กษ 1/2569",
    )  # fmt: skip
    closing.month_close(by=people["admin_all"], fiscal_year=2570, month=1)
    with pytest.raises(ValidationError):
        services.transfer_add(
            by=people["finance_budget"], activity_unit=assignment, kind="transfer",
            date=dt.date(2026, 10, 31), amount=Decimal(1), document_no="กษ 2/2569",
        )  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        Transfer.objects.update(amount=Decimal(9))
    with pytest.raises(IntegrityError), transaction.atomic():
        Transfer.objects.update(date=dt.date(2026, 11, 2))  # moving it out of the month is a change too
    services.transfer_add(
        by=people["finance_budget"], activity_unit=assignment, kind="transfer", date=dt.date(2026, 11, 1),
        amount=Decimal(1), document_no="กษ 3/2569",
    )  # fmt: skip
    assert Disbursement.objects.count() == 0


def test_closing_twice_is_refused(people, assignment):
    closing.month_close(by=people["admin_all"], fiscal_year=2570, month=1)
    with pytest.raises(ValidationError):
        closing.month_close(by=people["super"], fiscal_year=2570, month=1)
    assert OfficialRecord.objects.count() == 1


def test_the_closing_page_query_count_does_not_grow(client, people, make_project, django_assert_num_queries):
    client.force_login(people["admin_all"])
    make_project(code="B-1")
    client.get(reverse("progress:close_month", args=[2570, 1]))
    with django_assert_num_queries(7):  # session, user, roles; closures, records, reopenings; the rows
        client.get(reverse("progress:close_month", args=[2570, 1]))
    for n in range(2, 6):
        make_project(code=f"B-{n}")
    with django_assert_num_queries(7):
        client.get(reverse("progress:close_month", args=[2570, 1]))


def test_a_month_closed_after_the_page_read_it_open_is_still_refused_with_the_reason(
    monkeypatch, people, assignment
):
    """The views hand the services the month's state they read; a closing in between is refused by
    the triggers, and the save says why."""
    at(monkeypatch, 2026, 11, 5, 10, 0)
    read_open = services.month_state(assignment, 1)
    closing.month_close(by=people["admin_all"], fiscal_year=2570, month=1)
    with pytest.raises(ValidationError, match="ปิด"):
        services.performance_save(
            by=people["province_user"], activity_unit=assignment, month=1, version=None,
            fields={"quantity": 1}, state=read_open,
        )  # fmt: skip
    line = LineFigures(category="operating", carried_over=False, committed=Decimal(0), disbursed=Decimal(5))
    with pytest.raises(ValidationError):
        services.disbursement_save(
            by=people["finance_budget"], activity_unit=assignment, month=1, lines=[line], state=read_open
        )
    assert not PerformanceResult.objects.exists() and not Disbursement.objects.exists()
