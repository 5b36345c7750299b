from decimal import Decimal

import pytest

from accounts.models import OrgUnit
from accounts.roles import Role
from projects.models import Activity, ActivityUnit, BudgetAllocation, MonthlyPlan, Project, Step


def unit(code):
    return OrgUnit.objects.get(code=code)


@pytest.fixture
def make_project(db):
    def make(code="P-01", source="budget_act", fy=2570, units=("ALRO-P50", "ALRO-P57"), activities=1):
        project = Project.objects.create(
            fiscal_year=fy,
            funding_source=source,
            code=code,
            name=f"โครงการ {code}",
            owner_unit=unit("ALRO-SPP"),
        )
        for order in range(1, activities + 1):
            activity = Activity.objects.create(project=project, order=order, name=f"กิจกรรม {order}")
            Step.objects.bulk_create(
                [
                    Step(activity=activity, order=1, name="เตรียมการ", weight=40),
                    Step(activity=activity, order=2, name="ดำเนินการ", weight=60),
                ]
            )
            for code_ in units:
                au = ActivityUnit.objects.create(activity=activity, unit=unit(code_), output_unit="ราย")
                MonthlyPlan.objects.bulk_create(
                    MonthlyPlan(activity_unit=au, month=m, quantity=Decimal(1), spending=Decimal(1000))
                    for m in range(1, 13)
                )
                BudgetAllocation.objects.create(activity_unit=au, category="operating", amount=Decimal(12000))
        return project

    return make


@pytest.fixture
def people(make_user):
    return {
        "super": make_user("super", roles=[Role.SUPER_ADMIN], unit="ALRO-ICT"),
        "admin_all": make_user("admin_all", roles=[Role.ADMIN_ALL], unit="ALRO-KTP"),
        "admin_fund": make_user("admin_fund", roles=[Role.ADMIN_FUND], unit="ALRO-SBT"),
        "finance_budget": make_user("finance_budget", roles=[Role.FINANCE_BUDGET], unit="ALRO-SBK"),
        "finance_fund": make_user("finance_fund", roles=[Role.FINANCE_FUND], unit="ALRO-SBT"),
        "province_user": make_user("province_user", roles=[Role.PROVINCE_USER], unit="ALRO-P50"),
        "province_user_b": make_user("province_user_b", roles=[Role.PROVINCE_USER], unit="ALRO-P30"),
        "bureau_user": make_user("bureau_user", roles=[Role.BUREAU_USER], unit="ALRO-SJT"),
        "report_viewer": make_user("report_viewer", roles=[Role.REPORT_VIEWER], unit="ALRO-SWP"),
        "recorder": make_user("recorder", roles=[Role.DISTRICT_RECORDER], unit="DLA-D5001"),
    }
