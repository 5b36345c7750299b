"""ALRO project management: what each unit must do and may spend in a fiscal year.

Project → activities → for each activity the assigned units (executing and/or
budget-receiving), weighted steps, each unit's monthly plan for the twelve
fiscal months, each unit's budget allocation by budget category (current year
or carried over), and indicators with targets.
"""

import pghistory
import pgtrigger
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from accounts.models import FundingSource, OrgUnit
from accounts.querysets import RestrictedQuerySet
from tracking.audit import audited

MONEY = {"max_digits": 15, "decimal_places": 2}  # one amount
MONEY_TOTAL = {"max_digits": 17, "decimal_places": 2}  # a sum of amounts (summaries, totals)
QUANTITY = {"max_digits": 14, "decimal_places": 2}


class BudgetCategory(models.TextChoices):
    PERSONNEL = "personnel", _("Personnel")
    OPERATING = "operating", _("Operating")
    INVESTMENT = "investment", _("Investment")
    SUBSIDY = "subsidy", _("Subsidies")
    OTHER = "other", _("Other expenditure")
    CENTRAL = "central", _("Central fund")

    @classmethod
    def line_label(cls, category: str, carried_over: bool) -> str:
        """``งบดำเนินงาน`` or ``งบดำเนินงาน (เงินกันเหลื่อมปี)``: a budget line as users name it."""
        label = str(cls(category).label)
        if not carried_over:
            return label
        return str(_("%(category)s, carried over from last year") % {"category": label})


