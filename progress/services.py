"""Writes of progress reporting: optimistic locking, the ledger and closed months, each in one transaction."""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Sum, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts import access
from accounts.models import Notification
from accounts.notifications import notify
from progress.closing import month_close, month_reopen  # noqa: F401 - the closing's services live there
from progress.models import (
    Disbursement,
    IndicatorResult,
    MonthClosure,
    MonthReport,
    PerformanceResult,
    Photo,
    Procurement,
    ReportingCalendar,
    StepProgress,
    Transfer,
)
from tracking.images import clean_photo
from tracking.rows import save_child
from tracking.thaicalendar import fiscal_months, format_baht, format_datetime
from tracking.uploads import save_with_files

UNIQUE_VIOLATION = "23505"


class Conflict(Exception):
    """Someone saved the same month first; ``current`` is what they saved."""

    def __init__(self, current):
        super().__init__("saved by someone else first")
        self.current = current


def is_closed(fiscal_year: int, month: int) -> bool:
    return MonthClosure.objects.filter(fiscal_year=fiscal_year, month=month).exists()


@dataclass(frozen=True)
class MonthState:
    """What the lock rule reads of an assigned unit's month: the month's closure (None while open)
    and the unit's report of it, in whatever status (None before it is first handed in)."""

    closure: MonthClosure | None
    report: MonthReport | None


def month_state(activity_unit, month: int) -> MonthState:
    """The closure and the report of the month: two small queries (each finds one row at most).

    Most months are open and not handed in: the people who closed, handed in or decided are read
    only when a closure or a report is there and its words name them.
    """
    fy = activity_unit.activity.project.fiscal_year
    closures = list(MonthClosure.objects.filter(fiscal_year=fy, month=month))
    reports = list(MonthReport.objects.filter(activity_unit=activity_unit, month=month))
    return MonthState(closure=closures[0] if closures else None, report=reports[0] if reports else None)


def month_lock(activity_unit, month: int, state: MonthState | None = None) -> str | None:
    """Why nobody may change this assigned unit's month now, in words for the page; None if it is open.

    The one answer used by the forms (shown read-only before anyone types), the views (a crafted
    POST is refused with it) and the services. A closed month, or a report handed in (submitted or
    accepted): the unit hands in the whole month, its money included, so the finance users'
    spending of that month is locked with it. The database refuses the same (triggers).
    ``state``: the month_state a page has read already (read here otherwise).
    """
    state = state or month_state(activity_unit, month)
    label = fiscal_months(activity_unit.activity.project.fiscal_year)[month - 1].label
    closure, report = state.closure, state.report
    if closure is not None:
        return _(
            "%(month)s was closed for reporting by %(who)s on %(when)s: its results, indicators and "
            "spending can no longer change."
        ) % {"month": label, "who": closure.closed_by, "when": format_datetime(closure.closed_at)}
    if report is None or report.status not in (MonthReport.Status.SUBMITTED, MonthReport.Status.ACCEPTED):
        return None
    if report.status == MonthReport.Status.ACCEPTED:
        return _(
            "The report for %(month)s was accepted by %(who)s on %(when)s: the month's results, "
            "indicators and spending (money included) are locked. To correct anything, ask the "
            "project's owners to send the report back."
        ) % {"month": label, "who": report.decided_by, "when": format_datetime(report.decided_at)}
    return _(
        "The report for %(month)s was handed in by %(who)s on %(when)s: the month's results, "
        "indicators and spending (money included) are locked while the project's owners review it. "
        "To correct anything, ask them to send the report back."
    ) % {"month": label, "who": report.submitted_by, "when": format_datetime(report.submitted_at)}


def _guard(by, model_name, activity_unit, month=None, state: MonthState | None = None):
    """May ``by`` write this kind of row of the unit (of the month, if open)? ``state``: the month's
    month_state() as the caller read it in this request (read here otherwise). A month closed or
    handed in after that is refused by the triggers, and the save says why (IntegrityError below)."""
    if not access.may_report_on(by, model_name, activity_unit):
        raise PermissionDenied
    if month is not None:
        reason = month_lock(activity_unit, month, state)
        if reason:
            raise ValidationError(reason)


