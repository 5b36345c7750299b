"""The page where those who close months set the due day of a fiscal year's monthly reports."""

import pytest
from django.urls import reverse

from progress.models import ReportingCalendar

URL = reverse("progress:calendar")


def test_an_admin_sets_the_due_day_typed_in_thai_digits(client, people):
    client.force_login(people["admin_all"])
    assert client.get(URL).status_code == 200
    response = client.post(URL, {"fiscal_year": "๒๕๗๐", "due_day": "๑๐"})
    assert response.status_code == 302
    assert ReportingCalendar.objects.get(fiscal_year=2570).due_day == 10
    client.post(URL, {"fiscal_year": "2570", "due_day": "7"})
    assert ReportingCalendar.objects.get(fiscal_year=2570).due_day == 7
    assert "7 พ.ย. 2569" in client.get(URL).content.decode()  # October 2569's report is due then


@pytest.mark.parametrize("due_day", ["0", "29", "ห้า", ""])
def test_a_day_outside_1_to_28_is_refused_and_nothing_saved(client, people, due_day):
    client.force_login(people["admin_all"])
    response = client.post(URL, {"fiscal_year": "2570", "due_day": due_day})
    assert response.status_code == 200
    assert response.context["form"].errors["due_day"]
    assert not ReportingCalendar.objects.exists()


def test_a_unit_user_may_not_set_the_due_day(client, people):
    client.force_login(people["province_user"])
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"fiscal_year": "2570", "due_day": "10"}).status_code == 403
    assert not ReportingCalendar.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_each_change_of_the_due_day_is_kept_in_the_history(client, people):
    client.force_login(people["admin_all"])
    client.post(URL, {"fiscal_year": "2570", "due_day": "10"})
    client.post(URL, {"fiscal_year": "2570", "due_day": "7"})
    events = ReportingCalendar.pgh_event_model.objects.order_by("pgh_id")
    assert [(e.pgh_label, e.due_day) for e in events] == [("insert", 10), ("update", 7)]
