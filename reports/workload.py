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

from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.db.models import Count, F, Q, Subquery, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import access
from reports.charts import Bar, HBarChart, Segment, StackedChart, StackRow
from reports.tables import COUNT, NUMBER, PERCENT, QUANTITY, Column, Table
from tracking.thaicalendar import percent
from workload.models import Aspect, SubmissionFigures, covering
from workload.selectors import Progress, complete_condition, question_totals

ZERO = Decimal(0)


def submissions_for(user, questionnaire, province=None):
    """The year's district submissions this user may see, as their figures (kept by PostgreSQL)."""
    figures = SubmissionFigures.objects.filter(
        access.dla_report_scope(user), questionnaire=questionnaire
    ).with_coverage()
    if province is not None:
        figures = figures.filter(office__province=province)
    return figures


def _counts(totals: list[int]) -> dict:
    """Offices, how many are covered by another, and of the others how many recorded anything, are
    complete, were confirmed; and the five exclusive states the chart shows (confirmed / complete /
    partly recorded / nothing yet / recorded with another office)."""
    own = Q(is_covered=False)
    recorded = Q(answered_total__gt=0) & own
    complete = complete_condition(totals) & own
    confirmed, open_ = Q(is_confirmed=True), Q(is_confirmed=False)
    return {
        "offices": Count("pk"),
        "covered": Count("pk", filter=Q(is_covered=True)),
        "recorded": Count("pk", filter=recorded),
        "complete": Count("pk", filter=complete),
        "confirmed": Count("pk", filter=confirmed),
        "state_complete": Count("pk", filter=open_ & complete),
        "state_partial": Count("pk", filter=open_ & recorded & ~complete),
        "state_empty": Count("pk", filter=open_ & own & ~recorded),
        "hours": Sum("total_hours", default=ZERO),
    }


def _expected(row) -> int:
    """The offices that record for themselves: the base of the percentage confirmed."""
    return row["offices"] - row.get("covered", 0)


