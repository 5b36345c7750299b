"""DLA district workload: questionnaires, district submissions, answers, province confirmation.

A confirmed submission is locked by database triggers: its answers, extra
items, covered districts and contact details cannot change by any route
(views, admin, bulk update, SQL) until a DLA admin reopens it. The reopen service
calls the database function ``workload_reopen_submission`` (made by the
reopen_through_function migration), which writes the reopening's record and clears the
confirmation in one statement, as the tables' owner: the site's own database role
cannot clear a confirmation by itself (tracking/db_roles.py).
"""

from decimal import Decimal

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q, Sum
from django.utils.translation import gettext_lazy as _

from accounts.models import District, OrgUnit, unit_name
from accounts.querysets import RestrictedQuerySet
from tracking import thaicalendar
from tracking.audit import audited

MAX_VOLUME = 1_000_000
MAX_DAYS = 365
MAX_HOURS = 23
ASPECT_COUNT = 8


class Questionnaire(models.Model):
    """The questions of one fiscal year and the window in which districts record."""

    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), unique=True)
    opens_on = models.DateField(_("recording opens on"))
    closes_on = models.DateField(_("recording closes on"))
    hours_per_day = models.DecimalField(
        _("working hours per day"),
        max_digits=4,
        decimal_places=2,
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text=_("Converts days per unit into hours."),
    )
    yearly_hours = models.DecimalField(
        _("working hours per person per year"),
        max_digits=6,
        decimal_places=1,
        default=1380,
        validators=[MinValueValidator(1)],
        help_text=_("For full-time-equivalent staff: total hours divided by this."),
    )
    is_sample = models.BooleanField(
        _("sample content"), default=False, help_text=_("Questions written for demonstration.")
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["-fiscal_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="questionnaire_window"
            ),
            models.CheckConstraint(
                condition=Q(fiscal_year__gte=2500, fiscal_year__lte=2700), name="questionnaire_fy_buddhist"
            ),
            models.CheckConstraint(
                condition=Q(hours_per_day__gt=0, hours_per_day__lte=24), name="questionnaire_hours"
            ),
            models.CheckConstraint(condition=Q(yearly_hours__gt=0), name="questionnaire_yearly_hours"),
        ]

    def __str__(self):
        return str(self.fiscal_year)

    def is_open(self, day) -> bool:
        return self.opens_on <= day <= self.closes_on


# A questionnaire is frozen once its recording window has opened (in Thai time) or any district
# has answered it (so moving the window later again does not thaw it; a confirmation needs answers):
# from then on what a district answered, and what a province confirmed, must keep its meaning.
# workload.services.is_frozen asks the same for the pages.
FROZEN_QUESTIONNAIRE_SQL = """
    (q.opens_on <= (now() AT TIME ZONE 'Asia/Bangkok')::date
     OR EXISTS (SELECT 1 FROM workload_submission s JOIN workload_answer x ON x.submission_id = s.id
                WHERE s.questionnaire_id = q.id))
"""

FREEZE_ASPECT_FUNC = (
    "\n    SELECT FROZEN_QUESTIONNAIRE INTO frozen"  # nosec B608: constant SQL of this module, no input
    """
        FROM workload_questionnaire q WHERE q.id = OLD.questionnaire_id;
    IF frozen AND (TG_OP = 'DELETE'
                   OR NEW.title IS DISTINCT FROM OLD.title
                   OR NEW.number IS DISTINCT FROM OLD.number
                   OR NEW.questionnaire_id IS DISTINCT FROM OLD.questionnaire_id) THEN
        RAISE EXCEPTION 'workload aspect % is frozen: its questionnaire is in use', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
""".replace("FROZEN_QUESTIONNAIRE", FROZEN_QUESTIONNAIRE_SQL)
)

