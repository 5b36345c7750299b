"""Load demonstration data. Idempotent; refused unless DEMO or DEBUG is on."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

DEFAULT_PASSWORD = "Tracking@2569"  # noqa: S105 - demo installs only

# username, first name, last name, superuser
DEMO_USERS = [
    ("super_admin", "สมชาย", "ใจดี", True),
]


class Command(BaseCommand):
    help = "Create the demo users (and later the demo data). Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help="password for every demo user")

    def handle(self, *args, password, **options):
        if not (settings.DEMO or settings.DEBUG):
            raise CommandError("seed_demo runs only on a demo or development install (DEMO=1 or DEBUG=1).")
        User = get_user_model()
        with transaction.atomic():
            for username, first_name, last_name, is_superuser in DEMO_USERS:
                user, _created = User.objects.get_or_create(username=username)
                user.first_name = first_name
                user.last_name = last_name
                user.is_staff = is_superuser
                user.is_superuser = is_superuser
                user.set_password(password)
                user.save()
        self.stdout.write("Demo logins (username / password):")
        for username, first_name, last_name, _superuser in DEMO_USERS:
            self.stdout.write(f"  {username:<22} {password}   {first_name} {last_name}")
