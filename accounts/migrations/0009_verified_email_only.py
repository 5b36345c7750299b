"""E-mail addresses count only once verified.

Addresses typed before into ``User.email`` (by administrators, access
requests, or made primary on /accounts/email/ without a check) were never
verified by their owners. They become unverified allauth addresses, and
``User.email`` keeps only a verified one, so reset, SSO matching, reminders and
notifications stop using them until the owner clicks the link (sent from
/accounts/email/). Then ``User.email`` is unique (any case), and so are verified
addresses: allauth's ``unique_verified_email`` compares them as stored, this
index ignores case.
"""

import django.db.models.functions.text
from django.db import migrations, models


def verified_only(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    # An unverified address is never primary.
    EmailAddress.objects.filter(verified=False, primary=True).update(primary=False)
    for user in User.objects.exclude(email="").only("pk", "email").iterator():
        typed = user.email.strip().lower()
        if not EmailAddress.objects.filter(user_id=user.pk, email__iexact=typed).exists():
            EmailAddress.objects.create(user_id=user.pk, email=typed, verified=False, primary=False)
    for user in User.objects.only("pk", "email").iterator():
        verified = EmailAddress.objects.filter(user_id=user.pk, verified=True).order_by("-primary", "pk").first()
        if verified is not None and not verified.primary:
            verified.primary = True
            verified.save(update_fields=["primary"])
        wanted = verified.email if verified is not None else ""
        if user.email != wanted:
            User.objects.filter(pk=user.pk).update(email=wanted)
    # Check the deferred foreign keys now: PostgreSQL builds no index on a table with pending checks.
    schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_audit_trail"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [
        migrations.RunPython(verified_only, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("email"),
                condition=models.Q(("email", ""), _negated=True),
                name="user_email_unique_ci",
                violation_error_message="Another account already uses this e-mail address.",
            ),
        ),
        migrations.RunSQL(
            "CREATE UNIQUE INDEX account_emailaddress_verified_email_ci "
            "ON account_emailaddress (LOWER(email)) WHERE verified",
            "DROP INDEX account_emailaddress_verified_email_ci",
        ),
    ]
