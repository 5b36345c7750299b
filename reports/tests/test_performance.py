"""The performance dashboard: output and steps against plan, indicators, standings, scope, queries."""

import io
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from projects.models import Project
from reports.tests.conftest import (
    assert_typed_sheets,
    expected_indicators_met,
    expected_money,
    expected_output_percent,
    expected_step_percent,
    generate_year,
)

pytestmark = pytest.mark.django_db
CENT = Decimal("0.01")


def table(response, key):
    return next(t for t in response.context["tables"] if t.key == key)


def rounded(value):
    return None if value is None else Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def mean_steps(rows, month):
    return sum((expected_step_percent(r, month) for r in rows), Decimal(0)) / len(rows)


@pytest.mark.parametrize("month", [2, 7, 12])
def test_performance_equals_independent_sums(client, people, month):
    data = generate_year()
    client.force_login(people["report_viewer"])
    response = client.get(reverse("reports:performance"), {"fy": 2570, "month": month})
    assert response.status_code == 200
    total = response.context["total"]
    assert total.output_percent == rounded(expected_output_percent(data.rows, month))
    assert total.step_percent == rounded(mean_steps(data.rows, month))
    assert total.indicators_met == sum(expected_indicators_met(r, month) for r in data.rows)
    assert total.indicator_count == len(data.rows)
    money = expected_money(data.rows, month, 2570)
    assert total.disbursed_percent == rounded(money["disbursed"] * 100 / money["allocated"])
    for row in table(response, "projects").rows:
        rows = [r for r in data.rows if r.assignment.activity.project_id == row.key]
        assert row.output_percent == rounded(expected_output_percent(rows, month))
        assert row.step_percent == rounded(mean_steps(rows, month))


def test_units_behind_plan_are_counted_and_highlighted(client, people):
    data = generate_year()
    client.force_login(people["report_viewer"])
    response = client.get(reverse("reports:performance"), {"fy": 2570, "month": 12})
    behind = 0
    for row in data.rows:
        planned = sum((q for _m, (q, _s) in row.plan.items()), Decimal(0))
        done = sum(row.results.values(), Decimal(0))
        behind += planned > 0 and done < planned * Decimal("0.8")
    assert response.context["total"].behind == behind > 0
    units = table(response, "units")
    standings = {line.css for line in units.body}
    assert standings <= {"on_plan", "slightly_behind", "behind", ""}
    for line, row in zip(units.body, units.rows, strict=True):
        score = row.output_percent
        expected = (
            ""
            if score is None
            else "on_plan"
            if score >= 100
            else "slightly_behind"
            if score >= 80
            else "behind"
        )
        assert line.css == expected
    assert (
        'class="behind"' in response.content.decode()
        or 'class="slightly_behind"' in response.content.decode()
    )
    ranks = [row.rank for row in units.rows if row.rank]
    assert ranks == list(range(1, len(ranks) + 1))
    scores = [row.output_percent for row in units.rows if row.output_percent is not None]
    assert scores == sorted(scores, reverse=True)


def test_a_project_shows_its_activities_and_assignments(client, people):
    data = generate_year()
    project = Project.objects.order_by("code").first()
    client.force_login(people["report_viewer"])
    response = client.get(reverse("reports:performance"), {"fy": 2570, "month": 12, "project": project.pk})
    activities = table(response, "activities").rows
    assert [a.extra["activity__order"] for a in activities] == [1, 2]
    lines = table(response, "assignments")
    assert len(lines.rows) == len([r for r in data.rows if r.assignment.activity.project_id == project.pk])
    for row in lines.rows:
        source = next(r for r in data.rows if r.assignment.pk == row.key)
        assert row.extra["performance"].indicators_met == expected_indicators_met(source, 12)
        assert row.extra["performance"].step_percent == rounded(expected_step_percent(source, 12))


@pytest.mark.parametrize(
    ("name", "condition"),
    [("province_user_b", {"province_code": "57"}), ("finance_budget", {"source": "budget_act"})],
)
def test_scope_applies_to_performance_too(client, people, name, condition):
    data = generate_year()
    client.force_login(people[name])
    response = client.get(reverse("reports:performance"), {"fy": 2570, "month": 12})
    assert response.context["total"].output_percent == rounded(
        expected_output_percent(data.where(**condition), 12)
    )


def test_performance_query_count_is_pinned(client, people):
    from django.core.cache import caches

    generate_year(projects=1)
    client.force_login(people["report_viewer"])
    url = reverse("reports:performance")

    def count():
        with CaptureQueriesContext(connection) as queries:
            client.get(url, {"fy": 2570, "month": 6})
        return len(queries)

    small = (count(), count())
    generate_year(seed=5, projects=5, prefix="H")
    caches["pages"].clear()
    # Computed: session, user, roles, years, version, targets; total, projects, units; three filter
    # lists. From the cache: the first six.
    assert small == (count(), count()) == (12, 6)


def test_performance_export_opens_with_the_same_rows(client, people):
    generate_year(projects=2)
    client.force_login(people["report_viewer"])
    response = client.get(reverse("reports:performance_xlsx"), {"fy": 2570, "month": 12})

    assert 'filename="Performance-FY2570-to-Sep-2027.xlsx"' in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    page = client.get(reverse("reports:performance"), {"fy": 2570, "month": 12})
    assert workbook.sheetnames == [t.sheet for t in page.context["tables"]]
    assert_typed_sheets(workbook, page.context["tables"])
    units = table(page, "units")
    sheet = list(workbook[units.sheet].iter_rows(values_only=True))
    assert len(sheet) == len(units.rows) + 2  # header, rows, total
