from allauth.socialaccount.admin import SocialAccountAdmin
from allauth.socialaccount.models import SocialAccount
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import District, OrgUnit, Province, SocialAccountLink, User
from tracking.admin import ReadOnlyAdmin


class ReferenceDataAdmin(ReadOnlyAdmin):
    """Provinces and districts come from the DOPA list by migration; read-only here."""

    search_fields = ["code", "name_th", "name_en"]


@admin.register(Province)
class ProvinceAdmin(ReferenceDataAdmin):
    list_display = ["code", "name_th", "name_en", "is_bangkok"]
    list_filter = ["is_bangkok"]


@admin.register(District)
class DistrictAdmin(ReferenceDataAdmin):
    list_display = ["code", "name_th", "name_en", "province"]
    list_filter = ["province"]
    list_select_related = ["province"]


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name_th", "short_name", "agency", "kind", "province", "is_active"]
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


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "org_unit", "is_active", "last_login"]
    list_filter = ["is_active", "groups", "org_unit__agency", "is_superuser"]
    list_select_related = ["org_unit"]
    search_fields = ["username", "first_name", "last_name", "email", "org_unit__name_th"]
    autocomplete_fields = ["org_unit"]
    # The verified address, set only by its owner's click (accounts.services.user_email_set).
    readonly_fields = ["email"]
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
