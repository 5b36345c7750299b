"""Which task cards the home page shows each role (accounts.access.task_lists)."""

import pytest

from accounts import access
from accounts.roles import ROLE_FUNDING_SOURCES, Role

pytestmark = pytest.mark.django_db

EXPECTED = {
    (Role.SUPER_ADMIN, "ALRO-ICT"): {access.REPORT_REVIEW, access.ACCESS_REQUESTS, access.NEWS_APPROVAL},
    (Role.ADMIN_ALL, "ALRO-KTP"): {access.REPORT_REVIEW},
    (Role.ADMIN_FUND, "ALRO-SBT"): {access.REPORT_REVIEW},
    (Role.FINANCE_BUDGET, "ALRO-SBK"): {access.FINANCE_MONTHS},
    (Role.FINANCE_FUND, "ALRO-SBT"): {access.FINANCE_MONTHS},
    # A bureau hands in its own reports and reviews those of the projects it owns.
    (Role.BUREAU_USER, "ALRO-SPP"): {access.UNIT_REPORTS, access.REPORT_REVIEW},
    (Role.PROVINCE_USER, "ALRO-P50"): {access.UNIT_REPORTS},
    (Role.REPORT_VIEWER, "ALRO-SWP"): set(),
    (Role.DISTRICT_RECORDER, "DLA-D5001"): {access.DISTRICT_RECORDING},
    (Role.PROVINCE_CONFIRMER, "DLA-P50"): {access.PROVINCE_REVIEW, access.NEWS_APPROVAL},
    (Role.PROVINCE_SSO_ADMIN, "DLA-P50"): {access.ACCESS_REQUESTS},
    (Role.DLA_ADMIN, "DLA-PSD"): {access.QUESTIONNAIRE_SETUP},
}
ALRO = {access.UNIT_REPORTS, access.REPORT_REVIEW, access.FINANCE_MONTHS}
DLA = {access.DISTRICT_RECORDING, access.PROVINCE_REVIEW, access.QUESTIONNAIRE_SETUP}


@pytest.mark.parametrize(("role", "unit"), list(EXPECTED))
def test_each_role_gets_the_cards_of_its_own_work(make_user, role, unit):
    sources = [str(source) for source in ROLE_FUNDING_SOURCES.get(role, [])]
    user = make_user(role, roles=[role], unit=unit, funding_sources=sources)
    lists = access.task_lists(user)
    assert lists == EXPECTED[(role, unit)]
    assert not (lists & ALRO and lists & DLA) or role == Role.SUPER_ADMIN


def test_a_person_without_roles_or_signed_out_has_no_cards(make_user):
    from django.contrib.auth.models import AnonymousUser

    assert access.task_lists(make_user("nobody")) == frozenset()
    assert access.task_lists(AnonymousUser()) == frozenset()


def test_a_recorder_without_a_district_office_has_no_recording_card(make_user):
    user = make_user("misplaced", roles=[Role.DISTRICT_RECORDER], unit="DLA-P50")
    assert access.DISTRICT_RECORDING not in access.task_lists(user)
