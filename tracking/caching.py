"""Rendered pages (dashboards, national overviews) kept under the version of the data they show.

A page's HTML is cached under everything it depends on: the page, the
filters (and any error the filter form showed), the rows the user may see
(the access rule's condition, shared by everyone with the same scope), the
language and the version of the data. The version changes in the same
transaction as any change of the data, from a sequence that never gives a
number twice, so a cached page is never shown for other data; old entries
simply go unused and expire.
"""

import hashlib

from django.core.cache import caches
from django.utils import translation
from django.utils.safestring import mark_safe

# Unit and province names can change without a new version of the data; they show at most this late.
TIMEOUT = 600


def cached_html(parts: tuple, build) -> str:
    """The HTML ``build()`` renders, from the cache when these ``parts`` were rendered before."""
    digest = hashlib.sha256(repr((*parts, translation.get_language())).encode()).hexdigest()
    key = f"page:{digest}"
    cache = caches["pages"]
    html = cache.get(key)
    if html is None:
        html = str(build())
        cache.set(key, html, TIMEOUT)
    return mark_safe(html)  # noqa: S308 - rendered by our own templates  # nosec B308 B703
