from django.contrib import admin, messages
from django.db import IntegrityError
from django.http import HttpResponseRedirect

from tracking.admin import NUMBER_FIELDS, ReadOnlyAdmin
from workload import services
from workload.models import Aspect, Question, Questionnaire, Reopening, Submission


def _frozen(aspect) -> bool:
    return aspect is not None and aspect.pk is not None and services.is_frozen(aspect.questionnaire)


class QuestionInline(admin.TabularInline):
    """The questions of an aspect; read-only once the questionnaire is frozen (corrections are made
    on the questionnaire's page, where they become new versions)."""

    model = Question
    extra = 0
    formfield_overrides = NUMBER_FIELDS

    def has_add_permission(self, request, obj=None):
        return not _frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not _frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _frozen(obj) and super().has_delete_permission(request, obj)


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

    def has_change_permission(self, request, obj=None):
        return not _frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _frozen(obj) and super().has_delete_permission(request, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        aspect = self.get_object(request, object_id) if object_id else None
        if _frozen(aspect):
            messages.warning(request, services.frozen_message(aspect.questionnaire))
            if request.method == "POST":  # a page opened before the freeze: shown again, read-only
                return HttpResponseRedirect(request.path)
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except IntegrityError as error:
            if "frozen" not in str(error) or aspect is None:
                raise
            # Frozen between the check above and the save: the database refused it.
            messages.error(request, services.frozen_message(aspect.questionnaire))
            return HttpResponseRedirect(request.path)


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
