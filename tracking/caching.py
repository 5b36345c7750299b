"""Rendered pages (dashboards, national overviews, the progress list) kept under the version of
the data they show.

A page's body is cached under everything it depends on: the page, the
filters (and any error the filter form showed), the rows the user may see
(the access rule's condition, shared by everyone with the same scope), the
language and the version of the data. The version changes in the same
transaction as any change of the data, from a sequence that never gives a
number twice, so a cached page is never shown for other data; old entries
simply go unused and expire.

The body is shared by everyone with the same scope, so it is rendered without
the request: no context processor runs, and nothing of the person who happened
to ask first (their name, menu, CSRF token, messages, session) can be kept in
it. The page around it (``base.html``) is rendered for each request as usual.
"""

import hashlib
from collections.abc import Callable

from django.core.cache import caches
from django.db.models import F, Func, Subquery
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

# Unit and province names can change without a new version of the data; they show at most this late.
TIMEOUT = 600


def newest(rows, field: str = "pgh_id") -> Subquery:
    """MAX(field) of the rows, as a scalar subquery: one part of a version read in one query.

    With the default field, over a model's history (``Model.events``, which PostgreSQL writes for
    every insert, update and delete, however made), it is the newest change of those rows."""
    return Subquery(rows.order_by().annotate(newest=Func(F(field), function="MAX")).values("newest"))


def newest_change(model) -> Subquery:
    """The newest history row of any row of ``model`` (its pghistory events), as a scalar subquery."""
    return newest(model.events.field.model.objects.all())


def cached(parts: tuple, compute: Callable[[], object]):
    """``compute()``, from the cache when it was computed for these ``parts`` before (``compute`` is
    called only then). ``parts`` name the value and the versions of everything it is made of; the
    value is data (numbers, fingerprints, rendered HTML without the request), never a person's."""
    key = "v:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    cache = caches["pages"]
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value


def cached_html(parts: tuple, template: str, context: Callable[[], dict]) -> SafeString:
    """``template`` rendered with ``context()`` and no request, from the cache when these ``parts``
    were rendered before (``context`` is called only then)."""
    html = cached(
        ("page", *parts, template, translation.get_language()), lambda: render_to_string(template, context())
    )
    return mark_safe(html)  # noqa: S308 - rendered by our own templates  # nosec B308 B703
