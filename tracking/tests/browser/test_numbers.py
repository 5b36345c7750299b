"""Numbers typed as a new Thai user types them, in a real browser: Thai digits reach the server.

A type=number input empties ๑๒ before the form is sent; these inputs are text inputs that the
server reads. The pages are also photographed at a laptop's and a phone's width
(test-artifacts/browser/numbers-*.png) to look at after a change.
"""

from decimal import Decimal

import pytest
from django.utils import translation
from playwright.sync_api import expect

from accounts.models import OrgUnit
from accounts.roles import Role
from projects.models import Activity, ActivityUnit, MonthlyPlan, Project
from tracking.tests.browser.conftest import ARTIFACTS
from tracking.tests.browser.helpers import menu, messages, person, sign_in, th
from tracking.tests.browser.test_workload import dla_people, questionnaire  # noqa: F401 - fixtures
from tracking.thaicalendar import current_fiscal_year, fiscal_months
from workload.models import Answer

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SIZES = {"laptop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}


def photograph(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        page.screenshot(path=str(ARTIFACTS / f"numbers-{name}-{size}.png"), full_page=True)


def test_thai_digits_typed_into_an_aspect_are_saved(page, questionnaire, dla_people):  # noqa: F811
    fy = questionnaire.fiscal_year
    sign_in(page, "district_recorder")
    menu(page, "Workload recording")  # the office's submission is opened here
    page.goto(f"/workload/{fy}/office/DLA-D5001/aspect/1/")
    volume = page.get_by_label(f"1. {th('Volume per year')}", exact=True)
    expect(volume).to_have_attribute("type", "text")
    expect(volume).to_have_attribute("inputmode", "numeric")
    volume.press_sequentially("๑,๒๓๔")  # key by key, as on a Thai keyboard
    expect(volume).to_have_value("๑,๒๓๔")  # nothing dropped it in the browser
    page.get_by_label(f"1. {th('Days per unit')}", exact=True).press_sequentially("๑.๕")
    page.get_by_label(f"1. {th('Hours per unit')}", exact=True).press_sequentially(" ๒ ")
    page.get_by_role("button", name=th("Save")).click()
    assert any(messages(page))
    answer = Answer.objects.get(submission__office__code="DLA-D5001", question__aspect__number=1)
    assert (answer.volume, answer.days, answer.hours) == (1234, Decimal("1.5"), 2)

    page.goto(f"/workload/{fy}/office/DLA-D5001/aspect/1/")
    expect(page.get_by_label(f"1. {th('Volume per year')}", exact=True)).to_have_value("1,234")
    photograph(page, "aspect")

    # A European number is named as such, and what was typed stays.
    volume = page.get_by_label(f"1. {th('Volume per year')}", exact=True)
    volume.fill("1.234")
    page.get_by_role("button", name=th("Save")).click()
    expect(page.locator(".error").first).to_contain_text("ตัวเลขแบบยุโรป")
    expect(page.get_by_label(f"1. {th('Volume per year')}", exact=True)).to_have_value("1.234")


@pytest.fixture
def plan_people(make_user):
    return {"admin": person(make_user, "admin_all", Role.ADMIN_ALL, "ALRO-KTP", first_name="ศิริพร")}


def test_the_plan_grid_adds_up_thai_digits_and_separators(page, plan_people):
    fy = current_fiscal_year()
    project = Project.objects.create(
        fiscal_year=fy, funding_source="budget_act", code="N-01", name="โครงการทดสอบตัวเลข",
        owner_unit=OrgUnit.objects.get(code="ALRO-SPP"),
    )  # fmt: skip
    activity = Activity.objects.create(project=project, order=1, name="รังวัดที่ดิน")
    units = [OrgUnit.objects.get(code=code) for code in ("ALRO-P50", "ALRO-P57")]
    assignments = [ActivityUnit.objects.create(activity=activity, unit=u, output_unit="แปลง") for u in units]
    MonthlyPlan.objects.create(
        activity_unit=assignments[1], month=1, quantity=1500, spending=Decimal("250000")
    )
    sign_in(page, "admin_all")
    page.goto(f"/projects/{project.pk}/activities/{activity.pk}/plan/")
    with translation.override("th"):
        october, november = (m.label for m in fiscal_months(fy)[:2])
    cell = f"{units[0].name_th}, {{}}, {{}}"
    page.get_by_label(cell.format(october, th("Output")), exact=True).press_sequentially("๑๒")
    page.get_by_label(cell.format(november, th("Output")), exact=True).press_sequentially("1,000")
    page.get_by_label(cell.format(october, th("Spending (baht)")), exact=True).press_sequentially("๑,๒๓๔.๕")
    page.get_by_label(cell.format(november, th("Spending (baht)")), exact=True).press_sequentially(" 1000 ")
    expect(page.locator(f'[data-total-row="q{assignments[0].pk}"]')).to_have_text("1,012")
    expect(page.locator(f'[data-total-row="s{assignments[0].pk}"]')).to_have_text("2,234.50")
    expect(page.locator(f'[data-total-row="q{assignments[1].pk}"]')).to_have_text("1,500")
    expect(page.locator('[data-total-all="s"]')).to_have_text("252,234.50")
    # What is saved shows with thousands separators.
    saved = page.get_by_label(f"{units[1].name_th}, {october}, {th('Spending (baht)')}", exact=True)
    expect(saved).to_have_value("250,000.00")
    photograph(page, "plan-grid")
    page.get_by_role("button", name=th("Save the plan")).click()
    assert th("Plan saved.") in messages(page)
    plan = MonthlyPlan.objects.get(activity_unit=assignments[0], month=1)
    assert (plan.quantity, plan.spending) == (Decimal(12), Decimal("1234.50"))
