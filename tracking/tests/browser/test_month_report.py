"""A unit's monthly report in the browser: handed in, sent back with what to fix, corrected, handed in
again and accepted; the month's form read-only while it is handed in."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.models import OrgUnit
from accounts.roles import Role
from progress import services
from progress.models import MonthReport, PerformanceResult
from projects.models import Activity, ActivityUnit, MonthlyPlan, Project
from tracking.tests.browser.helpers import messages, person, sign_in, sign_out, th
from tracking.thaicalendar import current_fiscal_year

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REASON = "ผลผลิตระบุ 12 แปลง แต่แผนที่แนบมีเพียง 10 แปลง โปรดตรวจสอบ"


@pytest.fixture
def cycle(make_user):
    people = {
        "admin": person(make_user, "admin_all", Role.ADMIN_ALL, "ALRO-KTP", first_name="ศิริพร"),
        "province": person(make_user, "province_user", Role.PROVINCE_USER, "ALRO-P50", first_name="กมล"),
    }
    project = Project.objects.create(
        fiscal_year=current_fiscal_year(), funding_source="budget_act", code="MR-01",
        name="โครงการทดสอบการส่งรายงาน", owner_unit=OrgUnit.objects.get(code="ALRO-SPP"),
    )  # fmt: skip
    activity = Activity.objects.create(project=project, order=1, name="รังวัดแปลงที่ดิน")
    assignment = ActivityUnit.objects.create(
        activity=activity, unit=OrgUnit.objects.get(code="ALRO-P50"), output_unit="แปลง"
    )
    MonthlyPlan.objects.create(activity_unit=assignment, month=1, quantity=Decimal(10), spending=Decimal(0))
    services.performance_save(
        by=people["province"], activity_unit=assignment, month=1, version=None,
        fields={"quantity": Decimal(12), "narrative": "รังวัดแล้ว", "obstacles": ""},
    )  # fmt: skip
    return assignment


def status(assignment):
    return MonthReport.objects.get(activity_unit=assignment, month=1).status


def test_handed_in_sent_back_corrected_and_accepted(page, cycle):
    report_url = f"/progress/assignments/{cycle.pk}/report/1/"
    form_url = f"/progress/assignments/{cycle.pk}/performance/1/"
    page.on("dialog", lambda dialog: dialog.accept())

    # --- the unit hands in its month; its form is then read-only before anyone types ---------
    sign_in(page, "province_user")
    page.goto(report_url)
    page.get_by_role("button", name=th("Hand in the month's report")).click()
    assert th(
        "The month's report is handed in. Its figures are locked while the project's owners review it."
    ) in messages(page)
    assert status(cycle) == "submitted"
    page.goto(form_url)
    expect(page.locator(".readonly-reason")).to_be_visible()
    expect(page.get_by_label(th("Output achieved this month"))).to_be_disabled()
    expect(page.get_by_role("button", name=th("Save"))).to_have_count(0)
    sign_out(page)

    # --- the admin sends it back with what to fix ------------------------------------------
    sign_in(page, "admin_all")
    page.goto(report_url)
    page.get_by_role("link", name=th("Send back for correction…")).click()
    page.get_by_role("button", name=th("Send back")).click()  # without a reason: asked for one
    expect(page.locator(".error, .errorlist, [role=alert]").first).to_be_visible()
    assert status(cycle) == "submitted"
    page.get_by_label(th("What the unit must fix")).fill(REASON)
    page.get_by_role("button", name=th("Send back")).click()
    assert th("The report is sent back to the unit with what to fix.") in messages(page)
    assert status(cycle) == "sent_back"
    sign_out(page)

    # --- the unit sees what to fix, corrects and hands in again --------------------------------
    sign_in(page, "province_user")
    page.goto("/progress/?month=1")
    expect(page.get_by_text(REASON)).to_be_visible()
    page.goto(form_url)
    expect(page.locator(".sent-back-reason")).to_contain_text(REASON)
    expect(page.locator(".sent-back-reason")).to_contain_text(th("What to fix"))
    page.get_by_label(th("Output achieved this month")).fill("10")
    page.get_by_role("button", name=th("Save")).click()
    assert th("Results saved.") in messages(page)
    assert PerformanceResult.objects.get(activity_unit=cycle, month=1).quantity == 10
    page.goto(report_url)
    page.get_by_role("button", name=th("Hand in again")).click()
    assert status(cycle) == "submitted"
    sign_out(page)

    # --- the admin accepts ---------------------------------------------------------------------
    sign_in(page, "admin_all")
    page.goto(report_url)
    page.get_by_role("button", name=th("Accept the report")).click()
    assert th("The report is accepted.") in messages(page)
    expect(page.locator("#month-report-title")).to_contain_text(th("Accepted"))
    assert status(cycle) == "accepted"
