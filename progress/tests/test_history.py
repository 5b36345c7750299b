"""An assigned unit's month has a readable change history, for those who may see the project."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def report(client, assignment, month, quantity, version=""):
    url = reverse("progress:performance", args=[assignment.pk, month])
    data = {"version": version, "quantity": quantity, "narrative": "สำรวจแปลง", "obstacles": ""}
    assert client.post(url, data).status_code == 302


def test_the_months_history_names_who_changed_which_result(client, people, assignment):
    client.force_login(people["province_user"])
    report(client, assignment, 2, "12")
    report(client, assignment, 2, "1,250", version="1")
    report(client, assignment, 3, "98765")  # another month: not on the page
    page = client.get(reverse("progress:history", args=[assignment.pk, 2])).content.decode()
    assert "ประวัติการแก้ไข" in page
    entries = page.split('class="history-entry"')[1:]
    # The change from 12 to 1,250, the result's creation and the month's plan (one test runs in one
    # transaction, where every event has the same time: their order is not asserted here).
    changed = [entry for entry in entries if "1,250" in entry]
    assert len(changed) == 1 and ">12.00<" in changed[0]
    assert any("แผนงานรายเดือน" in entry for entry in entries)
    assert (
        people["province_user"].username in entries[0]
        or people["province_user"].get_full_name() in entries[0]
    )
    assert "98,765" not in page


def test_outsiders_get_404_and_other_months_404(client, people, assignment):
    client.force_login(people["province_user_b"])  # Nakhon Ratchasima: not assigned to this project
    assert client.get(reverse("progress:history", args=[assignment.pk, 2])).status_code == 404
    client.force_login(people["province_user"])
    assert client.get(reverse("progress:history", args=[assignment.pk, 13])).status_code == 404
    client.force_login(people["recorder"])  # no ALRO section at all
    assert client.get(reverse("progress:history", args=[assignment.pk, 2])).status_code == 403


def test_the_months_history_runs_a_fixed_number_of_queries(
    client, people, assignment, django_assert_max_num_queries
):
    client.force_login(people["province_user"])
    report(client, assignment, 2, "1")
    for version in range(1, 40):
        report(client, assignment, 2, str(version + 1), version=str(version))
    url = reverse("progress:history", args=[assignment.pk, 2])
    with django_assert_max_num_queries(12) as first:
        client.get(url)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(url, {"page": 2})
