"""Project management pages for every role, and crafted requests across money sources and units."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from progress.tests.data import flush_figures
from projects.models import ActivityUnit, BudgetAllocation, MonthlyPlan, Project, Step
from projects.tests.conftest import unit

pytestmark = pytest.mark.django_db


def project_data(**overrides):
    data = {
        "fiscal_year": "2570",
        "funding_source": "land_reform_fund",
        "code": "F70-99",
        "name": "โครงการสนับสนุนสินเชื่อเพื่อปรับปรุงที่ดิน",
        "owner_unit": unit("ALRO-SBT").pk,
        "strategy": "แผนการใช้จ่ายเงินกองทุน",
        "objective": "ให้กู้ยืมเพื่อปรับปรุงที่ดิน",
        "start_date": "1/10/2569",
        "end_date": "30/9/2570",
        "status": "active",
    }
    data.update(overrides)
    return data


def test_admin_fund_creates_a_fund_project(client, people):
    client.force_login(people["admin_fund"])
    response = client.post(reverse("projects:create"), project_data())
    assert response.status_code == 302
    project = Project.objects.get(code="F70-99")
    assert project.start_date.year == 2026  # typed in the Buddhist era


def test_admin_fund_cannot_create_or_switch_to_a_budget_act_project(client, people, make_project):
    client.force_login(people["admin_fund"])
    response = client.post(reverse("projects:create"), project_data(funding_source="budget_act"))
    assert response.status_code == 200
    assert not Project.objects.filter(code="F70-99").exists()
    fund = make_project(code="F-1", source="land_reform_fund")
    response = client.post(
        reverse("projects:edit", args=[fund.pk]), project_data(code="F-1", funding_source="budget_act")
    )
    assert response.status_code == 200
    fund.refresh_from_db()
    assert fund.funding_source == "land_reform_fund"


def test_admin_fund_is_refused_every_change_to_a_budget_act_project(client, people, make_project):
    project = make_project(source="budget_act")
    activity = project.activities.get()
    client.force_login(people["admin_fund"])
    assert client.get(reverse("projects:detail", args=[project.pk])).status_code == 200  # may read
    urls = [
        reverse("projects:edit", args=[project.pk]),
        reverse("projects:delete", args=[project.pk]),
        reverse("projects:copy_next_year", args=[project.pk]),
        reverse("projects:activity_create", args=[project.pk]),
        reverse("projects:activity_edit", args=[project.pk, activity.pk]),
        reverse("projects:activity_delete", args=[project.pk, activity.pk]),
        reverse("projects:activity_plan", args=[project.pk, activity.pk]),
        reverse("projects:activity_budget", args=[project.pk, activity.pk]),
        reverse("projects:activity_rows", args=[project.pk, activity.pk, "steps"]),
    ]
    for url in urls:
        assert (
            client.post(url, project_data(code=project.code, funding_source="budget_act")).status_code == 403
        ), url
    assert Project.objects.filter(pk=project.pk, name=project.name).exists()
    assert project.activities.count() == 1


# Who reads the project is refused (403); a bureau that neither owns it nor is assigned to it does not
# see it at all (404).
@pytest.mark.parametrize(
    ("name", "status"),
    [("finance_budget", 403), ("province_user", 403), ("bureau_user", 404), ("report_viewer", 403)],
)
def test_readers_cannot_change(client, people, make_project, name, status):
    project = make_project(source="budget_act")
    client.force_login(people[name])
    assert client.post(reverse("projects:edit", args=[project.pk]), project_data()).status_code == status
    assert client.get(reverse("projects:create")).status_code == 403


def test_who_reads_which_projects(client, people, make_project):
    budget = make_project(code="B-1", source="budget_act", units=("ALRO-P50",))
    fund = make_project(code="F-1", source="land_reform_fund", units=("ALRO-P57",))
    expectations = {
        "super": {"B-1", "F-1"},
        "admin_fund": {"B-1", "F-1"},
        "report_viewer": {"B-1", "F-1"},
        "finance_budget": {"B-1"},
        "finance_fund": {"F-1"},
        "province_user": {"B-1"},  # Chiang Mai is assigned to B-1 only
        "province_user_b": set(),
        "bureau_user": set(),
    }
    for name, codes in expectations.items():
        seen = set(Project.objects.visible_to(people[name]).values_list("code", flat=True))
        assert seen == codes, name
    client.force_login(people["province_user"])
    assert client.get(reverse("projects:detail", args=[fund.pk])).status_code == 404
    assert client.get(reverse("projects:detail", args=[budget.pk])).status_code == 200


def test_dla_roles_have_no_project_pages(client, people):
    client.force_login(people["recorder"])
    assert client.get(reverse("projects:index")).status_code == 403


def test_plan_grid_saves_every_cell_in_one_go(client, people, make_project):
    project = make_project(source="land_reform_fund", units=("ALRO-P50",))
    activity = project.activities.get()
    au = activity.units.get()
    client.force_login(people["admin_fund"])
    data = {}
    for month in range(1, 13):
        data[f"q_{au.pk}_{month}"] = "๑๐"  # Thai digits
        data[f"s_{au.pk}_{month}"] = "1,500.50"
    response = client.post(reverse("projects:activity_plan", args=[project.pk, activity.pk]), data)
    assert response.status_code == 302
    plans = MonthlyPlan.objects.filter(activity_unit=au)
    assert plans.count() == 12
    assert {p.quantity for p in plans} == {Decimal(10)}
    assert sum(p.spending for p in plans) == Decimal("18006.00")


def test_plan_grid_refuses_bad_numbers_and_keeps_them(client, people, make_project):
    project = make_project(source="land_reform_fund", units=("ALRO-P50",))
    activity = project.activities.get()
    au = activity.units.get()
    client.force_login(people["admin_fund"])
    response = client.post(
        reverse("projects:activity_plan", args=[project.pk, activity.pk]),
        {f"q_{au.pk}_1": "-3", f"s_{au.pk}_1": "สามพัน"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="สามพัน"' in body
    assert MonthlyPlan.objects.get(activity_unit=au, month=1).spending == Decimal(1000)


def test_plan_over_the_allocation_is_flagged(client, people, make_project):
    project = make_project(source="land_reform_fund", units=("ALRO-P50",))
    BudgetAllocation.objects.filter(activity_unit__activity__project=project).update(amount=Decimal(5000))
    flush_figures()  # the page reads plan and allocation from the summary PostgreSQL keeps at commit
    client.force_login(people["admin_fund"])
    body = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "แผนการใช้จ่ายเกินงบที่จัดสรร" in body


def test_budget_grid(client, people, make_project):
    project = make_project(source="land_reform_fund", units=("ALRO-P50",))
    activity = project.activities.get()
    au = activity.units.get()
    client.force_login(people["admin_fund"])
    data = {
        f"b_{au.pk}_investment_0": "2,000,000",
        f"b_{au.pk}_operating_1": "35000",
        f"b_{au.pk}_operating_0": "",
    }
    assert (
        client.post(reverse("projects:activity_budget", args=[project.pk, activity.pk]), data).status_code
        == 302
    )
    rows = {(a.category, a.carried_over): a.amount for a in BudgetAllocation.objects.filter(activity_unit=au)}
    assert rows == {("investment", False): Decimal(2000000), ("operating", True): Decimal(35000)}


def test_steps_must_add_up_to_100_and_nothing_is_saved_otherwise(client, people, make_project):
    project = make_project(source="land_reform_fund")
    activity = project.activities.get()
    steps = list(activity.steps.order_by("order"))
    client.force_login(people["admin_fund"])
    url = reverse("projects:activity_rows", args=[project.pk, activity.pk, "steps"])
    data = {
        "steps-TOTAL_FORMS": "3", "steps-INITIAL_FORMS": "2",
        "steps-MIN_NUM_FORMS": "0", "steps-MAX_NUM_FORMS": "1000",
        "steps-0-id": steps[0].pk, "steps-0-order": "1", "steps-0-name": "เตรียมการ", "steps-0-weight": "40",
        "steps-1-id": steps[1].pk, "steps-1-order": "2", "steps-1-name": "ดำเนินการ", "steps-1-weight": "40",
        "steps-2-order": "", "steps-2-name": "", "steps-2-weight": "",
    }  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 200
    assert "ต้องรวมได้ 100" in response.content.decode()
    assert sorted(Step.objects.filter(activity=activity).values_list("weight", flat=True)) == [40, 60]
    (
        data.update(
            {"steps-1-weight": "30", "steps-2-order": "3", "steps-2-name": "ติดตามผล", "steps-2-weight": "30"}
        ),
    )
    assert client.post(url, data).status_code == 302
    assert Step.objects.filter(activity=activity).count() == 3


def test_units_formset_refuses_a_duplicate(client, people, make_project):
    project = make_project(source="land_reform_fund", units=("ALRO-P50",))
    activity = project.activities.get()
    au = activity.units.get()
    client.force_login(people["admin_fund"])
    data = {
        "units-TOTAL_FORMS": "2", "units-INITIAL_FORMS": "1",
        "units-MIN_NUM_FORMS": "0", "units-MAX_NUM_FORMS": "1000",
        "units-0-id": au.pk, "units-0-unit": unit("ALRO-P50").pk, "units-0-is_executing": "on",
        "units-0-is_budget_receiving": "on", "units-0-output_unit": "ราย",
        "units-1-unit": unit("ALRO-P50").pk, "units-1-is_executing": "on", "units-1-output_unit": "ราย",
    }  # fmt: skip
    response = client.post(reverse("projects:activity_rows", args=[project.pk, activity.pk, "units"]), data)
    assert response.status_code == 200
    assert ActivityUnit.objects.filter(activity=activity).count() == 1


def test_copy_to_next_year_takes_structure_not_money(client, people, make_project):
    project = make_project(source="land_reform_fund")
    client.force_login(people["admin_fund"])
    response = client.post(reverse("projects:copy_next_year", args=[project.pk]))
    copy = Project.objects.get(fiscal_year=2571, code=project.code)
    assert response["Location"] == reverse("projects:detail", args=[copy.pk])
    activity = copy.activities.get()
    assert activity.units.count() == 2 and activity.steps.count() == 2
    assert not MonthlyPlan.objects.filter(activity_unit__activity=activity).exists()
    assert not BudgetAllocation.objects.filter(activity_unit__activity=activity).exists()
    client.post(reverse("projects:copy_next_year", args=[project.pk]))
    assert Project.objects.filter(fiscal_year=2571, code=project.code).count() == 1


def test_delete_asks_first(client, people, make_project):
    project = make_project(source="land_reform_fund")
    client.force_login(people["admin_fund"])
    assert client.get(reverse("projects:delete", args=[project.pk])).status_code == 200
    assert Project.objects.filter(pk=project.pk).exists()
    assert client.post(reverse("projects:delete", args=[project.pk])).status_code == 302
    assert not Project.objects.filter(pk=project.pk).exists()


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_query_count_does_not_grow(client, people, make_project):
    make_project(code="A-1")
    client.force_login(people["admin_all"])
    url = reverse("projects:index") + "?fy=2570"
    client.get(url)  # the units of the filter are kept for a minute (accounts.reference)
    few = _count(client, url)
    for index in range(2, 8):
        make_project(code=f"A-{index}", activities=2)
    assert _count(client, url) == few == 5


def test_detail_query_count_does_not_grow(client, people, make_project):
    small = make_project(code="S-1", activities=1, units=("ALRO-P50",))
    big = make_project(code="S-2", activities=4, units=("ALRO-P50", "ALRO-P57", "ALRO-P30"))
    client.force_login(people["admin_all"])
    assert _count(client, reverse("projects:detail", args=[small.pk])) == _count(
        client, reverse("projects:detail", args=[big.pk])
    )


def test_detail_reads_its_project_in_a_fixed_number_of_queries(
    client, people, make_project, django_assert_num_queries
):
    """Session, user and roles; the project, its activities, the units' figures, the units, steps,
    indicators and their targets."""
    from projects.models import Indicator, IndicatorTarget

    project = make_project(code="Q-1", activities=2, units=("ALRO-P50", "ALRO-P57"))
    for activity in project.activities.all():
        indicator = Indicator.objects.create(activity=activity, name="ราย", unit_of_measure="ราย", target=10)
        IndicatorTarget.objects.create(indicator=indicator, activity_unit=activity.units.first(), target=5)
    client.force_login(people["admin_all"])
    url = reverse("projects:detail", args=[project.pk])
    client.get(url)
    with django_assert_num_queries(10):
        assert client.get(url).status_code == 200


def _unit_rows(body: str) -> dict:
    """Unit name → the texts of its row's cells, from the page's assigned-units tables."""
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S):
        cells = [
            re.sub(r"<[^>]+>", " ", cell).split() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        if len(cells) == 5:
            rows[" ".join(cells[0])] = [" ".join(cell) for cell in cells[1:]]
    return rows


def test_detail_shows_each_units_year_plan_and_allocation_from_its_figures(client, people, make_project):
    project = make_project(units=("ALRO-P50", "ALRO-P57"))
    chiang_mai = ActivityUnit.objects.get(activity__project=project, unit__code="ALRO-P50")
    MonthlyPlan.objects.filter(activity_unit=chiang_mai, month=12).update(
        quantity=Decimal(5), spending=Decimal(500)
    )
    BudgetAllocation.objects.filter(activity_unit=chiang_mai).update(amount=Decimal("11000.50"))
    flush_figures()
    client.force_login(people["admin_all"])
    rows = _unit_rows(client.get(reverse("projects:detail", args=[project.pk])).content.decode())
    assert rows[chiang_mai.unit.name_th][1:3] == ["16 ราย", "11,500.00"]
    assert rows[chiang_mai.unit.name_th][3].startswith("11,000.50")  # and the plan exceeds it
    other = ActivityUnit.objects.get(activity__project=project, unit__code="ALRO-P57")
    assert rows[other.unit.name_th][1:] == ["12 ราย", "12,000.00", "12,000.00"]


def test_a_province_user_sees_every_assigned_unit_but_only_its_provinces_figures(
    client, people, make_project
):
    """The units are the project's (whoever reads the project reads who carries it out); their plan
    and allocation are figures, read within what AssignmentFigures.objects.visible_to(user) gives."""
    project = make_project(units=("ALRO-P50", "ALRO-P57"))
    flush_figures()
    client.force_login(people["province_user"])  # Chiang Mai's office
    body = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    rows = _unit_rows(body)
    assert rows[unit("ALRO-P50").name_th][1:] == ["12 ราย", "12,000.00", "12,000.00"]
    assert rows[unit("ALRO-P57").name_th][1:] == ["—", "—", "—"]
    assert "อยู่นอกขอบเขตของท่าน" in body
    client.force_login(people["admin_all"])
    body = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert _unit_rows(body)[unit("ALRO-P57").name_th][1:] == ["12 ราย", "12,000.00", "12,000.00"]
    assert "อยู่นอกขอบเขตของท่าน" not in body


def test_indicator_target_split_by_unit(client, people, make_project):
    from projects.models import Indicator, IndicatorTarget

    project = make_project(source="land_reform_fund", units=("ALRO-P50", "ALRO-P57"))
    activity = project.activities.get()
    indicator = Indicator.objects.create(
        activity=activity, name="เกษตรกรที่ได้รับสินเชื่อ", unit_of_measure="ราย", target=100
    )
    first, second = activity.units.order_by("unit__code")
    client.force_login(people["admin_fund"])
    url = reverse("projects:indicator_targets", args=[project.pk, activity.pk])
    response = client.post(url, {f"t_{indicator.pk}_{first.pk}": "60", f"t_{indicator.pk}_{second.pk}": "40"})
    assert response.status_code == 302
    assert {t.activity_unit_id: t.target for t in IndicatorTarget.objects.all()} == {
        first.pk: 60,
        second.pk: 40,
    }
    client.post(url, {f"t_{indicator.pk}_{first.pk}": "100", f"t_{indicator.pk}_{second.pk}": ""})
    assert IndicatorTarget.objects.count() == 1
    # Chiang Mai's unit reads the project (it is assigned to it) and may not change its targets.
    client.force_login(people["province_user"])
    assert client.post(url, {f"t_{indicator.pk}_{first.pk}": "1"}).status_code == 403


def test_a_new_activity_is_offered_the_number_after_the_last_one(client, people, make_project):
    project = make_project(activities=3)
    project.activities.get(order=2).delete()
    client.force_login(people["admin_all"])
    response = client.get(reverse("projects:activity_create", args=[project.pk]))
    assert response.context["form"].initial["order"] == 4


def test_owner_filter_lists_a_new_unit_at_once_and_filters_by_it(client, people, make_project):
    from accounts.models import OrgUnit

    client.force_login(people["admin_all"])
    url = reverse("projects:index") + "?fy=2570"
    assert "สำนักทดสอบใหม่" not in client.get(url).content.decode()  # the list is now cached
    agency = OrgUnit.objects.get(agency="alro", kind="agency")
    unit = OrgUnit.objects.create(
        agency="alro", kind="central", code="ALRO-NEW", name_th="สำนักทดสอบใหม่", parent=agency
    )
    page = client.get(url).content.decode()
    assert f'<option value="{unit.pk}">สำนักทดสอบใหม่</option>' in page
    make_project(code="A-1")
    response = client.get(url + f"&owner={unit.pk}")
    assert response.status_code == 200 and "A-1" not in response.content.decode()
    response = client.get(url + "&owner=999999")
    assert "A-1" in response.content.decode()  # an unknown unit is ignored with a message, not a 500


@pytest.mark.parametrize(
    ("typed", "expected"), [("๑๒", 12), ("1,234", 1234), (" 12 ", 12), ("๑,๒๓๔.๕", "1234.5")]
)
def test_indicator_targets_take_thai_digits_and_separators(client, people, make_project, typed, expected):
    from decimal import Decimal

    from projects.forms import IndicatorForm
    from projects.models import Indicator, IndicatorTarget

    form = IndicatorForm({"name": "เกษตรกร", "unit_of_measure": "ราย", "target": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["target"] == Decimal(expected)
    project = make_project(source="land_reform_fund", units=("ALRO-P50",))
    activity = project.activities.get()
    indicator = Indicator.objects.create(activity=activity, name="เกษตรกร", unit_of_measure="ราย", target=100)
    unit = activity.units.get()
    client.force_login(people["admin_fund"])
    url = reverse("projects:indicator_targets", args=[project.pk, activity.pk])
    assert 'type="number"' not in client.get(url).content.decode()
    assert client.post(url, {f"t_{indicator.pk}_{unit.pk}": typed}).status_code == 302
    assert IndicatorTarget.objects.get().target == Decimal(expected)
