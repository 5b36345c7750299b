"""ALRO projects in the admin: looked up and read here, changed on the project pages.

The project pages keep the rules a save must respect (step weights adding to 100, plans and
budgets entered as one grid, stale-edit checks); the admin shows the rows and links to them.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from projects.models import Activity, ActivityUnit, BudgetAllocation, Indicator, MonthlyPlan, Project, Step
from tracking.admin import ReadOnlyAdmin, ReadOnlyInline


class ActivityInline(ReadOnlyInline):
    model = Activity
    fields = ["order", "name"]


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "fiscal_year", "funding_source", "owner_unit", "status", "updated_at"]
    list_filter = ["fiscal_year", "funding_source", "status"]
    list_select_related = ["owner_unit"]
    search_fields = ["code", "name", "owner_unit__name_th", "owner_unit__short_name"]
    ordering = ["-fiscal_year", "code"]
    inlines = [ActivityInline]

    def view_on_site(self, obj):
        return reverse("projects:detail", args=[obj.pk])


class ActivityUnitInline(ReadOnlyInline):
    model = ActivityUnit
    fields = ["unit", "is_executing", "is_budget_receiving", "output_unit"]


class StepInline(ReadOnlyInline):
    model = Step
    fields = ["order", "name", "weight"]


class IndicatorInline(ReadOnlyInline):
    model = Indicator
    fields = ["name", "unit_of_measure", "target"]


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ["name", "order", "project", "project_fiscal_year"]
    list_filter = ["project__fiscal_year", "project__funding_source"]
    list_select_related = ["project"]
    search_fields = ["name", "project__code", "project__name"]
    ordering = ["-project__fiscal_year", "project__code", "order"]
    inlines = [ActivityUnitInline, StepInline, IndicatorInline]

    @admin.display(description=_("fiscal year"), ordering="project__fiscal_year")
    def project_fiscal_year(self, obj):
        return obj.project.fiscal_year

    def view_on_site(self, obj):
        return reverse("projects:detail", args=[obj.project_id])


class MonthlyPlanInline(ReadOnlyInline):
    model = MonthlyPlan
    show_change_link = False


class BudgetAllocationInline(ReadOnlyInline):
    model = BudgetAllocation
    show_change_link = False


@admin.register(ActivityUnit)
class ActivityUnitAdmin(ReadOnlyAdmin):
    list_display = ["unit", "activity", "project", "is_executing", "is_budget_receiving", "output_unit"]
    list_filter = ["activity__project__fiscal_year", "is_executing", "is_budget_receiving", "unit__agency"]
    list_select_related = ["unit", "activity__project"]
    search_fields = ["unit__name_th", "unit__short_name", "activity__name", "activity__project__code"]
    ordering = [
        "-activity__project__fiscal_year",
        "activity__project__code",
        "activity__order",
        "unit__name_sort",
    ]
    inlines = [MonthlyPlanInline, BudgetAllocationInline]

    @admin.display(description=_("project"), ordering="activity__project__code")
    def project(self, obj):
        return obj.activity.project

    def view_on_site(self, obj):
        return reverse("progress:project", args=[obj.activity.project_id])
