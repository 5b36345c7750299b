"""The outlier statistic on small data sets whose medians and MADs are worked out by hand."""

from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from tracking import outliers
from tracking.outliers import HIGH, LOW, Comparison, Stats, mad, median, peer_flag, stats_of

PEERS = Comparison(
    high=_("%(ratio)s times the median of other district offices"),
    low=_("%(percent)s%% below the median of other district offices"),
    far_high=_("Far above the median of other district offices (%(reference)s)"),
)
LAST_YEAR = Comparison(
    high=_("%(ratio)s times last year's value"),
    low=_("%(percent)s%% below last year's value"),
    far_high=_("Far above last year's value (%(reference)s)"),
)


def test_median_of_odd_and_even_counts_ignores_none():
    assert median([5, 1, 3]) == 3
    assert median([4, 1, 3, 2]) == 2.5
    assert median([None, 7, None]) == 7
    assert median([]) is None
    assert median([None]) is None


def test_mad_is_scaled_median_of_absolute_deviations():
    # median 3; deviations 2, 1, 0, 1, 97 → median 1; × 1.4826
    assert mad([1, 2, 3, 4, 100]) == pytest.approx(1.4826)
    # median 5; deviations 3, 3, 1, 1, 5, 15 → sorted 1 1 3 3 5 15 → median 3
    assert mad([2, 8, 4, 6, 10, 20]) == pytest.approx(3 * 1.4826)
    assert mad([7, 7, 7, 7]) == 0


def test_robust_z_and_ratio():
    stats = stats_of([10, 12, 9, 11, 10, 100])
    # median 10.5; deviations .5 1.5 1.5 .5 .5 89.5 → median 1.0
    assert stats == Stats(median=10.5, mad=pytest.approx(1.4826), count=6)
    assert outliers.robust_z(100, stats) == pytest.approx(89.5 / 1.4826)
    assert outliers.robust_z(None, stats) is None
    assert outliers.ratio(21, 10.5) == 2
    assert outliers.ratio(5, 0) is None
    assert outliers.ratio(None, 3) is None


def test_value_far_above_peers_is_flagged_with_its_ratio():
    stats = stats_of([10, 12, 9, 11, 10, 62])
    flag = peer_flag(62, stats, PEERS)
    assert flag.direction == HIGH
    assert flag.ratio == pytest.approx(62 / 10.5)
    with translation.override("th"):
        assert flag.reason == "สูงกว่าค่ากลางของอำเภออื่น 5.9 เท่า"


def test_value_far_below_peers_is_flagged_as_a_percentage():
    stats = stats_of([100, 104, 96, 101, 99, 2])
    flag = peer_flag(2, stats, PEERS)
    assert flag.direction == LOW
    with translation.override("th"):
        assert flag.reason == "ต่ำกว่าค่ากลางของอำเภออื่น 98%"


def test_a_value_near_a_tight_median_is_not_flagged_even_with_a_large_z():
    # median 100, MAD 1.48: 130 has z ≈ 20 but is only 1.3 times the median
    stats = stats_of([99, 100, 101, 100, 99, 101, 130])
    assert outliers.robust_z(130, stats) > outliers.Z_LIMIT
    assert peer_flag(130, stats, PEERS) is None


def test_fewer_than_five_peers_never_flag():
    stats = stats_of([1, 1, 1, 1000])
    assert stats.count == 4
    assert peer_flag(1000, stats, PEERS) is None
    assert peer_flag(1000, None, PEERS) is None


def test_mad_zero_falls_back_to_the_ratio_rule():
    stats = stats_of([10, 10, 10, 10, 10, 60])
    assert stats.mad == 0
    assert peer_flag(60, stats, PEERS).ratio == 6
    assert peer_flag(50, stats, PEERS) is None  # exactly 5 times: not beyond
    assert peer_flag(1, stats, PEERS).direction == LOW
    assert peer_flag(2, stats, PEERS) is None  # exactly one fifth


def test_all_zero_peers_never_flag_and_zero_is_a_value():
    stats = stats_of([0, 0, 0, 0, 0, 0, 9])
    assert stats.median == 0 and stats.mad == 0
    assert peer_flag(9, stats, PEERS) is None
    # zero among values above zero is a value, far below
    stats = stats_of([0, 50, 52, 48, 51, 49])
    assert peer_flag(0, stats, PEERS).direction == LOW
    assert peer_flag(None, stats, PEERS) is None


def test_a_median_of_zero_with_spread_flags_by_z_alone():
    # (with values of 0 and above a median of 0 means a MAD of 0; a balance can go below 0)
    stats = stats_of([-3, -2, -1, 0, 0, 1, 2, 3, 40])
    assert stats.median == 0 and stats.mad == pytest.approx(2 * 1.4826)
    flag = peer_flag(40, stats, PEERS)
    assert flag.ratio is None
    with translation.override("th"):
        assert flag.reason == "สูงกว่าค่ากลางของอำเภออื่นมาก (ค่ากลาง 0.00)"


def test_history_flags_a_rise_or_a_drop_of_a_factor_three():
    with translation.override("th"):
        assert outliers.history_flag(40, 10, LAST_YEAR).reason == "สูงกว่าปีที่แล้ว 4.0 เท่า"
        assert outliers.history_flag(20, 100, LAST_YEAR).reason == "ต่ำกว่าปีที่แล้ว 80%"
    assert outliers.history_flag(29, 10, LAST_YEAR) is None
    assert outliers.history_flag(0, 10, LAST_YEAR).direction == LOW
    assert outliers.history_flag(10, 0, LAST_YEAR) is None  # nothing to compare with
    assert outliers.history_flag(10, None, LAST_YEAR) is None
    assert outliers.history_flag(None, 10, LAST_YEAR) is None
    assert outliers.history_flag(8, 2, LAST_YEAR, floor=10) is None  # small counts


def test_same_value_compares_numbers_not_types():
    assert outliers.same_value(Decimal("12.50"), 12.5)
    assert not outliers.same_value(Decimal("12.50"), Decimal("12.51"))
    assert not outliers.same_value(None, 1)


@pytest.mark.django_db
def test_group_stats_in_sql_equal_the_pure_statistic():
    from accounts.models import OrgUnit

    # Any table will do: the org units' ids grouped by agency.
    rows = OrgUnit.objects.filter(agency__in=["dla", "alro"])
    expected = {}
    for agency, pk in rows.values_list("agency", "pk"):
        expected.setdefault(agency, []).append(pk)
    computed = outliers.group_stats(rows, "agency", "pk")
    assert set(computed) == set(expected)
    for agency, values in expected.items():
        stats = stats_of(values)
        assert computed[agency].median == pytest.approx(stats.median)
        assert computed[agency].mad == pytest.approx(stats.mad)
        assert computed[agency].count == stats.count


def test_group_stats_reads_in_one_query(db, django_assert_num_queries):
    from accounts.models import OrgUnit

    with django_assert_num_queries(1):
        outliers.group_stats(OrgUnit.objects.all(), "kind", "pk")