def _versioned_save(model, *, by, lookup: dict, version: int | None, fields: dict):
    """Create the row (version None) or update it only if it is still at ``version``."""
    if version is None:
        if model.objects.filter(**lookup).exists():
            raise Conflict(model.objects.get(**lookup))
        try:
            with transaction.atomic():
                return model.objects.create(**lookup, **fields, updated_by=by)
        except IntegrityError as error:
            if getattr(error.__cause__, "sqlstate", None) == UNIQUE_VIOLATION:
                # Created by someone else between our look and our insert.
                raise Conflict(model.objects.filter(**lookup).first()) from error
            raise
    updated = model.objects.filter(**lookup, version=version).update(
        **fields, updated_by=by, version=F("version") + 1
    )
    if not updated:
        raise Conflict(model.objects.filter(**lookup).first())
    return model.objects.get(**lookup)


def performance_save(
    *, by, activity_unit, month: int, version, fields: dict, steps=None, indicators=None, state=None
):
    """A month's performance result with its step completion and indicator values, saved together."""
    _guard(by, "performanceresult", activity_unit, month, state)
    try:
        with transaction.atomic():
            lookup = {"activity_unit": activity_unit, "month": month}
            result = _versioned_save(PerformanceResult, by=by, lookup=lookup, version=version, fields=fields)
            for step_id, percent in (steps or {}).items():
                StepProgress.objects.update_or_create(
                    activity_unit=activity_unit, step_id=step_id, month=month, defaults={"percent": percent}
                )
            for indicator_id, value in (indicators or {}).items():
                IndicatorResult.objects.update_or_create(
                    activity_unit=activity_unit,
                    indicator_id=indicator_id,
                    month=month,
                    defaults={"value": value},
                )
    except IntegrityError as error:
        # Closed or handed in between the check above and the write: the triggers refused it.
        if "closed" in str(error) or "handed in" in str(error):
            raise ValidationError(month_lock(activity_unit, month) or _ledger_error(error).message) from error
        raise
    return result


def _ledger_error(error: IntegrityError) -> ValidationError:
    if "ledger" in str(error):
        return ValidationError(
            _(
                "This would take the unit beyond the budget it has received. If that is right, "
                "give the reason for the exception; it is recorded."
            )
        )
    if "closed" in str(error):
        return ValidationError(_("This month is closed for reporting; its results can no longer change."))
    if "handed in" in str(error):
        return ValidationError(
            _("This month's report has been handed in; its results and spending can no longer change.")
        )
    return ValidationError(_("The data could not be saved: it breaks a rule of the ledger."))


@dataclass(frozen=True)
class LineFigures:
    """What a finance user typed for one budget line of one month; ``version`` None for a new row."""

    category: str
    carried_over: bool
    committed: Decimal
    disbursed: Decimal
    version: int | None = None


def disbursement_save(*, by, activity_unit, month: int, lines, override_reason="", state=None):
    """A month's spending on each budget line of an assigned unit, all saved or none.

    A line never saved before and left at zero is not written. If anybody
    saved one of the lines meanwhile, nothing is saved (``Conflict``).
    """
    _guard(by, "disbursement", activity_unit, month, state)
    saved = []
    try:
        with transaction.atomic():
            for line in lines:
                if line.version is None and not line.committed and not line.disbursed:
                    continue
                lookup = {
                    "activity_unit": activity_unit,
                    "month": month,
                    "category": line.category,
                    "carried_over": line.carried_over,
                }
                fields = {
                    "committed": line.committed,
                    "disbursed": line.disbursed,
                    "override_reason": override_reason or "",
                }
                saved.append(
                    _versioned_save(Disbursement, by=by, lookup=lookup, version=line.version, fields=fields)
                )
    except IntegrityError as error:
        raise _ledger_error(error) from error
    return saved


