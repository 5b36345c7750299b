"""Reminders to units that handed nothing in for the month just due (manage.py send_report_reminders).

Run daily (cron or a systemd timer): on or after a month's due day, each unit with an assignment
whose report of that month is not handed in is reminded once. The people reminded are the unit's
own bureau or provincial users with a verified address; a unit with nobody to write to is listed
as not reached, never skipped silently, and is tried again by the next run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import Notification, OrgUnit
from accounts.notifications import notify
from progress import completeness
from progress.models import ReportReminder
from projects.models import ActivityUnit
from tracking import thaicalendar


@dataclass
class ReminderRun:
    fiscal_year: int
    month: int
    due_date: dt.date
    reached: list = field(default_factory=list)  # (unit, [addresses])
    not_reached: list = field(default_factory=list)  # units nobody could be written to
    already_reminded: int = 0

    @property
    def month_label(self) -> str:
        return thaicalendar.fiscal_months(self.fiscal_year)[self.month - 1].label


def month_just_due(today: dt.date) -> thaicalendar.FiscalMonth:
    """The latest fiscal month whose report fell due on or before ``today``."""
    last_month = today.replace(day=1) - dt.timedelta(days=1)
    fm = thaicalendar.fiscal_month_of(last_month)
    if completeness.due_date(fm.fiscal_year, fm.index) <= today:
        return fm
    # Before this month's due day: the month before last fell due last month (due days are ≤ 28).
    return thaicalendar.fiscal_month_of(last_month.replace(day=1) - dt.timedelta(days=1))


def report_reminders_send(*, today: dt.date | None = None, site_url: str = "") -> ReminderRun:
    """Remind, once per unit and month, the units with a report of the month just due not handed in."""
    today = today or timezone.localdate()
    fm = month_just_due(today)
    fy, month = fm.fiscal_year, fm.index
    period = completeness.periods(fy, now=timezone.now())[month - 1]
    run = ReminderRun(fiscal_year=fy, month=month, due_date=period.due_date)
    reminded = ReportReminder.objects.filter(
        unit=OuterRef("unit"), fiscal_year=fy, month=month, emailed__gt=0
    )
    waiting = (
        ActivityUnit.objects.expected_to_report()
        .filter(activity__project__fiscal_year=fy)
        .with_report_states([period])
        .filter(**{f"state_{month}__in": completeness.NOT_HANDED_IN})
    )
    with transaction.atomic():
        to_remind = waiting.filter(~Exists(reminded)).order_by().values("unit")
        counts = dict(to_remind.annotate(n=Count("pk")).values_list("unit", "n"))
        run.already_reminded = waiting.filter(Exists(reminded)).values("unit").distinct().count()
        units = list(OrgUnit.objects.filter(pk__in=counts).order_by("name_sort", "code"))
        people = (
            get_user_model()
            .objects.filter(access.report_reminder_recipients(), org_unit__in=units)
            .exclude(email="")
            .distinct()
            .order_by("pk")
        )
        addresses: dict[int, list] = {}
        for person in people:
            addresses.setdefault(person.org_unit_id, []).append(person)
        mails = []
        for unit in units:
            found = addresses.get(unit.pk, [])
            if found:
                run.reached.append((unit, [p.email for p in found]))
                mails.extend(_mail(p, unit, run, counts[unit.pk], site_url) for p in found)
            else:
                run.not_reached.append(unit)
        _notify_units(units=units, run=run, counts=counts, emailed={u.pk: len(a) for u, a in run.reached})
        if mails:
            transaction.on_commit(lambda: send_mass_mail(mails, fail_silently=False))
    return run


def _mail(person, unit, run: ReminderRun, assignments: int, site_url: str):
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Reminder: monthly report of %(month)s is due") % {"month": run.month_label}
        body = _(
            "Dear %(name)s,\n\n%(unit)s has %(count)s assignment(s) whose report of %(month)s was due on "
            "%(due)s and has not been handed in. Please record the month's figures and hand the report "
            "in: %(link)s\n\n%(site)s"
        ) % {
            "name": person.get_full_name() or person.username,
            "unit": unit.name_th,
            "count": assignments,
            "month": run.month_label,
            "due": thaicalendar.format_date(run.due_date),
            "link": f"{site_url.rstrip('/')}{reverse('progress:index')}?fy={run.fiscal_year}"
            f"&month={run.month}",
            "site": settings.SITE_NAME,
        }
    return (subject, body, None, [person.email])


def _notify_units(*, units, run: ReminderRun, counts: dict, emailed: dict) -> None:
    """Record the reminder of each unit (one per unit and month; a unit nobody could be written to
    is recorded with ``emailed=0`` and tried again next time).

    Every person of each unit is also told in the site (the bell), once per unit and month; the
    e-mail is the reminder's own, sent by the caller.
    """
    now = timezone.now()
    people = get_user_model().objects.filter(access.report_reminder_recipients(), org_unit__in=units)
    by_unit: dict[int, list] = {}
    for person in people.distinct():
        by_unit.setdefault(person.org_unit_id, []).append(person)
    month = thaicalendar.fiscal_months(run.fiscal_year)[run.month - 1].first_day.strftime("%Y-%m")
    for unit in units:
        ReportReminder.objects.update_or_create(
            unit=unit,
            fiscal_year=run.fiscal_year,
            month=run.month,
            defaults={"assignments": counts[unit.pk], "emailed": emailed.get(unit.pk, 0), "sent_at": now},
        )
        notify(
            by_unit.get(unit.pk, []),
            Notification.Kind.REPORT_DUE,
            url=f"{reverse('progress:index')}?fy={run.fiscal_year}&month={run.month}",
            params={"unit": str(unit), "month": month, "due": run.due_date.isoformat()},
            event_key=f"report_due:{unit.pk}:{run.fiscal_year}:{run.month}",
            email=False,
        )
