"""Which parts of the site each role opens: the menu shows them, the server enforces them."""

import pytest
from django.urls import reverse

from accounts.roles import Role

pytestmark = pytest.mark.django_db

UNITS = {
    Role.SUPER_ADMIN: "ALRO-ICT",
    Role.ADMIN_ALL: "ALRO-KTP",
    Role.ADMIN_FUND: "ALRO-SBT",
    Role.FINANCE_BUDGET: "ALRO-SBK",
    Role.FINANCE_FUND: "ALRO-SBT",
    Role.BUREAU_USER: "ALRO-SPP",
    Role.PROVINCE_USER: "ALRO-P50",
    Role.REPORT_VIEWER: "ALRO-SWP",
    Role.DISTRICT_RECORDER: "DLA-D5001",
    Role.PROVINCE_CONFIRMER: "DLA-P50",
    Role.PROVINCE_SSO_ADMIN: "DLA-P50",
    Role.DLA_ADMIN: "DLA-PSD",
}

# role → the sections it opens; every other section answers 403.
EXPECTED = {
    Role.SUPER_ADMIN: {"projects", "progress", "reports", "workload", "users", "access_requests"},
    Role.ADMIN_ALL: {"projects", "progress", "reports"},
    Role.ADMIN_FUND: {"projects", "progress", "reports"},
    Role.FINANCE_BUDGET: {"projects", "progress", "reports"},
    Role.FINANCE_FUND: {"projects", "progress", "reports"},
    Role.BUREAU_USER: {"projects", "progress", "reports"},
    Role.PROVINCE_USER: {"projects", "progress", "reports"},
    Role.REPORT_VIEWER: {"projects", "reports"},
    Role.DISTRICT_RECORDER: {"reports", "workload"},
    Role.PROVINCE_CONFIRMER: {"reports", "workload"},
    Role.PROVINCE_SSO_ADMIN: {"users", "access_requests"},
    Role.DLA_ADMIN: {"reports", "workload"},
}

URLS = {
    "projects": "projects:index",
    "progress": "progress:index",
    "reports": "reports:index",
    "workload": "workload:index",
    "users": "accounts:user_list",
    "access_requests": "accounts:access_request_list",
}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_opens_its_sections_and_no_other(client, make_user, role):
    client.force_login(make_user(role.value, roles=[role], unit=UNITS[role]))
    home = client.get(reverse("home")).content.decode()
    for section, url_name in URLS.items():
        url = reverse(url_name)
        status = client.get(url).status_code
        if section in EXPECTED[role]:
            assert status == 200, (role, section)
            assert f'href="{url}"' in home, (role, section)
        else:
            assert status == 403, (role, section)
            assert f'href="{url}"' not in home, (role, section)


def test_a_user_without_a_role_opens_no_section(member_client):
    for url_name in URLS.values():
        assert member_client.get(reverse(url_name)).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for url_name in URLS.values():
        assert client.get(reverse(url_name)).status_code == 302
