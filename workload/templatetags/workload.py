"""``{% load workload %}``: the status symbol of an aspect (✔ ◐ ✖), written once rather than included."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()

SYMBOLS = {"complete": ("st-complete", "✔"), "incomplete": ("st-incomplete", "◐"), "empty": ("st-empty", "✖")}


@register.filter
def status_symbol(status):
    """A province's table has 8 per district office; an include each was a good part of the page."""
    titles = {
        "complete": _("Recorded completely"),
        "incomplete": _("Recorded partly"),
        "empty": _("Nothing recorded"),
    }
    css, symbol = SYMBOLS.get(status, SYMBOLS["empty"])
    title = titles.get(status, titles["empty"])
    return format_html('<span class="st {}" title="{}" aria-label="{}">{}</span>', css, title, title, symbol)
