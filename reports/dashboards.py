"""What each ALRO dashboard shows: its tables and charts, built from the selectors' sums.

The same ``Table`` objects feed the page and the .xlsx export, so both carry
the same numbers. Links drill down by adding a filter to the current ones:
country → province → unit → project → assigned unit (activity × unit) → months.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import FundingSource, OrgUnit
from progress.models import OfficialRecord
from reports import selectors
from reports.charts import Bar, HBarChart, LineChart, Series
from reports.models import DisbursementTargets
from reports.tables import COUNT, MONEY, MONTH, NUMBER, PERCENT, QUANTITY, Column, Table
from tracking.thaicalendar import fiscal_months, percent

STANDING_LABELS = {
    "on_plan": gettext_lazy("On plan"),
    "slightly_behind": gettext_lazy("A little behind"),
    "behind": gettext_lazy("Behind plan"),
}
# Charts with more bars than this would not fit a page; their tables still list every row.
MAX_BARS = 80


def dashboard_url(name: str, filters: selectors.Filters, **changes) -> str:
    return f"{reverse(name)}?{urlencode(filters.as_query(**changes))}"


def assignment_url(activity_unit_id, filters: selectors.Filters) -> str:
    query = urlencode({"month": filters.month})
    return f"{reverse('reports:assignment', args=[activity_unit_id])}?{query}"


def breadcrumbs(name: str, filters: selectors.Filters, *, everything: bool) -> list[tuple[str, str]]:
    """Country › province › unit › project, each linking to its level (the last is the page itself).

    The top is the whole country for those who see all of it, else everything within their access.
    """
    top = _("Whole country") if everything else _("All within your access")
    trail = [(top, dashboard_url(name, filters, province=None, unit=None, project=None))]
    if filters.province is not None:
        trail.append((filters.province.name_th, dashboard_url(name, filters, unit=None, project=None)))
    if filters.unit is not None:
        trail.append((filters.unit.name_th, dashboard_url(name, filters, project=None)))
    if filters.project is not None:
        trail.append((f"{filters.project.code} {filters.project.name}", dashboard_url(name, filters)))
    return trail


def _money_columns(first: list[Column]) -> list[Column]:
    return [
        *first,
        Column(_("Allocated (baht)"), lambda r: r.allocated, MONEY),
        Column(_("Received (baht)"), lambda r: r.received, MONEY),
        Column(_("Committed (baht)"), lambda r: r.committed, MONEY),
        Column(_("Disbursed (baht)"), lambda r: r.disbursed, MONEY),
        Column(_("Share of received (%)"), lambda r: r.of_received, PERCENT, width=12),
        Column(_("Share of allocated (%)"), lambda r: r.of_allocated, PERCENT, width=12),
    ]


def budget(user, filters: selectors.Filters) -> dict:
    """The budget dashboard: tables, charts and headline figures, to the end of the chosen month."""
    rows = selectors.scoped_figures(user, filters)
    month = filters.month
    months = fiscal_months(filters.fiscal_year)
    total = selectors.budget_total(rows, month)
    series = selectors.monthly_series(rows, month)
    targets = DisbursementTargets.objects.filter(fiscal_year=filters.fiscal_year).first()
    quarters = selectors.quarter_standing(series, total, targets, month)
    tables = [
        _summary_table(total, months[month - 1]),
        _quarters_table(quarters, targets, months),
        _months_money_table(series, total, months),
    ]
    charts = {"scurve": _scurve(series, total, quarters, months)}
    breakdown, breakdown_charts = _budget_breakdowns(rows, filters, total)
    return {
        "total": total,
        "targets": targets,
        "quarters": quarters,
        "tables": tables + breakdown,
        "charts": charts | breakdown_charts,
        "month_label": months[month - 1].label,
        **as_of(user, filters, total, BUDGET_CHANGES, selectors.budget_total),
    }


def _summary_table(total: selectors.MoneyRow, month) -> Table:
    """This year's money, its investment part and carried-over money, each apart, to the end of ``month``."""
    summary_rows = [
        {
            "label": _("This year's budget"),
            "allocated": total.allocated,
            "received": total.received,
            "committed": total.committed,
            "disbursed": total.disbursed,
            "of_received": total.of_received,
            "of_allocated": total.of_allocated,
            "remaining": total.remaining,
        },
        {
            "label": _("of which investment (งบลงทุน)"),
            "allocated": total.allocated_investment,
            "received": None,
            "committed": None,
            "disbursed": total.disbursed_investment,
            "of_received": None,
            "of_allocated": total.investment_of_allocated,
            "remaining": total.allocated_investment - total.disbursed_investment,
        },
        {
            "label": _("Money carried over from last year (เงินกันเหลื่อมปี)"),
            "allocated": total.allocated_carried,
            "received": total.received_carried,
            "committed": None,
            "disbursed": total.disbursed_carried,
            "of_received": total.carried_of_received,
            "of_allocated": total.carried_of_allocated,
            "remaining": total.allocated_carried - total.disbursed_carried,
        },
    ]
    return Table(
        key="summary",
        sheet=_("Summary"),
        title=_("Budget and disbursement to the end of %(month)s") % {"month": month.label},
        columns=[
            Column(_("Money"), lambda r: r["label"], width=40),
            Column(_("Allocated (baht)"), lambda r: r["allocated"], MONEY),
            Column(_("Received (baht)"), lambda r: r["received"], MONEY),
            Column(_("Committed (baht)"), lambda r: r["committed"], MONEY),
            Column(_("Disbursed (baht)"), lambda r: r["disbursed"], MONEY),
            Column(_("Not yet disbursed (baht)"), lambda r: r["remaining"], MONEY),
            Column(_("Share of received (%)"), lambda r: r["of_received"], PERCENT, width=12),
            Column(_("Share of allocated (%)"), lambda r: r["of_allocated"], PERCENT, width=12),
        ],
        rows=summary_rows,
    )


