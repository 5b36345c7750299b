"""The admin site of the project and what every ModelAdmin of it shares.

Django's admin knows neither the Buddhist era nor who in this project may use it: the site
asks the function named by ``settings.ADMIN_ACCESS`` (accounts.access.may_use_admin), and
``ThaiDatesAdmin`` writes every date column and read-only date in พ.ศ. (Django's ``th`` formats
print the Christian year) and takes dates typed as d/m/พ.ศ.
"""

import datetime as dt

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin import widgets
from django.contrib.admin.utils import flatten_fieldsets, get_fields_from_path
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.module_loading import import_string
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from tracking import thaicalendar
from tracking.forms import DecimalInput, IntegerInput, ThaiDateField, ThaiDecimalField, ThaiIntegerField
from tracking.thaicalendar import BE_OFFSET

# ``formfield_overrides`` of every admin with number columns: the admin's own number inputs
# (type=number) would drop Thai digits.
NUMBER_FIELDS = {
    models.IntegerField: {"form_class": ThaiIntegerField, "widget": IntegerInput},
    models.BigIntegerField: {"form_class": ThaiIntegerField, "widget": IntegerInput},
    models.DecimalField: {"form_class": ThaiDecimalField, "widget": DecimalInput},
}


class ThaiAdminDateWidget(widgets.AdminDateWidget):
    """The admin's date input and calendar in d/m/พ.ศ. (22/11/2569), as ``ThaiDateField`` takes it.

    Django's own shows and the calendar writes the Christian year, which the field refuses;
    ``admin-thai-dates.js`` makes the calendar of inputs marked ``data-buddhist-era`` show and write
    the พ.ศ. year (the admin's split date-and-time inputs keep Django's).
    """

    def __init__(self, attrs=None, format=None):
        super().__init__({"data-buddhist-era": "", "inputmode": "numeric", **(attrs or {})}, format)

    def format_value(self, value):
        if isinstance(value, dt.date):
            return f"{value.day}/{value.month}/{value.year + BE_OFFSET}"
        return super().format_value(value)

    @property
    def media(self):
        return super().media + forms.Media(js=["js/admin-thai-dates.js"])


class TrackingAdminSite(admin.AdminSite):
    site_header = format_lazy("{} · {}", _("System administration"), settings.SITE_NAME)
    site_title = _("System administration")
    index_title = _("Data administration")

    # Apps and models of libraries whose own names mean little to an administrator here.
    APP_NAMES = {
        "pghistory": _("Change history"),
        "account": _("Sign-in e-mail addresses"),
        "socialaccount": _("Agency single sign-on (SSO)"),
    }
    MODEL_NAMES = {
        "MiddlewareEvents": _("Changes (who, when, from which page)"),
        "SocialApp": _("SSO providers"),
        "SocialAccount": _("SSO identities"),
        "SocialToken": _("SSO tokens"),
    }

    def __init__(self, name="admin"):
        super().__init__(name)
        from django.apps import apps

        # The app's name shows in the index, the side menu and the breadcrumbs of its pages.
        for label, name_ in self.APP_NAMES.items():
            if label in apps.app_configs:
                apps.get_app_config(label).verbose_name = name_

    def has_permission(self, request):
        return import_string(settings.ADMIN_ACCESS)(request.user)

    def _build_app_dict(self, request, label=None):
        app_dict = super()._build_app_dict(request, label)
        for app in [app_dict] if label else app_dict.values():
            for model in (app or {}).get("models", []):
                model["name"] = self.MODEL_NAMES.get(model["object_name"], model["name"])
        return app_dict


# Django's own admin texts whose Thai is missing or wrong in Django's catalogue ("None available"
# is "ไม่ว่าง", busy), translated again in ours; listed here so that makemessages keeps them.
DJANGO_TEXTS = (
    gettext_noop("None available"),
    gettext_noop("View"),
    gettext_noop("Events"),
    gettext_noop("Start typing to filter…"),
    gettext_noop("Show counts"),
    gettext_noop("Hide counts"),
    gettext_noop("Clear all filters"),
    gettext_noop("Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only."),
    gettext_noop("Enable password-based authentication for this user by setting a password."),
)


def _value_at(obj, path: str):
    for part in path.split("__"):
        if obj is None:
            return None
        obj = getattr(obj, part)
    return obj


