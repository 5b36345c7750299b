"""Every URL pattern of the project, walked from the resolver (for tests that cover all of them)."""

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", or the pattern itself for an unnamed pattern
    pattern: str
    params: tuple[str, ...]

    @property
    def is_admin(self) -> bool:
        return self.pattern.startswith("admin/")


def all_routes() -> list[Route]:
    routes = []

    def walk(resolver, prefix, namespace):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                walk(entry, prefix + str(entry.pattern), ":".join(filter(None, [namespace, entry.namespace])))
            elif isinstance(entry, URLPattern):
                pattern = prefix + str(entry.pattern)
                name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
                params = tuple(re.findall(r"<(?:\w+:)?(\w+)>", pattern))
                routes.append(Route(name or pattern, pattern, params))

    walk(get_resolver(), "", "")
    return routes