def _quarters_table(quarters: list[dict], targets, months) -> Table:
    return Table(
        key="quarters",
        sheet=_("Quarterly targets"),
        title=_("Disbursement against the quarterly targets (percent of the allocation)"),
        columns=[
            Column(_("Quarter"), lambda r: r["quarter"], COUNT, width=10),
            Column(_("To the end of"), lambda r: months[r["month"] - 1].first_day, MONTH, width=12),
            Column(_("Target, whole budget (%)"), lambda r: r["target"], PERCENT),
            Column(_("Disbursed, whole budget (%)"), lambda r: r["actual"], PERCENT),
            Column(_("Target, investment (%)"), lambda r: r["investment_target"], PERCENT),
            Column(_("Disbursed, investment (%)"), lambda r: r["investment_actual"], PERCENT),
        ],
        rows=quarters,
        row_css=lambda r: "behind" if r["met"] is False or r["investment_met"] is False else "",
        legend=(("behind", _("Below the target, for the whole budget or for investment")),),
        note="" if targets else _("No quarterly targets have been entered for this fiscal year yet."),
    )


def _months_money_table(series: list[dict], total: selectors.MoneyRow, months) -> Table:
    return Table(
        key="months",
        sheet=_("By month"),
        title=_("Cumulative spending plan and disbursement by month"),
        columns=[
            Column(_("Month"), lambda r: months[r["month"] - 1].first_day, MONTH, width=12),
            Column(_("Planned spending to date (baht)"), lambda r: r["planned"], MONEY),
            Column(
                _("Plan, percent of allocated"), lambda r: percent(r["planned"], total.allocated), PERCENT
            ),
            Column(_("Disbursed to date (baht)"), lambda r: r["disbursed"], MONEY),
            Column(
                _("Disbursed, percent of allocated"),
                lambda r: percent(r["disbursed"], total.allocated),
                PERCENT,
            ),
            Column(_("Investment disbursed to date (baht)"), lambda r: r["disbursed_investment"], MONEY),
            Column(
                _("Investment, percent of its allocation"),
                lambda r: percent(r["disbursed_investment"], total.allocated_investment),
                PERCENT,
            ),
            Column(_("Received to date (baht)"), lambda r: r["received"], MONEY),
            Column(_("Carried-over money disbursed to date (baht)"), lambda r: r["disbursed_carried"], MONEY),
        ],
        rows=series,
    )


