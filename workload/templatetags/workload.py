"""``{% load workload %}``: the status symbol of an aspect (✔ ◐ ✖, and ↪ for an office recorded together
with another), written once rather than included."""

from functools import cache

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()

SYMBOLS = {
    "complete": ("st-complete", "✔"),
    "incomplete": ("st-incomplete", "◐"),
    "empty": ("st-empty", "✖"),
    "covered": ("st-covered", "↪"),
}


@cache
def _symbol(status: str, language: str):
    """Four statuses in two languages: each symbol's HTML is built once per process."""
    titles = {
        "complete": _("Recorded completely"),
        "incomplete": _("Recorded partly"),
        "empty": _("Nothing recorded"),
        "covered": _("Recorded together with another district office"),
    }
    css, symbol = SYMBOLS[status]
    title = titles[status]
    return format_html('<span class="st {}" title="{}" aria-label="{}">{}</span>', css, title, title, symbol)


def _known(status) -> str:
    return status if status in SYMBOLS else "empty"


@register.filter
def status_symbol(status):
    """One aspect's symbol (the status page, the office menu, the legend)."""
    return _symbol(_known(status), get_language())


@cache
def _cells(statuses: tuple, language: str):
    cells = ((number, status, _symbol(status, language)) for number, status in enumerate(statuses, start=1))
    return format_html_join("", '<td class="center" data-fig="status-{}" data-status="{}">{}</td>', cells)


@register.filter
def status_cells(statuses):
    """The eight aspect cells of a district's row in one go: a province's table repeats only a few
    combinations, so each is built once per process instead of eight symbols per row."""
    return _cells(tuple(_known(status) for status in statuses), get_language())
