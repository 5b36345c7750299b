from django.utils.translation import gettext as _

from tracking.xlsx import xlsx_response
from workload.models import Answer, Questionnaire
from workload.selectors import hours_expression


def answers_workbook_response(questionnaire: Questionnaire):
    """All answers of a fiscal year, one row per district office and question, read in chunks."""
    headers = [
        _("Province"),
        _("District office code"),
        _("District office"),
        _("Aspect"),
        _("Question no."),
        _("Question"),
        _("Counting unit"),
        _("Volume per year"),
        _("Days per unit"),
        _("Hours per unit"),
        _("Hours per year"),
        _("Confirmed"),
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
    return xlsx_response(
        filename=f"workload-{questionnaire.fiscal_year}.xlsx",
        sheet_title=_("Workload %(fy)s") % {"fy": questionnaire.fiscal_year},
        headers=headers,
        rows=((*row[:11], yes if row[11] else no) for row in rows),
    )
