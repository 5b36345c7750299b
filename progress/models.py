"""Progress reported by budget-receiving units, month by month, on the activities assigned to them.

Every row hangs on an assigned unit (projects.ActivityUnit). The money ledger
lives in PostgreSQL: a unit's received budget is transfers minus returns, and
triggers refuse a return larger than what the unit still holds or a
disbursement total above what it received, unless the row carries an
explicit override reason. Results of a month an admin has closed cannot
change, by trigger as well.
"""

from decimal import Decimal

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import FundingSource, OrgUnit
from accounts.querysets import RestrictedQuerySet
from projects.models import (
    MONEY,
    MONEY_TOTAL,
    QUANTITY,
    Activity,
    ActivityUnit,
    BudgetCategory,
    Indicator,
    Project,
    Step,
)
from tracking import thaicalendar
from tracking.audit import audited

# Refuse changes to a row of a closed month (fiscal year of the project, month of the row): the one
# closed-month check, shared by the results' triggers and the monthly report's steps.
REFUSE_IF_MONTH_CLOSED = """
    IF EXISTS (
        SELECT 1 FROM progress_monthclosure c
        JOIN projects_project p ON p.fiscal_year = c.fiscal_year
        JOIN projects_activity a ON a.project_id = p.id
        JOIN projects_activityunit au ON au.activity_id = a.id
        WHERE au.id = (CASE WHEN TG_OP = 'DELETE' THEN OLD.activity_unit_id ELSE NEW.activity_unit_id END)
          AND c.month = (CASE WHEN TG_OP = 'DELETE' THEN OLD.month ELSE NEW.month END)
    ) THEN
        RAISE EXCEPTION 'reporting month is closed' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
"""

CLOSED_MONTH_FUNC = (
    REFUSE_IF_MONTH_CLOSED
    + """    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
"""
)


# Transfers carry a date, not a month: one dated in a closed month of its project's fiscal year is
# locked as well (checked for the row before and after an update, so none moves in or out).
CLOSED_DATE_FUNC = """
    FOR written_unit, written_day IN
        SELECT NEW.activity_unit_id, NEW.date WHERE TG_OP <> 'DELETE'
        UNION ALL
        SELECT OLD.activity_unit_id, OLD.date WHERE TG_OP <> 'INSERT'
    LOOP
        IF EXISTS (
            SELECT 1 FROM progress_monthclosure c
            JOIN projects_project p ON p.fiscal_year = c.fiscal_year
            JOIN projects_activity a ON a.project_id = p.id
            JOIN projects_activityunit au ON au.activity_id = a.id
            WHERE au.id = written_unit
              AND c.fiscal_year = EXTRACT(YEAR FROM written_day)::int + 543
                                  + CASE WHEN EXTRACT(MONTH FROM written_day) >= 10 THEN 1 ELSE 0 END
              AND c.month = (EXTRACT(MONTH FROM written_day)::int + 2) % 12 + 1
        ) THEN
            RAISE EXCEPTION 'reporting month is closed' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END LOOP;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
"""


def closed_month_trigger(name):
    return pgtrigger.Trigger(
        name=name,
        when=pgtrigger.Before,
        operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
        func=CLOSED_MONTH_FUNC,
    )


# Refuse changes to a month an assigned unit has handed in (its report submitted or accepted): the
# unit's results, step progress, indicator results and spending of that month stay as handed in
# until a reviewer sends the report back. An update is checked at both its old and its new month.
REPORT_LOCK_FUNC = """
    IF EXISTS (
        SELECT 1 FROM progress_monthreport r
        WHERE r.status IN ('submitted', 'accepted')
          AND ((TG_OP <> 'INSERT' AND r.activity_unit_id = OLD.activity_unit_id AND r.month = OLD.month)
            OR (TG_OP <> 'DELETE' AND r.activity_unit_id = NEW.activity_unit_id AND r.month = NEW.month))
    ) THEN
        RAISE EXCEPTION 'monthly report handed in: the month is locked'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
"""


def report_lock_trigger(name):
    return pgtrigger.Trigger(
        name=name,
        when=pgtrigger.Before,
        operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
        func=REPORT_LOCK_FUNC,
    )


# The steps a monthly report may take: handed in (a new row, or again after being sent back), then
# accepted or sent back; an accepted report may still be sent back while its month is open. The
# assigned unit and month never change, a handed-in or accepted report is never deleted, and
# nothing changes once the month is closed.
MONTH_REPORT_STEPS_FUNC = (
    REFUSE_IF_MONTH_CLOSED
    + """    IF TG_OP = 'INSERT' THEN
        IF NEW.status <> 'submitted' THEN
            RAISE EXCEPTION 'monthly report: a new report must be submitted, not %', NEW.status
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN
        IF OLD.status IN ('submitted', 'accepted') THEN
            RAISE EXCEPTION 'monthly report: a handed-in report cannot be deleted'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN OLD;
    END IF;
    IF NEW.activity_unit_id <> OLD.activity_unit_id OR NEW.month <> OLD.month THEN
        RAISE EXCEPTION 'monthly report: the unit and month of a report never change'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF (OLD.status, NEW.status) NOT IN (
        ('sent_back', 'submitted'), ('submitted', 'accepted'),
        ('submitted', 'sent_back'), ('accepted', 'sent_back')
    ) THEN
        RAISE EXCEPTION 'monthly report: % cannot become %', OLD.status, NEW.status
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
"""
)


