import pytest

from accounts.roles import Role


@pytest.fixture
def people(make_user):
    return {
        "recorder": make_user("recorder", roles=[Role.DISTRICT_RECORDER], unit="DLA-D5001"),
        "confirmer": make_user("confirmer", roles=[Role.PROVINCE_CONFIRMER], unit="DLA-P50"),
        "confirmer_b": make_user("confirmer_b", roles=[Role.PROVINCE_CONFIRMER], unit="DLA-P57"),
        "admin_all": make_user("admin_all", roles=[Role.ADMIN_ALL], unit="ALRO-KTP"),
        "viewer": make_user("viewer", roles=[Role.REPORT_VIEWER], unit="ALRO-SWP"),
    }
