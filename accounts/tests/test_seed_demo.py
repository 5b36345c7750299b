import io

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_seed_demo_refuses_on_production(settings):
    settings.DEMO = False
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert not User.objects.filter(username="super_admin").exists()


def test_whole_demo_loads_twice_without_duplicates(settings, tmp_path):
    """Every app's demo data: loaded, and loaded again without change (make run does this each start)."""
    from progress.models import PerformanceResult, Photo, Transfer
    from projects.models import Project
    from workload.models import Answer, Questionnaire

    settings.DEMO = True
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", "--password", "demo-pass-1", stdout=io.StringIO())
    _one_user_per_role_and_second_province_twins()
    models = (User, Project, PerformanceResult, Transfer, Photo, Questionnaire, Answer)
    counts = [model.objects.count() for model in models]
    second = io.StringIO()
    call_command("seed_demo", "--password", "demo-pass-2", stdout=second)
    assert counts == [model.objects.count() for model in models]
    # The second run sets the password it was given.
    admin = User.objects.get(username="super_admin")
    assert admin.check_password("demo-pass-2") and admin.is_superuser
    # A second run says the demo data is there, not that it added nothing.
    said = second.getvalue()
    assert "Projects: the demo ALRO projects of fiscal years 2569 and 2570 are already there." in said
    assert "Progress: the demo results, transfers, spending and photos are already there." in said
    assert "News: the 5 demo items are already there." in said
    assert " 0 " not in said
    assert (
        Project.objects.filter(fiscal_year=2569).exists()
        and Project.objects.filter(fiscal_year=2570).exists()
    )
    assert PerformanceResult.objects.filter(
        activity_unit__activity__project__fiscal_year=2569, month=12
    ).exists()
    assert counts[4] >= 1 and counts[6] > 1000


def _one_user_per_role_and_second_province_twins():
    for role in Role.values:
        user = User.objects.get(username=role)
        assert list(user.groups.values_list("name", flat=True)) == [role]
        assert user.org_unit is not None
    for scoped in ("province_user", "district_recorder", "province_confirmer", "province_sso_admin"):
        first, second = User.objects.get(username=scoped), User.objects.get(username=f"{scoped}_b")
        assert first.org_unit.province_id != second.org_unit.province_id
    assert (
        User.objects.get(username="bureau_user").org_unit
        != User.objects.get(username="bureau_user_b").org_unit
    )
    assert User.objects.get(username="finance_fund").funding_sources == ["land_reform_fund"]