def _scurve(series: list[dict], total: selectors.MoneyRow, quarters: list[dict], months) -> LineChart:
    return LineChart(
        title=_("Cumulative disbursement against plan and targets (percent of the allocation)"),
        months=[m.short_name for m in months],
        series=[
            Series(
                _("Spending plan"), [percent(p["planned"], total.allocated) for p in series], "series-plan"
            ),
            Series(
                _("Disbursed, whole budget"),
                [percent(p["disbursed"], total.allocated) for p in series],
                "series-actual",
            ),
            Series(
                _("Disbursed, investment"),
                [percent(p["disbursed_investment"], total.allocated_investment) for p in series],
                "series-investment",
            ),
        ],
        targets=[
            (q["month"], q["target"], _("Target, quarter %(q)s") % {"q": q["quarter"]}) for q in quarters
        ],
    )


def _budget_breakdowns(rows, filters: selectors.Filters, total: selectors.MoneyRow) -> tuple[list, dict]:
    """The drill-down tables below the headline ones, each only where its level is not filtered to
    one row already: by money source, province (with its chart), unit, project, assigned unit."""
    month = filters.month
    url = lambda **changes: dashboard_url("reports:budget", filters, **changes)  # noqa: E731
    footer = selectors.MoneyRow(label=_("Total"), **_money(total))
    tables, charts = [], {}
    if not filters.source:
        tables.append(
            Table(
                key="sources",
                sheet=_("By money source"),
                title=_("By money source"),
                columns=_money_columns(
                    [Column(_("Money source"), lambda r: r.label, link=lambda r: url(source=r.key), width=30)]
                ),
                rows=selectors.budget_by_source(rows, month),
                footer=footer,
            )
        )
    if filters.province is None and filters.unit is None and filters.project is None:
        by_province = selectors.budget_by_province(rows, month)
        tables.append(
            Table(
                key="provinces",
                sheet=_("By province"),
                title=_("Provincial offices by province"),
                columns=_money_columns(
                    [Column(_("Province"), lambda r: r.label, link=lambda r: url(province=r.key), width=22)]
                ),
                rows=by_province,
            )
        )
        if by_province and len(by_province) <= MAX_BARS:
            charts["provinces"] = HBarChart(
                title=_("Disbursement by province (%)"),
                bars=[
                    Bar(r.label, r.of_received, href=url(province=r.key), second=r.of_allocated)
                    for r in by_province
                ],
                legend=((_("Share of received (%)"), "first"), (_("Share of allocated (%)"), "second")),
            )
    if filters.unit is None:
        tables.append(_units_table(rows, month, url, footer))
    if filters.project is None:
        tables.append(_projects_table(rows, month, url, footer))
    if filters.project is not None or filters.unit is not None:
        tables.append(assignment_table(rows, filters, money=True))
    return tables, charts


def _units_table(rows, month: int, url, footer) -> Table:
    kinds = dict(OrgUnit.Kind.choices)
    return Table(
        key="units",
        sheet=_("By unit"),
        title=_("Units ranked by the share of their allocation disbursed"),
        columns=_money_columns(
            [
                Column(_("Rank"), lambda r: r.rank, COUNT, width=8),
                Column(_("Unit"), lambda r: r.label, link=lambda r: url(unit=r.key), width=40),
                Column(_("Kind"), lambda r: kinds.get(r.extra.get("kind", ""), ""), width=22),
                Column(_("Province"), lambda r: r.extra.get("province", "") or "", width=16),
            ]
        ),
        rows=selectors.budget_by_unit(rows, month),
        footer=footer,
    )


def _projects_table(rows, month: int, url, footer) -> Table:
    sources = dict(FundingSource.choices)
    return Table(
        key="projects",
        sheet=_("By project"),
        title=_("By project"),
        columns=_money_columns(
            [
                Column(_("Code"), lambda r: r.extra.get("code", ""), width=10),
                Column(_("Project"), lambda r: r.label, link=lambda r: url(project=r.key), width=50),
                Column(_("Money source"), lambda r: sources.get(r.extra.get("source", ""), ""), width=22),
            ]
        ),
        rows=selectors.budget_by_project(rows, month),
        footer=footer,
    )