# A frozen question may only be retired, once, when a correction replaces it.
FREEZE_QUESTION_FUNC = (
    "\n    SELECT FROZEN_QUESTIONNAIRE INTO frozen"  # nosec B608: constant SQL of this module, no input
    """
        FROM workload_aspect a JOIN workload_questionnaire q ON q.id = a.questionnaire_id
        WHERE a.id = OLD.aspect_id;
    IF frozen AND (TG_OP = 'DELETE'
                   OR NEW.text IS DISTINCT FROM OLD.text
                   OR NEW.unit IS DISTINCT FROM OLD.unit
                   OR NEW."order" IS DISTINCT FROM OLD."order"
                   OR NEW.aspect_id IS DISTINCT FROM OLD.aspect_id
                   OR NEW.replaces_id IS DISTINCT FROM OLD.replaces_id
                   OR (OLD.retired_at IS NOT NULL AND NEW.retired_at IS DISTINCT FROM OLD.retired_at)) THEN
        RAISE EXCEPTION 'workload question % is frozen: its questionnaire is in use', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
""".replace("FROZEN_QUESTIONNAIRE", FROZEN_QUESTIONNAIRE_SQL)
)


def freeze_trigger(name, func):
    return pgtrigger.Trigger(
        name=name,
        when=pgtrigger.Before,
        operation=pgtrigger.Update | pgtrigger.Delete,
        declare=[("frozen", "boolean")],
        func=func,
    )


class Aspect(models.Model):
    """ด้านที่ 1–8 of a questionnaire."""

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("questionnaire"), on_delete=models.CASCADE, related_name="aspects"
    )
    number = models.PositiveSmallIntegerField(_("aspect number"))
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        verbose_name = _("aspect")
        verbose_name_plural = _("aspects")
        ordering = ["questionnaire", "number"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "number"], name="aspect_unique_number"),
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=ASPECT_COUNT), name="aspect_number_1_8"
            ),
        ]
        triggers = [freeze_trigger("aspect_freeze", FREEZE_ASPECT_FUNC)]

    def __str__(self):
        return f"{self.number}. {self.title}"


class CurrentQuestionManager(models.Manager):
    """The questions asked now: a corrected question's earlier versions are left out."""

    def get_queryset(self):
        return super().get_queryset().filter(retired_at__isnull=True)


class Question(models.Model):
    """One question of an aspect. In a frozen questionnaire a correction of its text or unit is a
    new row that ``replaces`` this one, which is kept (``retired_at``) for the answers of the
    submissions confirmed on it; the others' answers move to the new row."""

    aspect = models.ForeignKey(
        Aspect, verbose_name=_("aspect"), on_delete=models.CASCADE, related_name="questions"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.CharField(_("question"), max_length=500)
    unit = models.CharField(_("counting unit"), max_length=50)
    retired_at = models.DateTimeField(_("replaced by a correction on"), null=True, blank=True, editable=False)
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by", editable=False
    )

    # The default manager (also behind ``aspect.questions``, forms and the admin) gives the current
    # versions; ``answer.question`` (the base manager) still reaches a retired one.
    all_versions = models.Manager()
    objects = CurrentQuestionManager()

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["aspect", "order"]
        default_manager_name = "objects"
        base_manager_name = "all_versions"
        constraints = [
            models.UniqueConstraint(
                fields=["aspect", "order"], condition=Q(retired_at__isnull=True), name="question_unique_order"
            )
        ]
        triggers = [freeze_trigger("question_freeze", FREEZE_QUESTION_FUNC)]

    def __str__(self):
        return self.text


def covering(questionnaire="questionnaire_id", district="office__district_id", submission="pk"):
    """The covered-district row by which another office records this one's district this year
    (at most one: covered_district_once_a_year), for a subquery on the outer row's fields."""
    return CoveredDistrict.objects.filter(
        questionnaire_id=models.OuterRef(questionnaire), district_id=models.OuterRef(district)
    ).exclude(submission_id=models.OuterRef(submission))


COVERER = {
    "covered_by_id": models.F("submission_id"),
    "covered_by_code": models.F("submission__office__code"),
    "covered_by_name": unit_name("submission__office__"),
    "covered_by_confirmed_at": models.F("submission__confirmed_at"),
}


