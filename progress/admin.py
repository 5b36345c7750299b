"""Progress reports in the admin: looked up and read here, entered on the progress pages.

What units report is checked where it is entered (closed months, the ledger, stale edits);
the admin shows the rows, with each project's page one click away.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from progress.models import (
    Disbursement,
    IndicatorResult,
    MonthClosure,
    PerformanceResult,
    Photo,
    Procurement,
    ReportingCalendar,
    ReportReminder,
    StepProgress,
    Transfer,
)
from tracking import thaicalendar
from tracking.admin import ReadOnlyAdmin, ThaiDatesAdmin

ASSIGNMENT = ["activity_unit__unit", "activity_unit__activity__project"]
ASSIGNMENT_SEARCH = [
    "activity_unit__unit__name_th",
    "activity_unit__unit__short_name",
    "activity_unit__activity__name",
    "activity_unit__activity__project__code",
]
ASSIGNMENT_FILTERS = [
    "activity_unit__activity__project__fiscal_year",
    "activity_unit__activity__project__funding_source",
]


@admin.register(MonthClosure)
class MonthClosureAdmin(ReadOnlyAdmin):
    list_display = ["month_name", "fiscal_year", "closed_at", "closed_by"]
    list_filter = ["fiscal_year"]
    list_select_related = ["closed_by"]
    ordering = ["-fiscal_year", "-month"]

    @admin.display(description=_("fiscal month"), ordering="month")
    def month_name(self, obj):
        return str(obj)


@admin.register(ReportingCalendar)
class ReportingCalendarAdmin(ThaiDatesAdmin):
    """The due day of each fiscal year's monthly reports (also set at progress:calendar)."""

    list_display = ["fiscal_year", "due_day", "first_due_date"]
    ordering = ["-fiscal_year"]

    @admin.display(description=_("October's report is due on"))
    def first_due_date(self, obj):
        from progress.completeness import due_date

        return thaicalendar.format_date(due_date(obj.fiscal_year, 1, obj.due_day), long=True)


@admin.register(ReportReminder)
class ReportReminderAdmin(ReadOnlyAdmin):
    list_display = ["unit", "fiscal_year", "month", "assignments", "emailed", "sent_at"]
    list_filter = ["fiscal_year", "month"]
    list_select_related = ["unit"]
    ordering = ["-fiscal_year", "-month", "unit__name_sort"]


class AssignmentRowAdmin(ReadOnlyAdmin):
    """A row of one assigned unit (a unit in an activity of a project): shown with its project."""

    list_select_related = ASSIGNMENT
    search_fields = ASSIGNMENT_SEARCH
    list_filter = ASSIGNMENT_FILTERS

    @admin.display(description=_("project code"), ordering="activity_unit__activity__project__code")
    def project(self, obj):
        return obj.activity_unit.activity.project.code

    @admin.display(description=_("fiscal month"), ordering="month")
    def month_name(self, obj):
        return thaicalendar.fiscal_months(obj.activity_unit.activity.project.fiscal_year)[obj.month - 1].label

    def view_on_site(self, obj):
        return reverse("progress:project", args=[obj.activity_unit.activity.project_id])


@admin.register(PerformanceResult)
class PerformanceResultAdmin(AssignmentRowAdmin):
    list_display = ["activity_unit", "project", "month_name", "quantity", "updated_at", "updated_by"]
    list_select_related = [*ASSIGNMENT, "updated_by"]
    ordering = ["-activity_unit__activity__project__fiscal_year", "activity_unit", "month"]


@admin.register(StepProgress)
class StepProgressAdmin(AssignmentRowAdmin):
    list_display = ["activity_unit", "project", "step", "month_name", "percent"]
    list_select_related = [*ASSIGNMENT, "step"]
    ordering = ["-activity_unit__activity__project__fiscal_year", "activity_unit", "step__order", "month"]


@admin.register(IndicatorResult)
class IndicatorResultAdmin(AssignmentRowAdmin):
    list_display = ["activity_unit", "project", "indicator", "month_name", "value"]
    list_select_related = [*ASSIGNMENT, "indicator"]
    ordering = ["-activity_unit__activity__project__fiscal_year", "activity_unit", "month"]


@admin.register(Disbursement)
class DisbursementAdmin(AssignmentRowAdmin):
    list_display = [
        "activity_unit",
        "project",
        "month_name",
        "category",
        "carried_over",
        "committed",
        "disbursed",
        "updated_at",
    ]
    list_filter = [*ASSIGNMENT_FILTERS, "category", "carried_over"]
    ordering = ["-activity_unit__activity__project__fiscal_year", "activity_unit", "month", "category"]


@admin.register(Transfer)
class TransferAdmin(AssignmentRowAdmin):
    list_display = [
        "date",
        "kind",
        "activity_unit",
        "project",
        "amount",
        "carried_over",
        "document_no",
        "created_by",
    ]
    list_select_related = [*ASSIGNMENT, "created_by"]
    list_filter = [*ASSIGNMENT_FILTERS, "kind", "carried_over"]
    search_fields = [*ASSIGNMENT_SEARCH, "document_no"]
    ordering = ["-date", "-pk"]


@admin.register(Procurement)
class ProcurementAdmin(AssignmentRowAdmin):
    list_display = [
        "item",
        "activity_unit",
        "project",
        "method",
        "status",
        "contract_amount",
        "contract_date",
    ]
    list_filter = [*ASSIGNMENT_FILTERS, "method", "status"]
    search_fields = [*ASSIGNMENT_SEARCH, "item", "vendor", "contract_no", "egp_number"]
    ordering = ["-pk"]


@admin.register(Photo)
class PhotoAdmin(AssignmentRowAdmin):
    list_display = ["caption", "activity_unit", "project", "taken_on", "uploaded_by", "uploaded_at"]
    list_select_related = [*ASSIGNMENT, "uploaded_by"]
    search_fields = [*ASSIGNMENT_SEARCH, "caption"]
    ordering = ["-uploaded_at"]
    exclude = ["image", "thumbnail"]  # served only to those who may see the project, not from the admin
