"""Project-wide guards."""

from io import StringIO

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse


@pytest.mark.django_db
def test_no_pending_migrations():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_thai_catalogue_is_complete():
    path = settings.BASE_DIR / "locale" / "th" / "LC_MESSAGES" / "django.po"
    with path.open("rb") as fh:
        catalogue = read_po(fh)
    untranslated = [m.id for m in catalogue if m.id and (not m.string or m.fuzzy)]
    assert untranslated == []


def _named_patterns(resolver, namespace=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_patterns(pattern, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name, pattern


OUR_APPS = ("tracking", "accounts", "projects", "progress", "reports", "news", "workload")


@pytest.mark.django_db
def test_every_page_of_ours_without_arguments_renders(member_client):
    """A new page cannot be forgotten: each named URL of our apps must answer."""
    checked = []
    for name, pattern in _named_patterns(get_resolver()):
        if pattern.pattern.regex.groups or not pattern.callback.__module__.startswith(OUR_APPS):
            continue
        if name == "set_language":
            continue
        response = member_client.get(reverse(name))
        assert response.status_code == 200, name
        checked.append(name)
    assert {"home", "projects:index", "workload:index"} <= set(checked)
