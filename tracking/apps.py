from django.apps import AppConfig, apps
from django.conf import settings
from django.db import connections
from django.db.models.signals import post_migrate


def grant_app_role_after_migrate(app_config, using, **kwargs):
    """After the owner migrated, the application role gets its rights on whatever is new.

    Default privileges already cover new tables; this also covers a database whose tables
    came before the split into two roles. post_migrate is sent once per app: the work is done
    on the last one.
    """
    if app_config is not [config for config in apps.get_app_configs() if config.models_module][-1]:
        return
    connection = connections[using]
    owner, app = settings.DATABASE_ROLES["owner"]["USER"], settings.DATABASE_ROLES["app"]["USER"]
    if not app or app == owner or connection.settings_dict["USER"] != owner:
        return
    from tracking.db_roles import grant_app_role

    with connection.cursor() as cursor:
        grant_app_role(cursor, app)


class TrackingConfig(AppConfig):
    name = "tracking"
    verbose_name = "Tracking site"

    def ready(self):
        post_migrate.connect(grant_app_role_after_migrate, dispatch_uid="tracking.grant_app_role")
