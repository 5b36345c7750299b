"""The budget dashboard: figures equal to independent sums, scope by role, drill-down, export, queries."""

import io
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import OrgUnit
from progress.models import AssignmentFigures
from projects.models import Activity, ActivityUnit, Project
from reports.models import DisbursementTargets
from reports.tests.conftest import assert_typed_sheets, expected_money, flush_figures, generate_year
from tracking.xlsx import MONTH, PERCENT

pytestmark = pytest.mark.django_db
MONEY_FIGURES = ("allocated", "received", "committed", "disbursed", "allocated_carried", "received_carried",
                 "disbursed_carried", "allocated_investment", "disbursed_investment", "planned")  # fmt: skip


def table(response, key):
    return next(t for t in response.context["tables"] if t.key == key)


def assert_money(row, expected):
    for name in MONEY_FIGURES:
        assert getattr(row, name) == expected[name], name


@pytest.mark.parametrize("month", [1, 5, 12])
def test_dashboard_figures_equal_sums_of_the_raw_rows(client, people, month):
    data = generate_year()
    client.force_login(people["report_viewer"])
    response = client.get(reverse("reports:budget"), {"fy": 2570, "month": month})
    assert response.status_code == 200
    assert_money(response.context["total"], expected_money(data.rows, month, 2570))
    for row in table(response, "sources").rows:
        assert_money(row, expected_money(data.where(source=row.key), month, 2570))
    provinces = table(response, "provinces").rows
    assert {row.key for row in provinces} == {"50", "57", "40", "30"}  # bureaus have no province
    for row in provinces:
        assert_money(row, expected_money(data.where(province_code=row.key), month, 2570))
    for row in table(response, "units").rows:
        code = OrgUnit.objects.get(pk=row.key).code
        assert_money(row, expected_money(data.where(unit_code=code), month, 2570))
    for row in table(response, "projects").rows:
        project_rows = [r for r in data.rows if r.assignment.activity.project_id == row.key]
        assert_money(row, expected_money(project_rows, month, 2570))
    series = table(response, "months").rows
    for point in series:
        expected = expected_money(data.rows, point["month"], 2570)
        assert point["planned"] == expected["planned"]
        if point["month"] <= month:
            assert point["disbursed"] == expected["disbursed"]
            assert point["disbursed_investment"] == expected["disbursed_investment"]
            assert point["received"] == expected["received"]
        else:
            assert point["disbursed"] is None  # not reported yet as of the chosen month


def test_percentages_are_of_received_and_of_allocated_and_shown_in_thai(client, people):
    data = generate_year()
    client.force_login(people["report_viewer"])
    response = client.get(reverse("reports:budget"), {"fy": 2570, "month": 12})
    total = response.context["total"]
    expected = expected_money(data.rows, 12, 2570)
    assert total.of_allocated == (expected["disbursed"] * 100 / expected["allocated"]).quantize(
        Decimal("0.01")
    )
    assert total.of_received == (expected["disbursed"] * 100 / expected["received"]).quantize(Decimal("0.01"))
    body = response.content.decode()
    assert f"{expected['disbursed']:,.2f}" in body
    assert "งบประมาณที่ได้รับ" in body or "ร้อยละของงบที่ได้รับ" in body
    assert "เงินกันไว้เบิกเหลื่อมปี" in body


def test_no_budget_yet_shows_a_dash_not_an_error(client, people):
    project = Project.objects.create(
        fiscal_year=2570, funding_source="budget_act", code="Z-1", name="ยังไม่มีงบ",
        owner_unit=OrgUnit.objects.get(code="ALRO-SPP"),
    )  # fmt: skip
    activity = Activity.objects.create(project=project, order=1, name="สำรวจ")
    ActivityUnit.objects.create(activity=activity, unit=OrgUnit.objects.get(code="ALRO-P65"))
    flush_figures()
    client.force_login(people["report_viewer"])
    response = client.get(reverse("reports:budget"), {"fy": 2570, "month": 3})
    assert response.status_code == 200
    assert response.context["total"].of_allocated is None
    [unit_line] = table(response, "units").body
    assert unit_line.cells[-1].text == "–" and unit_line.cells[-2].text == "–"
    # A year with nothing at all renders too.
    assert client.get(reverse("reports:budget"), {"fy": 2569}).status_code == 200


