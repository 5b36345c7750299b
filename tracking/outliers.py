"""Outlier flags: is a reported value far from its peers or from its own history?

A robust statistic, so that one wild value does not hide itself: the median and the median
absolute deviation (MAD, scaled by 1.4826 so that it estimates the standard deviation of
normally distributed data). A value's robust z-score is (value − median) / MAD.

The rules (one home, used by the DLA province review and the ALRO month review):

* **peers** (the same question or indicator in other units of the same kind): no flag with
  fewer than ``MIN_PEERS`` values. When MAD > 0 a value is flagged when |z| > ``Z_LIMIT``
  *and* it is at least ``PEER_RATIO`` times (or at most 1/``PEER_RATIO`` of) the median, so
  that a tight distribution does not flag a value 1.2 times its median; when the median is 0
  the z-score alone decides. When MAD = 0 (at least half the peers gave the same value) the
  z-score is undefined and the ratio alone decides: above ``FLAT_RATIO`` times or below
  1/``FLAT_RATIO`` of a median above 0; a median of 0 with MAD 0 never flags.
* **history** (the same unit's own earlier value, or the median of its earlier months): flagged
  at ``HISTORY_RATIO`` times or more, or 1/``HISTORY_RATIO`` or less, of an earlier value
  above 0; values whose larger side is below ``floor`` (small counts) are not compared.

None is "not reported" and never flags nor counts as a peer; 0 is a value.
A flag never blocks anything: pages show it beside the value with its reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.db import connection
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy

MAD_SCALE = 1.4826
MIN_PEERS = 5
Z_LIMIT = 3.5
PEER_RATIO = 2.0
FLAT_RATIO = 5.0
HISTORY_RATIO = 3.0

HIGH, LOW = "high", "low"


# --- the statistic, pure ------------------------------------------------------------------


def _numbers(values: Iterable) -> list[float]:
    return sorted(float(v) for v in values if v is not None)


def median(values: Iterable) -> float | None:
    """The median of the values that are not None; None when there are none."""
    numbers = _numbers(values)
    if not numbers:
        return None
    middle = len(numbers) // 2
    if len(numbers) % 2:
        return numbers[middle]
    return (numbers[middle - 1] + numbers[middle]) / 2


def mad(values: Iterable, center: float | None = None) -> float | None:
    """Median absolute deviation from ``center`` (the median by default), scaled by 1.4826."""
    numbers = _numbers(values)
    if not numbers:
        return None
    if center is None:
        center = median(numbers)
    return MAD_SCALE * median(abs(v - center) for v in numbers)


@dataclass(frozen=True)
class Stats:
    """Median, scaled MAD and number of values of a group of peers."""

    median: float
    mad: float
    count: int


def stats_of(values: Iterable) -> Stats | None:
    numbers = _numbers(values)
    if not numbers:
        return None
    center = median(numbers)
    return Stats(median=center, mad=mad(numbers, center), count=len(numbers))


def robust_z(value, stats: Stats | None) -> float | None:
    """(value − median) / MAD; None when it cannot be computed (no value, no peers, MAD 0)."""
    if value is None or stats is None or not stats.mad:
        return None
    return (float(value) - stats.median) / stats.mad


def ratio(value, reference) -> float | None:
    """value ÷ reference; None without a value or when the reference is not above 0."""
    if value is None or reference is None or float(reference) <= 0:
        return None
    return float(value) / float(reference)


# --- flags -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """What a value was compared with, in the words a reviewer reads (lazy translations with
    %(ratio)s and %(percent)s placeholders)."""

    high: str
    low: str
    far_high: str  # when the reference is 0 and no ratio can be given


@dataclass(frozen=True)
class Flag:
    comparison: Comparison
    direction: str  # HIGH or LOW
    value: float
    reference: float
    ratio: float | None
    z: float | None = None

    @property
    def reason(self) -> str:
        if self.ratio is None:
            reference = _rounded(self.reference, "0.01")
            return str(self.comparison.far_high) % {"reference": number_format(reference)}
        if self.direction == HIGH:
            return str(self.comparison.high) % {"ratio": number_format(_rounded(self.ratio, "0.1"))}
        percent = _rounded((1 - self.ratio) * 100, "1")
        return str(self.comparison.low) % {"percent": number_format(percent)}


def _rounded(number: float, places: str) -> Decimal:
    """Half up, as every figure of the site (number_format would cut the digits off)."""
    return Decimal(repr(number)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def peer_flag(value, stats: Stats | None, comparison: Comparison) -> Flag | None:
    """Is ``value`` far from its peers (whose statistics, the value itself included, are given)?"""
    if value is None or stats is None or stats.count < MIN_PEERS:
        return None
    value = float(value)
    r = ratio(value, stats.median)
    direction = HIGH if value > stats.median else LOW
    if stats.mad:
        z = robust_z(value, stats)
        if abs(z) <= Z_LIMIT:
            return None
        if r is not None and 1 / PEER_RATIO < r < PEER_RATIO:
            return None
        return Flag(comparison, direction, value, stats.median, r, z)
    if r is None or 1 / FLAT_RATIO <= r <= FLAT_RATIO:
        return None
    return Flag(comparison, direction, value, stats.median, r)


def history_flag(value, previous, comparison: Comparison, *, floor: float = 0) -> Flag | None:
    """Is ``value`` far from the same unit's earlier ``previous`` value?"""
    r = ratio(value, previous)
    if r is None or max(float(value), float(previous)) < floor:
        return None
    if r >= HISTORY_RATIO:
        return Flag(comparison, HIGH, float(value), float(previous), r)
    if r <= 1 / HISTORY_RATIO:
        return Flag(comparison, LOW, float(value), float(previous), r)
    return None


