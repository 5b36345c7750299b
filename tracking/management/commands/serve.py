"""Prepare the database and serve the site with gunicorn (used by `make run`).

The preparation runs as the database's owner role, gunicorn as the application role.
"""

import os
import shutil
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Migrate, load demo data when DEMO is on, collect static files, then serve with gunicorn."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")
        parser.add_argument("--workers", default=os.environ.get("WEB_CONCURRENCY", "3"))

    def handle(self, *args, host, port, workers, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        self.stdout.write("Database migrated.")
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write("Static files collected.")
        if settings.DEMO:
            call_command("seed_demo")
        gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or shutil.which("gunicorn")
        if gunicorn is None:
            raise CommandError("gunicorn is not installed: run `make install`.")
        # This command ran as the owner (manage.py); the site connects as the application role.
        os.environ["DATABASE_ROLE"] = "app"
        self.stdout.write(self.style.SUCCESS(f"\nServing on http://{host}:{port}/  (Ctrl-C stops)\n"))
        self.stdout.flush()
        # Replace this process: gunicorn gets Ctrl-C directly and the bundled
        # database wrapper around it stops the server after gunicorn exits.
        os.execv(
            gunicorn,
            [
                gunicorn,
                "tracking.wsgi:application",
                "--bind", f"{host}:{port}",
                "--workers", str(workers),
                "--access-logfile", "-",
                "--graceful-timeout", "10",
            ],
        )  # fmt: skip
