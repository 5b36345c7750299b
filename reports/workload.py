"""The DLA's reports: recording, completeness and confirmation, hours by aspect, FTE by province and district.

Every figure is a grouped SQL aggregate over the district submissions the
user may see (accounts.access.dla_report_scope); a fixed number of queries
for any number of districts.

A district office recorded together with another (one of that office's districts covered) is
counted once: its district's work is in the covering office's record and hours; the office itself
shows as covered, is not counted as recorded, complete or missing, and is left out of the base of
the percentage confirmed. "Complete" is the rule confirmation applies
(workload.selectors.complete_condition).
"""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from reports.charts import Bar, HBarChart, Segment, StackedChart, StackRow
from reports.tables import COUNT, NUMBER, PERCENT, QUANTITY, Column, Table
from tracking.thaicalendar import percent
from workload.models import Aspect, SubmissionFigures, coverer_annotations, covering
from workload.selectors import complete_condition, fte, question_totals

ZERO = Decimal(0)


def submissions_for(user, questionnaire, province=None):
    """The year's district submissions this user may see in the reports, as their figures."""
    return SubmissionFigures.objects.in_report_scope(user).for_report(questionnaire, province)


def _counts(totals: list[int]) -> dict:
    """SubmissionFiguresQuerySet.status_counts() (offices, covered, recorded, complete, confirmed), the
    hours, and the five exclusive states the chart shows (confirmed / complete / partly recorded /
    nothing yet / recorded with another office)."""
    own = Q(is_covered=False)
    recorded = Q(answered_total__gt=0) & own
    complete = complete_condition(totals) & own
    open_ = Q(is_confirmed=False)
    return {
        **SubmissionFigures.objects.status_counts(totals),
        "state_complete": Count("pk", filter=open_ & complete),
        "state_partial": Count("pk", filter=open_ & recorded & ~complete),
        "state_empty": Count("pk", filter=open_ & own & ~recorded),
        "hours": Sum("total_hours", default=ZERO),
    }


def _expected(row) -> int:
    """The offices that record for themselves: the base of the percentage confirmed."""
    return row["offices"] - row.get("covered", 0)


def _percent_confirmed(row):
    return percent(row["confirmed"], _expected(row))


def _status_segments(row) -> list[Segment]:
    return [
        Segment(_("Confirmed"), row.get("confirmed", 0), "seg-confirmed"),
        Segment(_("Complete, not yet confirmed"), row.get("state_complete", 0), "seg-complete"),
        Segment(_("Partly recorded"), row.get("state_partial", 0), "seg-partial"),
        Segment(_("Nothing recorded"), row.get("state_empty", 0), "seg-empty"),
        Segment(_("Recorded with another office"), row.get("covered", 0), "seg-covered"),
    ]


def _office_status(row: SubmissionFigures, question_counts) -> str:
    if row.is_covered:
        return _("Recorded together with %(office)s") % {"office": row.covered_by_name}
    if row.is_confirmed:
        return _("Confirmed")
    if row.progress(question_counts).all_complete:
        return _("Complete")
    return _("Partly recorded") if row.answered_total > 0 else _("Nothing recorded")


# What the table of a province's district offices reads of each figures row and its office.
OFFICE_ROW_FIELDS = (
    "answered_by_aspect",
    "answered_total",
    "total_hours",
    "covered_count",
    "is_confirmed",
    "office__name_th",
    "office__code",
)


