"""The project tabs' prepared queries give what their querysets give, for any project and month."""

import pytest

from progress import selectors
from progress.tests.data import expected_indicators_met, generate_year


@pytest.fixture
def data(db):
    return generate_year(projects=2)


def by_project(data) -> dict:
    projects = {}
    for row in data.rows:
        projects.setdefault(row.assignment.activity.project, []).append(row)
    return projects


def test_same_rows_as_the_querysets(data):
    projects = [project.pk for project in by_project(data)]
    assert list(selectors.LATEST_RESULTS.build(project=projects[0], month=12)), "the data should have results"
    for project in projects * 2:  # the second round runs the SQL built in the first
        for month in (1, 6, 12):
            assert selectors.LATEST_RESULTS(project=project, month=month) == list(
                selectors.LATEST_RESULTS.build(project=project, month=month)
            )
        assert selectors.UNIT_TARGETS(project=project) == list(selectors.UNIT_TARGETS.build(project=project))
        for prepared in selectors.TAB_ROWS.values():
            assert prepared(project=project) == list(prepared.build(project=project))


def test_standing_counts_the_indicators_met(data):
    for project, rows in by_project(data).items():
        for month in (3, 12):
            met = sum(row["met"] for row in selectors.indicator_standing(project, month))
            assert met == sum(expected_indicators_met(row, month) for row in rows)