def test_quarterly_targets_are_compared_at_quarter_ends(client, people):
    data = generate_year()
    quarters = {"overall": (20, 40, 70, 100), "investment": (10, 30, 60, 100)}
    DisbursementTargets.objects.create(
        fiscal_year=2570,
        **{f"{kind}_q{q}": Decimal(v) for kind, values in quarters.items() for q, v in enumerate(values, 1)},
    )
    client.force_login(people["report_viewer"])
    response = client.get(reverse("reports:budget"), {"fy": 2570, "month": 7})
    quarters = response.context["quarters"]
    q2 = expected_money(data.rows, 6, 2570)
    assert quarters[1]["target"] == Decimal(40)
    assert quarters[1]["actual"] == (q2["disbursed"] * 100 / q2["allocated"]).quantize(Decimal("0.01"))
    assert quarters[1]["investment_actual"] == (
        q2["disbursed_investment"] * 100 / q2["allocated_investment"]
    ).quantize(Decimal("0.01"))
    assert quarters[2]["actual"] is None  # September is not reached by the end of April


@pytest.mark.parametrize(
    ("name", "condition"),
    [
        ("province_user", {"province_code": "50"}),
        ("finance_fund", {"source": "land_reform_fund"}),
        ("finance_budget", {"source": "budget_act"}),
        ("bureau_user", {"unit_code": "ALRO-SKS"}),
        ("admin_fund", {}),
        ("super", {}),
    ],
)
def test_each_role_sees_the_figures_of_its_scope(client, people, name, condition):
    data = generate_year()
    client.force_login(people[name])
    response = client.get(reverse("reports:budget"), {"fy": 2570, "month": 12})
    assert response.status_code == 200
    assert_money(response.context["total"], expected_money(data.where(**condition), 12, 2570))


def test_a_provincial_user_cannot_reach_another_province(client, people):
    generate_year()
    client.force_login(people["province_user"])
    response = client.get(reverse("reports:budget"), {"fy": 2570, "province": "57"})
    assert response.status_code == 200
    assert response.context["form"].errors["province"]  # not a choice this user has
    body = response.content.decode()
    assert "เชียงราย" not in body.split('id="id_province"')[1].split("</select>")[0]
    assert {row.key for row in table(response, "provinces").rows} == {"50"}
    other = ActivityUnit.objects.filter(unit__code="ALRO-P57").first()
    assert client.get(reverse("reports:assignment", args=[other.pk])).status_code == 404
    assert client.get(reverse("reports:assignment_xlsx", args=[other.pk])).status_code == 404
    own = ActivityUnit.objects.filter(unit__code="ALRO-P50").first()
    assert client.get(reverse("reports:assignment", args=[own.pk])).status_code == 200


@pytest.mark.parametrize("name", ["recorder", "confirmer", "dla_admin"])
def test_dla_roles_do_not_read_alro_dashboards(client, people, name):
    generate_year(projects=1)
    client.force_login(people[name])
    au = ActivityUnit.objects.first()
    for url in (reverse("reports:budget"), reverse("reports:performance"), reverse("reports:budget_xlsx"),
                reverse("reports:assignment", args=[au.pk])):  # fmt: skip
        assert client.get(url).status_code == 403, url


