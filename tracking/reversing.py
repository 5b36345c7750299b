"""reverse() for a link repeated on every row: the URL of a name is built once, its arguments filled in after.

Django's reverse() matches patterns, converts and quotes every argument on each call. Only the
``{% route %}`` tag uses this (tracking/templatetags/route.py says where and why). Here a URL name is
reversed once per *shape* of arguments
(each one a number or a plain code) with marker values, and later calls replace the markers. Only
arguments that need no quoting take this path (non-negative integers, and text of letters,
digits, "_" and "-"); anything else, keyword arguments and names that cannot be reversed with the
markers go through reverse() itself, so the result is always what reverse() would give.
"""

import re

from django.conf import settings
from django.urls import NoReverseMatch, Resolver404, get_script_prefix, get_urlconf, resolve, reverse

_DIGITS = re.compile(r"[0-9]+")
_CODE = re.compile(r"[A-Za-z0-9_-]+")
_UNCACHABLE = object()
_templates: dict[tuple, object] = {}


def _shape(args) -> tuple[str, ...] | None:
    """'n' for a number, 't' for a code, per argument; None when one of them needs reverse()."""
    shape = []
    for arg in args:
        text = str(arg) if isinstance(arg, int) and not isinstance(arg, bool) else arg
        if not isinstance(text, str) or not _CODE.fullmatch(text):
            return None
        shape.append("n" if _DIGITS.fullmatch(text) else "t")
    return tuple(shape)


def _markers(shape) -> list[str]:
    # Numbers for number-shaped arguments (they pass int, str and slug converters alike), letters
    # for codes, so reverse() picks the same pattern it would pick for the real arguments.
    return [f"97310{i}486" if kind == "n" else f"zqmark{i}x" for i, kind in enumerate(shape)]


_CONVERTER = re.compile(r"<(?:(\w+):)?\w+>")


def _plain_route(url: str) -> bool:
    """Whether the URL comes from path() patterns whose converters accept any number or code.

    Regular-expression patterns (re_path, as allauth uses) may refuse some of them, so those
    always go through reverse().
    """
    try:
        route = resolve("/" + url.removeprefix(get_script_prefix())).route
    except Resolver404:
        return False
    if any(character in route for character in "^$()[]\\"):
        return False
    return all(converter in ("", "int", "str", "slug", "path") for converter in _CONVERTER.findall(route))


def _build(viewname: str, shape, current_app):
    """The URL split at each argument, or _UNCACHABLE when reverse() must do it every time."""
    markers = _markers(shape)
    try:
        url = reverse(viewname, args=markers, current_app=current_app)
    except NoReverseMatch:
        return _UNCACHABLE
    if not _plain_route(url):
        return _UNCACHABLE
    parts = []
    for marker in markers:
        if url.count(marker) != 1:
            return _UNCACHABLE
        before, url = url.split(marker)
        parts.append(before)
    return (*parts, url)


def _template(viewname: str, shape, current_app):
    key = (viewname, shape, current_app, get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF)
    template = _templates.get(key)
    if template is None:
        template = _templates[key] = _build(viewname, shape, current_app)
    return template


def fast_reverse(viewname: str, args=(), current_app=None) -> str:
    """reverse(viewname, args=args): the same URL, without matching patterns on every call."""
    shape = _shape(args)
    template = _UNCACHABLE if shape is None else _template(viewname, shape, current_app)
    if template is _UNCACHABLE:
        return reverse(viewname, args=args, current_app=current_app)
    pieces = [template[0]]
    for arg, part in zip(args, template[1:], strict=True):
        pieces.append(str(arg))
        pieces.append(part)
    return "".join(pieces)