def coverer_annotations(rows, names=tuple(COVERER)) -> dict:
    """The office that records this row's district (``covered_by_id``, ``_code``, ``_name``,
    ``_confirmed_at``, or those of ``names``; None when it records for itself), from ``covering()``
    rows."""
    return {name: models.Subquery(rows.values(value=COVERER[name])[:1]) for name in names}


class SubmissionQuerySet(RestrictedQuerySet):
    def with_people(self):
        return self.select_related(
            "questionnaire", "office__district", "office__province", "confirmed_by", "reopened_by"
        )

    def with_coverer(self):
        """Each submission with the office that records it (``covered_by_id``, ``_code``, ``_name``,
        ``_confirmed_at``; None when it records for itself), in the same query."""
        return self.annotate(**coverer_annotations(covering()))

    def with_coverer_name(self):
        """with_coverer() for one office's own pages and saves, which only name the office that
        records it (``covered_by_name``, None when it records for itself): one subquery to build
        and plan instead of four."""
        return self.annotate(**coverer_annotations(covering(), ("covered_by_name",)))


# The submission row is read FOR SHARE: a confirmation under way (which holds the row for
# update) is waited for and then seen, and a confirmation cannot slip in while an edit is
# being written. Reading it without the lock, an edit and a confirmation running at the
# same moment could each miss the other, leaving a confirmed record that its data no
# longer matches.
LOCK_CHILD_FUNC = """
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        SELECT s.confirmed_at INTO confirmed FROM workload_submission s
            WHERE s.id = OLD.submission_id FOR SHARE;
        IF confirmed IS NOT NULL THEN
            RAISE EXCEPTION 'workload submission % is confirmed and locked', OLD.submission_id
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        SELECT s.confirmed_at INTO confirmed FROM workload_submission s
            WHERE s.id = NEW.submission_id FOR SHARE;
        IF confirmed IS NOT NULL THEN
            RAISE EXCEPTION 'workload submission % is confirmed and locked', NEW.submission_id
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
"""

LOCK_SUBMISSION_FUNC = """
    IF TG_OP = 'DELETE' THEN
        IF OLD.confirmed_at IS NOT NULL THEN
            RAISE EXCEPTION 'workload submission % is confirmed and locked', OLD.id
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.confirmed_at IS NOT NULL THEN
        -- Only a reopening may touch a confirmed submission, and only to clear the confirmation:
        -- workload_reopen_submission(), which runs as the table's owner (the site's role owns
        -- nothing) and has written this reopening's record in the same transaction.
        IF NEW.confirmed_at IS NULL
           AND coalesce(NEW.reopen_reason, '') <> ''
           AND current_user = (SELECT pg_get_userbyid(c.relowner) FROM pg_class c WHERE c.oid = TG_RELID)
           AND EXISTS (
               SELECT 1 FROM workload_reopening r
               WHERE r.submission_id = OLD.id AND r.previous_confirmed_at = OLD.confirmed_at
                 AND r.reopened_at = now()
           ) THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'workload submission % is confirmed and locked', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
"""


def lock_trigger(name, func):
    return pgtrigger.Trigger(
        name=name,
        when=pgtrigger.Before,
        operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
        declare=[("confirmed", "timestamptz")] if func is LOCK_CHILD_FUNC else None,
        func=func,
    )