def thai_date_display(path: str, label, empty: str = "-", places: int | None = None):
    """A column or read-only field showing the date (time) at ``path`` in พ.ศ.; with ``places``,
    the number there with thousands separators (1,234,567.50), as the site's tables show them."""

    def show(obj):
        value = _value_at(obj, path)
        if value is None:
            return empty
        if places is not None:
            return thaicalendar.format_number(value, places)
        if isinstance(value, dt.datetime):
            return thaicalendar.format_datetime(value)
        return thaicalendar.format_date(value)

    show.short_description = label
    show.admin_order_field = path
    show.__name__ = f"{path}_th"
    return show


class ThaiDatesAdmin(admin.ModelAdmin):
    """Dates in lists and read-only fields in พ.ศ. (and decimals with thousands separators, as the
    site's tables show them); date inputs take d/m/พ.ศ. (22/11/2569).

    Django's ``th`` locale formats print the Christian year and a format string cannot add 543,
    so each date column of ``list_display`` and each date of ``readonly_fields`` is replaced by
    a display function of the same label and sort order.
    """

    formfield_overrides = {
        **NUMBER_FIELDS,
        models.DateField: {"form_class": ThaiDateField, "widget": ThaiAdminDateWidget},
        # Django 6 makes https the default scheme of a typed address; say so now (and no warning).
        models.URLField: {"widget": widgets.AdminURLFieldWidget, "assume_scheme": "https"},
    }

    def _date_field(self, path: str):
        try:
            field = get_fields_from_path(self.model, path)[-1]
        except (FieldDoesNotExist, AttributeError):
            return None
        return field if isinstance(field, (models.DateField, models.DecimalField)) else None

    def _in_thai_dates(self, names):
        shown = []
        for name in names:
            field = self._date_field(name) if isinstance(name, str) else None
            if field is None:
                shown.append(name)
            else:
                places = field.decimal_places if isinstance(field, models.DecimalField) else None
                display = thai_date_display(name, field.verbose_name, self.get_empty_value_display(), places)
                # Read-only fields are named, not passed as functions: the display lives on the admin.
                setattr(self, display.__name__, display)
                shown.append(display.__name__)
        return shown

    def _is_thai_display(self, name) -> bool:
        return isinstance(name, str) and name.endswith("_th") and hasattr(self, name)

    def get_list_display(self, request):
        return self._in_thai_dates(super().get_list_display(request))

    def get_readonly_fields(self, request, obj=None):
        return self._in_thai_dates(super().get_readonly_fields(request, obj))

    def get_fieldsets(self, request, obj=None):
        """Declared fields and fieldsets name the date field; where it is read-only, show it in พ.ศ."""
        readonly = set(self.get_readonly_fields(request, obj))
        everything = obj is not None and not self.has_change_permission(request, obj)

        def shown(name):
            if isinstance(name, (list, tuple)):
                return tuple(shown(n) for n in name)
            if (everything or f"{name}_th" in readonly) and self._date_field(name):
                return self._in_thai_dates([name])[0]
            return name

        return [
            (title, {**options, "fields": [shown(name) for name in options["fields"]]})
            for title, options in super().get_fieldsets(request, obj)
        ]

    def get_exclude(self, request, obj=None):
        # A date shown read-only in พ.ศ. is not also a field of the form.
        shown_read_only = [
            name.removesuffix("_th")
            for name in self.get_readonly_fields(request, obj)
            if self._is_thai_display(name)
        ]
        excluded = super().get_exclude(request, obj)
        if not shown_read_only:
            return excluded
        return [*(excluded or []), *shown_read_only]

    def get_form(self, request, obj=None, **kwargs):
        if kwargs.get("fields") is not None:
            kwargs["fields"] = [name for name in kwargs["fields"] if not self._is_thai_display(name)]
        return super().get_form(request, obj, **kwargs)


class ReadOnlyAdmin(ThaiDatesAdmin):
    """Rows that are looked at in the admin but changed only through their own pages or migrations.

    Every field is shown read-only (dates in พ.ศ.), in the model's order.
    """

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        names = list(self.readonly_fields)
        if not names and self.fieldsets:
            names = flatten_fieldsets(self.fieldsets)
        elif not names and self.fields:
            names = list(self.fields)
        elif not names:
            names = [
                f.name
                for f in self.model._meta.get_fields()
                if (f.concrete or f.many_to_many)
                and not f.auto_created
                and f.name not in {"name_sort", *(self.exclude or ())}
            ]
        return self._in_thai_dates(names)


class ReadOnlyInline(admin.TabularInline):
    """The rows under a read-only parent, each linking to its own admin page."""

    formfield_overrides = NUMBER_FIELDS
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
