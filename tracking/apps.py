from pathlib import Path

from django.apps import AppConfig, apps
from django.conf import settings
from django.contrib.admin import apps as admin_apps
from django.db import connections
from django.db.models.signals import post_migrate


def project_app_configs():
    """This project's own apps (not Django's or a library's), in the order of INSTALLED_APPS.

    The shell knows the domain apps only this way: the home page asks each for its tasks
    (tracking/tasks.py) and a restore counts each one's tables, without importing them by name.
    """
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(settings.BASE_DIR) and "site-packages" not in path.parts:
            yield config


def grant_app_role_after_migrate(app_config, using, **kwargs):
    """After the owner migrated, the application role gets its rights on whatever is new.

    Default privileges already cover new tables; this also covers a database whose tables
    came before the split into two roles. post_migrate is sent once per app: the work is done
    on the last one.
    """
    if app_config is not [config for config in apps.get_app_configs() if config.models_module][-1]:
        return
    from tracking.db_roles import grant_to_app_role

    grant_to_app_role(connections[using])


class TrackingConfig(AppConfig):
    default = True
    name = "tracking"
    verbose_name = "Tracking site"

    def ready(self):
        from tracking.forms import refuse_invisible_text

        refuse_invisible_text()
        post_migrate.connect(grant_app_role_after_migrate, dispatch_uid="tracking.grant_app_role")


class TrackingAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the project's site: Thai names, พ.ศ. dates and access.may_use_admin."""

    default = False
    default_site = "tracking.admin.TrackingAdminSite"