@pghistory.track(*audited())
class MonthClosure(models.Model):
    """A reporting month closed by an admin (cut-off): its results are read-only from then on.

    A month is closed exactly when its row exists: reopening deletes the row and keeps a
    ``MonthReopening`` instead, and closing stores the month's ``OfficialRecord``.
    """

    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    month = models.PositiveSmallIntegerField(_("fiscal month"))
    closed_at = models.DateTimeField(_("closed at"), auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("closed by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("closed month")
        verbose_name_plural = _("closed months")
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "month"], name="monthclosure_once"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="monthclosure_month_1_12"),
        ]

    def __str__(self):
        return thaicalendar.fiscal_months(self.fiscal_year)[self.month - 1].label


@pghistory.track(*audited())
class MonthReopening(models.Model):
    """A closed month opened again for corrections: who reopened it, when, why, and whose closing it undid."""

    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    month = models.PositiveSmallIntegerField(_("fiscal month"))
    reason = models.TextField(_("reason for reopening"), max_length=2000)
    reopened_at = models.DateTimeField(_("reopened at"), auto_now_add=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reopened by"), on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("had been closed at"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("had been closed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("reopened month")
        verbose_name_plural = _("reopened months")
        ordering = ["-reopened_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="monthreopening_month_1_12"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="monthreopening_has_reason"),
        ]

    def __str__(self):
        return thaicalendar.fiscal_months(self.fiscal_year)[self.month - 1].label


# Rows of an official record are written once, by the closing, and never changed or removed:
# a correction is a new revision.
def immutable(name):
    return pgtrigger.Protect(name=name, operation=pgtrigger.Update | pgtrigger.Delete)


class OfficialRecordQuerySet(models.QuerySet):
    def latest_revisions(self):
        """The newest revision of each month (older ones are kept to show what changed)."""
        return self.order_by("month", "-revision").distinct("month")


class OfficialRecord(models.Model):
    """The official figures of one closed month (ตัวเลขทางการ), one revision per closing of that month."""

    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    month = models.PositiveSmallIntegerField(_("fiscal month"))
    revision = models.PositiveSmallIntegerField(_("revision"))
    closed_at = models.DateTimeField(_("closed at"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("closed by"), on_delete=models.PROTECT, related_name="+"
    )
    # From revision 2 on: the reopening that led to this revision (who, when and why it was corrected).
    reopening = models.OneToOneField(
        MonthReopening,
        verbose_name=_("reopening"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_record",
    )

    objects = OfficialRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("official record of a month")
        verbose_name_plural = _("official records of months")
        ordering = ["fiscal_year", "month", "revision"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "month", "revision"], name="officialrecord_once"),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="officialrecord_month_1_12"
            ),
            models.CheckConstraint(condition=Q(revision__gte=1), name="officialrecord_revision_positive"),
        ]
        triggers = [immutable("officialrecord_immutable")]

    def __str__(self):
        return f"{thaicalendar.fiscal_months(self.fiscal_year)[self.month - 1].label} r{self.revision}"

    @property
    def fiscal_month(self):
        return thaicalendar.fiscal_months(self.fiscal_year)[self.month - 1]


