import pghistory.admin
from allauth.socialaccount import admin as allauth_admin
from allauth.socialaccount.admin import SocialAccountAdmin
from allauth.socialaccount.models import SocialAccount, SocialToken
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from accounts.models import AccessRequest, District, OrgUnit, Province, SocialAccountLink, User
from accounts.roles import Role
from tracking import thaicalendar
from tracking.admin import ReadOnlyAdmin, ThaiDatesAdmin


class ReferenceDataAdmin(ReadOnlyAdmin):
    """Provinces and districts come from the DOPA list by migration; read-only here."""

    search_fields = ["code", "name_th", "name_en"]


@admin.register(Province)
class ProvinceAdmin(ReferenceDataAdmin):
    list_display = ["name_th", "code", "name_en", "is_bangkok"]
    list_filter = ["is_bangkok"]


@admin.register(District)
class DistrictAdmin(ReferenceDataAdmin):
    list_display = ["name_th", "code", "name_en", "province"]
    list_filter = ["province"]
    list_select_related = ["province"]


@admin.register(OrgUnit)
class OrgUnitAdmin(ThaiDatesAdmin):
    list_display = ["name_th", "short_name", "code", "agency", "kind", "province", "is_active"]
    list_filter = ["agency", "kind", "is_active", "province"]
    list_select_related = ["province"]
    search_fields = ["code", "name_th", "name_en", "short_name"]
    autocomplete_fields = ["parent", "province", "district"]
    fields = [
        "agency",
        "kind",
        "parent",
        "code",
        "name_th",
        "name_en",
        "short_name",
        "province",
        "district",
        "is_active",
    ]


class RoleFilter(admin.SimpleListFilter):
    """Roles are groups named by their code (super_admin, …): listed by their Thai names."""

    title = _("role")
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return Role.choices

    def queryset(self, request, queryset):
        return queryset.filter(groups__name=self.value()) if self.value() else queryset


