"""Due dates, lateness at the due day's boundaries, and every state of an (assignment, month)."""

import datetime as dt
from decimal import Decimal

import pytest

from progress import completeness
from progress.completeness import BANGKOK, ReportState
from progress.models import (
    Disbursement,
    IndicatorResult,
    PerformanceResult,
    Photo,
    ReportingCalendar,
    StepProgress,
)
from progress.tests.data import report_in_state
from projects.models import ActivityUnit, Indicator, Project

FY = 2570  # October 2026 – September 2027


def bangkok(*args):
    return dt.datetime(*args, tzinfo=BANGKOK)


def state_of(assignment, month, now):
    months = completeness.periods(FY, now)
    row = ActivityUnit.objects.with_report_states(months).get(pk=assignment.pk)
    return getattr(row, f"state_{month}")


def report(assignment, month, user, status="submitted", submitted_at=None, reason=""):
    return report_in_state(
        assignment, month, status, by=user, reason=reason,
        submitted_at=submitted_at or bangkok(2026, 11, 2, 10), decided_at=bangkok(2027, 1, 1),
    )  # fmt: skip


def test_a_month_is_due_on_the_fifth_of_the_next_month_without_a_calendar(db):
    assert completeness.due_date(FY, 1) == dt.date(2026, 11, 5)  # October's report
    assert completeness.due_date(FY, 3) == dt.date(2027, 1, 5)  # December's, in the next calendar year
    assert completeness.due_date(FY, 12) == dt.date(2027, 10, 5)  # September's, after the year ends


def test_the_fiscal_years_calendar_sets_its_due_day(db):
    ReportingCalendar.objects.create(fiscal_year=FY, due_day=10)
    assert completeness.due_date(FY, 1) == dt.date(2026, 11, 10)
    assert completeness.due_date(FY - 1, 1) == dt.date(2025, 11, 5)  # another year keeps day 5


def test_the_deadline_is_the_end_of_the_due_day_in_bangkok(db):
    assert completeness.deadline(FY, 1) == bangkok(2026, 11, 6)
    assert completeness.is_late(bangkok(2026, 11, 5, 23, 59, 59), FY, 1) is False
    assert completeness.is_late(bangkok(2026, 11, 6, 0, 0), FY, 1) is True
    # 23:30 UTC on the 5th is already 06:30 on the 6th in Bangkok.
    assert completeness.is_late(dt.datetime(2026, 11, 5, 23, 30, tzinfo=dt.UTC), FY, 1) is True


@pytest.fixture
def unit_month(make_project, people):
    project = make_project(code="C-1", units=("ALRO-P50",))
    assignment = ActivityUnit.objects.get(activity__project=project)
    return assignment, people["province_user"]


LATER = bangkok(2027, 6, 1)


def test_handed_in_at_2359_on_the_due_day_is_on_time(unit_month):
    assignment, user = unit_month
    report(assignment, 1, user, submitted_at=bangkok(2026, 11, 5, 23, 59))
    assert state_of(assignment, 1, LATER) == ReportState.ON_TIME


def test_handed_in_at_midnight_after_the_due_day_is_late(unit_month):
    assignment, user = unit_month
    report(assignment, 1, user, submitted_at=bangkok(2026, 11, 6, 0, 0))
    assert state_of(assignment, 1, LATER) == ReportState.LATE


def test_a_later_due_day_makes_the_same_report_on_time(unit_month):
    assignment, user = unit_month
    report(assignment, 1, user, submitted_at=bangkok(2026, 11, 6, 9, 0))
    ReportingCalendar.objects.create(fiscal_year=FY, due_day=7)
    assert state_of(assignment, 1, LATER) == ReportState.ON_TIME


def test_accepted_and_sent_back_reports(unit_month):
    assignment, user = unit_month
    report(assignment, 1, user, status="accepted")
    report(assignment, 2, user, status="sent_back", reason="ตัวเลขไม่ตรงกับหลักฐาน")
    assert state_of(assignment, 1, LATER) == ReportState.ACCEPTED
    assert state_of(assignment, 2, LATER) == ReportState.SENT_BACK


