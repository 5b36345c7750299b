"""Access requests waiting for a decision, for the home page of those who decide them."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import AccessRequest
from tracking.tasks import SHOWN, Card, Item
from tracking.thaicalendar import format_date


def access_requests_waiting(user, today: dt.date) -> Card:
    """Pending requests this user may decide on, oldest first: two queries."""
    pending = AccessRequest.objects.visible_to(user, access.CHANGE).pending().select_related("org_unit")
    items = tuple(
        Item(
            label=f"{request.first_name} {request.last_name}",
            url=reverse("accounts:access_request_detail", args=[request.pk]),
            note=_("%(unit)s, asked on %(date)s")
            % {"unit": request.org_unit, "date": format_date(request.created_at)},
        )
        for request in pending.order_by("created_at", "pk")[:SHOWN]
    )
    return Card(
        key="access_requests",
        title=_("Access requests waiting for your decision"),
        count=pending.count(),
        url=reverse("accounts:access_request_list"),
        link_label=_("Open the access requests"),
        items=items,
        order=80,
    )


def tasks(user, today: dt.date) -> list[Card]:
    if access.ACCESS_REQUESTS in access.task_lists(user):
        return [access_requests_waiting(user, today)]
    return []
