import pytest

from projects.models import ActivityUnit
from projects.tests.conftest import make_project, people  # noqa: F401 - shared fixtures


@pytest.fixture
def assignment(make_project):
    """A budget-act project's activity assigned to Chiang Mai and Chiang Rai; the Chiang Mai assignment."""
    project = make_project(code="B-1", source="budget_act", units=("ALRO-P50", "ALRO-P57"))
    return ActivityUnit.objects.select_related("activity__project", "unit").get(
        activity__project=project, unit__code="ALRO-P50"
    )


@pytest.fixture
def fund_assignment(make_project):
    project = make_project(code="F-1", source="land_reform_fund", units=("ALRO-P50",))
    return ActivityUnit.objects.select_related("activity__project", "unit").get(activity__project=project)
