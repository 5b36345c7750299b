"""The whole monthly cycle in the browser, as issue 17 describes it: the unit hands its month in, the
admin sends it back, the unit corrects and hands in again, the admin accepts, the month is closed, and
the dashboard then shows the month's official figures "as of" its end."""

from decimal import Decimal

import pytest
from django.utils import translation
from playwright.sync_api import expect

from accounts.models import OrgUnit
from accounts.roles import Role
from progress import services
from progress.models import MonthClosure, MonthReport, OfficialRecord, PerformanceResult
from progress.services import LineFigures
from projects.models import Activity, ActivityUnit, BudgetAllocation, MonthlyPlan, Project
from tracking.tests.browser.helpers import messages, person, sign_in, sign_out, th
from tracking.tests.browser.test_closing import last_month

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REASON = "ผลผลิตระบุ 12 แปลง แต่แผนที่แนบมีเพียง 10 แปลง โปรดตรวจสอบ"


@pytest.fixture
def month_of_work(make_user):
    people = {
        "admin": person(make_user, "admin_all", Role.ADMIN_ALL, "ALRO-KTP", first_name="ศิริพร"),
        "province": person(make_user, "province_user", Role.PROVINCE_USER, "ALRO-P50", first_name="กมล"),
        "finance": person(make_user, "finance_budget", Role.FINANCE_BUDGET, "ALRO-SBK", first_name="มาลี"),
        "viewer": person(make_user, "report_viewer", Role.REPORT_VIEWER, "ALRO-SWP", first_name="วีณา"),
    }
    month = last_month()
    project = Project.objects.create(
        fiscal_year=month.fiscal_year, funding_source="budget_act", code="CY-01",
        name="โครงการทดสอบรอบการรายงาน", owner_unit=OrgUnit.objects.get(code="ALRO-SPP"),
        status=Project.Status.ACTIVE,
    )  # fmt: skip
    activity = Activity.objects.create(project=project, order=1, name="รังวัดแปลงที่ดิน")
    assignment = ActivityUnit.objects.create(
        activity=activity, unit=OrgUnit.objects.get(code="ALRO-P50"), output_unit="แปลง"
    )
    MonthlyPlan.objects.create(activity_unit=assignment, month=month.index, quantity=10, spending=40_000)
    BudgetAllocation.objects.create(activity_unit=assignment, category="operating", amount=Decimal(120_000))
    services.transfer_add(
        by=people["finance"], activity_unit=assignment, kind="transfer", date=month.first_day,
        amount=Decimal(100_000), document_no="กษ 0002/1",
    )  # fmt: skip
    services.disbursement_save(
        by=people["finance"], activity_unit=assignment, month=month.index,
        lines=[LineFigures("operating", False, Decimal(0), Decimal(37_500))],
    )  # fmt: skip
    services.performance_save(
        by=people["province"], activity_unit=assignment, month=month.index, version=None,
        fields={"quantity": Decimal(12), "narrative": "รังวัดแล้ว", "obstacles": ""},
    )  # fmt: skip
    return {"month": month, "assignment": assignment}


def test_handed_in_sent_back_corrected_accepted_closed_and_official(page, month_of_work):
    month, assignment = month_of_work["month"], month_of_work["assignment"]
    with translation.override("th"):
        label = month.label
    report_url = f"/progress/assignments/{assignment.pk}/report/{month.index}/"
    form_url = f"/progress/assignments/{assignment.pk}/performance/{month.index}/"
    page.on("dialog", lambda dialog: dialog.accept())

    def status():
        return MonthReport.objects.get(activity_unit=assignment, month=month.index).status

    sign_in(page, "province_user")
    page.goto(report_url)
    page.get_by_role("button", name=th("Hand in the month's report")).click()
    assert status() == "submitted"
    sign_out(page)

    sign_in(page, "admin_all")
    page.goto(report_url)
    page.get_by_role("link", name=th("Send back for correction…")).click()
    page.get_by_label(th("What the unit must fix")).fill(REASON)
    page.get_by_role("button", name=th("Send back")).click()
    assert status() == "sent_back"
    sign_out(page)

    sign_in(page, "province_user")
    page.goto(form_url)
    expect(page.locator(".sent-back-reason")).to_contain_text(REASON)
    page.get_by_label(th("Output achieved this month")).fill("๑๐")  # Thai digits, as typed
    page.get_by_role("button", name=th("Save")).click()
    assert th("Results saved.") in messages(page)
    assert PerformanceResult.objects.get(activity_unit=assignment, month=month.index).quantity == 10
    page.goto(report_url)
    page.get_by_role("button", name=th("Hand in again")).click()
    assert status() == "submitted"
    sign_out(page)

    sign_in(page, "admin_all")
    page.goto(report_url)
    page.get_by_role("button", name=th("Accept the report")).click()
    assert status() == "accepted"
    page.goto(f"/progress/closing/{month.fiscal_year}/{month.index}/close/")
    page.get_by_label(
        th("I have read what closing locks and what is still missing, and I close the month.")
    ).check()
    page.get_by_role("button", name=th("Close %(month)s") % {"month": label}).click()
    assert th("%(month)s is closed and its official figures are stored.") % {"month": label} in messages(page)
    assert MonthClosure.objects.filter(fiscal_year=month.fiscal_year, month=month.index).exists()
    assert OfficialRecord.objects.get(fiscal_year=month.fiscal_year, month=month.index).revision == 1
    sign_out(page)

    sign_in(page, "report_viewer")
    page.goto("/reports/budget/")
    official = th("Official figures as of the end of %(month)s") % {"month": label}
    expect(page.get_by_text(official)).to_be_visible()
    expect(page.locator(".kpi").filter(has_text=th("Disbursed")).first).to_contain_text("37,500.00")
