from django.contrib import admin

from tracking.admin import NUMBER_FIELDS, ReadOnlyAdmin
from workload.models import Aspect, Question, Questionnaire, Reopening, Submission


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    formfield_overrides = NUMBER_FIELDS


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ["fiscal_year", "opens_on", "closes_on", "hours_per_day", "yearly_hours", "is_sample"]
    formfield_overrides = NUMBER_FIELDS


@admin.register(Aspect)
class AspectAdmin(admin.ModelAdmin):
    list_display = ["questionnaire", "number", "title"]
    formfield_overrides = NUMBER_FIELDS
    list_filter = ["questionnaire"]
    inlines = [QuestionInline]


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    """Read-only here: recording and confirming go through the workload pages and their rules."""

    list_display = ["office", "questionnaire", "confirmed_at", "confirmed_by", "updated_at"]
    list_filter = ["questionnaire", "office__province"]
    list_select_related = ["office", "questionnaire", "confirmed_by"]
    search_fields = ["office__name_th", "office__code", "contact_name"]


@admin.register(Reopening)
class ReopeningAdmin(ReadOnlyAdmin):
    list_display = ["submission", "reopened_at", "reopened_by", "reason"]
    list_filter = []
    list_select_related = ["submission__office", "reopened_by"]
    search_fields = ["reason"]
