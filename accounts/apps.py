from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Users, units and geography")

    def ready(self):
        from accounts import (
            reference,
            session,  # noqa: F401 - connects the sign-in clock
        )

        # After every app's migration, not only this one's: a role may carry permissions of models
        # of later apps (workload's), whose permission rows exist only once those apps migrated.
        post_migrate.connect(sync_role_permissions, dispatch_uid="accounts.sync_role_permissions")
        for signal in (post_save, post_delete):
            signal.connect(reference.forget, sender="accounts.OrgUnit", dispatch_uid=f"reference-{signal}")


def sync_role_permissions(using="default", **kwargs):
    """Give each role's group exactly the model permissions listed in accounts.roles."""
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    from accounts.roles import ROLE_PERMISSIONS

    for role, perms in ROLE_PERMISSIONS.items():
        group = Group.objects.using(using).filter(name=role).first()
        if group is None:
            continue
        condition = Q(pk__in=[])
        for perm in perms:
            app_label, codename = perm.split(".")
            condition |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.set(Permission.objects.using(using).filter(condition))
