from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows that are looked at in the admin but changed only through their own pages or migrations."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