@pghistory.track(*audited())
class ReportingCalendar(models.Model):
    """A fiscal year's due day: each month's report falls due on this day of the next month.

    Audited: a changed day re-judges which reports of that year were late.
    """

    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), unique=True)
    due_day = models.PositiveSmallIntegerField(
        _("due day of the following month"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
    )

    class Meta:
        verbose_name = _("reporting calendar")
        verbose_name_plural = _("reporting calendars")
        constraints = [
            models.CheckConstraint(
                condition=Q(due_day__gte=1, due_day__lte=28), name="reportingcalendar_due_day"
            ),
            models.CheckConstraint(
                condition=Q(fiscal_year__gte=2500, fiscal_year__lte=2700), name="reportingcalendar_fy_be"
            ),
        ]

    def __str__(self):
        return f"{self.fiscal_year}"


@pghistory.track(*audited())
class MonthReport(models.Model):
    """An assigned unit's report for one fiscal month, handed in (ส่งรายงาน) and then accepted or sent back.

    No row means the month has not been handed in (not started, or a draft when figures exist).
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        SENT_BACK = "sent_back", _("Sent back")

    activity_unit = models.ForeignKey(
        ActivityUnit, verbose_name=_("assigned unit"), on_delete=models.CASCADE, related_name="month_reports"
    )
    month = models.PositiveSmallIntegerField(_("fiscal month"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("what to fix"), blank=True, max_length=2000)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        constraints = [
            models.UniqueConstraint(fields=["activity_unit", "month"], name="monthreport_one_per_month"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="monthreport_month_1_12"),
            models.CheckConstraint(
                condition=Q(status__in=["submitted", "accepted", "sent_back"]),
                name="monthreport_status_known",
            ),
            models.CheckConstraint(
                condition=Q(status="submitted") | Q(decided_at__isnull=False, decided_by__isnull=False),
                name="monthreport_decision_recorded",
            ),
            models.CheckConstraint(
                condition=~Q(status="sent_back") | ~Q(reason=""), name="monthreport_sent_back_has_reason"
            ),
        ]
        triggers = [
            pgtrigger.Trigger(
                name="monthreport_steps",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
                func=MONTH_REPORT_STEPS_FUNC,
            )
        ]

    def __str__(self):
        return f"{self.activity_unit} {self.month}"


class ReportReminder(models.Model):
    """A reminder that a unit's report of a fiscal month was due and nothing was handed in.

    One per unit and month (send_report_reminders runs daily and never reminds twice);
    ``emailed`` is how many of the unit's people got the e-mail: 0 means nobody could be
    reached, and a later run tries that unit again.
    """

    unit = models.ForeignKey(OrgUnit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    month = models.PositiveSmallIntegerField(_("fiscal month"))
    assignments = models.PositiveIntegerField(_("assignments not handed in"))
    emailed = models.PositiveIntegerField(_("e-mails sent"), default=0)
    sent_at = models.DateTimeField(_("reminded at"))

    class Meta:
        verbose_name = _("report reminder")
        verbose_name_plural = _("report reminders")
        constraints = [
            models.UniqueConstraint(fields=["unit", "fiscal_year", "month"], name="reportreminder_once"),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="reportreminder_month_1_12"
            ),
        ]

    def __str__(self):
        return f"{self.unit} {self.fiscal_year}/{self.month}"


class Versioned(models.Model):
    """Optimistic locking: a save names the version it started from, and fails if another save came first."""

    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True


@pghistory.track(*audited())
class PerformanceResult(Versioned):
    """ผลการปฏิบัติงาน of one assigned unit in one fiscal month."""

    activity_unit = models.ForeignKey(
        ActivityUnit, verbose_name=_("assigned unit"), on_delete=models.PROTECT, related_name="results"
    )
    month = models.PositiveSmallIntegerField(_("fiscal month"))
    quantity = models.DecimalField(_("output achieved"), **QUANTITY, default=0)
    narrative = models.TextField(_("what was done"), blank=True, max_length=4000)
    obstacles = models.TextField(_("problems and obstacles"), blank=True, max_length=4000)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("performance result")
        verbose_name_plural = _("performance results")
        constraints = [
            models.UniqueConstraint(fields=["activity_unit", "month"], name="result_one_per_month"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="result_month_1_12"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="result_quantity_not_negative"),
        ]
        triggers = [closed_month_trigger("result_month_open"), report_lock_trigger("result_report_open")]

    def __str__(self):
        return f"{self.activity_unit} {self.month}"


@pghistory.track(*audited())
class StepProgress(models.Model):
    """How far one unit has got with one step, as of a month (0–100 %)."""

    activity_unit = models.ForeignKey(
        ActivityUnit, verbose_name=_("assigned unit"), on_delete=models.PROTECT, related_name="step_progress"
    )
    step = models.ForeignKey(Step, verbose_name=_("step"), on_delete=models.PROTECT, related_name="progress")
    month = models.PositiveSmallIntegerField(_("fiscal month"))
    percent = models.DecimalField(
        _("complete (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("step progress")
        verbose_name_plural = _("step progress")
        constraints = [
            models.UniqueConstraint(fields=["activity_unit", "step", "month"], name="stepprogress_once"),
            models.CheckConstraint(condition=Q(percent__gte=0, percent__lte=100), name="stepprogress_0_100"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="stepprogress_month_1_12"),
        ]
        triggers = [
            closed_month_trigger("stepprogress_month_open"),
            report_lock_trigger("stepprogress_report_open"),
        ]

    def __str__(self):
        return f"{self.step} {self.percent}%"


@pghistory.track(*audited())
class IndicatorResult(models.Model):
    """ผลตัวชี้วัด: the value an assigned unit reached on an indicator, as of a month."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="results"
    )
    activity_unit = models.ForeignKey(
        ActivityUnit,
        verbose_name=_("assigned unit"),
        on_delete=models.PROTECT,
        related_name="indicator_results",
    )
    month = models.PositiveSmallIntegerField(_("fiscal month"))
    value = models.DecimalField(_("result"), **QUANTITY)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator result")
        verbose_name_plural = _("indicator results")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "activity_unit", "month"], name="indicatorresult_once"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="indicatorresult_not_negative"),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="indicatorresult_month_1_12"
            ),
        ]
        triggers = [
            closed_month_trigger("indicatorresult_month_open"),
            report_lock_trigger("indicatorresult_report_open"),
        ]

    def __str__(self):
        return f"{self.indicator} {self.month}: {self.value}"


