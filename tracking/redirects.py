"""Where to go after a form: a ``next`` given by the request, only when it is on this site."""

from django.shortcuts import redirect, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, target, fallback) -> str:
    """``target`` if it is a URL of this site (same host, no other scheme), else ``fallback``.

    ``fallback``: a URL, or a URL name as for ``redirect()``. A crafted link must not use a sign-in
    or a confirmation of this site to send the user on to a phishing page
    (``https://evil.example/…``, ``//evil.example``, ``/\\evil.example``, ``javascript:``).
    """
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(fallback)


def redirect_to_next(request, fallback):
    """To the ``next`` posted (or, for a GET, queried) when it is on this site, else ``fallback``."""
    data = request.POST if request.method == "POST" else request.GET
    return redirect(safe_next(request, data.get("next", ""), fallback))