@pghistory.track(*audited())
class Submission(models.Model):
    """One district office's record for one fiscal year (ข้อมูล สถอ.)."""

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("questionnaire"), on_delete=models.PROTECT, related_name="submissions"
    )
    office = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="workload_submissions",
        limit_choices_to={"agency": "dla", "kind": "district"},
        verbose_name=_("district office"),
    )
    office_address = models.TextField(_("office address"), max_length=500, blank=True)
    office_phone = models.CharField(_("office phone"), max_length=30, blank=True)
    contact_name = models.CharField(_("responsible person"), max_length=200, blank=True)
    contact_mobile = models.CharField(_("mobile phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    covered_districts = models.ManyToManyField(
        District, through="CoveredDistrict", related_name="+", verbose_name=_("districts covered")
    )
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    snapshot = models.JSONField(_("snapshot at confirmation"), null=True, blank=True)
    digest = models.CharField(_("SHA-256 of the snapshot"), max_length=64, blank=True)
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reopened by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reopen_reason = models.TextField(_("reason for reopening"), blank=True, max_length=2000)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("district submission")
        verbose_name_plural = _("district submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "office"], name="submission_one_per_office_year"
            ),
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True)
                | Q(confirmed_by__isnull=False, digest__regex=r"^[0-9a-f]{64}$", snapshot__isnull=False),
                name="submission_confirmation_has_evidence",
            ),
        ]
        triggers = [lock_trigger("submission_lock", LOCK_SUBMISSION_FUNC)]

    def __str__(self):
        return f"{self.office} {self.questionnaire}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


# The year of a covered district is its submission's, whatever the writer sent: the unique
# (questionnaire, district) constraint then holds for the app, the admin, COPY and psql alike.
COVERED_YEAR_FUNC = """
    SELECT s.questionnaire_id INTO NEW.questionnaire_id FROM workload_submission s
        WHERE s.id = NEW.submission_id;
    RETURN NEW;
"""

# An office that lists any district lists its own too. With one office per district a year, this
# is what keeps coverage one level deep: an office whose own district another office records
# (it is covered) cannot list districts itself, so no office is covered by one it covers, nor
# ends up covering itself through another. Checked at commit, as a form's save replaces the list.
COVERED_OWN_FIRST_FUNC = """
    FOR sub IN SELECT unnest(ARRAY[
        CASE WHEN TG_OP <> 'DELETE' THEN NEW.submission_id END,
        CASE WHEN TG_OP <> 'INSERT' THEN OLD.submission_id END]) LOOP
        CONTINUE WHEN sub IS NULL;
        SELECT o.district_id INTO own FROM workload_submission s
            JOIN accounts_orgunit o ON o.id = s.office_id WHERE s.id = sub;
        IF own IS NOT NULL
           AND EXISTS (SELECT 1 FROM workload_covereddistrict c WHERE c.submission_id = sub)
           AND NOT EXISTS (SELECT 1 FROM workload_covereddistrict c
                           WHERE c.submission_id = sub AND c.district_id = own) THEN
            RAISE EXCEPTION 'workload submission % lists districts but not its own district %', sub, own
                USING ERRCODE = 'check_violation';
        END IF;
    END LOOP;
    RETURN NULL;
"""


@pghistory.track(*audited())
class CoveredDistrict(models.Model):
    """A district the responsible person covers (อำเภอที่รับผิดชอบ), from the province's real list.

    An office's list holds its own district and the districts whose workload it records as well;
    the offices of those districts are then *covered* (บันทึกรวมกับ …): they record nothing, are
    not counted as missing, and the covering office's confirmation stands for them. A district is
    in one office's list a year at most (``covered_district_once_a_year``).
    """

    submission = models.ForeignKey(
        Submission, verbose_name=_("district submission"), on_delete=models.CASCADE, related_name="covered"
    )
    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("questionnaire"),
        on_delete=models.CASCADE,
        related_name="+",
        editable=False,
        # Never null in the table (covered_has_year); nullable here so that the history's copy of
        # the field allows the events written before the column existed.
        null=True,
        help_text=_("The submission's; set by the database."),
    )
    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("district covered")
        verbose_name_plural = _("districts covered")
        constraints = [
            models.UniqueConstraint(fields=["submission", "district"], name="covered_unique"),
            models.UniqueConstraint(
                fields=["questionnaire", "district"], name="covered_district_once_a_year"
            ),
            models.CheckConstraint(condition=Q(questionnaire__isnull=False), name="covered_has_year"),
        ]
        triggers = [
            lock_trigger("covered_lock", LOCK_CHILD_FUNC),
            pgtrigger.Trigger(
                name="covered_year",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update,
                func=COVERED_YEAR_FUNC,
            ),
            pgtrigger.Trigger(
                name="covered_own_first",
                when=pgtrigger.After,
                operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
                timing=pgtrigger.Deferred,
                declare=[("sub", "bigint"), ("own", "bigint")],
                func=COVERED_OWN_FIRST_FUNC,
            ),
        ]

    def __str__(self):
        return str(self.district)


