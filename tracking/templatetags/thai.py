"""Template filters for Buddhist-era dates and baht: ``{% load thai %}``."""

import functools

from django import template
from django.utils.translation import get_language

from tracking import thaicalendar

register = template.Library()


@register.filter
def thdate(value):
    """``22 พ.ย. 2569``"""
    return thaicalendar.format_date(value)


@register.filter
def thdate_long(value):
    """``22 พฤศจิกายน 2569``"""
    return thaicalendar.format_date(value, long=True)


@register.filter
def thtime(value):
    """``14.05 น.``"""
    return thaicalendar.format_time(value)


@register.filter
def thdatetime(value):
    """``22 พ.ย. 2569 14.05 น.``"""
    return thaicalendar.format_datetime(value)


@register.filter
def baht(value):
    """``1,234,567.50``"""
    return thaicalendar.format_baht(value)


@register.filter
def num(value, places=2):
    """``12,345.67`` (``|num:0`` for whole numbers)."""
    return thaicalendar.format_number(value, int(places))


@register.filter
def qty(value):
    """``1,234`` or ``12.5``: a count or quantity, no ``.00``."""
    return thaicalendar.format_quantity(value)


@register.filter
def fiscal_year(value):
    """The Buddhist-era fiscal year of a date."""
    if value in (None, ""):
        return ""
    return thaicalendar.fiscal_year(value)


@register.filter
def pct(value):
    """``85.25`` for a percentage; ``–`` where there is none (no budget or no plan yet)."""
    if value is None or value == "":
        return "–"
    return thaicalendar.format_number(value, 2)


@register.filter
def choice(obj, field):
    """``{{ row|choice:"status" }}``: what ``row.get_status_display`` shows, for rows in a loop.

    Django's method builds the field's choices anew on each call, for every row of a table. The
    labels are kept per model, field and language.
    """
    value = getattr(obj, field)
    return choice_labels(type(obj), field).get(value, value)


def choice_labels(model, field: str) -> dict:
    """{value: label} of a model field's choices in the active language, built once per language."""
    return _choice_labels(model, field, get_language())


@functools.cache
def _choice_labels(model, field: str, language: str | None) -> dict:
    return {key: str(label) for key, label in model._meta.get_field(field).flatchoices}
