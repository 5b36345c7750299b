"""An ALRO person's tasks for the home page: monthly reports to hand in or fix, to review, and
months without disbursements. Counted in SQL, a fixed number of queries per card."""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Sum, Value, When
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import access
from progress import completeness
from progress.models import Disbursement, MonthClosure, MonthReport
from projects.models import ActivityUnit
from tracking.tasks import SHOWN, Card, Item
from tracking.thaicalendar import FiscalMonth, fiscal_months, fiscal_year, format_date, report_due_date


def reporting_months(today: dt.date) -> tuple[int, list[FiscalMonth]]:
    """The fiscal year of the last month that has ended, and its months ended by ``today``.

    In October that is the whole of the year just past (its September falls due now); from
    November on, the current year's months so far.
    """
    last_ended = today.replace(day=1) - dt.timedelta(days=1)
    fy = fiscal_year(last_ended)
    return fy, [month for month in fiscal_months(fy) if month.first_day <= last_ended]


def months_owed(assignments, missing: dict):
    """``assignments`` owing something in any month of ``missing`` (month index → SQL condition on
    the assignment), annotated with the first such month (``first_owed``) and how many (``owed``).
    One SQL expression per month, so a count or a page of them is one query."""
    first = Case(
        *(When(gap, then=Value(index)) for index, gap in missing.items()), output_field=IntegerField()
    )
    owed = Value(0)
    for gap in missing.values():
        owed = owed + Case(When(gap, then=Value(1)), default=Value(0), output_field=IntegerField())
    return assignments.annotate(first_owed=first, owed=owed).filter(first_owed__isnull=False)


def _open_months(fy: int, months: list[FiscalMonth]) -> list[FiscalMonth]:
    """The months not closed (one query): a closed month takes no report and no spending any more,
    so it is nobody's task (the closing page lists what it left missing)."""
    closed = set(MonthClosure.objects.filter(fiscal_year=fy).values_list("month", flat=True))
    return [month for month in months if month.index not in closed]


def _seen_at(today: dt.date) -> dt.datetime:
    """The end of ``today`` in Bangkok: a report handed in on its due day is still on time."""
    return dt.datetime.combine(today, dt.time.max, tzinfo=completeness.BANGKOK)


def _year_assignments(fy: int, condition: Q):
    """The year's assignments that report month by month (the completeness grids' rule)."""
    return ActivityUnit.objects.expected_to_report().filter(condition, activity__project__fiscal_year=fy)


def _owed_summary(owed, months: list[FiscalMonth], day: int, today: dt.date, url_name: str):
    """How many (assignment, month) are owed, and the oldest few as items: two queries."""
    total = owed.aggregate(n=Sum("owed"))["n"] or 0
    rows = owed.select_related("activity__project", "unit").order_by(
        "first_owed", "activity__project__code", "activity__order", "unit__name_sort"
    )[:SHOWN]
    by_index = {month.index: month for month in months}
    items = []
    for au in rows:
        month = by_index[au.first_owed]
        due = report_due_date(month.fiscal_year, month.index, day)
        note = _("%(month)s, due %(due)s") % {"month": month.label, "due": format_date(due)}
        if au.owed > 1:
            note += " " + _("(and %(n)s more months)") % {"n": au.owed - 1}
        items.append(
            Item(
                label=_assignment_label(au),
                url=reverse(url_name, args=[au.pk, month.index]),
                note=note,
                due=due,
                late=due < today,
            )
        )
    return total, tuple(items)


def _assignment_label(au) -> str:
    project = au.activity.project
    return f"{project.code} · {au.activity.order}. {au.activity.name} · {au.unit}"


# --- the cards --------------------------------------------------------------------------------