class ProjectQuerySet(RestrictedQuerySet):
    def for_list(self):
        """Each project with its responsible unit and number of activities (a subquery, so that
        counting the list for its pages stays cheap)."""
        activities = (
            Activity.objects.filter(project=models.OuterRef("pk"))
            .order_by()
            .values("project")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        return self.select_related("owner_unit").annotate(
            activity_count=Coalesce(models.Subquery(activities, output_field=models.IntegerField()), 0)
        )


@pghistory.track(*audited())
class Project(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        ACTIVE = "active", _("In progress")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    funding_source = models.CharField(_("money source"), max_length=20, choices=FundingSource.choices)
    code = models.CharField(_("project code"), max_length=40)
    name = models.CharField(_("project name"), max_length=500)
    owner_unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="owned_projects",
        limit_choices_to={"agency": "alro"},
        verbose_name=_("responsible unit"),
    )
    strategy = models.CharField(_("plan or strategy served"), max_length=500, blank=True)
    objective = models.TextField(_("objective"), blank=True, max_length=4000)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-fiscal_year", "code"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "code"], name="project_code_unique_in_year"),
            models.CheckConstraint(
                condition=Q(fiscal_year__gte=2500, fiscal_year__lte=2700), name="project_fy_be"
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="project_period_order",
            ),
            models.CheckConstraint(
                condition=Q(funding_source__in=FundingSource.values), name="project_funding_source_known"
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


@pghistory.track(*audited())
class Activity(models.Model):
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="activities"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("activity"), max_length=500)
    description = models.TextField(_("description"), blank=True, max_length=4000)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["project", "order"]
        constraints = [models.UniqueConstraint(fields=["project", "order"], name="activity_order_unique")]

    def __str__(self):
        return f"{self.order}. {self.name}"


class ActivityUnitQuerySet(RestrictedQuerySet):
    def expected_to_report(self):
        """Assignments that report month by month: of projects under way or completed, not of
        those still being prepared or cancelled."""
        return self.filter(activity__project__status__in=[Project.Status.ACTIVE, Project.Status.COMPLETED])

    def with_report_states(self, months, *, lateness=False):
        """Each row with ``state_<m>`` (a progress.completeness.ReportState) for each of ``months``
        (completeness.periods), and ``late_<m>`` with ``lateness``: the one definition of where a
        unit's monthly report stands."""
        from progress.completeness import state_annotations

        return self.annotate(**state_annotations(months, lateness=lateness))


@pghistory.track(*audited())
class ActivityUnit(models.Model):
    """A unit that carries out the activity and/or receives budget for it."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="units"
    )
    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="activity_assignments",
        limit_choices_to={"agency": "alro"},
        verbose_name=_("unit"),
    )
    is_executing = models.BooleanField(_("carries it out"), default=True)
    is_budget_receiving = models.BooleanField(_("receives budget"), default=True)
    output_unit = models.CharField(_("output counting unit"), max_length=50, blank=True)

    objects = ActivityUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("assigned unit")
        verbose_name_plural = _("assigned units")
        constraints = [
            models.UniqueConstraint(fields=["activity", "unit"], name="activityunit_once_per_activity"),
            models.CheckConstraint(
                condition=Q(is_executing=True) | Q(is_budget_receiving=True), name="activityunit_has_a_role"
            ),
        ]

    def __str__(self):
        return str(self.unit)


@pghistory.track(*audited())
class Step(models.Model):
    """ขั้นตอนการดำเนินงาน: weighted steps of an activity (weights add up to 100)."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="steps"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("step"), max_length=300)
    weight = models.DecimalField(
        _("weight (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["activity", "order"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "order"], name="step_order_unique"),
            models.CheckConstraint(condition=Q(weight__gt=0, weight__lte=100), name="step_weight_range"),
        ]
        triggers = [
            # Checked at commit, so a whole set of steps can be rewritten in one transaction.
            pgtrigger.Trigger(
                name="step_weights_sum_100",
                when=pgtrigger.After,
                operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
                timing=pgtrigger.Deferred,
                declare=[("ids", "bigint[]")],
                func="""
                    ids := ARRAY[]::bigint[];
                    IF TG_OP <> 'DELETE' THEN ids := ids || NEW.activity_id; END IF;
                    IF TG_OP <> 'INSERT' THEN ids := ids || OLD.activity_id; END IF;
                    IF EXISTS (
                        SELECT 1 FROM projects_step s WHERE s.activity_id = ANY(ids)
                        GROUP BY s.activity_id HAVING SUM(s.weight) <> 100
                    ) THEN
                        RAISE EXCEPTION 'step weights of an activity must add up to 100'
                            USING ERRCODE = 'check_violation';
                    END IF;
                    RETURN NULL;
                """,
            ),
        ]

    def __str__(self):
        return self.name


@pghistory.track(*audited())
class MonthlyPlan(models.Model):
    """A unit's plan for one fiscal month (1 = October … 12 = September)."""

    activity_unit = models.ForeignKey(
        ActivityUnit, verbose_name=_("assigned unit"), on_delete=models.CASCADE, related_name="plans"
    )
    month = models.PositiveSmallIntegerField(_("fiscal month"))
    quantity = models.DecimalField(_("planned output"), **QUANTITY, default=0)
    spending = models.DecimalField(_("planned spending (baht)"), **MONEY, default=0)

    class Meta:
        verbose_name = _("monthly plan")
        verbose_name_plural = _("monthly plans")
        ordering = ["activity_unit", "month"]
        constraints = [
            models.UniqueConstraint(fields=["activity_unit", "month"], name="plan_one_per_month"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="plan_month_1_12"),
            models.CheckConstraint(condition=Q(quantity__gte=0, spending__gte=0), name="plan_not_negative"),
        ]

    def __str__(self):
        return f"{self.activity_unit} {self.month}"


@pghistory.track(*audited())
class BudgetAllocation(models.Model):
    """งบประมาณที่จัดสรร: a unit's money for an activity, by budget category and year of origin."""

    activity_unit = models.ForeignKey(
        ActivityUnit, verbose_name=_("assigned unit"), on_delete=models.CASCADE, related_name="allocations"
    )
    category = models.CharField(_("budget category"), max_length=12, choices=BudgetCategory.choices)
    carried_over = models.BooleanField(_("carried over from last year"), default=False)
    amount = models.DecimalField(_("amount (baht)"), **MONEY)

    class Meta:
        verbose_name = _("budget allocation")
        verbose_name_plural = _("budget allocations")
        constraints = [
            models.UniqueConstraint(
                fields=["activity_unit", "category", "carried_over"], name="allocation_one_per_category"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="allocation_not_negative"),
            models.CheckConstraint(
                condition=Q(category__in=BudgetCategory.values), name="allocation_category_known"
            ),
        ]

    def __str__(self):
        return f"{self.activity_unit} {self.get_category_display()} {self.amount}"


@pghistory.track(*audited())
class Indicator(models.Model):
    """ตัวชี้วัด of an activity, with a target (optionally split by unit)."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="indicators"
    )
    name = models.CharField(_("indicator"), max_length=500)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=50)
    target = models.DecimalField(_("target"), **QUANTITY)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["activity", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(target__gte=0), name="indicator_target_not_negative")
        ]

    def __str__(self):
        return self.name


class IndicatorTarget(models.Model):
    """The share of an indicator's target that one assigned unit must reach."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="unit_targets"
    )
    activity_unit = models.ForeignKey(
        ActivityUnit,
        verbose_name=_("assigned unit"),
        on_delete=models.CASCADE,
        related_name="indicator_targets",
    )
    target = models.DecimalField(_("target"), **QUANTITY)

    class Meta:
        verbose_name = _("unit's indicator target")
        verbose_name_plural = _("units' indicator targets")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "activity_unit"], name="indicatortarget_once"),
            models.CheckConstraint(condition=Q(target__gte=0), name="indicatortarget_not_negative"),
        ]

    def __str__(self):
        return f"{self.indicator} {self.activity_unit}: {self.target}"
