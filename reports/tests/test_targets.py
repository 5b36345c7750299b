"""Quarterly disbursement targets: who may set them, checks in Thai, and the rule in the database."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from reports.models import DisbursementTargets

pytestmark = pytest.mark.django_db
GOOD = {
    "overall_q1": "32", "overall_q2": "54", "overall_q3": "77", "overall_q4": "100",
    "investment_q1": "20", "investment_q2": "45", "investment_q3": "65", "investment_q4": "100",
}  # fmt: skip


@pytest.mark.parametrize("name", ["super", "admin_all"])
def test_planning_admins_set_a_years_targets(client, people, name):
    client.force_login(people[name])
    url = reverse("reports:targets_edit", args=[2570])
    assert client.get(url).status_code == 200
    assert client.post(url, {**GOOD, "overall_q1": "๓๒.๕"}).status_code == 302
    targets = DisbursementTargets.objects.get(fiscal_year=2570)
    assert targets.quarters("overall") == [Decimal("32.5"), Decimal(54), Decimal(77), Decimal(100)]
    assert targets.updated_by == people[name]
    # Changing them again updates the same year.
    assert client.post(url, {**GOOD, "investment_q4": "90"}).status_code == 302
    assert DisbursementTargets.objects.get().investment_q4 == Decimal(90)
    body = client.get(reverse("reports:targets")).content.decode()
    assert "2570" in body and "90.00" in body


@pytest.mark.parametrize(
    "name", ["admin_fund", "finance_budget", "province_user", "report_viewer", "dla_admin"]
)
def test_other_roles_cannot_set_targets(client, people, name):
    client.force_login(people[name])
    url = reverse("reports:targets_edit", args=[2570])
    assert client.get(url).status_code == 403
    assert client.post(url, GOOD).status_code == 403
    assert not DisbursementTargets.objects.exists()


def test_falling_or_out_of_range_targets_are_refused_in_thai_and_kept(client, people):
    client.force_login(people["admin_all"])
    url = reverse("reports:targets_edit", args=[2570])
    response = client.post(url, {**GOOD, "overall_q3": "50", "investment_q1": "-1", "investment_q4": "abc"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "ไม่น้อยกว่าไตรมาสก่อนหน้า" in body
    assert 'value="abc"' in body and 'value="50"' in body
    assert not DisbursementTargets.objects.exists()


def test_the_database_keeps_targets_rising(people):
    DisbursementTargets.objects.create(fiscal_year=2570, **{k: Decimal(v) for k, v in GOOD.items()})
    with pytest.raises(IntegrityError), transaction.atomic():
        DisbursementTargets.objects.update(overall_q2=Decimal(10))
    with pytest.raises(IntegrityError), transaction.atomic():
        DisbursementTargets.objects.update(investment_q4=Decimal(101), investment_q3=Decimal(100))


def test_a_year_outside_the_buddhist_era_range_is_not_found(client, people):
    client.force_login(people["super"])
    assert client.get(reverse("reports:targets_edit", args=[2026])).status_code == 404
