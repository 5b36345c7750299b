"""Each person's tasks (งานของฉัน) on the home page: cards that the apps contribute.

The shell imports no domain app. Each installed app may have a ``tasks`` module with a
``tasks(user, today)`` function that returns the cards of that user's work in the app; the
home page collects them, found by name as ``seed_demo`` finds the apps' demo data. A card's
figures come from that app's queries, a fixed number of them per card whatever the number of
rows, and whom a card is for is decided in ``accounts/access.py`` (``task_lists``).
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass

from tracking.apps import project_app_configs

# How many of a card's most urgent items the home page lists; the card's link shows the rest.
SHOWN = 5


@dataclass(frozen=True)
class Item:
    """One piece of work: what, where it is done, and by when (or why it came back)."""

    label: str
    url: str
    note: str = ""
    due: dt.date | None = None
    late: bool = False
    reason: str = ""


@dataclass(frozen=True)
class Card:
    """A kind of work waiting for this person: how much, the most urgent items, where to do it."""

    key: str
    title: str
    count: int
    url: str
    link_label: str
    items: tuple[Item, ...] = ()
    due: dt.date | None = None
    due_label: str = ""
    note: str = ""
    order: int = 0

    @property
    def more(self) -> int:
        """Items not listed on the card."""
        return max(self.count - len(self.items), 0)


Provider = Callable[[object, dt.date], list[Card]]


@functools.cache
def providers() -> tuple[Provider, ...]:
    """The ``tasks`` function of each of this project's apps, in the order of INSTALLED_APPS
    (functions, not data; third-party apps are not asked)."""
    found = []
    for config in project_app_configs():
        name = f"{config.name}.tasks"
        if config.name == "tracking" or importlib.util.find_spec(name) is None:
            continue
        provider = getattr(importlib.import_module(name), "tasks", None)
        if provider is not None:
            found.append(provider)
    return tuple(found)


def cards_for(user, today: dt.date) -> list[Card]:
    """The cards of work waiting for this user today, those with something to do, in a stable order."""
    if not getattr(user, "is_authenticated", False):
        return []
    cards = [card for provider in providers() for card in provider(user, today)]
    return sorted((card for card in cards if card.count), key=lambda card: card.order)
