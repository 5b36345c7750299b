"""Failed sign-ins: who is refused, and until when.

Failures are counted per username from one client address, per username from
every address, and (only when an administrator sets LOGIN_FAILURES_PER_ADDRESS)
per client address. A provincial hall behind one router, or the whole site
behind a proxy that is not listed in TRUSTED_PROXIES, reaches us from a single
address: a limit on the address alone would turn away everyone's correct
password because of someone else's mistakes, so it is off by default.

The counters are allauth's own (time-stamped lists under a lock in the default
cache, which lives in PostgreSQL and so is shared by every worker). Only
failures count: a successful sign-in gives its attempt back.
"""

from __future__ import annotations

import datetime as dt
import functools
import ipaddress
import time
from dataclasses import dataclass

from allauth.core.internal import ratelimit
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

APP = "accounts"

# Which counter refused the attempt; the adapter words its message after it.
PER_USERNAME_FROM_ADDRESS = "username_from_address"
PER_USERNAME = "username"
PER_ADDRESS = "address"


@functools.cache
def _networks(entries: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _is_trusted_proxy(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_ip(request: HttpRequest) -> str:
    """The address of whoever sent the request.

    REMOTE_ADDR, unless the request came from a proxy listed in
    TRUSTED_PROXIES: then the right-most X-Forwarded-For entry that is not
    itself a trusted proxy. Entries to its left were written by the client and
    prove nothing, so sending the header from anywhere else changes nothing.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    if not _is_trusted_proxy(remote):
        return remote
    hops = [hop.strip() for hop in request.headers.get("X-Forwarded-For", "").split(",") if hop.strip()]
    client = remote
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            break  # not written by a proxy of ours: stop at the last address we trust
        client = hop
        if not _is_trusted_proxy(hop):
            break
    return client


@dataclass(frozen=True)
class Limit:
    kind: str
    failures: int
    minutes: int

    @property
    def spec(self) -> str:
        return f"{self.failures}/{self.minutes}m/key"

    @property
    def rate(self) -> ratelimit.Rate:
        return ratelimit.parse_rate(self.spec)

    def key(self, address: str, username: str) -> str:
        if self.kind == PER_USERNAME_FROM_ADDRESS:
            return f"{address}|{username}"
        if self.kind == PER_USERNAME:
            return username
        return address

    def consume(self, request: HttpRequest, key: str, *, dry_run: bool = False):
        return ratelimit.consume(
            request,
            app=APP,
            action=self.kind,
            config={self.kind: self.spec},
            key=key,
            dry_run=dry_run,
        )

    def retry_at(self, request: HttpRequest, key: str) -> dt.datetime:
        """When the oldest failure that still counts is forgotten."""
        cache_key = ratelimit.get_cache_key(request, app=APP, action=self.kind, rate=self.rate, key=key)
        history = cache.get(cache_key, [])
        oldest = history[self.failures - 1] if len(history) >= self.failures else time.time()
        return dt.datetime.fromtimestamp(oldest + self.minutes * 60, tz=dt.UTC)


def limits() -> list[Limit]:
    minutes = settings.LOGIN_LOCKOUT_MINUTES
    wanted = [
        (PER_USERNAME_FROM_ADDRESS, settings.LOGIN_FAILURES_PER_USER),
        (PER_USERNAME, settings.LOGIN_FAILURES_PER_USERNAME),
        (PER_ADDRESS, settings.LOGIN_FAILURES_PER_ADDRESS),
    ]
    return [Limit(kind, failures, minutes) for kind, failures in wanted if failures > 0]


@dataclass(frozen=True)
class Refusal:
    kind: str
    failures: int
    minutes: int
    until: dt.datetime


def _address_and_username(request: HttpRequest, username: str) -> tuple[str, str]:
    return ratelimit.truncate_ip(client_ip(request)), (username or "").strip().lower()


def refusal(request: HttpRequest, username: str) -> Refusal | None:
    """The first limit this attempt would exceed, without counting it."""
    address, username = _address_and_username(request, username)
    for limit in limits():
        key = limit.key(address, username)
        if not limit.consume(request, key, dry_run=True):
            return Refusal(limit.kind, limit.failures, limit.minutes, limit.retry_at(request, key))
    return None


def count_attempt(request: HttpRequest, username: str) -> tuple[ratelimit.RateLimitUsage, Refusal | None]:
    """Count the attempt against every limit; roll it back when the password proves right."""
    address, username = _address_and_username(request, username)
    usage = ratelimit.RateLimitUsage(usage=[])
    for limit in limits():
        key = limit.key(address, username)
        counted = limit.consume(request, key)
        if not counted:
            # Another attempt filled the limit meanwhile: give back what this one took.
            usage.rollback()
            return usage, Refusal(limit.kind, limit.failures, limit.minutes, limit.retry_at(request, key))
        usage.usage.extend(counted.usage)
    return usage, None
