"""Thai government calendar and money: fiscal years, Buddhist-era dates, baht.

The fiscal year (ปีงบประมาณ) runs 1 October – 30 September and is named by
the Buddhist-era year it ends in: 1 Oct 2025 – 30 Sep 2026 is FY 2569.
Dates are stored as ordinary dates and only shown in the Buddhist era.
"""

from __future__ import annotations

import datetime as dt
import functools
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import NamedTuple

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

BE_OFFSET = 543
FISCAL_YEAR_START_MONTH = 10

MONTHS_SHORT = [
    pgettext_lazy("month abbreviation", "Jan"),
    pgettext_lazy("month abbreviation", "Feb"),
    pgettext_lazy("month abbreviation", "Mar"),
    pgettext_lazy("month abbreviation", "Apr"),
    pgettext_lazy("month abbreviation", "May"),
    pgettext_lazy("month abbreviation", "Jun"),
    pgettext_lazy("month abbreviation", "Jul"),
    pgettext_lazy("month abbreviation", "Aug"),
    pgettext_lazy("month abbreviation", "Sep"),
    pgettext_lazy("month abbreviation", "Oct"),
    pgettext_lazy("month abbreviation", "Nov"),
    pgettext_lazy("month abbreviation", "Dec"),
]
MONTHS_LONG = [
    pgettext_lazy("month name", "January"),
    pgettext_lazy("month name", "February"),
    pgettext_lazy("month name", "March"),
    pgettext_lazy("month name", "April"),
    pgettext_lazy("month name", "May"),
    pgettext_lazy("month name", "June"),
    pgettext_lazy("month name", "July"),
    pgettext_lazy("month name", "August"),
    pgettext_lazy("month name", "September"),
    pgettext_lazy("month name", "October"),
    pgettext_lazy("month name", "November"),
    pgettext_lazy("month name", "December"),
]
TIME_SUFFIX = _("h")


def _uses_buddhist_era(language: str | None = None) -> bool:
    """Thai shows Buddhist-era years; ``language``: the active one when not given."""
    return (language or translation.get_language() or "th").startswith("th")


def be_year(ce_year: int) -> int:
    return ce_year + BE_OFFSET


def ce_year(be_year_: int) -> int:
    return be_year_ - BE_OFFSET


# --- fiscal years ---------------------------------------------------------


