from collections.abc import Callable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tracking.xlsx import COUNT, DATETIME, NUMBER, TEXT, Column, Sheet, download_names, workbook_response
from workload.models import Answer, Questionnaire
from workload.selectors import hours_expression


def answers_workbook_response(questionnaire: Questionnaire):
    """All answers of a fiscal year as a download made while the request waits (reports.exports prepares
    the same workbook in the background)."""
    names, sheets = answers_workbook(questionnaire)
    return workbook_response(**names, sheets=sheets)


def answers_workbook(questionnaire: Questionnaire, progress: Callable[[int, int], None] | None = None):
    """The file names and the one sheet of all answers of a fiscal year, one row per district office and
    question, read in chunks. ``progress(rows_done, rows_total)`` is called every few thousand rows."""
    columns = [
        Column(_("Province"), TEXT, 16),
        Column(_("District office code"), TEXT, 12),
        Column(_("District office"), TEXT, 24),
        Column(_("Aspect"), COUNT, 8),
        Column(_("Question no."), COUNT, 10),
        Column(_("Question"), TEXT, 50),
        Column(_("Counting unit"), TEXT, 14),
        Column(_("Volume per year"), NUMBER),
        Column(_("Days per unit"), NUMBER),
        Column(_("Hours per unit"), NUMBER),
        Column(_("Hours per year"), NUMBER),
        Column(_("Confirmed"), TEXT, 10),
        Column(_("Confirmed at"), DATETIME),
    ]
    rows = (
        Answer.objects.filter(submission__questionnaire=questionnaire)
        .annotate(total_hours=hours_expression(questionnaire.hours_per_day))
        .order_by(
            "submission__office__province__name_sort",
            "submission__office__name_sort",
            "question__aspect__number",
            "question__order",
        )
        .values_list(
            "submission__office__province__name_th",
            "submission__office__code",
            "submission__office__name_th",
            "question__aspect__number",
            "question__order",
            "question__text",
            "question__unit",
            "volume",
            "days",
            "hours",
            "total_hours",
            "submission__confirmed_at",
        )
        .iterator(chunk_size=5000)
    )
    yes, no = _("yes"), _("no")
    rows = ((*row[:11], yes if row[11] else no, row[11]) for row in rows)
    if progress is not None:
        total = Answer.objects.filter(submission__questionnaire=questionnaire).count()
        rows = _counted(rows, total, progress)
    names = download_names(gettext_lazy("Workload answers"), questionnaire.fiscal_year)
    sheet = Sheet(title=_("Workload %(fy)s") % {"fy": questionnaire.fiscal_year}, columns=columns, rows=rows)
    return names, [sheet]


PROGRESS_EVERY = 5000


def _counted(rows, total: int, progress):
    done = 0
    for done, row in enumerate(rows, start=1):
        if done % PROGRESS_EVERY == 0:
            progress(done, total)
        yield row
    progress(done, total)
