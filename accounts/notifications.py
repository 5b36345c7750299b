"""In-site notifications (the bell) and their e-mail copies: one service, ``notify``.

Callers name the event; this module decides who hears of it how::

    from accounts.notifications import Kind, notify

    notify(
        [report.submitted_by],                       # users (inactive ones are skipped)
        Kind.REPORT_SENT_BACK,
        url=reverse("progress:report", args=[...]),  # a path of this site, never a full URL
        params={"unit": "สปก.เชียงใหม่", "month": "2026-11", "reason": "..."},  # ISO (CE) dates
        event_key=f"report_sent_back:{report.pk}:{report.decided_at.isoformat()}",
    )

* ``event_key`` names the event, not the message: the same key notifies a person once however
  often the code runs (a cron job, a retried request). Put in it what makes a new event new (the
  row and the time of the decision, the closing date a reminder is about).
* ``params`` are JSON values (text, numbers) that the kind's message reads; the text is written
  when the notification is shown, in the reader's language (``message_of``). A month is given as
  ``"YYYY-MM"`` (Gregorian) and shown in the Buddhist era; a date as ``"YYYY-MM-DD"``.
* E-mail goes, after commit, to the newly notified recipients that have a verified address
  (``User.email``) and have not turned e-mail off on My account, when the site has a mail server.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from accounts.models import Notification, User
from tracking import thaicalendar

Kind = Notification.Kind

# The message of each kind; %(name)s are the notification's params (dates formatted first).
MESSAGES = {
    Kind.REPORT_SENT_BACK: _("The report of %(unit)s for %(month)s was sent back: %(reason)s"),
    Kind.REPORT_ACCEPTED: _("The report of %(unit)s for %(month)s was accepted."),
    Kind.REPORT_DUE: _("The report of %(unit)s for %(month)s is due on %(due)s."),
    Kind.NEWS_APPROVED: _("Your news “%(title)s” was approved and published."),
    Kind.NEWS_REJECTED: _("Your news “%(title)s” was sent back: %(reason)s"),
    Kind.ACCESS_REQUEST_DECIDED: _("Your access request was approved: %(role)s, %(unit)s."),
    Kind.DISTRICT_REOPENED: _("The workload of %(office)s for fiscal year %(fy)s was reopened: %(reason)s"),
    Kind.WORKLOAD_DUE: _(
        "The workload of %(office)s for fiscal year %(fy)s is not complete; recording closes on %(closes)s."
    ),
}

CONSOLE_BACKEND = "django.core.mail.backends.console.EmailBackend"


def is_local_path(url: str) -> bool:
    """A path of this site: ``/…``, not ``//host``, ``/\\host`` or any scheme."""
    return (
        isinstance(url, str)
        and url.startswith("/")
        and not url.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(url, allowed_hosts=set())
    )


def email_configured() -> bool:
    """Whether the site sends real mail (without EMAIL_HOST it only prints mail to the log)."""
    return settings.EMAIL_BACKEND != CONSOLE_BACKEND


def _shown(name: str, value):
    """A param as the message shows it: months and dates in the Buddhist era, roles by their label."""
    if not isinstance(value, str):
        return value
    try:
        if name in ("month",):
            # "พฤศจิกายน 2569": the long date of the 1st without its day.
            return thaicalendar.format_date(datetime.date.fromisoformat(value + "-01"), long=True)[2:]
        if name in ("due", "closes", "date"):
            return thaicalendar.format_date(datetime.date.fromisoformat(value))
    except ValueError:
        return value
    if name == "role":
        from accounts.roles import Role

        return Role(value).label if value in Role.values else value
    return value


class _Params(dict):
    """A missing param shows as a dash instead of failing the whole list."""

    def __missing__(self, key):
        return "–"


def message_of(notification: Notification) -> str:
    """The notification's text in the active language."""
    template = MESSAGES.get(notification.kind)
    if template is None:
        return str(notification.get_kind_display())
    params = notification.params if isinstance(notification.params, dict) else {}
    return str(template) % _Params({name: _shown(name, value) for name, value in params.items()})


def notify(
    recipients: Iterable[User],
    kind: str,
    *,
    url: str,
    params: dict | None = None,
    event_key: str,
    email: bool = True,
) -> list[User]:
    """Notify each recipient of one event, once: returns those notified now (not before).

    ``url``: a path of this site (ValueError otherwise). Runs in the caller's transaction; the
    e-mail copies are sent after it commits, unless ``email`` is False (a caller that writes its
    own, fuller e-mail, such as a reminder run).
    """
    if kind not in Kind.values:
        raise ValueError(f"unknown notification kind {kind!r}")
    if not is_local_path(url):
        raise ValueError(f"a notification links to a path of this site, not {url!r}")
    if not event_key or len(event_key) > 200:
        raise ValueError("a notification needs an event_key of at most 200 characters")
    people = {user.pk: user for user in recipients if user is not None and user.is_active}
    if not people:
        return []
    # One time for the whole call: the rows this call inserts are told from older ones by it.
    now = timezone.now()
    with transaction.atomic():
        Notification.objects.bulk_create(
            [
                Notification(
                    recipient_id=pk,
                    kind=kind,
                    url=url,
                    params=params or {},
                    event_key=event_key,
                    created_at=now,
                )
                for pk in people
            ],
            ignore_conflicts=True,
        )
        new_ids = set(
            Notification.objects.filter(
                event_key=event_key, recipient_id__in=list(people), created_at=now
            ).values_list("recipient_id", flat=True)
        )
    notified = [people[pk] for pk in people if pk in new_ids]
    mailed = [user for user in notified if user.email and user.email_notifications]
    if email and mailed and email_configured():
        sample = Notification(kind=kind, url=url, params=params or {})
        transaction.on_commit(lambda: _send_emails(sample, mailed))
    return notified


def _send_emails(notification: Notification, users: list[User]) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = str(_("%(site)s: %(kind)s")) % {
            "site": settings.SITE_NAME,
            "kind": notification.get_kind_display(),
        }
        link = (settings.SITE_URL.rstrip("/") + notification.url) if settings.SITE_URL else notification.url
        body = "\n\n".join(
            [
                message_of(notification),
                str(_("Open it: %(link)s")) % {"link": link},
                str(_("You get this e-mail because e-mail notifications are on in My account.")),
            ]
        )
    send_mass_mail([(subject, body, None, [user.email]) for user in users], fail_silently=False)


def mark_read(notification: Notification) -> None:
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())


def mark_all_read(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
