"""The performance tab's indicator standing, for any project and month."""

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


def test_standing_counts_the_indicators_met(data):
    for project, rows in by_project(data).items():
        for month in (3, 12):
            met = sum(row["met"] for row in selectors.indicator_standing(project, month))
            assert met == sum(expected_indicators_met(row, month) for row in rows)