# What a new revision of a month's official figures is compared on, per dashboard.
BUDGET_CHANGES = (
    (gettext_lazy("Allocated (baht)"), "allocated", MONEY),
    (gettext_lazy("Received (baht)"), "received", MONEY),
    (gettext_lazy("Committed (baht)"), "committed", MONEY),
    (gettext_lazy("Disbursed (baht)"), "disbursed", MONEY),
    (gettext_lazy("Disbursed, percent of allocated"), "of_allocated", PERCENT),
    (gettext_lazy("Investment disbursed to date (baht)"), "disbursed_investment", MONEY),
    (gettext_lazy("Carried-over money disbursed to date (baht)"), "disbursed_carried", MONEY),
)
PERFORMANCE_CHANGES = (
    (gettext_lazy("Output, percent of plan"), "output_percent", PERCENT),
    (gettext_lazy("Steps completed (%)"), "step_percent", PERCENT),
    (gettext_lazy("Disbursed, percent of allocated"), "disbursed_percent", PERCENT),
    (gettext_lazy("Indicators met"), "indicators_met", COUNT),
    (gettext_lazy("Behind plan"), "behind", COUNT),
)


def as_of(user, filters: selectors.Filters, total, compared, summed) -> dict:
    """Which figures the page shows: the official record of a closed month (who closed it and, from
    revision 2 on, who reopened it, why, and what changed from the revision before), or the latest
    figures of a month that may still change."""
    if filters.official is None:
        return {"official": None, "changes": []}
    record = OfficialRecord.objects.select_related("closed_by", "reopening__reopened_by").get(
        pk=filters.official.pk
    )
    if record.revision == 1:
        return {"official": record, "changes": None}
    previous = OfficialRecord.objects.get(
        fiscal_year=record.fiscal_year, month=record.month, revision=record.revision - 1
    )
    before = summed(selectors.scoped_figures(user, filters, record=previous), filters.month)
    rows = []
    for label, name, _kind in compared:
        old, new = getattr(before, name), getattr(total, name)
        rows.append(
            {
                "label": label,
                "before": old,
                "now": new,
                "difference": None if None in (old, new) else new - old,
            }
        )
    changes = Table(
        key="revision",
        sheet=_("Changes from revision %(revision)s") % {"revision": previous.revision},
        title=_("What revision %(revision)s changed from revision %(previous)s")
        % {"revision": record.revision, "previous": previous.revision},
        columns=[
            Column(_("Figure"), lambda r: r["label"], width=40),
            Column(
                _("Revision %(revision)s") % {"revision": previous.revision}, lambda r: r["before"], NUMBER
            ),
            Column(_("Revision %(revision)s") % {"revision": record.revision}, lambda r: r["now"], NUMBER),
            Column(_("Difference"), lambda r: r["difference"], NUMBER),
        ],
        rows=rows,
        row_css=lambda r: "changed" if r["difference"] else "",
    )
    return {"official": record, "changes": changes}


def _money(row: selectors.MoneyRow) -> dict:
    names = ("allocated", "received", "committed", "disbursed", "assignments")
    return {name: getattr(row, name) for name in names}


def assignment_table(rows, filters, *, money: bool) -> Table:
    """One line per activity and unit: the deepest level before the months of one assigned unit."""
    lines = selectors.assignment_rows(rows, filters.month)
    first = [
        Column(_("Project"), lambda r: r.extra.get("project__code", ""), width=10),
        Column(_("Activity"), lambda r: r.label, width=40),
        Column(
            _("Unit"),
            lambda r: r.extra.get("unit__name_th", ""),
            link=lambda r: assignment_url(r.key, filters),
            width=36,
        ),
    ]
    if money:
        return Table(
            key="assignments",
            sheet=_("By activity and unit"),
            title=_("By activity and unit"),
            columns=_money_columns(first),
            rows=lines,
        )
    return Table(
        key="assignments",
        sheet=_("By activity and unit"),
        title=_("By activity and unit"),
        columns=[*first, *_performance_columns(lambda r: r.extra.get("performance", ""))],
        rows=lines,
        row_css=lambda r: r.extra.get("performance", "").standing,
    )


