"""The reports' own data: the government's quarterly disbursement targets.

The figures the dashboards read are kept by PostgreSQL beside the rows they sum
(``progress.AssignmentFigures``, ``workload.SubmissionFigures``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


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
