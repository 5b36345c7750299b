"""``{% load reporting %}``: the symbol of a monthly report's state and the legend of all of them."""

from django import template
from django.utils.html import format_html

from progress.completeness import SYMBOLS, ReportState

register = template.Library()


@register.simple_tag
def report_symbol(state):
    """The state's symbol, its label as the title and as the text read aloud."""
    symbol, css = SYMBOLS[state]
    label = ReportState(state).label
    return format_html('<span class="rs {}" title="{}" aria-label="{}">{}</span>', css, label, label, symbol)


@register.inclusion_tag("progress/_report_legend.html")
def report_legend():
    return {"states": list(ReportState)}
