"""The screens people have (issue 18.4): at 1366 × 768 the plan grid keeps its units and totals in
view while the months scroll, and the dashboards' tables show their percentage columns without
sideways scrolling; on a 390-px phone neither page runs off the screen. Photographed for a look
after a change (test-artifacts/browser/)."""

import pytest

from projects.models import Project
from tracking.tests.browser.conftest import ARTIFACTS
from tracking.tests.browser.test_accessibility import signed_in
from tracking.thaicalendar import current_fiscal_year

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


def page_overflow(page) -> int:
    """How far the page itself runs past the window's right edge (0: no sideways scroll)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def demo_project() -> Project:
    return Project.objects.get(fiscal_year=current_fiscal_year(), code="P70-01")


def shoot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_plan_grid_keeps_units_and_totals_in_view_while_the_months_scroll(
    demo_data, live_server, context, page
):
    project = demo_project()
    activity = project.activities.filter(units__isnull=False).order_by("order").first()
    signed_in(context, live_server.url, "admin_all")
    page.set_viewport_size(LAPTOP)
    page.goto(f"/projects/{project.pk}/activities/{activity.pk}/plan/")
    assert page_overflow(page) == 0
    wrap = page.locator(".grid-form .table-wrap")
    headers = page.locator("table.grid thead th")
    assert headers.count() == 2 + 12 + 1  # unit, kind of line, twelve months, total
    frame = wrap.bounding_box()
    total = headers.last.bounding_box()
    assert frame["x"] <= total["x"] and total["x"] + total["width"] <= frame["x"] + frame["width"] + 0.5
    assert total["x"] + total["width"] <= LAPTOP["width"]
    shoot(page, "laptop-plan-grid")

    # Scrolled to the last month: the unit, the kind of line and the totals have not moved.
    unit, kind = page.locator("th.unit-name").first, page.locator("td.kind").first
    before = unit.bounding_box(), kind.bounding_box()
    wrap.evaluate("element => { element.scrollLeft = element.scrollWidth; }")
    assert (unit.bounding_box(), kind.bounding_box()) == before
    assert headers.last.bounding_box() == total
    september = headers.nth(13).bounding_box()
    assert september["x"] >= before[1]["x"] + before[1]["width"] - 0.5  # beside the kind, not under it
    assert september["x"] + september["width"] <= total["x"] + 0.5
    shoot(page, "laptop-plan-grid-scrolled")

    page.set_viewport_size(PHONE)
    page.reload()
    assert page_overflow(page) == 0
    name = page.locator("th.unit-name").first.bounding_box()
    assert name["x"] >= 0 and name["x"] + name["width"] <= PHONE["width"]
    shoot(page, "phone-plan-grid")


@pytest.mark.parametrize("dashboard", ["budget", "performance"])
@pytest.mark.parametrize("level", ["country", "project"])
def test_dashboard_tables_show_their_percentages_without_sideways_scrolling(
    dashboard, level, demo_data, live_server, context, page
):
    query = f"?project={demo_project().pk}" if level == "project" else ""
    signed_in(context, live_server.url, "admin_all")
    page.set_viewport_size(LAPTOP)
    page.goto(f"/reports/{dashboard}/{query}")
    assert page_overflow(page) == 0
    tables = page.locator("section.report-table .table-wrap")
    assert tables.count() >= 3
    for index in range(tables.count()):
        wrap = tables.nth(index)
        key = wrap.evaluate("element => element.closest('section').id")
        sideways = wrap.evaluate("element => element.scrollWidth - element.clientWidth")
        assert sideways <= 0, f"the {key} table scrolls sideways by {sideways} px"
        headers = wrap.locator("thead th")
        percent = [i for i, text in enumerate(headers.all_inner_texts()) if "%" in text or "ร้อยละ" in text]
        # The quarters and the official figures' revisions (amounts before and after) have none.
        assert percent or key in ("quarters", "revision"), f"the {key} table has no percentage column"
        for column in percent:
            box = headers.nth(column).bounding_box()
            assert box["x"] + box["width"] <= LAPTOP["width"], f"{key}: a percentage column is off the screen"
    shoot(page, f"laptop-{dashboard}-{level}")

    page.set_viewport_size(PHONE)
    page.reload()
    assert page_overflow(page) == 0
    shoot(page, f"phone-{dashboard}-{level}")


def test_progress_list_with_carried_over_money_fits_a_laptop(demo_data, live_server, context, page):
    """A unit with money carried over from last year: the note under its figure wraps rather than
    widening the column until the monthly report column leaves the screen."""
    signed_in(context, live_server.url, "province_user_b")
    page.set_viewport_size(LAPTOP)
    page.goto("/progress/?fy=2570&month=3")
    assert page.locator("td.num .carried").count() >= 1, "the demo has carried-over money in ธ.ค. 69"
    wrap = page.locator(".table-wrap").first
    sideways = wrap.evaluate("element => element.scrollWidth - element.clientWidth")
    assert sideways <= 0, f"the progress list scrolls sideways by {sideways} px"
    shoot(page, "laptop-progress-list")
