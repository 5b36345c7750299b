import datetime as dt

import pytest
from django import forms

from tracking.forms import ThaiDateField


class DateForm(forms.Form):
    day = ThaiDateField()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("22/11/2569", dt.date(2026, 11, 22)),
        ("1/10/2568", dt.date(2025, 10, 1)),
        ("29-2-2567", dt.date(2024, 2, 29)),
        ("2026-11-22", dt.date(2026, 11, 22)),
    ],
)
def test_buddhist_era_dates_are_read(typed, expected):
    form = DateForm({"day": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == expected


@pytest.mark.parametrize("typed", ["22/11/2026", "31/2/2569", "29/2/2568", "tomorrow", "22/13/2569"])
def test_bad_dates_are_refused(typed):
    form = DateForm({"day": typed})
    assert not form.is_valid()


def test_dates_are_shown_in_buddhist_era():
    form = DateForm(initial={"day": dt.date(2026, 11, 22)})
    assert 'value="22/11/2569"' in str(form["day"])


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("1,234.50", "1234.50"), ("๑,๒๓๔.๕๐", "1234.50"), ("2 500 000 บาท", "2500000"), ("0", "0")],
)
def test_thai_numbers_are_read(typed, expected):
    from decimal import Decimal

    from tracking.forms import ThaiDecimalField

    assert ThaiDecimalField(max_digits=15, decimal_places=2).clean(typed) == Decimal(expected)


def test_garbage_numbers_are_refused():
    from tracking.forms import ThaiDecimalField

    with pytest.raises(forms.ValidationError):
        ThaiDecimalField(max_digits=15, decimal_places=2).clean("หนึ่งพัน")


# --- text of invisible characters only --------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["\u200b", "\u200b\u200c\u200d", "\u2060", "\ufeff", "\u00a0\u00a0", " \u3164 "]
)
def test_text_of_invisible_characters_only_is_not_filled_in(text):
    with pytest.raises(forms.ValidationError) as refused:
        forms.CharField().clean(text)
    assert refused.value.code == "required"
    assert forms.CharField(required=False).clean(text) == ""


@pytest.mark.parametrize("text", ["ก\u200bข", "👩\u200d💻", "สมชาย", "\u0e31"])
def test_visible_text_with_invisible_characters_is_kept_as_typed(text):
    assert forms.CharField().clean(text) == text


def test_passwords_are_not_touched():
    assert forms.CharField(strip=False).clean("\u200b") == "\u200b"
