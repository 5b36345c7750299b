"""Keyboard only: signing in and reporting a month's results with Tab, Enter and typing, no mouse.

At every stop of the Tab key the focused element must be on screen and show a focus indicator.
"""

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import OrgUnit
from accounts.roles import Role
from progress.models import PerformanceResult
from projects.models import Activity, ActivityUnit, BudgetAllocation, MonthlyPlan, Project
from tracking.tests.browser.helpers import PASSWORD, path_of, person, th
from tracking.thaicalendar import current_fiscal_year, fiscal_month_of

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# What the focused element is, and whether a sighted keyboard user can see where the focus is.
# A control drawn by its label (the phone menu's toggle) shows its focus on the label.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const labelled = el.labels && el.labels.length ? el.labels[0].innerText : "";
  const label = el.getAttribute("aria-label") || labelled;
  const drawn = getComputedStyle(el).opacity === "0" && el.labels && el.labels.length ? el.labels[0] : el;
  const style = getComputedStyle(drawn);
  const box = drawn.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(),
    name: (label || el.innerText || el.value || "").trim().replace(/\\s+/g, " "),
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
    shadow: style.boxShadow !== "none",
    visible: box.width > 0 && box.height > 0 && style.visibility !== "hidden" && style.opacity !== "0",
    onScreen: box.bottom > 0 && box.right > 0 && box.top < innerHeight && box.left < innerWidth,
  };
}"""


class Keyboard:
    """Moves through a page with the Tab key, checking every stop on the way."""

    def __init__(self, page: Page):
        self.page = page
        self.problems = []

    def focused(self):
        return self.page.evaluate(FOCUSED)

    def tab(self, shift=False):
        self.page.keyboard.press("Shift+Tab" if shift else "Tab")
        here = self.focused()
        if here is not None:
            if not here["visible"] or not here["onScreen"]:
                self.problems.append(f"{path_of(self.page)}: focus on an element not shown: {here}")
            elif not (here["outline"] or here["shadow"]):
                self.problems.append(f"{path_of(self.page)}: no visible focus indicator: {here}")
        return here

    def press(self, key):
        """A key that leaves the page (Enter on a link, Space on a submit button)."""
        with self.page.expect_navigation():
            self.page.keyboard.press(key)

    def tab_to(self, name, tag=None, limit=80):
        """Press Tab until the element with this accessible name (and tag) has the focus."""
        for _press in range(limit):
            here = self.tab()
            if here and here["name"] == name and (tag is None or here["tag"] == tag):
                return here
        raise AssertionError(
            f"{limit} presses of Tab on {path_of(self.page)} never reached {tag or ''} {name!r}"
        )


@pytest.fixture
def assignment(make_user):
    person(make_user, "province_user", Role.PROVINCE_USER, "ALRO-P50", first_name="กมล")
    project = Project.objects.create(
        fiscal_year=current_fiscal_year(), funding_source="budget_act", code="KB-01",
        name="โครงการทดสอบแป้นพิมพ์", owner_unit=OrgUnit.objects.get(code="ALRO-SPP"), status="active",
    )  # fmt: skip
    activity = Activity.objects.create(project=project, order=1, name="จัดที่ดินทำกิน")
    au = ActivityUnit.objects.create(
        activity=activity, unit=OrgUnit.objects.get(code="ALRO-P50"), output_unit="ราย"
    )
    MonthlyPlan.objects.bulk_create(
        MonthlyPlan(activity_unit=au, month=m, quantity=Decimal(2), spending=Decimal(1000))
        for m in range(1, 13)
    )
    BudgetAllocation.objects.create(activity_unit=au, category="operating", amount=Decimal(12_000))
    return au


def test_sign_in_and_report_a_month_with_the_keyboard_only(page, assignment):
    keys = Keyboard(page)
    month = fiscal_month_of(timezone.localdate())
    page.goto("/accounts/login/")

    # The first Tab shows the skip link; Enter on it moves on to the page's content.
    skip = keys.tab()
    assert skip["name"] == th("Skip to content")
    expect(page.locator(".skip-link")).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert keys.tab()["name"] == th("Username")
    page.keyboard.type("province_user")
    assert keys.tab()["name"] == th("Password")
    page.keyboard.type(PASSWORD)
    keys.press("Enter")
    expect(page.get_by_role("link", name=th("Sign out"))).to_be_visible()

    # Through the main menu to the project, and on to this month's report.
    keys.tab_to(th("Progress reporting"), tag="a")
    keys.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(th("Progress reporting"))
    keys.tab_to("KB-01 โครงการทดสอบแป้นพิมพ์", tag="a")
    keys.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("โครงการทดสอบแป้นพิมพ์")
    keys.tab_to(th("Report"), tag="a")
    keys.press("Enter")
    assert path_of(page) == f"/progress/assignments/{assignment.pk}/performance/{month.index}/"

    # The form: type, Tab between fields, Space on the button to send it.
    keys.tab_to(th("Output achieved this month"), tag="input")
    page.keyboard.type("3")
    keys.tab_to(th("What was done"), tag="textarea")
    page.keyboard.type("จัดที่ดินให้เกษตรกร 3 ราย")
    keys.tab_to(th("Save"), tag="button")
    keys.press("Space")
    expect(page.locator(".messages")).to_contain_text(th("Results saved."))

    result = PerformanceResult.objects.get(activity_unit=assignment, month=month.index)
    assert (result.quantity, result.narrative) == (Decimal(3), "จัดที่ดินให้เกษตรกร 3 ราย")
    assert not keys.problems, "\n".join(keys.problems)


def test_phone_menu_opens_with_the_keyboard(page):
    """On a phone the menu hides behind a toggle; the keyboard reaches it, sees it, and opens it."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    nav = page.get_by_role("navigation", name=th("Main menu"))
    expect(nav).to_be_hidden()
    keys = Keyboard(page)
    for _press in range(5):
        if page.evaluate("document.activeElement.id") == "nav-toggle":
            break
        keys.tab()
    else:
        raise AssertionError("Tab never reached the menu toggle")
    page.keyboard.press("Space")
    expect(nav).to_be_visible()
    assert keys.tab()["name"] == th("Home")
    assert not keys.problems, "\n".join(keys.problems)