# The ledger rule, for each assigned unit and each pool of money (this year's, or
# carried over from last year): disbursed in all ≤ transfers − returns, unless
# the row being written carries an override reason. An update that moves a row
# from one pool to another checks both. Writers of one unit's ledger queue on a lock,
# so that concurrent saves cannot each pass the check and overspend together.
LEDGER_FUNC = """
    FOR unit_id, pool IN
        SELECT NEW.activity_unit_id, NEW.carried_over WHERE TG_OP <> 'DELETE'
        UNION
        SELECT OLD.activity_unit_id, OLD.carried_over WHERE TG_OP <> 'INSERT'
    LOOP
        -- One writer per unit at a time: two months saved at once must not both see the
        -- other's spending as not yet there. Held to the end of the transaction.
        PERFORM pg_advisory_xact_lock(hashtext('progress_ledger'), unit_id::integer);
        SELECT
            COALESCE((SELECT SUM(CASE WHEN t.kind = 'transfer' THEN t.amount ELSE -t.amount END)
                      FROM progress_transfer t
                      WHERE t.activity_unit_id = unit_id AND t.carried_over = pool), 0),
            COALESCE((SELECT SUM(d.disbursed) FROM progress_disbursement d
                      WHERE d.activity_unit_id = unit_id AND d.carried_over = pool), 0)
        INTO received, spent;
        IF received < 0 OR spent > received THEN
            RAISE EXCEPTION 'ledger: unit % would hold % and have disbursed %', unit_id, received, spent
                USING ERRCODE = 'check_violation';
        END IF;
    END LOOP;
    RETURN NULL;
"""


def ledger_trigger(name, when_to_check):
    """An AFTER trigger that checks the ledger of the written row's unit when ``when_to_check`` holds.

    Writes that can only add money (a transfer in, a deleted disbursement)
    are never refused, so a unit over its budget can always be put right.
    """
    return pgtrigger.Trigger(
        name=name,
        when=pgtrigger.After,
        operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
        declare=[("unit_id", "bigint"), ("pool", "boolean"), ("received", "numeric"), ("spent", "numeric")],
        func=f"""
            IF NOT ({when_to_check}) THEN RETURN NULL; END IF;
            IF TG_OP <> 'DELETE' AND COALESCE(NEW.override_reason, '') <> '' THEN
                RETURN NULL;  -- an explicit override, kept with its reason in the audit trail
            END IF;
        """
        + LEDGER_FUNC,
    )


@pghistory.track(*audited())
class Disbursement(Versioned):
    """ผลการใช้จ่ายงบประมาณ of one assigned unit in one month, for one budget line: committed and disbursed.

    A budget line is a budget category (งบรายจ่าย) of this year's money or of
    money carried over from last year (เงินกันเหลื่อมปี), as the allocations
    have them, so that investment spending and carried-over money can be
    reported against their own budgets and targets.
    """

    activity_unit = models.ForeignKey(
        ActivityUnit, verbose_name=_("assigned unit"), on_delete=models.PROTECT, related_name="disbursements"
    )
    month = models.PositiveSmallIntegerField(_("fiscal month"))
    category = models.CharField(
        _("budget category"), max_length=12, choices=BudgetCategory.choices, default=BudgetCategory.OPERATING
    )
    carried_over = models.BooleanField(_("carried over from last year"), default=False)
    committed = models.DecimalField(_("committed (baht)"), **MONEY, default=0)
    disbursed = models.DecimalField(_("disbursed (baht)"), **MONEY, default=0)
    override_reason = models.TextField(
        _("reason for exceeding the received budget"), blank=True, max_length=2000
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        constraints = [
            models.UniqueConstraint(
                fields=["activity_unit", "month", "category", "carried_over"],
                name="disbursement_one_per_line_and_month",
            ),
            models.CheckConstraint(
                condition=Q(committed__gte=0, disbursed__gte=0), name="disbursement_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(category__in=BudgetCategory.values), name="disbursement_category_known"
            ),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="disbursement_month_1_12"),
        ]
        triggers = [
            closed_month_trigger("disbursement_month_open"),
            report_lock_trigger("disbursement_report_open"),
            ledger_trigger("disbursement_ledger", "TG_OP <> 'DELETE'"),
        ]

    def __str__(self):
        return f"{self.activity_unit} {self.month}: {self.disbursed}"


