"""Fiscal years and months read from the query string, in one place.

A year or month in a URL someone typed or crafted (``?fy=-1``, ``?fy=99999999999``, ``?month=x``)
is a page that does not exist, 404, never an error of the calendar or of the database (an integer
out of range). Every view that reads ``fy``/``month``/``year`` from the query string goes through
here; the filter forms that read them bound their fields with the same range.
"""

from django.http import Http404

from tracking.forms import NumberTypingError, normalise_number
from tracking.thaicalendar import current_fiscal_year

# Fiscal years the site knows, Buddhist era: the range the tables' check constraints allow.
FISCAL_YEAR_MIN = 2500
FISCAL_YEAR_MAX = 2700


def _whole(text: str) -> int:
    """A whole number typed as people type them (๒๕๗๐, 2,570), else 404."""
    try:
        text = normalise_number(text, whole=True)
    except NumberTypingError:
        raise Http404 from None
    if not text.isascii() or not text.isdigit() or len(text) > 6:  # also refuses "-1", "+1", "1_0"
        raise Http404
    return int(text)


def fiscal_year_param(request, name: str = "fy", default: int | None = None) -> int:
    """The fiscal year given as ``?fy=``, else ``default`` (today's fiscal year); 404 when it is
    not a Buddhist-era year the site can hold."""
    text = request.GET.get(name, "")
    if not text:
        return current_fiscal_year() if default is None else default
    year = _whole(text)
    if not FISCAL_YEAR_MIN <= year <= FISCAL_YEAR_MAX:
        raise Http404
    return year


def month_param(request, name: str = "month", default: int = 12) -> int:
    """The month of the fiscal year (1 = October … 12 = September) given as ``?month=``, else
    ``default``; 404 when it is not 1–12."""
    text = request.GET.get(name, "")
    if not text:
        return default
    month = _whole(text)
    if not 1 <= month <= 12:
        raise Http404
    return month
