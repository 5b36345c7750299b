"""Writes of progress reporting: optimistic locking, the ledger and closed months, each in one transaction."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Sum, When
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts import access
from progress.closing import month_close, month_reopen  # noqa: F401 - the closing's services live there
from progress.models import (
    Disbursement,
    IndicatorResult,
    MonthClosure,
    PerformanceResult,
    Photo,
    Procurement,
    ReportingCalendar,
    StepProgress,
    Transfer,
)
from tracking.images import clean_photo
from tracking.rows import save_child
from tracking.thaicalendar import format_baht
from tracking.uploads import save_with_files

UNIQUE_VIOLATION = "23505"


class Conflict(Exception):
    """Someone saved the same month first; ``current`` is what they saved."""

    def __init__(self, current):
        super().__init__("saved by someone else first")
        self.current = current


def is_closed(fiscal_year: int, month: int) -> bool:
    return MonthClosure.objects.filter(fiscal_year=fiscal_year, month=month).exists()


def _guard(by, model_name, activity_unit, month=None):
    if not access.may_report_on(by, model_name, activity_unit):
        raise PermissionDenied
    if month is not None and is_closed(activity_unit.activity.project.fiscal_year, month):
        raise ValidationError(_("This month is closed for reporting; its results can no longer change."))


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


def performance_save(*, by, activity_unit, month: int, version, fields: dict, steps=None, indicators=None):
    """A month's performance result with its step completion and indicator values, saved together."""
    _guard(by, "performanceresult", activity_unit, month)
    with transaction.atomic():
        lookup = {"activity_unit": activity_unit, "month": month}
        result = _versioned_save(PerformanceResult, by=by, lookup=lookup, version=version, fields=fields)
        for step_id, percent in (steps or {}).items():
            StepProgress.objects.update_or_create(
                activity_unit=activity_unit, step_id=step_id, month=month, defaults={"percent": percent}
            )
        for indicator_id, value in (indicators or {}).items():
            IndicatorResult.objects.update_or_create(
                activity_unit=activity_unit, indicator_id=indicator_id, month=month, defaults={"value": value}
            )
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
    return ValidationError(_("The data could not be saved: it breaks a rule of the ledger."))


@dataclass(frozen=True)
class LineFigures:
    """What a finance user typed for one budget line of one month; ``version`` None for a new row."""

    category: str
    carried_over: bool
    committed: Decimal
    disbursed: Decimal
    version: int | None = None


def disbursement_save(*, by, activity_unit, month: int, lines, override_reason=""):
    """A month's spending on each budget line of an assigned unit, all saved or none.

    A line never saved before and left at zero is not written. If anybody
    saved one of the lines meanwhile, nothing is saved (``Conflict``).
    """
    _guard(by, "disbursement", activity_unit, month)
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