def same_value(a, b) -> bool:
    """Is a value checked at ``b`` still ``a``? (A check stops counting once the value changes.)"""
    if a is None or b is None:
        return a is b
    return Decimal(str(a)) == Decimal(str(b))


# --- the same statistic in PostgreSQL, for large groups of peers -----------------------------


# PEERS: the SQL of a query of (group, value) rows.
GROUP_STATS_SQL = """
    WITH peers(g, v) AS (PEERS),
         centre AS (SELECT g, percentile_cont(0.5) WITHIN GROUP (ORDER BY v::float) AS m, count(*) AS n
                    FROM peers WHERE v IS NOT NULL GROUP BY g)
    SELECT c.g, c.m, c.n, percentile_cont(0.5) WITHIN GROUP (ORDER BY abs(p.v::float - c.m))
    FROM peers p JOIN centre c ON c.g = p.g
    WHERE p.v IS NOT NULL
    GROUP BY c.g, c.m, c.n
"""


def group_stats(queryset, group: str, value: str) -> dict:
    """Median, scaled MAD and count of ``value`` per ``group`` over the queryset's rows, computed by
    PostgreSQL in one statement (the peer rows never leave the database).

    ``queryset`` is filtered by the caller (its scope); ``group`` and ``value`` are field names or
    annotations of it. The median of the deviations needs each group's median first, so the
    statement wraps the queryset's own SQL in two steps.
    """
    inner = queryset.order_by().values_list(group, value)
    sql, params = inner.query.sql_with_params()
    statement = GROUP_STATS_SQL.replace("PEERS", sql)  # nosec B608: the queryset's own compiled SQL
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return {g: Stats(median=m, mad=MAD_SCALE * d, count=n) for g, m, n, d in cursor.fetchall()}


# --- marking a flagged value as checked ---------------------------------------------------------


class CheckForm(forms.Form):
    """Mark one flagged value as checked: which value (``subject``, the page's own key), the value
    the reviewer saw, and a note. Kept here with the rules so that both reviews post the same."""

    subject = forms.CharField(widget=forms.HiddenInput, max_length=40)
    seen = forms.DecimalField(widget=forms.HiddenInput, max_digits=24, decimal_places=4)
    note = forms.CharField(
        label=gettext_lazy("Note"),
        max_length=2000,
        widget=forms.TextInput(
            attrs={"placeholder": gettext_lazy("What was checked, e.g. confirmed by phone")}
        ),
    )
