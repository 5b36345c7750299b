from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class TrackingConfig(AppConfig):
    default = True
    name = "tracking"
    verbose_name = "Tracking site"


class TrackingAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the project's site: Thai names, พ.ศ. dates and access.may_use_admin."""

    default = False
    default_site = "tracking.admin.TrackingAdminSite"
