from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tracking.xlsx import COUNT, DATETIME, NUMBER, TEXT, Column, Sheet, download_names, workbook_response
from workload.models import Answer, Questionnaire
from workload.selectors import hours_expression


def answers_workbook_response(questionnaire: Questionnaire):
    """All answers of a fiscal year, one row per district office and question, read in chunks."""
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
    return workbook_response(
        **download_names(gettext_lazy("Workload answers"), questionnaire.fiscal_year),
        sheets=[
            Sheet(
                title=_("Workload %(fy)s") % {"fy": questionnaire.fiscal_year},
                columns=columns,
                rows=((*row[:11], yes if row[11] else no, row[11]) for row in rows),
            )
        ],
    )