class Measured(models.Model):
    """Yearly volume, days and hours per unit: the three numbers of every workload row."""

    volume = models.PositiveIntegerField(_("volume per year"), validators=[MaxValueValidator(MAX_VOLUME)])
    days = models.DecimalField(
        _("days per unit"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_DAYS)],
    )
    hours = models.PositiveSmallIntegerField(_("hours per unit"), validators=[MaxValueValidator(MAX_HOURS)])

    class Meta:
        abstract = True


MEASURED_BOUNDS = Q(
    volume__gte=0, volume__lte=MAX_VOLUME, days__gte=0, days__lte=MAX_DAYS, hours__gte=0, hours__lte=MAX_HOURS
)


@pghistory.track(*audited())
class Answer(Measured):
    submission = models.ForeignKey(
        Submission, verbose_name=_("district submission"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="answers"
    )

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["submission", "question"], name="answer_one_per_question"),
            models.CheckConstraint(condition=MEASURED_BOUNDS, name="answer_bounds"),
        ]
        triggers = [lock_trigger("answer_lock", LOCK_CHILD_FUNC)]

    def __str__(self):
        return f"{self.question}: {self.volume}"


@pghistory.track(*audited())
class ExtraItem(Measured):
    """ข้อมูลเฉพาะ สถอ.: work outside the eight aspects, as many rows as needed."""

    submission = models.ForeignKey(
        Submission,
        verbose_name=_("district submission"),
        on_delete=models.CASCADE,
        related_name="extra_items",
    )
    description = models.CharField(_("work done"), max_length=500)
    unit = models.CharField(_("counting unit"), max_length=50)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("office-specific item")
        verbose_name_plural = _("office-specific items")
        ordering = ["created_at", "pk"]
        constraints = [models.CheckConstraint(condition=MEASURED_BOUNDS, name="extraitem_bounds")]
        triggers = [lock_trigger("extra_lock", LOCK_CHILD_FUNC)]

    def __str__(self):
        return self.description


