"""What the dashboards read: each assigned unit's figures month by month, and the government's targets.

``AssignmentFigures`` is a summary kept by PostgreSQL, not by the app: every
write to plans, allocations, results, step progress, indicator results,
disbursements or transfers (from a view, the admin, an import, a bulk update
or psql) queues the assigned unit, and at commit one function recomputes the
queued units' rows from the raw rows (``reports/sql/``). A dashboard then sums
one row per assigned unit of the year, however many months and years of raw
rows pile up.

Monthly figures are arrays of twelve cumulative totals: element ``m - 1`` is
the total of fiscal months 1 … m (October … the m-th month), so "to date as of
month m" is one element and a month's own figure is the difference of two.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import FundingSource, OrgUnit
from accounts.querysets import RestrictedQuerySet
from projects.models import Activity, ActivityUnit, Project

SUM = {"max_digits": 17, "decimal_places": 2}


def monthly(label):
    return ArrayField(models.DecimalField(**SUM), size=12, verbose_name=label)


class AssignmentFigures(models.Model):
    """One assigned unit's plan, results and money: kept by triggers, read by dashboards, not written here."""

    activity_unit = models.OneToOneField(
        ActivityUnit,
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="figures",
    )
    # Copied from the project and the assignment so a year's rows are found by index.
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    funding_source = models.CharField(_("money source"), max_length=20, choices=FundingSource.choices)
    project = models.ForeignKey(Project, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    activity = models.ForeignKey(Activity, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    unit = models.ForeignKey(OrgUnit, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")

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
        models.DecimalField(max_digits=5, decimal_places=2), size=12, null=True, blank=True
    )
    # Indicators of the activity whose latest result as of each month reaches the unit's target.
    indicators_met = ArrayField(models.IntegerField(), size=12)
    indicator_count = models.IntegerField()

    allocated = models.DecimalField(_("allocated"), **SUM)
    allocated_investment = models.DecimalField(_("investment allocated"), **SUM)
    allocated_carried = models.DecimalField(_("carried over: allocated"), **SUM)
    refreshed_at = models.DateTimeField()

    objects = RestrictedQuerySet.as_manager()

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

    fiscal_year = models.PositiveSmallIntegerField(primary_key=True)
    version = models.BigIntegerField()
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("figures version")

    def __str__(self):
        return f"{self.fiscal_year}: {self.version}"


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
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
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
