"""One group per role. Their model permissions are attached after every migrate
(accounts.apps), because permissions only exist once post_migrate has run."""

from django.db import migrations

ROLES = [
    "super_admin", "admin_all", "admin_fund", "finance_budget", "finance_fund", "bureau_user",
    "province_user", "report_viewer", "district_recorder", "province_confirmer",
    "province_sso_admin", "dla_admin",
]  # fmt: skip


def create(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


def remove(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_org_units"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create, remove)]
