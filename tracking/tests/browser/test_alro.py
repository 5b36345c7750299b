"""ALRO in the browser: a project set up by an admin, reported on by a province, paid by finance,
and seen on the budget dashboard."""

from decimal import Decimal

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from accounts.models import OrgUnit
from accounts.roles import Role
from progress.models import Disbursement, PerformanceResult, Transfer
from projects.models import ActivityUnit, BudgetAllocation, MonthlyPlan, Project
from tracking.tests.browser.helpers import menu, messages, person, sign_in, sign_out, th
from tracking.thaicalendar import current_fiscal_year, fiscal_month_of

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def alro_people(make_user):
    return {
        "admin": person(make_user, "admin_all", Role.ADMIN_ALL, "ALRO-KTP", first_name="ศิริพร"),
        "province": person(make_user, "province_user", Role.PROVINCE_USER, "ALRO-P50", first_name="กมล"),
        "finance": person(make_user, "finance_budget", Role.FINANCE_BUDGET, "ALRO-SBK", first_name="มาลี"),
    }


def today_thai() -> str:
    today = timezone.localdate()
    return f"{today.day}/{today.month}/{today.year + 543}"


def test_project_set_up_reported_paid_and_on_the_dashboard(page, alro_people):
    fy = current_fiscal_year()
    month = fiscal_month_of(timezone.localdate())
    province_unit = OrgUnit.objects.get(code="ALRO-P50")
    owner_unit = OrgUnit.objects.get(code="ALRO-SPP")

    # --- the admin creates the project, its activity, the unit, the plan and the budget -------------
    sign_in(page, "admin_all")
    menu(page, "Project management")
    page.get_by_role("link", name=th("New project")).click()
    expect(page.get_by_label(th("Fiscal year"))).to_have_value(str(fy))
    page.get_by_label(th("money source")).select_option(label=th("Budget act"))
    page.get_by_label(th("project code")).fill("E2E-01")
    page.get_by_label(th("project name")).fill("โครงการจัดที่ดินทำกินทดสอบ")
    page.get_by_label(th("Responsible unit")).select_option(label=owner_unit.name_th)
    page.get_by_label(th("status")).select_option(label=th("In progress"))
    page.get_by_role("button", name=th("Save")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("โครงการจัดที่ดินทำกินทดสอบ")
    assert th("Project saved.") in messages(page)
    project = Project.objects.get(code="E2E-01")
    assert (project.fiscal_year, project.funding_source, project.owner_unit) == (fy, "budget_act", owner_unit)

    page.get_by_role("link", name=th("Add an activity")).click()
    page.get_by_label(th("activity")).fill("รังวัดและจัดทำแผนที่")
    page.get_by_role("button", name=th("Save")).click()
    assert th("Activity saved.") in messages(page)
    activity = project.activities.get()

    page.get_by_role("link", name=th("Assigned units")).click()
    # The rows' fields are named by their column and row number, for screen readers.
    page.get_by_label(f"{th('Unit')} 1", exact=True).select_option(label=province_unit.name_th)
    expect(page.get_by_label(f"{th('carries it out')} 1", exact=True)).to_be_checked()
    expect(page.get_by_label(f"{th('receives budget')} 1", exact=True)).to_be_checked()
    page.get_by_label(f"{th('output counting unit')} 1", exact=True).fill("แปลง")
    page.get_by_role("button", name=th("Save")).click()
    assignment = ActivityUnit.objects.get(activity=activity)
    assert (assignment.unit, assignment.is_executing, assignment.is_budget_receiving) == (
        province_unit, True, True,
    )  # fmt: skip

    page.get_by_role("link", name=th("Monthly plan")).click()
    with translation.override("th"):
        cell = f"{province_unit.name_th}, {month.label}"
    page.get_by_label(f"{cell}, {th('Output')}").fill("5")
    page.get_by_label(f"{cell}, {th('Spending (baht)')}").fill("10,000")
    page.get_by_role("button", name=th("Save the plan")).click()
    assert th("Plan saved.") in messages(page)
    plan = MonthlyPlan.objects.get(activity_unit=assignment, month=month.index)
    assert (plan.quantity, plan.spending) == (Decimal(5), Decimal(10_000))

    page.get_by_role("link", name=th("Budget"), exact=True).click()
    page.get_by_label(f"{province_unit.name_th}, {th('Operating')}, {th('This year')}").fill("120000")
    page.get_by_role("button", name=th("Save the budget")).click()
    assert th("Budget saved.") in messages(page)
    assert BudgetAllocation.objects.get(activity_unit=assignment).amount == Decimal(120_000)
    sign_out(page)

    # --- the province reports this month's performance --------------------------------------------------
    sign_in(page, "province_user")
    menu(page, "Progress reporting")
    page.get_by_role("link", name="E2E-01 โครงการจัดที่ดินทำกินทดสอบ").click()
    page.get_by_role("link", name=th("Report")).click()
    page.get_by_label(th("Output achieved this month")).fill("4")
    page.get_by_label(th("What was done")).fill("รังวัดแปลงที่ดินครบ 4 แปลง")
    page.get_by_role("button", name=th("Save")).click()
    assert th("Results saved.") in messages(page)
    result = PerformanceResult.objects.get(activity_unit=assignment, month=month.index)
    assert (result.quantity, result.narrative) == (Decimal(4), "รังวัดแปลงที่ดินครบ 4 แปลง")
    sign_out(page)

    # --- finance records the transfer to the province and this month's disbursement -----------------------
    sign_in(page, "finance_budget")
    menu(page, "Progress reporting")
    page.get_by_role("link", name="E2E-01 โครงการจัดที่ดินทำกินทดสอบ").click()
    page.get_by_role("link", name=th("Transfers and returns")).click()
    page.get_by_role("link", name=f"+ {th('Record a transfer or return')}: 1. {province_unit}").click()
    page.get_by_label(th("kind")).select_option(label=th("Transfer to the unit"))
    page.get_by_label(th("Date")).fill(today_thai())
    page.get_by_label(th("Amount (baht)")).fill("100,000")
    page.get_by_label(th("document number")).fill("กค 0402/123")
    page.get_by_role("button", name=th("Save")).click()
    assert th("Recorded.") in messages(page)
    transfer = Transfer.objects.get(activity_unit=assignment)
    assert (transfer.kind, transfer.amount, transfer.created_by) == (
        "transfer", Decimal(100_000), alro_people["finance"],
    )  # fmt: skip

    page.get_by_role("link", name=th("Budget spending")).click()
    page.get_by_role("link", name=th("Record")).click()
    page.get_by_label(th("Committed this month on %(line)s (baht)") % {"line": th("Operating")}).fill("20000")
    page.get_by_label(th("Disbursed this month on %(line)s (baht)") % {"line": th("Operating")}).fill("30000")
    page.get_by_role("button", name=th("Save")).click()
    assert th("Spending saved.") in messages(page)
    spent = Disbursement.objects.get(activity_unit=assignment, month=month.index)
    assert (spent.category, spent.committed, spent.disbursed) == (
        "operating",
        Decimal(20_000),
        Decimal(30_000),
    )
    sign_out(page)

    # --- the dashboard shows it ---------------------------------------------------------------------------
    sign_in(page, "admin_all")
    page.goto(f"/reports/budget/?fy={fy}")
    kpis = page.locator(".kpis")
    expect(kpis.locator(".kpi").nth(0)).to_contain_text("120,000.00")
    expect(kpis.locator(".kpi").nth(1)).to_contain_text("100,000.00")
    expect(kpis.locator(".kpi").nth(2)).to_contain_text("30,000.00")
    expect(kpis.locator(".kpi").nth(3)).to_contain_text("30.00")
    expect(kpis.locator(".kpi").nth(4)).to_contain_text("25.00")
