import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from tracking import thaicalendar as tc


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2025, 9, 30), 2568),
        (dt.date(2025, 10, 1), 2569),
        (dt.date(2026, 9, 30), 2569),
        (dt.date(2026, 10, 1), 2570),
        (dt.date(2026, 11, 22), 2570),
        (dt.date(2024, 2, 29), 2567),
        (dt.date(2026, 1, 1), 2569),
    ],
)
def test_fiscal_year_is_named_by_the_buddhist_year_it_ends_in(day, expected):
    assert tc.fiscal_year(day) == expected


def test_fiscal_year_of_an_aware_datetime_uses_bangkok_time():
    # 30 Sep 2026 18:00 UTC is already 1 Oct 2026 01:00 in Bangkok.
    moment = dt.datetime(2026, 9, 30, 18, 0, tzinfo=dt.UTC)
    assert tc.fiscal_year(moment) == 2570


def test_fiscal_year_bounds():
    assert tc.fiscal_year_bounds(2569) == (dt.date(2025, 10, 1), dt.date(2026, 9, 30))


def test_fiscal_months_run_october_to_september():
    months = tc.fiscal_months(2569)
    assert [(m.year, m.month) for m in months] == [
        (2025, 10), (2025, 11), (2025, 12),
        (2026, 1), (2026, 2), (2026, 3), (2026, 4), (2026, 5), (2026, 6),
        (2026, 7), (2026, 8), (2026, 9),
    ]  # fmt: skip
    assert [m.index for m in months] == list(range(1, 13))
    with translation.override("th"):
        assert [m.short_name for m in months][:3] == ["ต.ค.", "พ.ย.", "ธ.ค."]
        assert months[-1].short_name == "ก.ย."
        assert months[0].label == "ต.ค. 68"
        assert months[3].label == "ม.ค. 69"


def test_fiscal_month_of_a_date():
    month = tc.fiscal_month_of(dt.date(2024, 2, 29))
    assert (month.fiscal_year, month.index, month.month) == (2567, 5, 2)
    assert tc.fiscal_month_of(dt.date(2025, 10, 1)).index == 1
    assert tc.fiscal_month_of(dt.date(2026, 9, 30)).index == 12


def test_thai_dates_in_buddhist_era():
    with translation.override("th"):
        assert tc.format_date(dt.date(2026, 11, 22)) == "22 พ.ย. 2569"
        assert tc.format_date(dt.date(2026, 11, 22), long=True) == "22 พฤศจิกายน 2569"
        assert tc.format_date(dt.date(2024, 2, 29)) == "29 ก.พ. 2567"
        assert tc.format_date(None) == ""


def test_english_dates_stay_common_era():
    with translation.override("en"):
        assert tc.format_date(dt.date(2026, 11, 22)) == "22 Nov 2026"
        assert tc.format_date(dt.date(2026, 11, 22), long=True) == "22 November 2026"


def test_times_and_datetimes_in_bangkok():
    moment = dt.datetime(2026, 11, 22, 7, 5, tzinfo=dt.UTC)  # 14.05 in Bangkok
    with translation.override("th"):
        assert tc.format_time(moment) == "14.05 น."
        assert tc.format_datetime(moment) == "22 พ.ย. 2569 14.05 น."
        assert tc.format_time(None) == ""
    with translation.override("en"):
        assert tc.format_time(moment) == "14:05"


def test_datetime_near_midnight_shows_the_bangkok_date():
    moment = dt.datetime(2026, 9, 30, 17, 30, tzinfo=dt.UTC)  # 00.30 on 1 Oct in Bangkok
    with translation.override("th"):
        assert tc.format_date(moment) == "1 ต.ค. 2569"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1234567.5"), "1,234,567.50"),
        (Decimal("0.005"), "0.01"),
        (Decimal("-0.001"), "0.00"),
        (Decimal("-1500"), "-1,500.00"),
        (12, "12.00"),
        ("999999999999.99", "999,999,999,999.99"),
        (None, ""),
        ("", ""),
    ],
)
def test_baht(value, expected):
    assert tc.format_baht(value) == expected


def test_baht_refuses_floats_and_garbage():
    with pytest.raises(TypeError):
        tc.format_baht(1.1)
    with pytest.raises(ValueError):
        tc.format_baht("หนึ่งร้อย")
