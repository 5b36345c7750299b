"""Remind the district offices whose workload is not complete when recording closes soon: for cron.

Once a day is enough (see docs/deployment.md): each office's recorders are notified once per
closing date, however often it runs; a later closing date (the window extended) reminds again.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from tracking.thaicalendar import format_date
from workload import services
from workload.models import Questionnaire


class Command(BaseCommand):
    help = (
        "Notify the recorders of every district office whose workload is not complete (those that "
        "never started too) when the recording window closes within --days days; list the offices "
        "that no e-mail can reach."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=7, help="Remind when recording closes within this many days (7)."
        )
        parser.add_argument("--today", help="Run as on this day (YYYY-MM-DD), for trying it out.")

    def handle(self, *args, days, today, **options):
        if days < 0:
            raise CommandError("--days must be 0 or more")
        try:
            today = datetime.date.fromisoformat(today) if today else timezone.localdate()
        except ValueError:
            raise CommandError("--today must be a date written YYYY-MM-DD") from None
        with translation.override("en"):  # a log for the administrator, as Django writes its own
            self._run(today, days)

    def _run(self, today, days):
        questionnaire = Questionnaire.objects.filter(opens_on__lte=today, closes_on__gte=today).first()
        if questionnaire is None:
            self.stdout.write("No workload recording is open today: nothing to remind.")
            return
        left = (questionnaire.closes_on - today).days
        if left > days:
            self.stdout.write(
                f"Recording for fiscal year {questionnaire.fiscal_year} closes on "
                f"{format_date(questionnaire.closes_on)}, in {left} days: no reminders yet."
            )
            return
        # Offices added since the year opened get their submission first, so none is left out.
        services.open_submissions(questionnaire)
        incomplete = services.incomplete_submissions(questionnaire)
        result = services.remind_incomplete(
            submissions=incomplete,
            event_key=f"workload_due:{questionnaire.pk}:{questionnaire.closes_on.isoformat()}",
        )
        self.stdout.write(
            f"Fiscal year {questionnaire.fiscal_year}, closes on {format_date(questionnaire.closes_on)}: "
            f"{len(incomplete)} district offices not complete, {len(result.reminded)} reminded now, "
            f"{len(result.already)} reminded before."
        )
        if result.unreachable:
            self.stdout.write(f"Not reachable by e-mail ({len(result.unreachable)}):")
            for submission, why in result.unreachable:
                office = submission.office
                phone = submission.office_phone or submission.contact_mobile or "-"
                self.stdout.write(f"  {office.province.name_th}\t{office.name_th}\t{why}\t{phone}")