class Reopening(models.Model):
    """Each time a DLA admin reopened a confirmed submission, with the reason."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("district submission"), on_delete=models.CASCADE, related_name="reopenings"
    )
    reopened_at = models.DateTimeField(_("reopened at"), auto_now_add=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reopened by"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"), max_length=2000)
    previous_confirmed_at = models.DateTimeField(_("previously confirmed at"))
    previous_digest = models.CharField(_("SHA-256 at the previous confirmation"), max_length=64)

    class Meta:
        verbose_name = _("reopening")
        verbose_name_plural = _("reopenings")
        ordering = ["-reopened_at"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="reopening_has_reason")]

    def __str__(self):
        return f"{self.submission} {thaicalendar.format_date(self.reopened_at)}"


def hours_field(verbose_name=None):
    """THE definition of a number of hours (an answer's yearly hours, a submission's sums)."""
    return models.DecimalField(verbose_name, max_digits=24, decimal_places=4)


class SubmissionFiguresQuerySet(models.QuerySet):
    """The one read path of the DLA's status and hours figures: every page, export and report starts
    from ``visible_to(user)`` (or ``in_report_scope(user)``), then one of the ``for_…`` methods."""

    def visible_to(self, user, action: str = "view"):
        """The figures of the submissions this user may ACTION: the submission's rule, unchanged."""
        from accounts.access import restrict

        return self.filter(submission__in=restrict(Submission.objects.all(), user, action).values("pk"))

    def in_report_scope(self, user):
        """The figures the DLA reports show this user (accounts.access.dla_report_scope)."""
        from accounts.access import dla_report_scope

        return self.filter(dla_report_scope(user))

    def with_coverage(self):
        """``is_covered``: another office records this office's district this year (it is counted
        once, as that office's record, and never as missing)."""
        return self.annotate(is_covered=models.Exists(self._covering()))

    @staticmethod
    def _covering():
        return covering("questionnaire_id", "office__district_id", "submission_id")

    def for_district(self, submission):
        """One district office's row (its status and hours pages, the e-mails about it)."""
        return self.filter(submission=submission)

    def with_coverer_id(self):
        """``covered_by_id``: the submission that records this row's district (None when the office
        records for itself); ``reviewed_submissions()`` names it."""
        return self.annotate(covered_by_id=models.Subquery(self._covering().values("submission_id")[:1]))

    def for_province_review(self, questionnaire, province, submission_fields=()):
        """The province's review: one row per district office in Thai order, each with its
        submission (only ``submission_fields`` of it and its office) and ``covered_by_id``, the
        submission that records it (None when it records for itself)."""
        return (
            self.filter(questionnaire=questionnaire, office__province=province)
            .select_related("submission__office")
            .only(
                "answered_by_aspect",
                "hours_by_aspect",
                "extra_hours",
                "covered_count",
                "version",
                "submission_id",
                *(f"submission__{name}" for name in submission_fields),
            )
            .with_coverer_id()
            .order_by("office__name_sort")
        )

    def for_office(self, questionnaire, office):
        """A district office's row of the year (its recorder's home-page card); none before it starts."""
        return self.filter(questionnaire=questionnaire, office=office)

    def awaiting_confirmation(self, questionnaire):
        """The year's rows not confirmed yet, each with its submission, office and province and the
        office that records it (``covered_by_id``, as for_province_review()): the confirmer's home
        cards and the reminders; ``reviewed_submissions(rows, questionnaire)`` gives the submissions."""
        return (
            self.filter(questionnaire=questionnaire, is_confirmed=False)
            .select_related("submission__office__province")
            .with_coverer_id()
        )

    def for_report(self, questionnaire, province=None):
        """The year's rows the DLA reports count, with ``is_covered``; of one province if given."""
        rows = self.filter(questionnaire=questionnaire).with_coverage()
        return rows if province is None else rows.filter(office__province=province)

    def status_counts(self, totals: list[int]) -> dict:
        """How many offices, covered by another, recorded, complete, confirmed: the aggregate
        expressions, for ``aggregate()`` or a grouped ``annotate()`` of rows with_coverage(). A covered
        office counts once, in the covering office's record: never as recorded, complete or missing.
        "Complete" is THE rule (workload.selectors.complete_condition, for the question ``totals``)."""
        from workload.selectors import complete_condition

        own = Q(is_covered=False)
        return {
            "offices": models.Count("pk"),
            "covered": models.Count("pk", filter=Q(is_covered=True)),
            "recorded": models.Count("pk", filter=Q(answered_total__gt=0) & own),
            "complete": models.Count("pk", filter=complete_condition(totals) & own),
            "confirmed": models.Count("pk", filter=Q(is_confirmed=True)),
        }

    def for_national_overview(self, questionnaire):
        """Per province (``office__province_id``): status_counts() of the year's district offices."""
        from workload.selectors import question_totals

        counts = self.status_counts(question_totals(questionnaire))
        return (
            self.filter(questionnaire=questionnaire)
            .with_coverage()
            .values("office__province_id")
            .annotate(**counts)
            .order_by("office__province_id")
        )

    def aspect_sums(self) -> list[tuple[int, Decimal]]:
        """Per aspect (index n - 1 is aspect n): the answers given and the yearly hours, summed in SQL."""
        aspects = range(ASPECT_COUNT)
        sums = self.aggregate(
            **{f"hours_{n}": Sum(F(f"hours_by_aspect__{n}"), default=Decimal(0)) for n in aspects},
            **{f"answers_{n}": Sum(F(f"answered_by_aspect__{n}"), default=0) for n in aspects},
        )
        return [(sums[f"answers_{n}"], sums[f"hours_{n}"]) for n in range(ASPECT_COUNT)]