@pghistory.track(*audited())
class Transfer(models.Model):
    """โอนจัดสรร-โอนคืน: money transferred to a unit, or returned by it."""

    class Kind(models.TextChoices):
        TRANSFER = "transfer", _("Transfer to the unit")
        RETURN = "return", _("Return from the unit")

    activity_unit = models.ForeignKey(
        ActivityUnit, verbose_name=_("assigned unit"), on_delete=models.PROTECT, related_name="transfers"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount (baht)"), **MONEY)
    carried_over = models.BooleanField(
        _("money carried over from last year"),
        default=False,
        help_text=_("Tick for เงินกันเหลื่อมปี: last year's money reserved for this activity."),
    )
    document_no = models.CharField(_("document number"), max_length=100)
    note = models.CharField(_("note"), max_length=500, blank=True)
    override_reason = models.TextField(
        _("reason for exceeding what the unit holds"), blank=True, max_length=2000
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("transfer or return")
        verbose_name_plural = _("transfers and returns")
        ordering = ["date", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="transfer_amount_positive"),
            models.CheckConstraint(condition=Q(kind__in=["transfer", "return"]), name="transfer_kind_known"),
        ]
        triggers = [
            pgtrigger.Trigger(
                name="transfer_month_open",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
                declare=[("written_unit", "bigint"), ("written_day", "date")],
                func=CLOSED_DATE_FUNC,
            ),
            ledger_trigger(
                "transfer_ledger",
                "(TG_OP = 'INSERT' AND NEW.kind = 'return') OR TG_OP = 'UPDATE'"
                " OR (TG_OP = 'DELETE' AND OLD.kind = 'transfer')",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}"


@pghistory.track(*audited())
class Procurement(models.Model):
    """ผลการจัดซื้อจัดจ้าง: one procurement of an assigned unit."""

    class Method(models.TextChoices):
        SPECIFIC = "specific", _("Specific method (เฉพาะเจาะจง)")
        SELECTION = "selection", _("Selection (คัดเลือก)")
        E_BIDDING = "e_bidding", _("e-bidding")
        E_MARKET = "e_market", _("e-market")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROCESS = "in_process", _("In process")
        CONTRACTED = "contracted", _("Contract signed")
        DELIVERED = "delivered", _("Delivered")
        CANCELLED = "cancelled", _("Cancelled")

    activity_unit = models.ForeignKey(
        ActivityUnit, verbose_name=_("assigned unit"), on_delete=models.PROTECT, related_name="procurements"
    )
    item = models.CharField(_("item"), max_length=500)
    method = models.CharField(_("method"), max_length=12, choices=Method.choices)
    reference_price = models.DecimalField(_("reference price (baht)"), **MONEY, null=True, blank=True)
    contract_amount = models.DecimalField(_("contract amount (baht)"), **MONEY, null=True, blank=True)
    vendor = models.CharField(_("vendor"), max_length=300, blank=True)
    contract_no = models.CharField(_("contract number"), max_length=100, blank=True)
    contract_date = models.DateField(_("contract date"), null=True, blank=True)
    delivery_due = models.DateField(_("delivery due"), null=True, blank=True)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    egp_number = models.CharField(_("e-GP project number"), max_length=30, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("procurement")
        verbose_name_plural = _("procurements")
        constraints = [
            models.CheckConstraint(
                condition=(Q(reference_price__isnull=True) | Q(reference_price__gte=0))
                & (Q(contract_amount__isnull=True) | Q(contract_amount__gte=0)),
                name="procurement_amounts_not_negative",
            ),
        ]

    def __str__(self):
        return self.item


class Photo(models.Model):
    """ภาพถ่ายโครงการ: an image of an assigned unit's work, re-encoded and thumbnailed on upload."""

    activity_unit = models.ForeignKey(
        ActivityUnit, verbose_name=_("assigned unit"), on_delete=models.PROTECT, related_name="photos"
    )
    image = models.ImageField(_("photo"), upload_to="progress/photos/%Y/%m/")
    thumbnail = models.ImageField(_("thumbnail"), upload_to="progress/thumbs/%Y/%m/")
    caption = models.CharField(_("caption"), max_length=300)
    taken_on = models.DateField(_("date taken"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["-taken_on", "-uploaded_at"]

    def __str__(self):
        return self.caption


# --- figures of each assigned unit, for the progress pages and the dashboards -------------------
#
# ``AssignmentFigures`` is a summary kept by PostgreSQL, not by the app: every
# statement writing plans, allocations, results, step progress, indicator
# results, disbursements or transfers (from a view, the admin, an import, a bulk
# update or psql) hands the assigned units it wrote to ``progress_figures_touch``
# (the statement triggers both summaries share, migration 0012), which queues
# them; at commit one function recomputes the queued units' rows from the raw
# rows (migration 0004). Pages then read one row per assigned unit, however many
# months and years of raw rows pile up.
#
# Monthly figures are arrays of twelve cumulative totals: element ``m - 1`` is
# the total of fiscal months 1 … m (October … the m-th month), so "to date as of
# month m" is one element and a month's own figure is the difference of two.

SUM = MONEY_TOTAL

# The one "behind plan" rule: output to date below 80 % of the plan to date is behind; from 80 % a
# little behind; at or above 100 % on plan. Pages colour rows by it, dashboards count and rank by it.
ON_PLAN, SLIGHTLY_BEHIND = Decimal(100), Decimal(80)


def standing(output_percent) -> str:
    """on_plan / slightly_behind / behind for an output percentage of plan, '' when nothing was planned."""
    if output_percent is None:
        return ""
    if output_percent >= ON_PLAN:
        return "on_plan"
    return "slightly_behind" if output_percent >= SLIGHTLY_BEHIND else "behind"


def is_behind(output_percent) -> bool:
    return standing(output_percent) == "behind"


YEAR_END = 12  # the fiscal year's last month (September): "as of YEAR_END" is the whole year


def month_index(month: int) -> int:
    """Fiscal month (1 = October … 12 = September) to its element of the cumulative arrays (0-based)."""
    return month - 1


def cumulative(name: str, month: int):
    """SQL form of a cumulative figure ``name`` to the end of fiscal ``month`` (1 … 12), for sums."""
    return models.F(f"{name}__{month_index(month)}")


def monthly(label):
    return ArrayField(models.DecimalField(**SUM), size=12, verbose_name=label)


class FiguresQuerySet(RestrictedQuerySet):
    """Reads of the figures, named for the page they serve; call them after ``visible_to(user)``."""

    def as_of(self, month: int):
        """Rows that know the month a page shows (``row.shown``): the month's values are the row's."""
        return self.annotate(shown_month=models.Value(month, output_field=models.IntegerField()))

    def for_dashboard(self, filters):
        """The rows a dashboard sums, narrowed by its filters: the live summary's of the filters' year
        (an official record's copies, filtered to their record before, are of one year already)."""
        rows = self
        if self.model is AssignmentFigures:
            rows = rows.filter(fiscal_year=filters.fiscal_year)
        if filters.source:
            rows = rows.filter(funding_source=filters.source)
        if filters.province is not None:
            rows = rows.filter(unit__province=filters.province)
        if filters.unit is not None:
            rows = rows.filter(unit=filters.unit)
        if filters.project is not None:
            rows = rows.filter(project=filters.project)
        return rows


# What a row of the progress list reads (templates/progress/index.html and FiguresAt): half of the
# summary's arrays and a few columns of each joined row, so the page neither sorts, sends nor parses
# the rest.
UNIT_LIST_COLUMNS = (
    "fiscal_year",
    "planned_quantity",
    "result_quantity",
    "received",
    "disbursed",
    "received_carried",
    "disbursed_carried",
    "allocated",
    "allocated_carried",
    "project__code",
    "project__name",
    "activity__order",
    "activity__name",
    "unit__name_th",
    "unit__short_name",
    "activity_unit__output_unit",
)


class AssignmentFiguresQuerySet(FiguresQuerySet):
    def _listed(self, month: int):
        return (
            self.as_of(month)
            .select_related("project", "activity", "unit", "activity_unit")
            .alias(
                month_report=models.FilteredRelation(
                    "activity_unit__month_reports", condition=Q(activity_unit__month_reports__month=month)
                )
            )
            .annotate(
                report_status=models.F("month_report__status"),
                report_reason=models.F("month_report__reason"),
            )
        )

    def for_unit_list(self, fiscal_year: int, month: int, *, unit=None):
        """The progress list: each assigned unit of the year with its month's figures and report.

        Found by the year (and unit) copied onto the figures, under one index, so the list reads
        as many rows after ten years as after one.
        """
        rows = self.filter(fiscal_year=fiscal_year)
        if unit is not None:
            rows = rows.filter(unit=unit)
        rows = rows._listed(month).order_by("project__code", "activity__order", "unit__name_sort")
        return rows.only(*UNIT_LIST_COLUMNS)

    def for_project_page(self, project, month: int):
        """A project's assigned units with their month's figures and report, in activity order."""
        return self.filter(project=project)._listed(month).order_by("activity__order", "unit__name_sort")

    def for_drill_down(self, month: int):
        """One assigned unit's months (the dashboards' deepest level), with its report of ``month``."""
        return self._listed(month)

    def for_project_management(self, project):
        """The project management page: each assigned unit's plan and allocation, only those columns
        (the year's plan is ``planned_at(YEAR_END)``, ``planned_spending_at(YEAR_END)``)."""
        return self.filter(fiscal_year=project.fiscal_year, project=project).only(
            "activity_unit_id", "planned_quantity", "planned_spending", "allocated"
        )

    def peers_of(self, figures):
        """The rows an outlier flag compares ``figures`` with: the same activity in the units of the
        same kind (provincial offices with provincial offices, bureaus with bureaus), itself included;
        only the output and this year's disbursement."""
        return self.filter(activity_id=figures.activity_id, unit__kind=figures.unit.kind).only(
            "activity_unit_id", "result_quantity", "disbursed"
        )


class FiguresAt:
    """One row's figures as of a month, named for templates (``row.shown.disbursed``): each is the
    row's ``*_at(month)`` or ``*_in(month)``, so a template cannot compute a figure another way."""

    def __init__(self, figures, month: int):
        self.figures, self.month = figures, month

    planned_in = property(lambda self: self.figures.planned_in(self.month))
    done_in = property(lambda self: self.figures.done_in(self.month))
    planned_spending = property(lambda self: self.figures.planned_spending_at(self.month))
    disbursed = property(lambda self: self.figures.disbursed_at(self.month))
    received = property(lambda self: self.figures.received_at(self.month))
    disbursed_carried = property(lambda self: self.figures.disbursed_carried_at(self.month))
    received_carried = property(lambda self: self.figures.received_carried_at(self.month))
    has_carried = property(lambda self: self.figures.has_carried_at(self.month))
    of_received = property(lambda self: self.figures.of_received_at(self.month))
    of_allocated = property(lambda self: self.figures.of_allocated_at(self.month))
    behind = property(lambda self: self.figures.behind_at(self.month))


class FiguresColumns(models.Model):
    """The columns of one assigned unit's figures, shared by the live summary and the official record,
    so that the dashboards' sums read either one alike."""

    # Copied from the project and the assignment so a year's rows are found by index.
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    funding_source = models.CharField(_("money source"), max_length=20, choices=FundingSource.choices)
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )

    planned_quantity = monthly(_("planned output, cumulative"))
    result_quantity = monthly(_("output achieved, cumulative"))
    planned_spending = monthly(_("planned spending, cumulative"))
    # This year's money.
    committed = monthly(_("committed, cumulative"))
    disbursed = monthly(_("disbursed, cumulative"))
    disbursed_investment = monthly(_("investment disbursed, cumulative"))
    received = monthly(_("received, cumulative"))
    # Money carried over from last year (เงินกันเหลื่อมปี).
    committed_carried = monthly(_("carried over: committed, cumulative"))
    disbursed_carried = monthly(_("carried over: disbursed, cumulative"))
    received_carried = monthly(_("carried over: received, cumulative"))
    # Weighted completion of the activity's steps as of each month (0–100); null without steps.
    step_completion = ArrayField(
        models.DecimalField(max_digits=5, decimal_places=2),
        size=12,
        null=True,
        blank=True,
        verbose_name=_("step completion"),
    )
    # Indicators of the activity whose latest result as of each month reaches the unit's target.
    indicators_met = ArrayField(models.IntegerField(), size=12, verbose_name=_("indicators met"))
    indicator_count = models.IntegerField(_("number of indicators"))

    allocated = models.DecimalField(_("allocated"), **SUM)
    allocated_investment = models.DecimalField(_("investment allocated"), **SUM)
    allocated_carried = models.DecimalField(_("carried over: allocated"), **SUM)
    refreshed_at = models.DateTimeField(_("recomputed at"))

    objects = FiguresQuerySet.as_manager()

    class Meta:
        abstract = True

    # --- a month's values: the one place a page reads them from --------------------------------
    # ``*_at(month)`` to the end of fiscal ``month`` (0 before October); ``*_in(month)`` that
    # month alone. This year's money and money carried over from last year are always apart.

    @staticmethod
    def _to(values, month: int):
        if values is None or month < 1:
            return Decimal(0)
        return values[month_index(month)]

    def _in(self, values, month: int):
        return self._to(values, month) - self._to(values, month - 1)

    def planned_in(self, month):
        return self._in(self.planned_quantity, month)

    def done_in(self, month):
        return self._in(self.result_quantity, month)

    def planned_spending_in(self, month):
        return self._in(self.planned_spending, month)

    def disbursed_in(self, month):
        return self._in(self.disbursed, month)

    def planned_at(self, month):
        return self._to(self.planned_quantity, month)

    def done_at(self, month):
        return self._to(self.result_quantity, month)

    def planned_spending_at(self, month):
        return self._to(self.planned_spending, month)

    def committed_at(self, month):
        return self._to(self.committed, month)

    def disbursed_at(self, month):
        return self._to(self.disbursed, month)

    def received_at(self, month):
        return self._to(self.received, month)

    def disbursed_carried_at(self, month):
        return self._to(self.disbursed_carried, month)

    def received_carried_at(self, month):
        return self._to(self.received_carried, month)

    def step_completion_at(self, month):
        return self.step_completion[month_index(month)] if self.step_completion and month >= 1 else None

    def indicators_met_at(self, month):
        return self.indicators_met[month_index(month)] if month >= 1 else 0

    def output_percent_at(self, month):
        return thaicalendar.percent(self.done_at(month), self.planned_at(month))

    def of_received_at(self, month):
        return thaicalendar.percent(self.disbursed_at(month), self.received_at(month))

    def of_allocated_at(self, month):
        return thaicalendar.percent(self.disbursed_at(month), self.allocated)

    def behind_at(self, month) -> bool:
        return is_behind(self.output_percent_at(month))

    def over_allocation_at(self, month) -> bool:
        """Is more spending planned to the end of ``month`` than this year's allocation?"""
        return self.planned_spending_at(month) > self.allocated

    def has_carried_at(self, month) -> bool:
        return bool(
            self.allocated_carried or self.received_carried_at(month) or self.disbursed_carried_at(month)
        )

    @property
    def shown(self) -> "FiguresAt":
        """The month's values of a row read with ``as_of(month)``."""
        return FiguresAt(self, self.shown_month)


class AssignmentFigures(FiguresColumns):
    """One assigned unit's plan, results and money: kept by triggers, read by dashboards, not written here."""

    activity_unit = models.OneToOneField(
        ActivityUnit,
        verbose_name=_("assigned unit"),
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="figures",
    )

    objects = AssignmentFiguresQuerySet.as_manager()

    class Meta:
        verbose_name = _("figures of an assigned unit")
        verbose_name_plural = _("figures of assigned units")
        indexes = [
            models.Index(fields=["fiscal_year", "funding_source"], name="figures_year_source"),
            models.Index(fields=["fiscal_year", "unit"], name="figures_year_unit"),
            models.Index(fields=["fiscal_year", "project"], name="figures_year_project"),
        ]

    def __str__(self):
        return f"{self.activity_unit_id} ({self.fiscal_year})"


class FiguresVersion(models.Model):
    """A number that changes whenever any figure of a fiscal year changes (set by the summary's refresh).

    Drawn from a sequence, so a number is never given twice, even after a rollback: cached
    dashboards are kept under it and can never be served for other data.
    """

    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), primary_key=True)
    version = models.BigIntegerField(_("version"))
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        verbose_name = _("figures version")
        verbose_name_plural = _("figures versions")

    def __str__(self):
        return f"{self.fiscal_year}: {self.version}"


class OfficialFigures(FiguresColumns):
    """One assigned unit's figures as they stood when its month was closed: a copy of its
    ``AssignmentFigures`` row, read by the dashboards "as of" that month."""

    record = models.ForeignKey(
        OfficialRecord, verbose_name=_("official record"), on_delete=models.PROTECT, related_name="figures"
    )
    activity_unit = models.ForeignKey(
        ActivityUnit,
        verbose_name=_("assigned unit"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )

    class Meta:
        verbose_name = _("official figures of an assigned unit")
        verbose_name_plural = _("official figures of assigned units")
        constraints = [
            models.UniqueConstraint(fields=["record", "activity_unit"], name="officialfigures_once"),
        ]
        triggers = [immutable("officialfigures_immutable")]

    def __str__(self):
        return f"{self.record}: {self.activity_unit_id}"


class OfficialBudgetLine(models.Model):
    """An assigned unit's budget line (category, this year's or carried-over money) to the end of a
    closed month: allocated, committed and disbursed, as the official record."""

    record = models.ForeignKey(
        OfficialRecord, verbose_name=_("official record"), on_delete=models.PROTECT, related_name="lines"
    )
    activity_unit = models.ForeignKey(
        ActivityUnit,
        verbose_name=_("assigned unit"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    funding_source = models.CharField(_("money source"), max_length=20, choices=FundingSource.choices)
    category = models.CharField(_("budget category"), max_length=12, choices=BudgetCategory.choices)
    carried_over = models.BooleanField(_("carried over from last year"))
    allocated = models.DecimalField(_("allocated"), **SUM)
    committed = models.DecimalField(_("committed to the end of the month"), **SUM)
    disbursed = models.DecimalField(_("disbursed to the end of the month"), **SUM)

    class Meta:
        verbose_name = _("official budget line")
        verbose_name_plural = _("official budget lines")
        constraints = [
            models.UniqueConstraint(
                fields=["record", "activity_unit", "category", "carried_over"], name="officialline_once"
            ),
        ]
        triggers = [immutable("officialline_immutable")]

    def __str__(self):
        return f"{self.record}: {self.activity_unit_id} {self.category}"


class OfficialProjectFigures(models.Model):
    """A project's totals to the end of a closed month, with the percentages the dashboards showed."""

    record = models.ForeignKey(
        OfficialRecord, verbose_name=_("official record"), on_delete=models.PROTECT, related_name="projects"
    )
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    funding_source = models.CharField(_("money source"), max_length=20, choices=FundingSource.choices)
    assignments = models.IntegerField(_("assigned units"))
    allocated = models.DecimalField(_("allocated"), **SUM)
    planned_spending = models.DecimalField(_("planned spending to date"), **SUM)
    received = models.DecimalField(_("received to date"), **SUM)
    committed = models.DecimalField(_("committed to date"), **SUM)
    disbursed = models.DecimalField(_("disbursed to date"), **SUM)
    allocated_investment = models.DecimalField(_("investment allocated"), **SUM)
    disbursed_investment = models.DecimalField(_("investment disbursed to date"), **SUM)
    allocated_carried = models.DecimalField(_("carried over: allocated"), **SUM)
    received_carried = models.DecimalField(_("carried over: received to date"), **SUM)
    disbursed_carried = models.DecimalField(_("carried over: disbursed to date"), **SUM)
    output_percent = models.DecimalField(
        _("output, percent of plan"), max_digits=9, decimal_places=4, null=True
    )
    step_percent = models.DecimalField(_("steps completed (%)"), max_digits=9, decimal_places=4, null=True)
    indicators_met = models.IntegerField(_("indicators met"))
    indicator_count = models.IntegerField(_("number of indicators"))

    class Meta:
        verbose_name = _("official figures of a project")
        verbose_name_plural = _("official figures of projects")
        constraints = [models.UniqueConstraint(fields=["record", "project"], name="officialproject_once")]
        triggers = [immutable("officialproject_immutable")]

    def __str__(self):
        return f"{self.record}: {self.project_id}"


@pghistory.track(*audited())
class ResultCheck(models.Model):
    """A flagged result of an assigned unit's month (progress.outliers) that a reviewer looked at.

    ``subject`` names the value: "quantity", "disbursed" or "indicator:<id>". The check holds for
    the value it was made at: once the unit changes it, the flag shows again. It never blocks.
    """

    activity_unit = models.ForeignKey(
        ActivityUnit, verbose_name=_("assigned unit"), on_delete=models.CASCADE, related_name="result_checks"
    )
    month = models.PositiveSmallIntegerField(_("fiscal month"))
    subject = models.CharField(_("value"), max_length=40)
    value = models.DecimalField(_("value when checked"), max_digits=24, decimal_places=4)
    note = models.TextField(_("note"), max_length=2000)
    checked_at = models.DateTimeField(_("checked at"), auto_now=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("checked by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("checked result")
        verbose_name_plural = _("checked results")
        constraints = [
            models.UniqueConstraint(fields=["activity_unit", "month", "subject"], name="resultcheck_unique"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="resultcheck_month_1_12"),
            models.CheckConstraint(condition=~Q(note=""), name="resultcheck_has_note"),
        ]

    def __str__(self):
        return f"{self.activity_unit_id} {self.month} {self.subject}"