@admin.register(User)
class UserAdmin(ThaiDatesAdmin, BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "org_unit", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", RoleFilter, "org_unit__agency", "is_superuser"]
    list_select_related = ["org_unit"]
    search_fields = [
        "username",
        "first_name",
        "last_name",
        "email",
        "org_unit__name_th",
        "org_unit__short_name",
    ]
    autocomplete_fields = ["org_unit"]
    # The verified address, set only by its owner's click (accounts.services.user_email_set).
    readonly_fields = ["email", "last_login", "date_joined"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Unit and scope"), {"fields": ["org_unit", "funding_sources", "position", "phone"]}),
    ]


# allauth's own admin of SSO links, moved onto the audited proxy so its pages carry the "Events" button.
admin.site.unregister(SocialAccount)


@admin.register(SocialAccountLink)
class SocialAccountLinkAdmin(SocialAccountAdmin):
    """An administrator links a person's SSO subject id to their account here, on their behalf; audited."""

    fields = ["user", "provider", "uid"]
    list_display = ["user", "provider", "uid", "date_joined", "last_login"]


class RoleGroupAdmin(GroupAdmin):
    """A role is a group named by its code; its Thai name is beside it."""

    list_display = ["name", "role_name"]

    @admin.display(description=_("role"))
    def role_name(self, obj):
        return Role(obj.name).label if obj.name in Role.values else "-"


admin.site.unregister(Group)
admin.site.register(Group, RoleGroupAdmin)


class SocialTokenAdmin(ThaiDatesAdmin, allauth_admin.SocialTokenAdmin):
    """allauth's list, with its expiry in พ.ศ."""


admin.site.unregister(SocialToken)
admin.site.register(SocialToken, SocialTokenAdmin)


@admin.register(AccessRequest)
class AccessRequestAdmin(ReadOnlyAdmin):
    """Decided on the access-request pages, which create the account; read-only here."""

    list_display = [
        "username",
        "first_name",
        "last_name",
        "org_unit",
        "role",
        "status",
        "created_at",
        "decided_by",
    ]
    list_filter = ["status", "role", "org_unit__agency"]
    list_select_related = ["org_unit", "decided_by"]
    search_fields = ["username", "first_name", "last_name", "email", "org_unit__name_th"]
    ordering = ["-created_at"]
    exclude = ["password_hash"]


# The audit trail (django-pghistory): its list of changes with Thai headings and พ.ศ. times.
EventsModel = apps.get_model(pghistory.admin.core.config.admin_model()._meta.label)


class KindOfChange(pghistory.admin.core.LabelFilter):
    title = _("kind of change")
    NAMES = {
        "insert": _("added"),
        "update": _("changed"),
        "delete": _("deleted"),
        "role.granted": _("role granted"),
        "role.revoked": _("role revoked"),
    }

    def lookups(self, request, model_admin):
        return [
            (label, self.NAMES.get(label, label)) for label, _name in super().lookups(request, model_admin)
        ]


class KindOfRecord(pghistory.admin.core.EventModelFilter):
    title = _("kind of record")

    def lookups(self, request, model_admin):
        return sorted(
            ((value, _tracked_name(value)) for value, _name in super().lookups(request, model_admin)),
            key=lambda choice: str(choice[1]),
        )


def _tracked_name(event_label: str):
    """The name of what an event model records: ข้อมูล สถอ. for workload.submissionevent."""
    tracked = getattr(apps.get_model(event_label), "pgh_tracked_model", None)
    if tracked is None:
        return event_label
    # The user–role link table is made by Django and has no name of its own.
    return _("roles of users") if tracked._meta.auto_created else tracked._meta.verbose_name


class EventsAdmin(ThaiDatesAdmin, pghistory.admin.EventsAdmin):
    list_select_related = []
    # pghistory's change list does not take the filter counts Django 5 asks for (?_facets was a 500).
    show_facets = admin.ShowFacets.NEVER
    FILTERS = {
        pghistory.admin.core.LabelFilter: KindOfChange,
        pghistory.admin.core.EventModelFilter: KindOfRecord,
    }

    def get_list_filter(self, request):
        return [self.FILTERS.get(f, f) for f in super().get_list_filter(request)]

    def get_list_display(self, request):
        return ["when", "what", "object_id", "changes", "who", "where"]

    @admin.display(description=_("when"), ordering="pgh_created_at")
    def when(self, obj):
        return thaicalendar.format_datetime(obj.pgh_created_at)

    @admin.display(description=_("kind of record"))
    def what(self, obj):
        model = apps.get_model(obj.pgh_obj_model) if obj.pgh_obj_model else None
        return model._meta.verbose_name if model else obj.pgh_obj_model

    @admin.display(description=_("record number"))
    def object_id(self, obj):
        return obj.pgh_obj_id

    @admin.display(description=_("changes"))
    def changes(self, obj):
        """``field: before → after`` with the fields' own names."""
        if not isinstance(obj.pgh_diff, dict):
            return self.get_empty_value_display()
        model = apps.get_model(obj.pgh_obj_model) if obj.pgh_obj_model else None

        def label(name):
            try:
                return model._meta.get_field(name).verbose_name if model else name
            except FieldDoesNotExist:
                return name

        return "; ".join(
            f"{label(name)}: {before} → {after}" for name, (before, after) in obj.pgh_diff.items()
        )

    @admin.display(description=_("by"))
    def who(self, obj):
        return getattr(obj, "user", None) or self.get_empty_value_display()

    @admin.display(description=_("page"))
    def where(self, obj):
        return getattr(obj, "url", None) or self.get_empty_value_display()

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if getattr(response, "context_data", None) is not None:
            response.context_data["title"] = _("Changes (who, when, from which page)")
        return response


if admin.site.is_registered(EventsModel):
    admin.site.unregister(EventsModel)
admin.site.register(EventsModel, EventsAdmin)