def test_without_a_report_the_clock_and_the_figures_decide(unit_month):
    assignment, _user = unit_month
    # January 2027 (month 4) is due on 5 February.
    assert state_of(assignment, 4, bangkok(2027, 1, 20)) == ReportState.NOT_DUE
    assert state_of(assignment, 4, bangkok(2027, 2, 3)) == ReportState.NOT_STARTED
    assert state_of(assignment, 4, bangkok(2027, 2, 5, 23, 59)) == ReportState.NOT_STARTED
    assert state_of(assignment, 4, bangkok(2027, 2, 6, 0, 0)) == ReportState.OVERDUE
    PerformanceResult.objects.create(activity_unit=assignment, month=4, quantity=Decimal(1))
    assert state_of(assignment, 4, bangkok(2027, 1, 20)) == ReportState.DRAFT
    assert state_of(assignment, 4, bangkok(2027, 2, 5)) == ReportState.DRAFT
    assert state_of(assignment, 4, bangkok(2027, 2, 6)) == ReportState.OVERDUE


def _step(assignment, month):
    StepProgress.objects.create(
        activity_unit=assignment, step=assignment.activity.steps.first(), month=month, percent=10
    )


def _indicator(assignment, month):
    indicator = Indicator.objects.create(
        activity=assignment.activity, name="เกษตรกรได้รับการอบรม", unit_of_measure="ราย", target=10
    )
    IndicatorResult.objects.create(indicator=indicator, activity_unit=assignment, month=month, value=3)


def _spending(assignment, month):
    Disbursement.objects.create(activity_unit=assignment, month=month, committed=0, disbursed=0)


def _photo_taken(assignment, month):
    Photo.objects.create(
        activity_unit=assignment, image="p.jpg", thumbnail="t.jpg", caption="ลงพื้นที่",
        taken_on=dt.date(2027, 1, 31), uploaded_by=assignment._user,
    )  # fmt: skip


@pytest.mark.parametrize("record", [_step, _indicator, _spending, _photo_taken])
def test_any_figure_of_the_month_makes_a_draft(unit_month, record):
    assignment, user = unit_month
    assignment._user = user
    record(assignment, 4)
    assert state_of(assignment, 4, bangkok(2027, 2, 1)) == ReportState.DRAFT
    assert state_of(assignment, 5, bangkok(2027, 2, 1)) == ReportState.NOT_DUE  # February untouched


def test_a_photo_counts_for_the_month_it_was_taken_in_else_the_month_it_was_uploaded(unit_month):
    assignment, user = unit_month
    taken = Photo.objects.create(
        activity_unit=assignment, image="p.jpg", thumbnail="t.jpg", caption="ลงพื้นที่",
        taken_on=dt.date(2027, 1, 15), uploaded_by=user,
    )  # fmt: skip
    Photo.objects.filter(pk=taken.pk).update(uploaded_at=bangkok(2026, 12, 20))
    assert state_of(assignment, 3, bangkok(2027, 1, 2)) == ReportState.NOT_STARTED  # December
    assert state_of(assignment, 4, bangkok(2027, 2, 1)) == ReportState.DRAFT  # January
    undated = Photo.objects.create(
        activity_unit=assignment, image="q.jpg", thumbnail="u.jpg", caption="ประชุม", uploaded_by=user
    )
    Photo.objects.filter(pk=undated.pk).update(uploaded_at=bangkok(2026, 12, 31, 23, 30))
    assert state_of(assignment, 3, bangkok(2027, 1, 2)) == ReportState.DRAFT


def test_only_projects_under_way_or_completed_are_expected_to_report(make_project):
    for code, status in [("A", "active"), ("D", "draft"), ("X", "cancelled"), ("C", "completed")]:
        Project.objects.filter(pk=make_project(code=code, units=("ALRO-P50",)).pk).update(status=status)
    expected = ActivityUnit.objects.expected_to_report()
    assert sorted(expected.values_list("activity__project__code", flat=True)) == ["A", "C"]