def _performance_columns(of=lambda r: r) -> list[Column]:
    return [
        Column(_("Output, percent of plan"), lambda r: of(r).output_percent, PERCENT, width=12),
        Column(_("Steps completed (%)"), lambda r: of(r).step_percent, PERCENT, width=12),
        Column(_("Disbursed, percent of allocated"), lambda r: of(r).disbursed_percent, PERCENT, width=12),
        Column(_("Indicators met"), lambda r: of(r).indicators_met, COUNT, width=10),
        Column(_("Indicators not met"), lambda r: of(r).indicators_not_met, COUNT, width=10),
        Column(_("Standing"), lambda r: STANDING_LABELS.get(of(r).standing, "–"), width=16),
    ]


def _numbered(row) -> str:
    order = row.extra.get("activity__order")
    return f"{order}. {row.label}" if order else row.label


def performance(user, filters: selectors.Filters) -> dict:
    """The performance dashboard: output and steps against plan beside disbursement, indicators."""
    rows = selectors.scoped_figures(user, filters)
    month = filters.month
    total = selectors.performance_total(rows, month)
    footer = selectors.PerformanceRow(**{**total.__dict__, "label": _("Total")})
    url = lambda **changes: dashboard_url("reports:performance", filters, **changes)  # noqa: E731
    section, charts = _performance_breakdown(rows, filters, footer, url)
    tables = [_performance_summary(total), section]
    if filters.unit is None:
        tables.append(_performance_ranking(rows, month, footer, url))
    if filters.project is not None or filters.unit is not None:
        tables.append(assignment_table(rows, filters, money=False))
    return {
        "total": total,
        "tables": tables,
        "charts": charts,
        "standings": STANDING_LABELS,
        "month_label": fiscal_months(filters.fiscal_year)[month - 1].label,
        **as_of(user, filters, total, PERFORMANCE_CHANGES, selectors.performance_total),
    }


def _performance_summary(total) -> Table:
    return Table(
        key="summary",
        sheet=_("Summary"),
        title=_("Performance against plan"),
        columns=[
            Column(_("Budget-receiving units"), lambda r: r.assignments, COUNT, width=12),
            Column(_("Behind plan (below 80 %)"), lambda r: r.behind, COUNT, width=14),
            *_performance_columns()[:-1],
        ],
        rows=[total],
    )


def _performance_breakdown(rows, filters, footer, url) -> tuple[Table, dict]:
    """By project (or, within one project, by activity): the table and its bar chart."""
    month = filters.month
    if filters.project is None:
        lines = selectors.performance_by(
            rows,
            month,
            key="project_id",
            label="project__name",
            order="project__code",
            extra=("project__code",),
        )
        names = [
            Column(_("Code"), lambda r: r.extra.get("project__code", ""), width=10),
            Column(_("Project"), lambda r: r.label, link=lambda r: url(project=r.key), width=50),
        ]
        key, title = "projects", _("By project")
        bar_label = lambda r: f"{r.extra['project__code']} {r.label}"  # noqa: E731
        chart_title = _("Performance against plan beside disbursement, by project (%)")
    else:
        lines = selectors.performance_by(
            rows, month, key="activity_id", label="activity__name", order="activity__order",
            extra=("activity__order",),
        )  # fmt: skip
        names = [Column(_("Activity"), _numbered, width=50)]
        key, title, bar_label = "activities", _("By activity"), _numbered
        chart_title = _("Performance against plan beside disbursement, by activity (%)")
    counts = [
        Column(_("Budget-receiving units"), lambda r: r.assignments, COUNT, width=10),
        Column(_("Behind plan"), lambda r: r.behind, COUNT, width=10),
    ]
    table = Table(
        key=key,
        sheet=title,
        title=title,
        columns=[*names, *counts, *_performance_columns()],
        rows=lines,
        row_css=lambda r: r.standing,
        footer=footer,
    )
    charts = {}
    if lines and len(lines) <= MAX_BARS:
        charts[key] = HBarChart(
            title=chart_title,
            bars=[
                Bar(
                    bar_label(r),
                    r.output_percent,
                    href=url(project=r.key) if key == "projects" else "",
                    second=r.disbursed_percent,
                    css=r.standing,
                )
                for r in lines
            ],
            legend=(
                (_("Output, percent of plan"), "first"),
                (_("Disbursed, percent of allocated"), "second"),
            ),
        )
    return table, charts


