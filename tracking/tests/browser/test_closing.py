"""Closing a month in the browser: the admin confirms what it locks, the dashboard then opens on the
month's official figures, and after a reopen-and-correct a second closing shows revision 2 and the
difference."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from accounts.models import OrgUnit
from accounts.roles import Role
from progress import services
from progress.models import MonthClosure, MonthReopening, OfficialRecord
from progress.services import LineFigures
from projects.models import Activity, ActivityUnit, BudgetAllocation, MonthlyPlan, Project
from tracking.tests.browser.helpers import messages, person, sign_in, sign_out, th
from tracking.thaicalendar import fiscal_month_of

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def last_month():
    """The month before this one (Bangkok time): it has ended, so it can be closed."""
    return fiscal_month_of(timezone.localdate().replace(day=1) - dt.timedelta(days=1))


@pytest.fixture
def spending(make_user):
    people = {
        "admin": person(make_user, "admin_all", Role.ADMIN_ALL, "ALRO-KTP", first_name="ศิริพร"),
        "super": person(make_user, "super_admin", Role.SUPER_ADMIN, "ALRO-ICT", first_name="สมชาย"),
        "finance": person(make_user, "finance_budget", Role.FINANCE_BUDGET, "ALRO-SBK", first_name="มาลี"),
        "viewer": person(make_user, "report_viewer", Role.REPORT_VIEWER, "ALRO-SWP", first_name="วีณา"),
    }
    month = last_month()
    project = Project.objects.create(
        fiscal_year=month.fiscal_year, funding_source="budget_act", code="CL-01", name="โครงการทดสอบปิดเดือน",
        owner_unit=OrgUnit.objects.get(code="ALRO-SPP"),
    )  # fmt: skip
    activity = Activity.objects.create(project=project, order=1, name="รังวัดที่ดิน")
    assignment = ActivityUnit.objects.create(
        activity=activity, unit=OrgUnit.objects.get(code="ALRO-P50"), output_unit="แปลง"
    )
    MonthlyPlan.objects.create(activity_unit=assignment, month=month.index, quantity=5, spending=10_000)
    BudgetAllocation.objects.create(activity_unit=assignment, category="operating", amount=Decimal(120_000))
    services.transfer_add(
        by=people["finance"], activity_unit=assignment, kind="transfer", date=month.first_day,
        amount=Decimal(100_000), document_no="กษ 0001/1",
    )  # fmt: skip
    services.disbursement_save(
        by=people["finance"], activity_unit=assignment, month=month.index,
        lines=[LineFigures("operating", False, Decimal(0), Decimal(30_000))],
    )  # fmt: skip
    return {"people": people, "month": month, "assignment": assignment}


def test_month_closed_then_the_dashboard_shows_the_official_figures(page, spending):
    month, assignment = spending["month"], spending["assignment"]
    with translation.override("th"):
        label = month.label

    # --- the admin closes last month after reading what it locks ------------------------------------
    sign_in(page, "admin_all")
    page.goto(f"/progress/closing/{month.fiscal_year}/")
    row = page.get_by_role("row").filter(has_text=label)
    expect(row).to_contain_text(th("Ended, not closed"))
    row.get_by_role("link", name=th("Close this month…")).click()
    locks = page.get_by_role("row").filter(has_text="CL-01")
    expect(locks).to_contain_text("1")  # one disbursement, one transfer
    # Its one assignment has figures but has not handed in the month's report.
    missing = th("%(a)s not handed in, %(b)s without figures") % {"a": 1, "b": 0}
    expect(page.locator("details summary").filter(has_text="CL-01")).to_contain_text(missing)
    page.get_by_role("button", name=th("Close %(month)s") % {"month": label}).click()
    expect(page.get_by_text(th("Tick the box to confirm the closing."))).to_be_visible()
    assert not MonthClosure.objects.exists()
    page.get_by_label(
        th("I have read what closing locks and what is still missing, and I close the month.")
    ).check()
    page.get_by_role("button", name=th("Close %(month)s") % {"month": label}).click()
    assert th("%(month)s is closed and its official figures are stored.") % {"month": label} in messages(page)
    assert OfficialRecord.objects.get().revision == 1
    sign_out(page)

    # --- the dashboard opens on that month, official -----------------------------------------------
    sign_in(page, "report_viewer")
    page.goto("/reports/budget/")
    official = th("Official figures as of the end of %(month)s") % {"month": label}
    expect(page.get_by_text(official)).to_be_visible()
    expect(page.locator(".kpi").filter(has_text=th("Disbursed")).first).to_contain_text("30,000.00")
    sign_out(page)

    # --- a super admin reopens it with a reason; finance corrects; the admin closes it again -------
    sign_in(page, "super_admin")
    page.goto(f"/progress/closing/{month.fiscal_year}/{month.index}/reopen/")
    page.get_by_role("button", name=th("Reopen the month")).click()
    assert not MonthReopening.objects.exists()  # no reason, no reopening
    page.get_by_label(th("Reason for reopening")).fill("เบิกจ่ายจริง 25,000 บาท ตามใบสำคัญ")
    page.get_by_role("button", name=th("Reopen the month")).click()
    assert not MonthClosure.objects.exists()
    sign_out(page)
    services.disbursement_save(
        by=spending["people"]["finance"], activity_unit=assignment, month=month.index,
        lines=[LineFigures("operating", False, Decimal(0), Decimal(25_000), version=1)],
    )  # fmt: skip

    sign_in(page, "report_viewer")
    page.goto("/reports/budget/")
    expect(page.get_by_text(official)).to_be_visible()  # still revision 1: 30,000
    expect(page.locator(".kpi").filter(has_text=th("Disbursed")).first).to_contain_text("30,000.00")
    sign_out(page)

    sign_in(page, "admin_all")
    page.goto(f"/progress/closing/{month.fiscal_year}/{month.index}/close/")
    page.get_by_label(
        th("I have read what closing locks and what is still missing, and I close the month.")
    ).check()
    page.get_by_role("button", name=th("Close %(month)s") % {"month": label}).click()
    sign_out(page)

    sign_in(page, "report_viewer")
    page.goto("/reports/budget/")
    expect(page.get_by_text("เบิกจ่ายจริง 25,000 บาท ตามใบสำคัญ")).to_be_visible()
    expect(page.locator(".kpi").filter(has_text=th("Disbursed")).first).to_contain_text("25,000.00")
    changes = page.get_by_role("table").filter(has_text=th("Difference"))
    expect(changes.get_by_role("row").filter(has_text=th("Disbursed (baht)")).first).to_contain_text(
        "-5,000.00"
    )
