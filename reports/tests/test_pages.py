"""The reports menu and the month-by-month page of one assigned unit."""

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from reports.tests.conftest import assert_typed_sheets, generate_year

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "alro", "dla"),
    [("report_viewer", True, True), ("province_user", True, False), ("confirmer", False, True),
     ("recorder", False, True), ("finance_fund", True, False)],
)  # fmt: skip
def test_the_menu_offers_the_reports_of_the_role(client, people, name, alro, dla):
    client.force_login(people[name])
    body = client.get(reverse("reports:index")).content.decode()
    assert (reverse("reports:budget") in body) is alro
    assert (reverse("reports:performance") in body) is alro
    assert (reverse("reports:workload") in body) is dla


def test_every_report_page_has_one_heading_and_prints(client, people):
    data = generate_year(projects=1)
    client.force_login(people["super"])
    au = data.rows[0].assignment
    for url in (reverse("reports:index"), reverse("reports:budget"), reverse("reports:performance"),
                reverse("reports:workload"), reverse("reports:targets"),
                reverse("reports:assignment", args=[au.pk])):  # fmt: skip
        body = client.get(url).content.decode()
        assert body.count("<h1") == 1, url
    body = client.get(reverse("reports:budget"), {"fy": 2570}).content.decode()
    assert "data-print" in body and 'class="card report"' in body


def test_one_assigned_unit_month_by_month(client, people):
    data = generate_year()
    row = next(r for r in data.rows if r.spent and r.results)
    client.force_login(people["report_viewer"])
    url = reverse("reports:assignment", args=[row.assignment.pk])
    response = client.get(url, {"month": 6})
    assert response.status_code == 200
    months = response.context["table"].rows
    assert len(months) == 6
    for month, line in enumerate(months, start=1):
        assert line["planned_quantity"] == row.plan[month][0]
        assert line["result_quantity"] == row.results.get(month, Decimal(0))
        spent = sum(
            (d for (m, _c, carried), (_cm, d) in row.spent.items() if m <= month and not carried), Decimal(0)
        )
        assert line["disbursed_to_date"] == spent
    export = client.get(reverse("reports:assignment_xlsx", args=[row.assignment.pk]), {"month": 6})
    code, unit = row.assignment.activity.project.code, row.assignment.unit.code
    assert f'filename="Assigned-unit-FY2570-to-Mar-2027-{code}-{unit}.xlsx"' in export["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    assert workbook.active.max_row == 7
    assert_typed_sheets(workbook, [response.context["table"]])
    assert client.get(url, {"month": 13}).status_code == 404
    assert client.get(url, {"month": "x"}).status_code == 404


def test_assignment_page_query_count_is_pinned(client, people):
    data = generate_year(projects=2)
    client.force_login(people["report_viewer"])
    url = reverse("reports:assignment", args=[data.rows[0].assignment.pk])
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    # session, user, roles, the figures with project, activity, unit and assignment; outlier flags:
    # the activity's figures, its indicator results, the month's checks
    assert len(queries) == 7
