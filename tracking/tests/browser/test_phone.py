"""A district recorder fills an aspect on a 390-px phone: the office's menu is behind a button and
each question's inputs sit under its words, inside the screen (photographed for a look after a change)."""

import pytest
from playwright.sync_api import expect

from tracking.tests.browser.conftest import ARTIFACTS
from tracking.tests.browser.helpers import menu, sign_in
from tracking.tests.browser.test_workload import dla_people, questionnaire  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_an_aspect_fits_a_phone_with_the_menu_behind_a_button(page, questionnaire, dla_people):  # noqa: F811
    sign_in(page, "district_recorder")
    menu(page, "Workload recording")  # the office's submission is opened here
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/workload/{questionnaire.fiscal_year}/office/DLA-D5001/aspect/1/")
    office_menu = page.locator("details.office-menu")
    expect(office_menu).not_to_have_attribute("open", "")
    expect(office_menu.get_by_role("link").first).to_be_hidden()
    office_menu.locator("summary").click()
    expect(office_menu.get_by_role("link").first).to_be_visible()
    office_menu.locator("summary").click()
    first = page.locator("table.answers tbody tr").first
    inputs = first.locator("input")
    expect(inputs).to_have_count(3)
    text_box = first.locator("td").nth(1).bounding_box()
    for index in range(3):
        box = inputs.nth(index).bounding_box()
        assert box["y"] > text_box["y"] + text_box["height"] - 1  # under the question's words
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390  # on the screen, no sideways scroll
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "phone-aspect.png"), full_page=True)


def test_on_a_laptop_the_menu_stays_open_beside_the_table(page, questionnaire, dla_people):  # noqa: F811
    sign_in(page, "district_recorder")
    menu(page, "Workload recording")
    page.goto(f"/workload/{questionnaire.fiscal_year}/office/DLA-D5001/aspect/1/")
    expect(page.locator("details.office-menu summary")).to_be_hidden()
    expect(page.locator("details.office-menu").get_by_role("link").first).to_be_visible()
    expect(page.locator("table.answers thead")).to_be_visible()