def test_sso_admin_and_anonymous_are_kept_out(client, people):
    client.force_login(people["sso"])
    assert client.get(reverse("reports:index")).status_code == 403
    client.logout()
    response = client.get(reverse("reports:budget"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_drill_down_from_a_province_to_its_units_projects_and_months(client, people):
    data = generate_year()
    client.force_login(people["report_viewer"])
    response = client.get(reverse("reports:budget"), {"fy": 2570, "month": 12})
    chiang_mai = next(line for line in table(response, "provinces").body if line.cells[0].text == "เชียงใหม่")
    province_url = chiang_mai.cells[0].link
    assert "province=50" in province_url
    assert (
        f'href="{province_url.replace("&", "&amp;")}"' in response.content.decode()
    )  # the bar links there too
    response = client.get(province_url)
    assert {row.label for row in table(response, "units").rows} == {"สำนักงานการปฏิรูปที่ดินจังหวัดเชียงใหม่"}
    unit_url = table(response, "units").body[0].cells[1].link
    response = client.get(unit_url)
    lines = table(response, "assignments")
    assert len(lines.rows) == len(data.where(unit_code="ALRO-P50"))
    project_url = table(response, "projects").body[0].cells[1].link
    assert "project=" in project_url and "unit=" in project_url
    assignment_url = client.get(project_url).context["tables"][-1].body[0].cells[2].link
    response = client.get(assignment_url)
    assert response.status_code == 200
    months = response.context["table"].rows
    assert len(months) == 12
    row = next(r for r in data.rows if r.assignment.pk == response.context["figures"].pk)
    assert [m["disbursed"] for m in months] == [
        sum((d for (mm, _c, carried), (_cm, d) in row.spent.items() if mm == m and not carried), Decimal(0))
        for m in range(1, 13)
    ]


def test_filters_live_in_the_url_and_bad_values_are_refused_in_thai(client, people):
    generate_year(projects=2)
    client.force_login(people["report_viewer"])
    response = client.get(reverse("reports:budget"), {"fy": "2570", "month": "13", "source": "x"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "เลือกตัวเลือกที่ถูกต้อง" in body
    assert response.context["filters"].month == 12 and response.context["filters"].source == ""
    response = client.get(reverse("reports:budget"), {"fy": "2570", "month": "4", "source": "budget_act"})
    assert (
        'href="/reports/budget.xlsx?fy=2570&amp;month=4&amp;source=budget_act"' in response.content.decode()
    )


def test_export_has_the_same_numbers_as_the_page(client, people):
    generate_year()
    client.force_login(people["report_viewer"])
    query = {"fy": 2570, "month": 9}
    page = client.get(reverse("reports:budget"), query)
    response = client.get(reverse("reports:budget_xlsx"), query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="Budget-disbursement-FY2570-to-Jun-2027.xlsx"' in response["Content-Disposition"]
    assert quote("การเบิกจ่ายงบประมาณ-ปีงบ2570-ถึงมิ.ย.2570.xlsx") in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert_typed_sheets(workbook, page.context["tables"])
    for report_table in page.context["tables"]:
        sheet = workbook[report_table.sheet[:31]]
        rows = list(sheet.iter_rows(values_only=True))
        assert list(rows[0]) == [c.header for c in report_table.columns]
        expected = list(report_table.sheet_rows())
        assert len(rows) - 1 == len(expected)
        for written, wanted in zip(rows[1:], expected, strict=True):
            for cell, value, column in zip(written, wanted, report_table.columns, strict=True):
                if isinstance(value, Decimal) and column.kind == PERCENT:
                    assert Decimal(str(cell)) * 100 == value  # 34.86 % is the fraction 0.3486
                elif isinstance(value, Decimal):
                    assert Decimal(str(cell)) == value
                elif column.kind == MONTH:
                    assert cell.date() == value  # a real date (the month's first day), shown ต.ค. 69
                else:
                    assert cell == (value if value != "" else None)


def _queries(client, url, params):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("params", "computed", "cached"),
    [
        ({"fy": 2570, "month": 6}, 16, 6),
        ({"fy": 2570, "month": 6, "province": "50"}, 16, 7),
        ({"fy": 2570, "month": 6, "project": "first"}, 16, 7),
    ],
)
def test_dashboard_query_count_does_not_grow_with_the_data(client, people, params, computed, cached):
    """Computed: session, user, roles, years, the filter's own check; the version and the targets; one
    query per table, the totals, the months and the targets; the narrowed filter lists. From the cache:
    all but the tables, totals and lists."""
    from django.core.cache import caches

    generate_year(projects=1)
    client.force_login(people["report_viewer"])
    if params.get("project") == "first":
        params = {**params, "project": Project.objects.order_by("code").first().pk}
    url = reverse("reports:budget")
    small = (_queries(client, url, params), _queries(client, url, params))
    generate_year(seed=1, projects=5, prefix="H")  # more projects, units and months of data
    caches["pages"].clear()
    big = (_queries(client, url, params), _queries(client, url, params))
    assert small == big == (computed, cached)


def test_a_cached_dashboard_changes_with_the_data_and_with_the_scope(client, people):
    generate_year(projects=2)
    client.force_login(people["report_viewer"])
    url = reverse("reports:budget")
    first = client.get(url, {"fy": 2570, "month": 12}).context["body"]
    again = client.get(url, {"fy": 2570, "month": 12})
    assert again.context["body"] == first and "total" not in again.context  # from the cache
    # Any write, however made, gives the year a new version: the page is computed again.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE progress_disbursement SET disbursed = disbursed + 1 WHERE id = "
                       "(SELECT MIN(id) FROM progress_disbursement)")  # fmt: skip
    flush_figures()
    changed = client.get(url, {"fy": 2570, "month": 12})
    assert changed.context["body"] != first
    assert changed.context["total"].disbursed == sum(f.disbursed[11] for f in AssignmentFigures.objects.all())
    # Another scope never sees the country's page.
    client.force_login(people["province_user"])
    own = client.get(url, {"fy": 2570, "month": 12})
    assert own.context["body"] != changed.context["body"]
    assert own.context["total"].allocated < changed.context["total"].allocated
    # Renaming a project shows at once.
    Project.objects.filter(code="G00").update(name="โครงการเปลี่ยนชื่อ")
    client.force_login(people["report_viewer"])
    assert "โครงการเปลี่ยนชื่อ" in client.get(url, {"fy": 2570, "month": 12}).content.decode()