def transfer_add(
    *, by, activity_unit, kind, date, amount, document_no, note="", override_reason="", carried_over=False
) -> Transfer:
    _guard(by, "transfer", activity_unit)
    transfer = Transfer(
        activity_unit=activity_unit, kind=kind, date=date, amount=amount, document_no=document_no, note=note,
        override_reason=override_reason or "", carried_over=carried_over, created_by=by,
    )  # fmt: skip
    transfer.full_clean()
    try:
        with transaction.atomic():
            transfer.save()
    except IntegrityError as error:
        if kind == Transfer.Kind.RETURN and "ledger" in str(error):
            raise _return_too_large(activity_unit, carried_over) from error
        raise _ledger_error(error) from error
    return transfer


def _return_too_large(activity_unit, carried_over: bool) -> ValidationError:
    """A return above what the unit holds, with the figures it is measured against."""
    pool = {"activity_unit": activity_unit, "carried_over": carried_over}
    received = Transfer.objects.filter(**pool).aggregate(
        total=Sum(Case(When(kind=Transfer.Kind.RETURN, then=-F("amount")), default=F("amount")))
    )["total"] or Decimal(0)
    disbursed = Disbursement.objects.filter(**pool).aggregate(total=Sum("disbursed"))["total"] or Decimal(0)
    return ValidationError(
        _(
            "The return is more than the unit holds of %(pool)s: it has received %(received)s baht "
            "(transfers minus earlier returns) and disbursed %(disbursed)s baht, so it holds %(holds)s baht. "
            "Return at most that; if more is right, give the reason for the exception; it is recorded."
        )
        % {
            "pool": pgettext("ledger pool", "money carried over from last year")
            if carried_over
            else pgettext("ledger pool", "this year's budget"),
            "received": format_baht(received),
            "disbursed": format_baht(disbursed),
            "holds": format_baht(max(received - disbursed, Decimal(0))),
        }
    )


def procurement_save(*, by, activity_unit, procurement=None, fields: dict):
    _guard(by, "procurement", activity_unit)
    with transaction.atomic():
        return save_child(
            Procurement,
            parent_field="activity_unit",
            parent=activity_unit,
            instance=procurement,
            fields=fields,
        )


def photo_add(*, by, activity_unit, upload, caption: str, taken_on=None) -> Photo:
    _guard(by, "photo", activity_unit)
    clean = clean_photo(upload)  # raises a Thai ValidationError for anything but a real photo
    photo = Photo(
        activity_unit=activity_unit, caption=caption, taken_on=taken_on or clean.taken_on, uploaded_by=by
    )
    save_with_files(photo, {"image": ("photo.jpg", clean.image), "thumbnail": ("thumb.jpg", clean.thumbnail)})
    return photo


def reporting_calendar_set(*, by, fiscal_year: int, due_day: int) -> ReportingCalendar:
    """Set the day of the following month on which each month's report of ``fiscal_year`` falls due."""
    if not access.may_close_months(by):
        raise PermissionDenied
    with transaction.atomic():
        calendar = ReportingCalendar.objects.filter(fiscal_year=fiscal_year).first() or ReportingCalendar(
            fiscal_year=fiscal_year
        )
        calendar.due_day = due_day
        calendar.full_clean()
        calendar.save()
    return calendar


# --- the monthly report: handed in by the unit, accepted or sent back by the project's owners ---------


def month_has_started(fiscal_year: int, month: int, today=None) -> bool:
    """A month may be handed in from its first day: a unit that has finished the month's work in its
    last days need not wait for the next month (the report falls due in the next month anyway);
    months still to come cannot be, there is nothing to report yet."""
    today = today or timezone.localdate()
    return fiscal_months(fiscal_year)[month - 1].first_day <= today


# A decision on a monthly report and the notification that tells the unit of it.
ANNOUNCED = {"accepted": Notification.Kind.REPORT_ACCEPTED, "sent_back": Notification.Kind.REPORT_SENT_BACK}


