"""News waiting for approval, for the home page of those who approve it."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import access
from news.models import News
from tracking.tasks import SHOWN, Card, Item
from tracking.thaicalendar import format_date


def news_waiting(user, today: dt.date) -> Card:
    """Sent items this user may decide on, oldest first (the approval queue's own query): two queries."""
    waiting = News.objects.waiting_for(user)
    items = tuple(
        Item(
            label=item.title,
            url=reverse("news:detail", args=[item.pk]),
            note=_("%(unit)s, sent on %(date)s") % {"unit": item.unit, "date": format_date(item.created_at)},
        )
        for item in waiting.select_related("unit").order_by("created_at", "pk")[:SHOWN]
    )
    return Card(
        key="news_waiting",
        title=_("News waiting for your approval"),
        count=waiting.count(),
        url=reverse("news:queue"),
        link_label=_("Open the approval queue"),
        items=items,
        order=90,
    )


def tasks(user, today: dt.date) -> list[Card]:
    if access.NEWS_APPROVAL in access.task_lists(user):
        return [news_waiting(user, today)]
    return []
