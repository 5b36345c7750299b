"""``manage.py send_report_reminders [--date YYYY-MM-DD]``: remind the units whose report of the month
just due is not handed in (progress.reminders); prints the units that could not be reached."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from progress.reminders import report_reminders_send


class Command(BaseCommand):
    help = "Remind units whose monthly report of the month just due is not handed in (run daily)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Run as on this day (YYYY-MM-DD, Common Era); default today.")
        parser.add_argument("--site-url", default="", help="The site's address, for the link in the e-mail.")

    def handle(self, *args, date=None, site_url="", **options):
        try:
            today = dt.date.fromisoformat(date) if date else None
        except ValueError:
            raise CommandError(f"--date {date!r} is not a date YYYY-MM-DD") from None
        run = report_reminders_send(today=today, site_url=site_url)
        self.stdout.write(
            f"Fiscal year {run.fiscal_year}, month {run.month} ({run.month_label}), "
            f"due {run.due_date:%Y-%m-%d}: "
            f"{len(run.reached)} unit(s) reminded by e-mail, {run.already_reminded} reminded before."
        )
        for unit, addresses in run.reached:
            self.stdout.write(f"  reminded {unit.code} {unit.name_th}: {', '.join(addresses)}")
        if run.not_reached:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(run.not_reached)} unit(s) could not be reached "
                    "(no active user with a verified address):"
                )
            )
            for unit in run.not_reached:
                self.stdout.write(f"  NOT REACHED {unit.code} {unit.name_th}")
        return None
