"""Every progress view for every ALRO role on a budget-act assignment of Chiang Mai: GET status codes."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

# role → expected status of (performance form, disbursement form, transfer form, procurement form, photo form)
EXPECTED = {
    "super": (200, 200, 200, 200, 200),
    "admin_all": (403, 403, 403, 403, 403),
    "admin_fund": (403, 403, 403, 403, 403),
    "finance_budget": (403, 200, 200, 200, 403),
    "finance_fund": (404, 404, 404, 404, 404),  # cannot even see a budget-act project
    "province_user": (200, 403, 403, 200, 200),
    "province_user_b": (404, 404, 404, 404, 404),  # another province's unit
    "bureau_user": (404, 404, 404, 404, 404),
    "report_viewer": (403, 403, 403, 403, 403),
    "recorder": (403, 403, 403, 403, 403),  # no progress section at all
}


@pytest.mark.parametrize("name", list(EXPECTED))
def test_progress_views_by_role(client, people, assignment, name):
    client.force_login(people[name])
    urls = [
        reverse("progress:performance", args=[assignment.pk, 1]),
        reverse("progress:disbursement", args=[assignment.pk, 1]),
        reverse("progress:transfer_new", args=[assignment.pk]),
        reverse("progress:procurement_new", args=[assignment.pk]),
        reverse("progress:photo_new", args=[assignment.pk]),
    ]
    assert tuple(client.get(url).status_code for url in urls) == EXPECTED[name]
