"""The reports' own data: the quarterly disbursement targets and exports prepared in the background.

The figures the dashboards read are kept by PostgreSQL beside the rows they sum
(``progress.AssignmentFigures``, ``workload.SubmissionFigures``).
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.querysets import RestrictedQuerySet


class DisbursementTargets(models.Model):
    """The government's quarterly disbursement targets of a fiscal year (cumulative % of the budget).

    Set by the cabinet each year for the whole budget and, separately, for
    investment spending (งบลงทุน).
    """

    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), unique=True)
    overall_q1 = models.DecimalField(_("whole budget, end of quarter 1 (%)"), max_digits=5, decimal_places=2)
    overall_q2 = models.DecimalField(_("whole budget, end of quarter 2 (%)"), max_digits=5, decimal_places=2)
    overall_q3 = models.DecimalField(_("whole budget, end of quarter 3 (%)"), max_digits=5, decimal_places=2)
    overall_q4 = models.DecimalField(_("whole budget, end of quarter 4 (%)"), max_digits=5, decimal_places=2)
    investment_q1 = models.DecimalField(_("investment, end of quarter 1 (%)"), max_digits=5, decimal_places=2)
    investment_q2 = models.DecimalField(_("investment, end of quarter 2 (%)"), max_digits=5, decimal_places=2)
    investment_q3 = models.DecimalField(_("investment, end of quarter 3 (%)"), max_digits=5, decimal_places=2)
    investment_q4 = models.DecimalField(_("investment, end of quarter 4 (%)"), max_digits=5, decimal_places=2)
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
        verbose_name = _("disbursement targets")
        verbose_name_plural = _("disbursement targets")
        ordering = ["-fiscal_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fiscal_year__gte=2500, fiscal_year__lte=2700), name="targets_fy_buddhist"
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{kind}_q1__gte": 0})
                    & Q(**{f"{kind}_q2__gte": models.F(f"{kind}_q1")})
                    & Q(**{f"{kind}_q3__gte": models.F(f"{kind}_q2")})
                    & Q(**{f"{kind}_q4__gte": models.F(f"{kind}_q3")})
                    & Q(**{f"{kind}_q4__lte": 100}),
                    name=f"targets_{kind}_rising_0_100",
                    violation_error_message=_(
                        "Each quarter's target is a total so far: it cannot be below the quarter before, "
                        "and the last is at most 100 %."
                    ),
                )
                for kind in ("overall", "investment")
            ),
        ]

    def __str__(self):
        return str(self.fiscal_year)

    def quarters(self, kind: str) -> list:
        return [getattr(self, f"{kind}_q{q}") for q in range(1, 5)]

    @property
    def quarters_overall(self) -> list:
        return self.quarters("overall")

    @property
    def quarters_investment(self) -> list:
        return self.quarters("investment")


class PreparedExportQuerySet(RestrictedQuerySet):
    def expired(self, now=None):
        return self.filter(expires_at__lte=now or timezone.now())

    def unfinished(self):
        return self.filter(status__in=[PreparedExport.Status.WAITING, PreparedExport.Status.RUNNING])


class PreparedExport(models.Model):
    """A workbook prepared in the background for the one person who asked for it (reports.exports).

    The row is the job's record: its state and progress are read by the page that waits for it, and
    the finished file lies in the site's private storage until ``expires_at``.
    """

    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting")
        RUNNING = "running", _("being prepared")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("requested by")
    )
    kind = models.CharField(_("export"), max_length=40)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.WAITING)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(_("file"), upload_to="private/exports/", max_length=200, blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    fallback = models.CharField(_("ASCII file name"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last progress at"), auto_now=True)
    expires_at = models.DateTimeField(_("expires at"))

    objects = PreparedExportQuerySet.as_manager()

    class Meta:
        verbose_name = _("prepared export")
        verbose_name_plural = _("prepared exports")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "kind"], name="preparedexport_user_kind")]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="preparedexport_progress_0_100"),
        ]

    def __str__(self):
        return f"{self.kind} {self.created_at:%Y-%m-%d %H:%M}"

    def is_expired(self, now=None) -> bool:
        return self.expires_at <= (now or timezone.now())

    def is_stuck(self, now=None) -> bool:
        """Unfinished and silent for longer than a job ever takes: its thread died with its server."""
        silent = (now or timezone.now()) - self.updated_at
        return self.status in (self.Status.WAITING, self.Status.RUNNING) and silent > STUCK_AFTER


# A job reports progress every few seconds; this long without a word means its worker is gone.
STUCK_AFTER = dt.timedelta(minutes=5)
