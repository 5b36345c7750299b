"""A page of an object's change history, read from the audit trail (django-pghistory).

Each row says when, who, from which page and what changed, with the fields' own (translated)
names and values written as people read them: money with separators, dates in the Buddhist era,
choices by their label. Newest first, 25 to a page, in a fixed number of queries whatever the
history's length: the page, the people, and one per kind of row its foreign keys point at.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db import models
from django.shortcuts import render
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _
from pghistory.models import MiddlewareEvents

from tracking.thaicalendar import format_baht, format_date, format_datetime

PER_PAGE = 25
# Bookkeeping every save touches: saying it changed tells nobody anything.
QUIET_FIELDS = {"id", "created_at", "updated_at"}
LONG_TEXT = 300
ACTIONS = {
    "insert": _("Created"),
    "update": _("Changed"),
    "delete": _("Deleted"),
    "role.granted": _("Role granted"),
    "role.revoked": _("Role revoked"),
}


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class Entry:
    when: dt.datetime
    who: str
    url: str
    action: str
    subject: str
    changes: list[Change]


def _value(field: models.Field | None, raw, related: dict, present: dict) -> str:
    if raw is None or raw == "":
        return "–"
    if field is None:
        return str(raw)
    if field.is_relation:
        found = related.get((field.related_model, str(raw)))
        if found is None:
            return f"#{raw}"
        return str(present.get(field.related_model, str)(found))
    if field.choices:
        return str(dict(field.flatchoices).get(raw, raw))
    if isinstance(field, models.BooleanField):
        return str(_("Yes") if raw else _("No"))
    if isinstance(field, models.DecimalField):
        try:
            return format_baht(Decimal(str(raw)))
        except InvalidOperation:
            return str(raw)
    if isinstance(field, models.DateTimeField):
        parsed = parse_datetime(str(raw))
        return format_datetime(parsed) if parsed else str(raw)
    if isinstance(field, models.DateField):
        parsed = parse_date(str(raw))
        return format_date(parsed) if parsed else str(raw)
    text = str(raw)
    return text if len(text) <= LONG_TEXT else text[:LONG_TEXT] + "…"


def _field(model, name: str) -> models.Field | None:
    try:
        return model._meta.get_field(name.removesuffix("_id"))
    except FieldDoesNotExist:
        return None


# Events that end a row's life: what it held is "before", nothing "after".
REMOVALS = {"delete", "role.revoked"}


def _pairs(event) -> dict:
    """{field name: (before, after)} of one event: an update's differences; for a row added or
    removed (no differences kept), what it held."""
    if event.pgh_diff is not None and event.pgh_label not in REMOVALS:
        return event.pgh_diff
    data = event.pgh_data or {}
    if event.pgh_label in REMOVALS:
        return {name: (value, None) for name, value in data.items()}
    return {name: (None, value) for name, value in data.items()}


def _tracked(event):
    return (
        apps.get_model(event.pgh_obj_model)
        if event.pgh_obj_model
        else apps.get_model(event.pgh_model).pgh_tracked_model
    )


def _related(events) -> dict:
    """The rows that the page's changed foreign keys point at, one query per related model."""
    wanted: dict = {}
    for event in events:
        model = _tracked(event)
        pairs = {**_pairs(event), **{name: (value,) for name, value in (event.pgh_data or {}).items()}}
        for name, values in pairs.items():
            field = _field(model, name)
            if field is not None and field.is_relation:
                wanted.setdefault(field.related_model, set()).update(
                    str(v) for v in values if v not in (None, "")
                )
    return {
        (related, str(pk)): row
        for related, ids in wanted.items()
        for pk, row in related._default_manager.in_bulk(list(ids)).items()
    }


def _changes(model, event, related: dict, present: dict) -> list[Change]:
    changes = []
    for name, (before, after) in _pairs(event).items():
        if name in QUIET_FIELDS or (before in (None, "") and after in (None, "")):
            continue
        field = _field(model, name)
        label = str(field.verbose_name) if field is not None else name
        changes.append(
            Change(
                label=label[:1].upper() + label[1:],
                before=_value(field, before, related, present),
                after=_value(field, after, related, present),
            )
        )
    return changes


def _subject(model, event, page_model, related: dict, present: dict, describe: dict) -> str:
    """What a row of another kind than the page's object is: its kind and naming field."""
    if model is page_model:
        return ""
    kind = str(model._meta.verbose_name)
    name = describe.get(model)
    if not name:
        return kind[:1].upper() + kind[1:]
    value = _value(_field(model, name), (event.pgh_data or {}).get(name), related, present)
    return f"{kind[:1].upper() + kind[1:]}: {value}"


def history_page(events, page_number, *, page_model, describe=None, present=None) -> tuple:
    """(page, entries) of the events (a MiddlewareEvents queryset), newest first.

    ``describe``: {model: field} naming rows of other kinds (an answer by its question);
    ``present``: {model: function} writing a related row for people (a role by its label).
    """
    describe, present = describe or {}, present or {}
    page = Paginator(events.order_by("-pgh_created_at", "-pgh_id"), PER_PAGE).get_page(page_number)
    rows = list(page.object_list)
    user_ids = {int(e.pgh_context["user"]) for e in rows if e.pgh_context and e.pgh_context.get("user")}
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=user_ids)} if user_ids else {}
    related = _related(rows)
    entries = []
    for event in rows:
        context = event.pgh_context or {}
        person = users.get(int(context["user"])) if context.get("user") else None
        model = _tracked(event)
        entries.append(
            Entry(
                when=event.pgh_created_at,
                who=(person.get_full_name() or person.username) if person else str(_("the system")),
                url=context.get("url") or "",
                action=str(ACTIONS.get(event.pgh_label, event.pgh_label)),
                subject=_subject(model, event, page_model, related, present, describe),
                changes=_changes(model, event, related, present),
            )
        )
    return page, entries


def object_history(
    request,
    obj: models.Model,
    *,
    back: str,
    events=None,
    describe=None,
    present=None,
    title=None,
    crumbs: Sequence[tuple[str, str]] = (),
):
    """The "ประวัติการแก้ไข" page of one object (its own events unless ``events`` says more);
    the caller has checked that the user may see it. The breadcrumb goes home, through ``crumbs``
    (label, URL) of the pages above the object, to the object's page ``back``."""
    events = MiddlewareEvents.objects.tracks(obj) if events is None else events
    page, entries = history_page(
        events, request.GET.get("page"), page_model=type(obj), describe=describe, present=present
    )
    context = {
        "title": title or str(obj),
        "page": page,
        "entries": entries,
        "back": back,
        "crumbs": list(crumbs),
    }
    return render(request, "tracking/history.html", context)
