"""The admin's calendar speaks the Buddhist era on the date inputs that take d/m/พ.ศ.: it opens on the
month typed, heads it with its พ.ศ. year, and writes the พ.ศ. year, as the Thai date field reads it."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from tracking.tests.browser.test_accessibility import signed_in
from workload.models import Questionnaire

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_admin_calendar_shows_and_writes_the_buddhist_era(page, context, live_server, make_user):
    make_user("admin_ict", roles=[Role.SUPER_ADMIN], unit="ALRO-ICT", is_staff=True, is_superuser=True)
    questionnaire = Questionnaire.objects.create(
        fiscal_year=2569, opens_on=dt.date(2025, 11, 1), closes_on=dt.date(2026, 1, 31)
    )
    signed_in(context, live_server.url, "admin_ict")
    page.goto(f"/admin/workload/questionnaire/{questionnaire.pk}/change/")
    opens = page.locator("input[name=opens_on]")
    expect(opens).to_have_value("1/11/2568")

    page.locator("#calendarlink0").click()
    calendar = page.locator("#calendarin0")
    expect(calendar.locator("caption")).to_have_text("พฤศจิกายน 2568")
    # 1 November 2025 was a Saturday: the month is laid out for 2025, not for the year 2568.
    first = calendar.locator("tr").nth(1).locator("td").nth(6)
    expect(first).to_have_text("1")
    page.locator("#calendarbox0").get_by_role("link", name="วันนี้").click()
    today = timezone.localdate()
    expect(opens).to_have_value(f"{today:%d/%m}/{today.year + 543}")

    page.locator("#calendarlink0").click()  # opens on the month typed in พ.ศ.
    expect(calendar.locator("caption")).to_contain_text(str(today.year + 543))
    page.locator("#calendarbox0").get_by_role("link", name="ยกเลิก").click()
    opens.fill("1/11/2568")
    page.locator("#calendarlink0").click()
    expect(calendar.locator("caption")).to_have_text("พฤศจิกายน 2568")
    calendar.get_by_role("link", name="15", exact=True).click()
    expect(opens).to_have_value("15/11/2568")

    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    questionnaire.refresh_from_db()
    assert questionnaire.opens_on == dt.date(2025, 11, 15)