def _fte(hours, yearly_hours) -> Decimal:
    return (Decimal(hours) / Decimal(yearly_hours)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _status_segments(row) -> list[Segment]:
    return [
        Segment(_("Confirmed"), row.get("confirmed", 0), "seg-confirmed"),
        Segment(_("Complete, not yet confirmed"), row.get("state_complete", 0), "seg-complete"),
        Segment(_("Partly recorded"), row.get("state_partial", 0), "seg-partial"),
        Segment(_("Nothing recorded"), row.get("state_empty", 0), "seg-empty"),
        Segment(_("Recorded with another office"), row.get("covered", 0), "seg-covered"),
    ]


def _office_status(row, question_counts) -> str:
    if row["is_covered"]:
        return _("Recorded together with %(office)s") % {"office": row["covered_by_name"]}
    if row["is_confirmed"]:
        return _("Confirmed")
    if Progress(answered=list(row["answered_by_aspect"]), totals=list(question_counts)).all_complete:
        return _("Complete")
    return _("Partly recorded") if row["has_any"] else _("Nothing recorded")


def report(user, questionnaire, province=None) -> dict:
    question_counts = question_totals(questionnaire)
    total_questions = sum(question_counts)
    yearly = questionnaire.yearly_hours
    submissions = submissions_for(user, questionnaire, province)
    counts = _counts(question_counts)
    totals = submissions.aggregate(**counts)
    totals["label"] = province.name_th if province else _("Whole country")
    base = reverse("reports:workload")

    def province_url(code):
        return f"{base}?{urlencode({'fy': questionnaire.fiscal_year, 'province': code})}"

    status_columns = [
        Column(_("District offices"), lambda r: r["offices"], COUNT, width=10),
        Column(_("Recorded with another office"), lambda r: r["covered"], COUNT, width=12),
        Column(_("Recorded"), lambda r: r["recorded"], COUNT, width=10),
        Column(_("Complete"), lambda r: r["complete"], COUNT, width=10),
        Column(_("Confirmed"), lambda r: r["confirmed"], COUNT, width=10),
        Column(_("Percent confirmed"), lambda r: percent(r["confirmed"], _expected(r)), PERCENT, width=10),
        Column(_("Hours per year"), lambda r: r["hours"], QUANTITY),
        Column(_("FTE"), lambda r: _fte(r["hours"], yearly), NUMBER, width=10),
    ]
    tables, charts = [], {}
    if province is None:
        by_province = list(
            submissions.values(
                "office__province__code", "office__province__name_th", "office__province__name_sort"
            )
            .annotate(**counts)
            .order_by("office__province__name_sort")
        )
        for row in by_province:
            row["label"] = row["office__province__name_th"]
            row["fte_per_office"] = _fte(row["hours"], yearly * row["offices"]) if row["offices"] else None
        tables.append(
            Table(
                key="provinces",
                sheet=_("By province"),
                title=_("Recording, confirmation and FTE by province"),
                columns=[
                    Column(
                        _("Province"),
                        lambda r: r["label"],
                        link=lambda r: (
                            province_url(r["office__province__code"]) if "office__province__code" in r else ""
                        ),
                        width=20,
                    ),
                    *status_columns,
                    Column(_("FTE per district office"), lambda r: r.get("fte_per_office"), NUMBER, width=12),
                ],
                rows=by_province,
                footer=totals,
            )
        )
        charts["status"] = StackedChart(
            title=_("District offices by province: recorded, complete and confirmed"),
            rows=[
                StackRow(
                    r["label"],
                    r["offices"],
                    _status_segments(r),
                    href=province_url(r["office__province__code"]),
                )
                for r in by_province
            ],
            legend=_status_segments({}),
        )
        charts["fte"] = HBarChart(
            title=_("FTE by province"),
            bars=[
                Bar(r["label"], _fte(r["hours"], yearly), href=province_url(r["office__province__code"]))
                for r in by_province
            ],
            scale=0,
            unit="",
            marks=(),
        )
    else:
        offices = list(
            submissions.annotate(
                covered_by_name=Subquery(
                    covering("questionnaire_id", "office__district_id", "submission_id").values(
                        "submission__office__short_name"
                    )[:1]
                )
            )
            .values(
                "pk",
                "is_covered",
                "covered_by_name",
                "office__name_th",
                "office__name_sort",
                "office__code",
                "answered_total",
                "answered_by_aspect",
                "total_hours",
                "is_confirmed",
            )
            .order_by("office__name_sort")
        )
        for row in offices:
            row["label"] = row["office__name_th"]
            row["answered"], row["hours"], row["has_any"] = (
                row["answered_total"],
                row["total_hours"],
                row["answered_total"] > 0,
            )
            row["status"] = _office_status(row, question_counts)
            row["fte"] = _fte(row["hours"], yearly)
            row["answered_percent"] = percent(row["answered"], total_questions)
        tables.append(
            Table(
                key="offices",
                sheet=_("By district office"),
                title=_("District offices of %(province)s") % {"province": province.name_th},
                columns=[
                    Column(_("District office"), lambda r: r["label"], width=30),
                    Column(_("Status"), lambda r: r["status"], width=24),
                    Column(_("Questions answered"), lambda r: r["answered"], COUNT, width=10),
                    Column(_("Percent answered"), lambda r: r["answered_percent"], PERCENT, width=10),
                    Column(_("Hours per year"), lambda r: r["hours"], QUANTITY),
                    Column(_("FTE"), lambda r: r["fte"], NUMBER, width=10),
                ],
                rows=offices,
                row_css=lambda r: "" if r["is_confirmed"] or r["has_any"] or r["is_covered"] else "behind",
                legend=(("behind", _("Nothing recorded yet")),),
            )
        )
        charts["fte"] = HBarChart(
            title=_("FTE by district office"),
            bars=[Bar(r["label"], r["fte"]) for r in offices],
            scale=0,
            unit="",
            marks=(),
        )
        tables.insert(
            0,
            Table(
                key="summary",
                sheet=_("Summary"),
                title=_("Recording and confirmation"),
                columns=[Column(_("Province"), lambda r: r["label"], width=20), *status_columns],
                rows=[totals],
            ),
        )

    aspects = Aspect.objects.filter(questionnaire=questionnaire).order_by("number")
    sums = submissions.aggregate(
        **{f"hours_{n}": Sum(F(f"hours_by_aspect__{n - 1}"), default=ZERO) for n in range(1, 9)},
        **{f"answers_{n}": Sum(F(f"answered_by_aspect__{n - 1}"), default=0) for n in range(1, 9)},
    )
    by_aspect = [
        {
            "label": f"{aspect.number}. {aspect.title}",
            "answers": sums[f"answers_{aspect.number}"],
            "hours": sums[f"hours_{aspect.number}"],
        }
        for aspect in aspects
    ]
    for row in by_aspect:
        row["fte"] = _fte(row["hours"], yearly)
        row["share"] = percent(row["hours"], sum((r["hours"] for r in by_aspect), ZERO))
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
            rows=by_aspect,
        )
    )
    charts["aspects"] = HBarChart(
        title=_("Hours per year by aspect (FTE)"),
        bars=[Bar(r["label"], r["fte"]) for r in by_aspect],
        scale=0,
        unit="",
        marks=(),
    )
    return {"tables": tables, "charts": charts, "totals": totals, "total_questions": total_questions}