class _Report:
    """One report's inputs, shared by its steps: the year, the province (None: the whole country),
    the user's figures and the aggregate expressions they are counted with."""

    def __init__(self, user, questionnaire, province):
        self.questionnaire = questionnaire
        self.province = province
        self.question_counts = question_totals(questionnaire)
        self.yearly = questionnaire.yearly_hours
        self.submissions = submissions_for(user, questionnaire, province)
        self.counts = _counts(self.question_counts)
        self.base = reverse("reports:workload")

    def province_url(self, code) -> str:
        return f"{self.base}?{urlencode({'fy': self.questionnaire.fiscal_year, 'province': code})}"

    def totals(self) -> dict:
        totals = self.submissions.aggregate(**self.counts)
        totals["label"] = self.province.name_th if self.province else _("Whole country")
        return totals

    def status_columns(self) -> list[Column]:
        return [
            Column(_("District offices"), lambda r: r["offices"], COUNT, width=10),
            Column(_("Recorded with another office"), lambda r: r["covered"], COUNT, width=12),
            Column(_("Recorded"), lambda r: r["recorded"], COUNT, width=10),
            Column(_("Complete"), lambda r: r["complete"], COUNT, width=10),
            Column(_("Confirmed"), lambda r: r["confirmed"], COUNT, width=10),
            Column(_("Percent confirmed"), _percent_confirmed, PERCENT, width=10),
            Column(_("Hours per year"), lambda r: r["hours"], QUANTITY),
            Column(_("FTE"), lambda r: fte(r["hours"], self.yearly), NUMBER, width=10),
        ]

    def by_province(self, totals, tables, charts) -> None:
        """The whole country: a row, a bar of states and a bar of FTE per province."""
        rows = list(
            self.submissions.values(
                "office__province__code", "office__province__name_th", "office__province__name_sort"
            )
            .annotate(**self.counts)
            .order_by("office__province__name_sort")
        )
        for row in rows:
            row["label"] = row["office__province__name_th"]
            row["fte_per_office"] = fte(row["hours"], self.yearly * row["offices"])

        def link(row):
            return self.province_url(row["office__province__code"]) if "office__province__code" in row else ""

        tables.append(
            Table(
                key="provinces",
                sheet=_("By province"),
                title=_("Recording, confirmation and FTE by province"),
                columns=[
                    Column(_("Province"), lambda r: r["label"], link=link, width=20),
                    *self.status_columns(),
                    Column(_("FTE per district office"), lambda r: r.get("fte_per_office"), NUMBER, width=12),
                ],
                rows=rows,
                footer=totals,
            )
        )
        charts["status"] = StackedChart(
            title=_("District offices by province: recorded, complete and confirmed"),
            rows=[StackRow(r["label"], r["offices"], _status_segments(r), href=link(r)) for r in rows],
            legend=_status_segments({}),
        )
        charts["fte"] = HBarChart(
            title=_("FTE by province"),
            bars=[Bar(r["label"], fte(r["hours"], self.yearly), href=link(r)) for r in rows],
            scale=0,
            unit="",
            marks=(),
        )

    def by_office(self, totals, tables, charts) -> None:
        """One province: its summary row, then a row and a bar of FTE per district office."""
        total_questions = sum(self.question_counts)
        coverer = covering("questionnaire_id", "office__district_id", "submission_id")
        offices = (
            self.submissions.select_related("office")
            .only(*OFFICE_ROW_FIELDS)
            .annotate(**coverer_annotations(coverer, ("covered_by_name",)))
            .order_by("office__name_sort")
        )
        rows = []
        for figures in offices:
            rows.append(
                {
                    "figures": figures,
                    "label": figures.office.name_th,
                    "office__code": figures.office.code,
                    "status": _office_status(figures, self.question_counts),
                    "answered": figures.answered_total,
                    "answered_percent": percent(figures.answered_total, total_questions),
                    "hours": figures.total_hours,
                    "fte": fte(figures.total_hours, self.yearly),
                }
            )

        def behind(row):
            figures = row["figures"]
            return "" if figures.is_confirmed or figures.answered_total or figures.is_covered else "behind"

        tables.append(
            Table(
                key="summary",
                sheet=_("Summary"),
                title=_("Recording and confirmation"),
                columns=[Column(_("Province"), lambda r: r["label"], width=20), *self.status_columns()],
                rows=[totals],
            )
        )
        tables.append(
            Table(
                key="offices",
                sheet=_("By district office"),
                title=_("District offices of %(province)s") % {"province": self.province.name_th},
                columns=[
                    Column(_("District office"), lambda r: r["label"], width=30),
                    Column(_("Status"), lambda r: r["status"], width=24),
                    Column(_("Questions answered"), lambda r: r["answered"], COUNT, width=10),
                    Column(_("Percent answered"), lambda r: r["answered_percent"], PERCENT, width=10),
                    Column(_("Hours per year"), lambda r: r["hours"], QUANTITY),
                    Column(_("FTE"), lambda r: r["fte"], NUMBER, width=10),
                ],
                rows=rows,
                row_css=behind,
                legend=(("behind", _("Nothing recorded yet")),),
            )
        )
        charts["fte"] = HBarChart(
            title=_("FTE by district office"),
            bars=[Bar(r["label"], r["fte"]) for r in rows],
            scale=0,
            unit="",
            marks=(),
        )

    def by_aspect(self, tables, charts) -> None:
        """Answers, hours, FTE and share of the hours per aspect."""
        sums = self.submissions.aspect_sums()
        rows = []
        for aspect in Aspect.objects.filter(questionnaire=self.questionnaire).order_by("number"):
            answers, hours = sums[aspect.number - 1]
            rows.append(
                {
                    "label": f"{aspect.number}. {aspect.title}",
                    "answers": answers,
                    "hours": hours,
                    "fte": fte(hours, self.yearly),
                }
            )
        all_hours = sum((r["hours"] for r in rows), ZERO)
        for row in rows:
            row["share"] = percent(row["hours"], all_hours)
        tables.append(
            Table(
                key="aspects",
                sheet=_("By aspect"),
                title=_("Workload by aspect"),
                columns=[
                    Column(_("Aspect"), lambda r: r["label"], width=50),
                    Column(_("Answers"), lambda r: r["answers"], COUNT, width=10),
                    Column(_("Hours per year"), lambda r: r["hours"], QUANTITY),
                    Column(_("FTE"), lambda r: r["fte"], NUMBER, width=10),
                    Column(_("Share of hours (%)"), lambda r: r["share"], PERCENT, width=10),
                ],
                rows=rows,
            )
        )
        charts["aspects"] = HBarChart(
            title=_("Hours per year by aspect (FTE)"),
            bars=[Bar(r["label"], r["fte"]) for r in rows],
            scale=0,
            unit="",
            marks=(),
        )


def report(user, questionnaire, province=None) -> dict:
    """The tables and charts of the year's report, of the whole country or of one province."""
    steps = _Report(user, questionnaire, province)
    totals = steps.totals()
    tables, charts = [], {}
    if province is None:
        steps.by_province(totals, tables, charts)
    else:
        steps.by_office(totals, tables, charts)
    steps.by_aspect(tables, charts)
    return {
        "tables": tables,
        "charts": charts,
        "totals": totals,
        "total_questions": sum(steps.question_counts),
    }