def _performance_ranking(rows, month: int, footer, url) -> Table:
    """Units ranked by their output against plan."""
    by_unit = selectors.rank(
        selectors.performance_by(
            rows,
            month,
            key="unit_id",
            label="unit__name_th",
            order="unit__name_sort",
            extra=("unit__name_sort", "unit__province__name_th"),
        ),
        score=lambda r: r.output_percent,
        name=lambda r: r.extra["unit__name_sort"],
    )
    return Table(
        key="units",
        sheet=_("By unit"),
        title=_("Units ranked by performance against plan"),
        columns=[
            Column(_("Rank"), lambda r: r.rank, COUNT, width=8),
            Column(_("Unit"), lambda r: r.label, link=lambda r: url(unit=r.key), width=40),
            Column(_("Province"), lambda r: r.extra.get("unit__province__name_th", "") or "", width=16),
            Column(_("Budget-receiving units"), lambda r: r.assignments, COUNT, width=10),
            Column(_("Behind plan"), lambda r: r.behind, COUNT, width=10),
            *_performance_columns(),
        ],
        rows=by_unit,
        row_css=lambda r: r.standing,
        footer=footer,
    )


def months_table(figures, month: int) -> Table:
    """An assigned unit's twelve months: each month's own figures (the difference of two
    cumulative totals) and the totals to date, up to the chosen month."""
    months = fiscal_months(figures.fiscal_year)
    rows = []
    for m in range(1, month + 1):
        rows.append(
            {
                "label": months[m - 1].label,
                "first_day": months[m - 1].first_day,
                "planned_quantity": figures.planned_in(m),
                "result_quantity": figures.done_in(m),
                "planned_to_date": figures.planned_at(m),
                "result_to_date": figures.done_at(m),
                "output_percent": figures.output_percent_at(m),
                "behind": figures.behind_at(m),
                "step_completion": figures.step_completion_at(m),
                "planned_spending": figures.planned_spending_in(m),
                "disbursed": figures.disbursed_in(m),
                "disbursed_to_date": figures.disbursed_at(m),
                "of_allocated": figures.of_allocated_at(m),
                "received_to_date": figures.received_at(m),
                "of_received": figures.of_received_at(m),
                "carried_to_date": figures.disbursed_carried_at(m),
                "carried_received_to_date": figures.received_carried_at(m),
                "indicators_met": figures.indicators_met_at(m),
            }
        )
    unit = figures.activity_unit.output_unit
    return Table(
        key="months",
        sheet=_("By month"),
        title=_("Month by month"),
        columns=[
            Column(_("Month"), lambda r: r["first_day"], MONTH, width=12),
            Column(
                _("Planned output") + (f" ({unit})" if unit else ""),
                lambda r: r["planned_quantity"],
                QUANTITY,
            ),
            Column(_("Output achieved"), lambda r: r["result_quantity"], QUANTITY),
            Column(_("Planned output to date"), lambda r: r["planned_to_date"], QUANTITY),
            Column(_("Achieved to date"), lambda r: r["result_to_date"], QUANTITY),
            Column(_("Output, percent of plan"), lambda r: r["output_percent"], PERCENT, width=12),
            Column(_("Steps completed (%)"), lambda r: r["step_completion"], PERCENT, width=12),
            Column(_("Planned spending (baht)"), lambda r: r["planned_spending"], MONEY),
            Column(_("Disbursed (baht)"), lambda r: r["disbursed"], MONEY),
            Column(_("Disbursed to date (baht)"), lambda r: r["disbursed_to_date"], MONEY),
            Column(_("Disbursed, percent of allocated"), lambda r: r["of_allocated"], PERCENT, width=12),
            Column(_("Received to date (baht)"), lambda r: r["received_to_date"], MONEY),
            Column(_("Share of received (%)"), lambda r: r["of_received"], PERCENT, width=12),
            Column(_("Carried-over money disbursed to date (baht)"), lambda r: r["carried_to_date"], MONEY),
            Column(_("Indicators met"), lambda r: r["indicators_met"], COUNT, width=10),
        ],
        rows=rows,
        row_css=lambda r: "behind" if r["behind"] else "",
        legend=(("behind", _("Behind plan: output below 80 percent of the plan to date")),),
    )