def fiscal_year(day: dt.date) -> int:
    """The Buddhist-era fiscal year a date falls in (1 Oct 2025 → 2569)."""
    if isinstance(day, dt.datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    ce = day.year + 1 if day.month >= FISCAL_YEAR_START_MONTH else day.year
    return be_year(ce)


def current_fiscal_year() -> int:
    return fiscal_year(timezone.localdate())


def fiscal_year_bounds(fy: int) -> tuple[dt.date, dt.date]:
    """First and last day of a Buddhist-era fiscal year."""
    end_ce = ce_year(fy)
    return dt.date(end_ce - 1, 10, 1), dt.date(end_ce, 9, 30)


class FiscalMonth(NamedTuple):
    fiscal_year: int
    index: int  # 1 = October … 12 = September
    year: int  # Common Era calendar year of the month
    month: int  # 1–12

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def short_name(self) -> str:
        return str(MONTHS_SHORT[self.month - 1])

    @property
    def label(self) -> str:
        """``ต.ค. 68``: month and two-digit year, as Thai reports head columns."""
        year = be_year(self.year) if _uses_buddhist_era() else self.year
        return f"{self.short_name} {year % 100:02d}"


def fiscal_months(fy: int) -> list[FiscalMonth]:
    """The twelve months of a fiscal year in order, October to September."""
    start, _end = fiscal_year_bounds(fy)
    months = []
    for index in range(12):
        month0 = start.month - 1 + index
        months.append(
            FiscalMonth(
                fiscal_year=fy, index=index + 1, year=start.year + month0 // 12, month=month0 % 12 + 1
            )
        )
    return months


def fiscal_month_of(day: dt.date) -> FiscalMonth:
    fy = fiscal_year(day)
    return fiscal_months(fy)[(day.month - FISCAL_YEAR_START_MONTH) % 12]


def report_due_date(fy: int, month: int, due_day: int) -> dt.date:
    """The day a fiscal month's report falls due: ``due_day`` of the calendar month after it
    (month 1, October 2568, with day 5 → 5 November 2568). Callers read ``due_day`` from the
    fiscal year's reporting calendar (progress.completeness.due_date)."""
    fm = fiscal_months(fy)[month - 1]
    year, month_ = (fm.year + 1, 1) if fm.month == 12 else (fm.year, fm.month + 1)
    return dt.date(year, month_, due_day)


# --- display --------------------------------------------------------------


@functools.cache
def _month_names(language: str, long: bool) -> tuple[str, ...]:
    """The twelve month names in ``language`` (the active one), translated once per process."""
    return tuple(str(name) for name in (MONTHS_LONG if long else MONTHS_SHORT))


def format_date(value: dt.date | None, long: bool = False) -> str:
    """``22 พ.ย. 2569`` (or ``22 พฤศจิกายน 2569`` when long); '' for None."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        value = (timezone.localtime(value) if timezone.is_aware(value) else value).date()
    return _date_text(value, translation.get_language() or "th", long)


@functools.lru_cache(maxsize=4096)
def _date_text(day: dt.date, language: str, long: bool) -> str:
    """Tables repeat the same few days in every row: each is written once per language."""
    names = _month_names(language, long)
    year = be_year(day.year) if _uses_buddhist_era(language) else day.year
    return f"{day.day} {names[day.month - 1]} {year}"


def format_time(value: dt.datetime | dt.time | None) -> str:
    """``14.05 น.`` in Thai, ``14:05`` in English."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    if _uses_buddhist_era():
        return f"{value.hour:02d}.{value.minute:02d} {TIME_SUFFIX}"
    return f"{value.hour:02d}:{value.minute:02d}"


def format_datetime(value: dt.datetime | None) -> str:
    if value is None or value == "":
        return ""
    return f"{format_date(value)} {format_time(value)}"


CENT = Decimal("0.01")


def ratio(part, whole) -> Decimal | None:
    """``part`` ÷ ``whole``: two decimals rounded half up; None when there is no base to divide by
    (pages show a dash). percent() and every other shown quotient (FTE) round through it."""
    if part is None or not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(CENT, rounding=ROUND_HALF_UP)


def percent(part, whole) -> Decimal | None:
    """``part`` as a percentage of ``whole``: two decimals rounded half up; None when there is no
    base to divide by (pages show a dash). The one definition every page, export and e-mail uses."""
    return ratio(None if part is None else Decimal(part) * 100, whole)


def format_number(value, places: int = 2) -> str:
    """``12,345.67``: thousands separators and a fixed number of decimals, rounded half up."""
    if value is None or value == "":
        return ""
    if isinstance(value, float):
        value = Decimal(str(value))
    quantum = Decimal(1).scaleb(-places)
    amount = Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
    if amount == 0:
        amount = abs(amount)
    return f"{amount:,.{places}f}"


def format_quantity(value) -> str:
    """``1,234`` or ``12.5``: a count or quantity with separators and no ``.00``; None and '' give ''."""
    if value is None or value == "":
        return ""
    if isinstance(value, float):
        value = Decimal(str(value))
    number = Decimal(value)
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number.normalize():,f}"


def format_baht(value) -> str:
    """``1,234,567.50``: thousands separators and two decimals, rounded half up.

    Takes Decimal, int or numeric strings; floats are refused because money is
    never a float here. None and '' give ''.
    """
    if value is None or value == "":
        return ""
    if isinstance(value, float):
        raise TypeError("money must be Decimal, not float")
    try:
        amount = Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"not an amount: {value!r}") from exc
    if amount == 0:
        amount = abs(amount)  # no "-0.00"
    return f"{amount:,.2f}"