def unreported_months(user, today: dt.date) -> Card:
    """Monthly reports this unit has to hand in: ended months of the reporting year whose report
    is not handed in (not started, draft or overdue: the completeness grids' states). A sent-back
    report is its own card (reports_sent_back).
    """
    fy, months = reporting_months(today)
    months = _open_months(fy, months)
    day = completeness.due_days([fy])[fy]
    total, items = 0, ()
    if months:
        indexes = {month.index for month in months}
        ended = [p for p in completeness.periods(fy, now=_seen_at(today), due_day=day) if p.index in indexes]
        owed = months_owed(
            _year_assignments(fy, access.report_submit_scope(user)).with_report_states(ended),
            {p.index: Q(**{f"state_{p.index}__in": completeness.NOT_HANDED_IN}) for p in ended},
        )
        total, items = _owed_summary(owed, months, day, today, "progress:report")
    return Card(
        key="months_to_report",
        title=_("Monthly reports to hand in"),
        count=total,
        url=reverse("progress:index"),
        link_label=_("Open progress reporting"),
        items=items,
        note=_("Each month's report is due on day %(day)s of the following month.") % {"day": day},
        order=20,
    )


def _report_items(reports, today: dt.date, url_name: str, with_reason: bool) -> tuple[Item, ...]:
    items = []
    for report in reports:
        au = report.activity_unit
        month = fiscal_months(au.activity.project.fiscal_year)[report.month - 1]
        when = report.decided_at if with_reason else report.submitted_at
        note = _("%(month)s, sent back on %(when)s") if with_reason else _("%(month)s, handed in on %(when)s")
        items.append(
            Item(
                label=_assignment_label(au),
                url=reverse(url_name, args=[au.pk, report.month]),
                note=note % {"month": month.label, "when": format_date(when)},
                reason=_("To fix: %(reason)s") % {"reason": report.reason} if with_reason else "",
            )
        )
    return tuple(items)


def _reports(condition: Q, status: str, order: str):
    return (
        MonthReport.objects.filter(condition, status=status)
        .select_related("activity_unit__activity__project", "activity_unit__unit")
        .order_by(order, "pk")
    )


def reports_sent_back(user, today: dt.date) -> Card:
    """This unit's reports sent back by the project's owners, with what to fix: two queries."""
    reports = _reports(
        access.report_submit_scope(user, "activity_unit__"), MonthReport.Status.SENT_BACK, "decided_at"
    )
    return Card(
        key="reports_sent_back",
        title=_("Reports sent back to you to correct"),
        count=reports.count(),
        url=reverse("progress:index"),
        link_label=_("Open progress reporting"),
        items=_report_items(reports[:SHOWN], today, "progress:report", with_reason=True),
        order=10,
    )


def reports_to_review(user, today: dt.date) -> Card:
    """Handed-in reports of the projects this user owns, oldest first: two queries."""
    reports = _reports(
        access.report_review_scope(user, "activity_unit__"), MonthReport.Status.SUBMITTED, "submitted_at"
    )
    return Card(
        key="reports_to_review",
        title=_("Monthly reports waiting for your review"),
        count=reports.count(),
        url=reverse("progress:index"),
        link_label=_("Open progress reporting"),
        items=_report_items(reports[:SHOWN], today, "progress:report", with_reason=False),
        order=30,
    )


def months_without_disbursements(user, today: dt.date) -> Card:
    """Ended months of the reporting year in which a budget-receiving assignment of this finance
    user's money sources has no disbursement recorded."""
    fy, months = reporting_months(today)
    months = _open_months(fy, months)
    day = completeness.due_days([fy])[fy]
    total, items = 0, ()
    if months:
        spent = Disbursement.objects.filter(activity_unit=OuterRef("pk"))
        owed = months_owed(
            _year_assignments(fy, access.finance_scope(user) & Q(is_budget_receiving=True)),
            {month.index: ~Exists(spent.filter(month=month.index)) for month in months},
        )
        total, items = _owed_summary(owed, months, day, today, "progress:disbursement")
    return Card(
        key="months_without_disbursements",
        title=_("Months without disbursements recorded"),
        count=total,
        url=reverse("progress:index"),
        link_label=_("Open progress reporting"),
        items=items,
        order=40,
    )


def tasks(user, today: dt.date) -> list[Card]:
    lists = access.task_lists(user)
    cards = []
    if access.UNIT_REPORTS in lists:
        cards += [reports_sent_back(user, today), unreported_months(user, today)]
    if access.REPORT_REVIEW in lists:
        cards.append(reports_to_review(user, today))
    if access.FINANCE_MONTHS in lists:
        cards.append(months_without_disbursements(user, today))
    return cards