class SubmissionFigures(models.Model):
    """Each submission's answers counted and hours summed per aspect, kept by PostgreSQL.

    Statement triggers on answers, extra items, covered districts and submissions
    (the mechanism both summaries share, migration 0014) recompute the touched
    submissions' rows at the end of the statement (migration 0006), so the province
    review, the national overview and the reports read one row per district
    office. ``version`` takes a new number from a sequence at every
    recomputation: the largest of a year's rows says whether its figures changed.
    """

    submission = models.OneToOneField(
        Submission,
        verbose_name=_("district submission"),
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="figures",
    )
    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("questionnaire"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    office = models.ForeignKey(
        OrgUnit,
        verbose_name=_("district office"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    # Element n - 1 is aspect n.
    answered_by_aspect = ArrayField(
        models.IntegerField(), size=ASPECT_COUNT, verbose_name=_("answers by aspect")
    )
    hours_by_aspect = ArrayField(
        hours_field(),
        size=ASPECT_COUNT,
        verbose_name=_("hours by aspect"),
    )
    answered_total = models.IntegerField(_("answers"))
    extra_hours = hours_field(_("hours of office-specific items"))
    total_hours = hours_field(_("total hours"))
    covered_count = models.IntegerField(_("districts covered"))
    is_confirmed = models.BooleanField(_("confirmed"))
    version = models.BigIntegerField(_("version"))

    objects = SubmissionFiguresQuerySet.as_manager()

    class Meta:
        verbose_name = _("submission figures")
        verbose_name_plural = _("submission figures")
        indexes = [models.Index(fields=["questionnaire", "version"], name="subfigures_year_version")]

    def __str__(self):
        return f"{self.submission_id}: {self.answered_total}"

    def answered_in(self, number: int) -> int:
        """The answers given in aspect ``number`` (1–8)."""
        return self.answered_by_aspect[number - 1]

    def hours_in(self, number: int) -> Decimal:
        """The yearly hours of aspect ``number`` (1–8)."""
        return self.hours_by_aspect[number - 1]

    def progress(self, totals: list[int]):
        """This row's answers against the questions of each aspect (``totals``): its statuses and
        whether it is complete (workload.selectors.Progress, the rule confirmation applies)."""
        from workload.selectors import Progress

        answered = list(self.answered_by_aspect)
        return Progress(answered=answered, totals=list(totals), covered_count=self.covered_count)

    def workload(self, yearly_hours):
        """This row's hours by aspect and of office-specific items, their total and FTE."""
        from workload.selectors import Workload

        hours = list(self.hours_by_aspect)
        return Workload(by_aspect=hours, extra=self.extra_hours, yearly_hours=yearly_hours)


def reviewed_submissions(rows, questionnaire) -> list[Submission]:
    """The submissions of SubmissionFigures ``rows`` read with_coverer_id() (and their submission and
    office), each knowing its questionnaire and the office that records it (``covered_by_id``,
    ``_code``, ``_name``, ``_confirmed_at``): what confirm_blockers() and the review read. The covering
    office is almost always among the rows (a district is covered by a neighbour of the same
    province); any other is read in one more query."""
    rows = list(rows)
    by_id = {row.submission_id: row.submission for row in rows}
    elsewhere = {row.covered_by_id for row in rows if row.covered_by_id} - by_id.keys()
    if elsewhere:
        by_id.update(Submission.objects.select_related("office").in_bulk(elsewhere))
    for row in rows:
        submission, coverer = row.submission, by_id.get(row.covered_by_id)
        submission.questionnaire = questionnaire
        submission.covered_by_id = row.covered_by_id
        submission.covered_by_code = coverer.office.code if coverer else None
        submission.covered_by_name = str(coverer.office) if coverer else None
        submission.covered_by_confirmed_at = coverer.confirmed_at if coverer else None
    return [row.submission for row in rows]


# --- the coordination centre's public pages -----------------------------------------------


@pghistory.track(*audited())
class StaffMember(models.Model):
    """ทะเบียน ทถอ.: a person assigned as ผอ.กง.ทอ. in a province, with the districts they cover."""

    province = models.ForeignKey(
        "accounts.Province", on_delete=models.PROTECT, related_name="staff", verbose_name=_("province")
    )
    name = models.CharField(_("name and surname"), max_length=200)
    position = models.CharField(_("position"), max_length=200)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    districts = models.ManyToManyField(
        District, blank=True, related_name="+", verbose_name=_("districts covered")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff_entry",
        verbose_name=_("account"),
    )
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("registry entry")
        verbose_name_plural = _("registry entries")
        ordering = ["province__name_sort", "name"]
        constraints = [models.UniqueConstraint(fields=["province", "name"], name="staffmember_unique_name")]

    def __str__(self):
        return self.name


class KnowledgeLink(models.Model):
    """ชุดความรู้ / Toolkits: a link or document, by category, kept by the DLA."""

    class Category(models.TextChoices):
        LAWS = "laws", _("Laws and regulations")
        STRATEGY = "strategy", _("National strategy")
        PLANS = "plans", _("Development plans")
        STANDARDS = "standards", _("Public service standards")
        MANUALS = "manuals", _("Manuals")
        EXTRA = "extra", _("Further reading")
        MOOC = "mooc", _("Local MOOC")

    category = models.CharField(_("category"), max_length=10, choices=Category.choices)
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("link"), max_length=500)
    note = models.CharField(_("note"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("toolkit link")
        verbose_name_plural = _("toolkit links")
        ordering = ["category", "order", "title"]

    def __str__(self):
        return self.title


class FaqEntry(models.Model):
    """ประเด็นคำถามที่พบบ่อย."""

    category = models.CharField(_("category"), max_length=100)
    question = models.CharField(_("question"), max_length=500)
    answer = models.TextField(_("answer"), max_length=5000)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ entries")
        ordering = ["category", "order", "pk"]

    def __str__(self):
        return self.question


class CentrePage(models.Model):
    """An editable page of the coordination centre (เกี่ยวกับศูนย์), kept by the DLA."""

    slug = models.SlugField(_("page name (slug)"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("text"), max_length=50000, help_text=_("Formatting allowed; scripts are removed.")
    )
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)

    class Meta:
        verbose_name = _("centre page")
        verbose_name_plural = _("centre pages")

    def __str__(self):
        return self.title


@pghistory.track(*audited())
class AnswerCheck(models.Model):
    """A flagged answer (tracking.outliers) that the province's reviewer has looked at, with a note.

    The check holds for the value it was made at: once the district changes the answer, the flag
    shows again. A check never blocks nor unlocks anything.
    """

    class Measure(models.TextChoices):
        VOLUME = "volume", _("Volume per year")
        TIME = "time", _("Time per unit (hours)")

    submission = models.ForeignKey(
        Submission, verbose_name=_("district submission"), on_delete=models.CASCADE, related_name="checks"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="checks"
    )
    measure = models.CharField(_("value"), max_length=8, choices=Measure.choices)
    value = models.DecimalField(_("value when checked"), max_digits=20, decimal_places=4)
    note = models.TextField(_("note"), max_length=2000)
    checked_at = models.DateTimeField(_("checked at"), auto_now=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("checked by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("checked answer")
        verbose_name_plural = _("checked answers")
        constraints = [
            models.UniqueConstraint(fields=["submission", "question", "measure"], name="answercheck_unique"),
            models.CheckConstraint(condition=~Q(note=""), name="answercheck_has_note"),
        ]

    def __str__(self):
        return f"{self.submission_id} {self.question_id} {self.measure}"
