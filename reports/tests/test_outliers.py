"""Outlier flags on an assigned unit's month in the drill-down, and marking them checked."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import OrgUnit
from progress.models import IndicatorResult, PerformanceResult, ResultCheck
from progress.tests.data import flush_figures
from projects.models import ActivityUnit, Indicator
from projects.tests.conftest import make_project  # noqa: F401 - shared fixture

POST = {"subject": "quantity", "seen": "100", "note": "x"}

pytestmark = pytest.mark.django_db

# Output of months 1–4 of six provincial offices; Chiang Mai (first) reports 100 in month 4.
OUTPUT = [
    [10, 12, 11, 100],
    [10, 11, 12, 11],
    [9, 10, 10, 12],
    [11, 10, 9, 10],
    [10, 12, 11, 11],
    [12, 9, 10, 9],
]


@pytest.fixture
def chiang_mai(make_project):  # noqa: F811 - the fixture imported above
    """A budget-act activity assigned to six provincial offices, output reported for four months."""
    others = list(
        OrgUnit.objects.filter(agency="alro", kind="provincial").exclude(code="ALRO-P50").order_by("code")
        .values_list("code", flat=True)[:5]
    )  # fmt: skip
    project = make_project(code="B-9", source="budget_act", units=("ALRO-P50", *others))
    assignments = {
        au.unit.code: au
        for au in ActivityUnit.objects.filter(activity__project=project).select_related("unit")
    }
    codes = ["ALRO-P50", *others]
    PerformanceResult.objects.bulk_create(
        PerformanceResult(activity_unit=assignments[code], month=m, quantity=Decimal(q))
        for code, row in zip(codes, OUTPUT, strict=True)
        for m, q in enumerate(row, start=1)
    )
    indicator = Indicator.objects.create(
        activity=assignments["ALRO-P50"].activity, name="ครัวเรือนที่ได้รับการส่งเสริม", unit_of_measure="ครัวเรือน",
        target=Decimal(600),
    )  # fmt: skip
    IndicatorResult.objects.bulk_create(
        IndicatorResult(indicator=indicator, activity_unit=assignments[code], month=4, value=Decimal(v))
        for code, v in zip(codes, [5, 100, 95, 105, 98, 102], strict=True)
    )
    flush_figures()
    return assignments["ALRO-P50"]


def page(au, month=4):
    return reverse("reports:assignment", args=[au.pk]) + f"?month={month}"


def check_url(au, month=4):
    return reverse("reports:assignment_check", args=[au.pk]) + f"?month={month}"


def test_admin_sees_the_months_flags_with_reasons_in_thai(client, people, chiang_mai):
    client.force_login(people["admin_all"])
    body = client.get(page(chiang_mai)).content.decode()
    # 100 against the median 11 of the six offices' month 4, and against its own months (10, 12, 11)
    assert "สูงกว่าค่ากลางของหน่วยงานอื่น 9.1 เท่า" in body
    assert "สูงกว่าค่ากลางของเดือนก่อน ๆ ของหน่วยงาน 9.1 เท่า" in body
    # the indicator: 5 households against a median of 99
    assert "ต่ำกว่าค่ากลางของหน่วยงานอื่น 95%" in body
    assert 'name="subject" value="quantity"' in body


def test_an_ordinary_month_has_no_flags(client, people, chiang_mai):
    client.force_login(people["admin_all"])
    body = client.get(page(chiang_mai, month=3)).content.decode()
    assert "ไม่มีผลของเดือนนี้ที่ต่างจากหน่วยงานอื่นหรือจากเดือนก่อน ๆ มาก" in body


def test_report_viewer_sees_the_flags_without_the_form(client, people, chiang_mai):
    client.force_login(people["report_viewer"])
    body = client.get(page(chiang_mai)).content.decode()
    assert "สูงกว่าค่ากลางของหน่วยงานอื่น" in body and 'name="subject"' not in body


def test_admin_marks_a_flag_checked_and_it_returns_when_the_value_changes(client, people, chiang_mai):
    client.force_login(people["admin_all"])
    response = client.post(check_url(chiang_mai), {"subject": "quantity", "seen": "100", "note": "ส่งผลสะสม"})
    assert response.status_code == 302
    check = ResultCheck.objects.get()
    assert (check.activity_unit, check.month, check.value, check.checked_by) == (
        chiang_mai,
        4,
        100,
        people["admin_all"],
    )
    body = client.get(page(chiang_mai)).content.decode()
    assert 'name="subject" value="quantity"' not in body and "ส่งผลสะสม" in body

    PerformanceResult.objects.filter(activity_unit=chiang_mai, month=4).update(quantity=90)
    flush_figures()
    body = client.get(page(chiang_mai)).content.decode()
    assert 'name="subject" value="quantity"' in body
    assert "เคยตรวจสอบเมื่อค่ายังเป็น" in body


def test_a_check_at_a_changed_or_unflagged_value_is_refused(client, people, chiang_mai):
    client.force_login(people["admin_all"])
    response = client.post(
        check_url(chiang_mai), {"subject": "quantity", "seen": "90", "note": "x"}, follow=True
    )
    assert "ค่านี้เปลี่ยนไปหลังจากเปิดหน้านี้" in response.content.decode()
    client.post(check_url(chiang_mai), {"subject": "disbursed", "seen": "0", "note": "x"})
    client.post(check_url(chiang_mai), {"subject": "quantity", "seen": "100", "note": ""})
    client.post(check_url(chiang_mai, month=3), {"subject": "quantity", "seen": "11", "note": "x"})
    assert not ResultCheck.objects.exists()


@pytest.mark.parametrize("persona", ["province_user_b", "bureau_user"])
def test_who_does_not_see_the_assignment_gets_404(client, people, chiang_mai, persona):
    client.force_login(people[persona])
    assert client.post(check_url(chiang_mai), POST).status_code == 404


@pytest.mark.parametrize("persona", ["report_viewer", "admin_fund", "province_user"])
def test_who_sees_it_but_does_not_review_it_gets_403(client, people, chiang_mai, persona):
    client.force_login(people[persona])
    assert client.post(check_url(chiang_mai), POST).status_code == 403
    assert not ResultCheck.objects.exists()


def test_get_is_refused(client, people, chiang_mai):
    client.force_login(people["admin_all"])
    assert client.get(check_url(chiang_mai)).status_code == 405


def test_the_flagged_drill_down_keeps_a_fixed_number_of_queries(client, people, chiang_mai):
    client.force_login(people["admin_all"])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page(chiang_mai)).status_code == 200
        return len(queries)

    before = count()
    ResultCheck.objects.create(
        activity_unit=chiang_mai,
        month=4,
        subject="quantity",
        value=100,
        note="ok",
        checked_by=people["admin_all"],
    )
    indicator = Indicator.objects.create(
        activity=chiang_mai.activity, name="อีกตัว", unit_of_measure="ไร่", target=1
    )
    IndicatorResult.objects.create(indicator=indicator, activity_unit=chiang_mai, month=4, value=3)
    assert count() == before


def test_month_flags_compares_each_rows_own_month_in_three_queries(
    people, chiang_mai, django_assert_num_queries
):
    """progress.outliers.month_flags reads the peers' figures rows (AssignmentFigures.peers_of) and
    takes each month's output and disbursement from the rows' own methods: this year's money only."""
    import datetime as dt

    from progress import outliers
    from progress.models import AssignmentFigures, Disbursement, Transfer

    peers = ActivityUnit.objects.filter(activity=chiang_mai.activity)
    Transfer.objects.bulk_create(
        Transfer(activity_unit=au, kind="transfer", date=dt.date(2026, 10, 1),
                 amount=Decimal(100000), document_no="กษ 1", created_by=people["admin_all"])
        for au in peers
    )  # fmt: skip
    # Month 4: Chiang Mai disburses ten times what it and the others usually do.
    usual, high = Decimal(1000), Decimal(10000)
    Disbursement.objects.bulk_create(
        Disbursement(activity_unit=au, month=m, disbursed=high if (au == chiang_mai and m == 4) else usual)
        for au in peers
        for m in range(1, 5)
    )
    # Carried-over money of the same month is apart: it flags nothing.
    Transfer.objects.create(
        activity_unit=chiang_mai, kind="transfer", date=dt.date(2026, 10, 1), amount=Decimal(900000),
        carried_over=True, document_no="กษ 2", created_by=people["admin_all"],
    )  # fmt: skip
    Disbursement.objects.create(
        activity_unit=chiang_mai, month=3, carried_over=True, disbursed=Decimal(500000)
    )
    flush_figures()
    figures = AssignmentFigures.objects.select_related("unit").get(activity_unit=chiang_mai)
    with django_assert_num_queries(3):
        flags = {flag.subject: flag for flag in outliers.month_flags(figures, 4)}
    assert flags["quantity"].value == 100
    assert flags["disbursed"].value == 10000
    assert any("10" in reason for reason in flags["disbursed"].reasons)
    with django_assert_num_queries(3):
        assert "disbursed" not in {flag.subject for flag in outliers.month_flags(figures, 3)}
