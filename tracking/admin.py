from django.contrib import admin
from django.db import models
from pghistory.admin import EventsAdmin

from tracking.forms import DecimalInput, IntegerInput, ThaiDecimalField, ThaiIntegerField

# ``formfield_overrides`` of every admin with number columns: the admin's own number inputs
# (type=number) would drop Thai digits.
NUMBER_FIELDS = {
    models.IntegerField: {"form_class": ThaiIntegerField, "widget": IntegerInput},
    models.BigIntegerField: {"form_class": ThaiIntegerField, "widget": IntegerInput},
    models.DecimalField: {"form_class": ThaiDecimalField, "widget": DecimalInput},
}


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows that are looked at in the admin but changed only through their own pages or migrations."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class HistoryAdmin(EventsAdmin):
    """pghistory's events admin without the filter counts ("facets"): its change list does not take
    Django 5's ``exclude_parameters``, so ``?_facets=…`` was a 500 (settings.PGHISTORY_ADMIN_CLASS)."""

    show_facets = admin.ShowFacets.NEVER