def _announce(report: MonthReport, event: str) -> None:
    """Tell the unit's people (and whoever handed the report in) that it was accepted or sent back.

    In the site, and by e-mail after the decision commits when the site sends mail. Once per decision.
    """
    assignment = report.activity_unit
    fiscal_month = fiscal_months(assignment.activity.project.fiscal_year)[report.month - 1]
    unit_people = get_user_model().objects.filter(
        access.report_reminder_recipients(), org_unit=assignment.unit
    )
    notify(
        [*unit_people.distinct(), report.submitted_by],
        ANNOUNCED[event],
        url=reverse("progress:report", args=[assignment.pk, report.month]),
        params={
            "unit": str(assignment.unit),
            "month": fiscal_month.first_day.strftime("%Y-%m"),
            "reason": report.reason,
        },
        event_key=f"report_{event}:{report.pk}:{report.decided_at.isoformat()}",
    )


def _report_for_update(activity_unit, month: int) -> MonthReport | None:
    """The month's report, read again under a lock: the unit's row is locked first, so two steps on a
    report that does not exist yet (two people handing in at once) queue as well."""
    type(activity_unit).objects.select_for_update().filter(pk=activity_unit.pk).first()
    return MonthReport.objects.select_for_update().filter(activity_unit=activity_unit, month=month).first()


def _refuse_if_closed(activity_unit, month: int) -> None:
    fy = activity_unit.activity.project.fiscal_year
    if is_closed(fy, month):
        raise ValidationError(
            _("%(month)s is closed for reporting: its report can no longer change.")
            % {"month": fiscal_months(fy)[month - 1].label}
        )


def submit_report(user, assignment, month: int, *, today=None) -> MonthReport:
    """The unit hands in its month (ส่งรายงาน): a first time, or again after it was sent back."""
    if not access.may_submit_report(user, assignment):
        raise PermissionDenied
    fy = assignment.activity.project.fiscal_year
    if not month_has_started(fy, month, today):
        raise ValidationError(
            _("%(month)s has not started yet: a month is handed in from its first day.")
            % {"month": fiscal_months(fy)[month - 1].label}
        )
    with transaction.atomic():
        _refuse_if_closed(assignment, month)
        report = _report_for_update(assignment, month)
        now = timezone.now()
        if report is None:
            report = MonthReport(activity_unit=assignment, month=month)
        elif report.status != MonthReport.Status.SENT_BACK:
            raise ValidationError(_("This month's report has already been handed in."))
        report.status = MonthReport.Status.SUBMITTED
        report.submitted_at, report.submitted_by = now, user
        # The decision and what was to be fixed stay in the report's history.
        report.decided_at = report.decided_by = None
        report.reason = ""
        report.save()
    return report


def accept_report(user, assignment, month: int) -> MonthReport:
    """The project's owners accept a handed-in report (รับรายงาน)."""
    if not access.may_review_report(user, assignment):
        raise PermissionDenied
    with transaction.atomic():
        _refuse_if_closed(assignment, month)
        report = _report_for_update(assignment, month)
        if report is None or report.status != MonthReport.Status.SUBMITTED:
            raise ValidationError(
                _("Only a report that has been handed in and waits for review can be accepted.")
            )
        report.status = MonthReport.Status.ACCEPTED
        report.decided_at, report.decided_by = timezone.now(), user
        report.reason = ""
        report.save()
        _announce(report, "accepted")
    return report


def send_back_report(user, assignment, month: int, reason: str) -> MonthReport:
    """The project's owners send a report back to the unit with what to fix (ส่งกลับแก้ไข).

    An accepted report may be sent back too while its month is open: a mistake found after
    acceptance is put right by the unit before the month is closed, not carried into the figures.
    """
    if not access.may_review_report(user, assignment):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say what the unit must fix before it hands the report in again."))
    max_length = MonthReport._meta.get_field("reason").max_length
    if len(reason) > max_length:
        raise ValidationError(
            _("Keep what to fix to %(limit)s characters (it has %(count)s).")
            % {"limit": max_length, "count": len(reason)}
        )
    with transaction.atomic():
        _refuse_if_closed(assignment, month)
        report = _report_for_update(assignment, month)
        if report is None or report.status not in (MonthReport.Status.SUBMITTED, MonthReport.Status.ACCEPTED):
            raise ValidationError(_("Only a report that has been handed in can be sent back."))
        report.status = MonthReport.Status.SENT_BACK
        report.decided_at, report.decided_by = timezone.now(), user
        report.reason = reason
        report.save()
        _announce(report, "sent_back")
    return report
