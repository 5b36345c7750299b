"""tracking.prepared (workload still uses it): a prepared query gives what its queryset gives."""

from decimal import Decimal

import pytest

from projects.models import Indicator, IndicatorTarget
from tracking.prepared import PreparedValues


@pytest.fixture
def projects(make_project):
    small = make_project("P-01", activities=1, units=("ALRO-P50",))
    big = make_project("P-02", activities=3)
    for activity in big.activities.all():
        indicator = Indicator.objects.create(
            activity=activity, name="เกษตรกรได้รับการจัดที่ดิน", unit_of_measure="ราย", target=Decimal("120.5")
        )
        for share, au in zip((Decimal("80.25"), Decimal("40.25")), activity.units.all(), strict=True):
            IndicatorTarget.objects.create(indicator=indicator, activity_unit=au, target=share)
    return small, big


def test_an_argument_the_query_does_not_use_is_refused(db):
    prepared = PreparedValues(
        lambda project, month: Indicator.objects.filter(activity__project=project).values("pk")
    )
    with pytest.raises(ValueError, match="month"):
        prepared(project=1, month=2)


def test_a_constant_equal_to_a_marker_is_not_taken_for_the_argument(projects):
    big = projects[1]
    # 31001 is the first marker number: as a constant of the query it must stay as it is
    prepared = PreparedValues(
        lambda project: Indicator.objects.filter(activity__project=project, target__lt=31_001).values("pk")
    )
    expected = list(prepared.build(project=big.pk))
    assert expected
    assert prepared(project=big.pk) == expected
