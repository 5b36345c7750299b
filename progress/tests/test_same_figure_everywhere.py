"""One assigned unit's money and percentages are the same on the unit progress list, the project page,
the assignment drill-down and the budget dashboard's table by activity and unit, and equal to a
recomputation from the raw rows the generator wrote (issue 16, B1: the list once mixed carried-over
money in while the drill-down kept it apart)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from progress.tests.data import expected_money, generate_year
from reports import dashboards
from reports.selectors import Filters
from tracking.thaicalendar import percent

MONTHS = (1, 5, 12)


@pytest.fixture
def data(db):
    return generate_year(projects=2)


def listed(client, month) -> dict:
    """The progress list's rows of ``month``, every page, by assigned unit."""
    rows, page = {}, 1
    while True:
        response = client.get(reverse("progress:index"), {"fy": 2570, "month": month, "page": page})
        for row in response.context["page"].object_list:
            rows[row.activity_unit_id] = row.shown
        if not response.context["page"].has_next():
            return rows
        page += 1


def test_each_units_money_is_the_same_on_every_page_and_equals_the_raw_rows(client, people, data):
    user = people["admin_all"]
    client.force_login(user)
    assert any(row.transfers and any(carried for *_, carried in row.transfers) for row in data.rows), (
        "the data should carry money over, the case the pages once disagreed on"
    )
    for month in MONTHS:
        on_list = listed(client, month)
        assert set(on_list) == {row.assignment.pk for row in data.rows}
        for row in data.rows:
            au = row.assignment
            want = expected_money([row], month, data.fiscal_year)
            shown = on_list[au.pk]
            # the unit progress list
            assert (shown.received, shown.disbursed, shown.figures.allocated) == (
                want["received"],
                want["disbursed"],
                want["allocated"],
            ), (au.pk, month)
            assert (shown.received_carried, shown.disbursed_carried) == (
                want["received_carried"],
                want["disbursed_carried"],
            ), (au.pk, month)
            assert shown.of_received == percent(want["disbursed"], want["received"])
            assert shown.of_allocated == percent(want["disbursed"], want["allocated"])
            # the drill-down (its page and its .xlsx share the table)
            drill = client.get(reverse("reports:assignment", args=[au.pk]), {"month": month})
            month_row = drill.context["table"].rows[month - 1]
            assert (month_row["received_to_date"], month_row["disbursed_to_date"]) == (
                want["received"],
                want["disbursed"],
            )
            assert month_row["carried_to_date"] == want["disbursed_carried"]
            assert (month_row["of_received"], month_row["of_allocated"]) == (
                shown.of_received,
                shown.of_allocated,
            )
        # the project page and the budget dashboard, a project at a time
        for project in {row.assignment.activity.project for row in data.rows}:
            page = client.get(reverse("progress:project", args=[project.pk]), {"month": month})
            on_page = {figures.pk: figures.shown for figures in page.context["figures"]}
            filters = Filters(fiscal_year=data.fiscal_year, month=month, project=project)
            [table] = [t for t in dashboards.budget(user, filters)["tables"] if t.key == "assignments"]
            on_dashboard = {line.key: line for line in table.rows}
            assert set(on_page) == set(on_dashboard)
            for pk, figures in on_page.items():
                line = on_dashboard[pk]
                assert (figures.received, figures.disbursed) == (on_list[pk].received, on_list[pk].disbursed)
                assert (line.received, line.disbursed, line.allocated) == (
                    figures.received,
                    figures.disbursed,
                    figures.figures.allocated,
                )
                assert (line.of_received, line.of_allocated) == (figures.of_received, figures.of_allocated)
                assert line.disbursed_carried == figures.disbursed_carried


def test_a_percentage_is_rounded_half_up_everywhere(db):
    assert percent(Decimal("1.0005"), Decimal(1)) == Decimal("100.05")
    assert percent(Decimal(1), Decimal(0)) is None
