import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import access
from tracking.admin import NUMBER_FIELDS, ReadOnlyAdmin, ThaiDatesAdmin
from workload import services
from workload.models import (
    Aspect,
    CentrePage,
    FaqEntry,
    KnowledgeLink,
    Question,
    Questionnaire,
    Reopening,
    StaffMember,
    Submission,
)


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
class QuestionnaireAdmin(ThaiDatesAdmin):
    list_display = ["fiscal_year", "opens_on", "closes_on", "hours_per_day", "yearly_hours", "is_sample"]
    ordering = ["-fiscal_year"]


@admin.register(Aspect)
class AspectAdmin(ThaiDatesAdmin):
    list_display = ["number", "title", "questionnaire"]
    list_filter = ["questionnaire"]
    list_select_related = ["questionnaire"]
    search_fields = ["title"]
    ordering = ["-questionnaire__fiscal_year", "number"]
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


class ConfirmationState(admin.SimpleListFilter):
    title = _("confirmation")
    parameter_name = "confirmed"

    def lookups(self, request, model_admin):
        return [("yes", _("Confirmed (locked)")), ("no", _("Not confirmed"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(confirmed_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(confirmed_at__isnull=True)
        return queryset


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for reopening"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        max_length=2000,
        error_messages={"required": _("Give the reason for reopening.")},
    )


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    """Read-only here: recording and confirming go through the workload pages and their rules.
    A DLA admin may reopen confirmed submissions, giving a reason (workload.services)."""

    list_display = ["office", "province", "fiscal_year", "lock_badge", "confirmed_at", "confirmed_by"]
    list_filter = [ConfirmationState, "questionnaire", "office__province"]
    list_select_related = ["office__province", "questionnaire", "confirmed_by"]
    search_fields = ["office__name_th", "office__short_name", "office__code", "contact_name"]
    ordering = ["-questionnaire__fiscal_year", "office__province__name_sort", "office__name_sort"]
    actions = ["reopen_selected"]
    fieldsets = [
        (None, {"fields": ["office", "questionnaire", "updated_at"]}),
        (
            _("Contact"),
            {"fields": ["office_address", "office_phone", "contact_name", "contact_mobile", "contact_email"]},
        ),
        (
            _("Confirmation"),
            {"fields": ["lock_badge", "confirmed_at", "confirmed_by", "digest", "confirmation_record"]},
        ),
        (_("Reopened"), {"fields": ["reopened_at", "reopened_by", "reopen_reason"]}),
        (_("Snapshot at confirmation"), {"fields": ["snapshot_text"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("office__province", "questionnaire")

    @admin.display(description=_("province"), ordering="office__province__name_sort")
    def province(self, obj):
        return obj.office.province

    @admin.display(description=_("fiscal year"), ordering="questionnaire__fiscal_year")
    def fiscal_year(self, obj):
        return obj.questionnaire.fiscal_year

    @admin.display(description=_("state"), ordering="confirmed_at")
    def lock_badge(self, obj):
        if obj.confirmed_at:
            return format_html('<span class="lock-badge">{}</span>', _("Confirmed, locked"))
        return format_html('<span class="open-badge">{}</span>', _("Open for recording"))

    @admin.display(description=_("printable confirmation record"))
    def confirmation_record(self, obj):
        if not obj.confirmed_at:
            return self.get_empty_value_display()
        url = reverse(
            "workload:record", kwargs={"fy": obj.questionnaire.fiscal_year, "code": obj.office.code}
        )
        return format_html('<a href="{}">{}</a>', url, _("Open the printable record"))

    @admin.display(description=_("snapshot at confirmation"))
    def snapshot_text(self, obj):
        if obj.snapshot is None:
            return self.get_empty_value_display()
        return format_html(
            '<pre class="snapshot">{}</pre>',
            json.dumps(obj.snapshot, ensure_ascii=False, indent=2, sort_keys=True),
        )

    def view_on_site(self, obj):
        return reverse(
            "workload:status", kwargs={"fy": obj.questionnaire.fiscal_year, "code": obj.office.code}
        )

    def has_reopen_permission(self, request):
        return access.may_reopen_submissions(request.user)

    @admin.action(description=_("Reopen the selected confirmed submissions…"), permissions=["reopen"])
    def reopen_selected(self, request, queryset):
        """Asks for the reason first; each submission is then reopened by the workload service."""
        return self._reopen(request, queryset, selected=request.POST.getlist(helpers.ACTION_CHECKBOX_NAME))

    def reopen_view(self, request, object_id):
        """The same, for the one submission of a change page ("Reopen…" at its top)."""
        if not self.has_reopen_permission(request):
            raise PermissionDenied
        submission = self.get_object(request, unquote(object_id))
        if submission is None:
            raise Http404
        response = self._reopen(request, Submission.objects.filter(pk=submission.pk), selected=None)
        if response is None:
            return HttpResponseRedirect(reverse("admin:workload_submission_change", args=[submission.pk]))
        return response

    def _reopen(self, request, queryset, selected):
        form = ReopenForm(request.POST if request.method == "POST" and "reason" in request.POST else None)
        if not form.is_valid():
            return TemplateResponse(
                request,
                "admin/workload/submission/reopen.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Reopen confirmed submissions"),
                    "opts": self.model._meta,
                    "form": form,
                    "submissions": queryset,
                    "selected": selected,
                    "action": "reopen_selected",
                },
            )
        reopened = 0
        for submission in queryset:
            try:
                services.submission_reopen(
                    submission=submission, by=request.user, reason=form.cleaned_data["reason"]
                )
            except (ValidationError, PermissionDenied) as error:
                problem = "; ".join(getattr(error, "messages", [])) or _("Not allowed.")
                self.message_user(request, f"{submission}: {problem}", messages.ERROR)
            else:
                reopened += 1
        if reopened:
            self.message_user(
                request,
                ngettext(
                    "%(count)s submission reopened for changes.",
                    "%(count)s submissions reopened for changes.",
                    reopened,
                )
                % {"count": reopened},
                messages.SUCCESS,
            )
        return None

    def get_urls(self):
        reopen = path(
            "<path:object_id>/reopen/",
            self.admin_site.admin_view(self.reopen_view),
            name="workload_submission_reopen",
        )
        return [reopen, *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "may_reopen": self.has_reopen_permission(request)}
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Reopening)
class ReopeningAdmin(ReadOnlyAdmin):
    list_display = ["submission", "reopened_at", "reopened_by", "reason"]
    list_select_related = ["submission__office", "submission__questionnaire", "reopened_by"]
    list_filter = ["submission__questionnaire"]
    search_fields = ["reason", "submission__office__name_th", "submission__office__short_name"]
    ordering = ["-reopened_at"]


@admin.register(StaffMember)
class StaffMemberAdmin(ReadOnlyAdmin):
    """The directors' registry: kept on its own pages by each person and the province's SSO admin."""

    list_display = ["name", "position", "province", "phone", "email", "updated_at"]
    list_filter = ["province"]
    list_select_related = ["province"]
    search_fields = ["name", "position", "province__name_th", "email"]
    ordering = ["province__name_sort", "name"]


@admin.register(KnowledgeLink)
class KnowledgeLinkAdmin(ThaiDatesAdmin):
    list_display = ["title", "category", "url", "order"]
    list_filter = ["category"]
    search_fields = ["title", "note", "url"]


@admin.register(FaqEntry)
class FaqEntryAdmin(ThaiDatesAdmin):
    list_display = ["question", "category", "order"]
    list_filter = ["category"]
    search_fields = ["question", "answer"]


@admin.register(CentrePage)
class CentrePageAdmin(ReadOnlyAdmin):
    """Pages of the coordination centre: edited on the site, where their formatted text is sanitised."""

    list_display = ["title", "slug", "updated_at"]
    search_fields = ["title"]
