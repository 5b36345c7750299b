"""``{% load reporting %}``: a month's report status, the symbol of a monthly report's state and the
legend of all of them."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from progress.completeness import SYMBOLS, ReportState

register = template.Library()

# A month's report status (None: not handed in): the classes of its words and of its symbol, the
# symbol, the words. The legend under the tables is progress/_report_status_legend.html.
REPORT_STATUS = {
    "accepted": ("report-status", "st st-complete", "✔", _("Accepted")),
    "submitted": ("report-status", "st st-complete", "●", _("Handed in, awaiting review")),
    "sent_back": ("report-status report-sent-back", "st st-empty", "↩", _("Sent back for correction")),
    None: ("report-status report-none", "st", "○", _("Not handed in")),
}


@register.simple_tag
def report_status(status):
    """``{% report_status report.status %}``: the status as a symbol and words. A tag, not an include:
    the progress list shows one a row."""
    css, symbol_css, symbol, words = REPORT_STATUS.get(status, REPORT_STATUS[None])
    html = '<span class="{}"><span class="{}" aria-hidden="true">{}</span> {}</span>'
    return format_html(html, css, symbol_css, symbol, words)


@register.simple_tag
def report_symbol(state):
    """The state's symbol, its label as the title and as the text read aloud."""
    symbol, css = SYMBOLS[state]
    label = ReportState(state).label
    return format_html('<span class="rs {}" title="{}" aria-label="{}">{}</span>', css, label, label, symbol)


@register.inclusion_tag("progress/_report_legend.html")
def report_legend():
    return {"states": list(ReportState)}
