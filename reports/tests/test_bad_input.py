"""Bad input on the disbursement targets form (the reports' only form that writes; their filters are
checked with junk in tracking/tests/test_bad_input.py)."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from reports.tests.test_targets import GOOD
from tracking.tests.badinput import (
    DECIMAL_PLACES,
    MAX_DIGITS,
    MAX_VALUE,
    MIN_VALUE,
    NUMBER,
    REQUIRED,
    refused,
)

pytestmark = pytest.mark.django_db

ROUNDS = [
    {"overall_q1": ("", REQUIRED), "overall_q2": ("NaN", NUMBER), "overall_q3": ("-Infinity", NUMBER),
     "overall_q4": ("100.01", MAX_VALUE), "investment_q1": ("-0.01", MIN_VALUE),
     "investment_q2": ("๔๕%", NUMBER)},
    {"overall_q1": ("32.555", DECIMAL_PLACES), "overall_q2": ("1e20", MAX_DIGITS)},
]  # fmt: skip


@pytest.mark.parametrize("bad", ROUNDS, ids=["-".join(r) for r in ROUNDS])
def test_bad_targets_are_refused_in_thai_and_nothing_changes(client, make_user, bad):
    client.force_login(make_user("admin_all", roles=[Role.ADMIN_ALL], unit="ALRO-KTP"))
    refused(client, reverse("reports:targets_edit", args=[2570]), GOOD, bad)


def test_targets_typed_in_thai_digits_are_read(client, make_user):
    from reports.models import DisbursementTargets

    client.force_login(make_user("admin_all", roles=[Role.ADMIN_ALL], unit="ALRO-KTP"))
    thai = {name: value.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")) for name, value in GOOD.items()}
    assert client.post(reverse("reports:targets_edit", args=[2570]), thai).status_code == 302
    assert DisbursementTargets.objects.get(fiscal_year=2570).overall_q2 == 54
