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


def test_thai_catalogue_has_each_message_once():
    """Entries are appended by several people at once: a message written twice keeps only one of
    its translations (the compiler picks which), and entries run together hide one another."""
    lines = (
        (settings.BASE_DIR / "locale" / "th" / "LC_MESSAGES" / "django.po").read_text("utf-8").splitlines()
    )
    seen, problems, context, in_translation = set(), [], None, False
    for number, line in enumerate(lines, 1):
        if line.startswith(("msgctxt ", "msgid ")) and in_translation:
            problems.append(f"line {number}: no blank line before this entry")
        if line.startswith("msgctxt "):
            context = line
        elif line.startswith("msgid "):
            text = [line]
            for following in lines[number:]:
                if not following.startswith('"'):
                    break
                text.append(following)
            key = (context, "".join(text))
            if key in seen and key != (None, 'msgid ""'):
                problems.append(f"line {number}: {text[0]} again")
            seen.add(key)
            context = None
        in_translation = line.startswith("msgstr") or (in_translation and line.startswith('"'))
    assert problems == []


def _named_patterns(resolver, namespace=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_patterns(pattern, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name, pattern


OUR_APPS = ("tracking", "accounts", "projects", "progress", "reports", "news", "workload")


# Pages a plain signed-in user may not open, with a role that may; None: not a page (POST only).
NOT_FOR_EVERYONE = {
    "set_language": None,
    "accounts:keep_alive": None,
    "accounts:notification_email": None,  # POST only
    "accounts:notifications_read_all": None,  # POST only
    "accounts:access_request_list": "super_admin",
    "accounts:user_list": "super_admin",
    "accounts:user_create": "super_admin",
    "projects:index": "super_admin",
    "progress:index": "super_admin",
    "progress:calendar": "super_admin",
    "progress:closing": "super_admin",
    "reports:index": "super_admin",
    "reports:budget": "super_admin",
    "reports:budget_xlsx": "super_admin",
    "reports:performance": "super_admin",
    "reports:performance_xlsx": "super_admin",
    "reports:workload": "super_admin",
    "reports:workload_xlsx": None,  # needs a questionnaire; tested in reports
    "reports:targets": "super_admin",
    "reports:completeness": "super_admin",
    "workload:index": "super_admin",
    "workload:questionnaires": "super_admin",
    "projects:create": "super_admin",
    "projects:export": "super_admin",
    "projects:template": "super_admin",
    "projects:import": "super_admin",
    "projects:import_apply": None,
    "news:mine": "super_admin",
    "news:create": "super_admin",
    "news:queue": "province_confirmer",
    "workload:registry_new": None,  # needs ?province=; tested in workload
    "workload:registry_import": "super_admin",
    "workload:link_new": "super_admin",
    "workload:faq_new": "super_admin",
    "workload:about_edit": "super_admin",
    # The admin's change history (its view is ours): staff only, see test_admin and the matrix.
    "admin:pghistory_middlewareevents_changelist": None,
}
HOME_UNITS = {"super_admin": "ALRO-ICT", "province_confirmer": "DLA-P50"}
# What a plain signed-in user gets from a GET of those that are not a page (None above).
NOT_A_PAGE = {
    "accounts:keep_alive": 405,
    "accounts:notification_email": 405,
    "accounts:notifications_read_all": 405,
    "projects:import_apply": 403,  # importing is the planners' (who may POST to it)
    "reports:workload_xlsx": 403,  # the DLA reports are not a plain user's
    "workload:registry_new": 404,  # no ?province=: no province to add to
    "admin:pghistory_middlewareevents_changelist": 302,  # the admin's sign-in, for staff only
}


@pytest.mark.django_db
def test_every_page_of_ours_without_arguments_renders(client, make_user):
    """A new page cannot be forgotten: each named URL of our apps must answer its allowed users."""
    member = make_user("member")
    holders = {role: make_user(role, roles=[role], unit=unit) for role, unit in HOME_UNITS.items()}
    checked = []
    for name, pattern in _named_patterns(get_resolver()):
        if pattern.pattern.regex.groups or not pattern.callback.__module__.startswith(OUR_APPS):
            continue
        role = NOT_FOR_EVERYONE.get(name, "member")
        if role is None:
            client.force_login(member)
            assert client.get(reverse(name)).status_code == NOT_A_PAGE[name], name
            continue
        client.force_login(holders.get(role, member))
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        if role != "member":
            client.force_login(member)
            assert client.get(reverse(name)).status_code == 403, name
        checked.append(name)
    assert {"home", "projects:index", "workload:index", "accounts:request_access"} <= set(checked)


def test_our_thai_wording_wins_over_djangos():
    from django.utils import translation

    with translation.override("th"):
        assert translation.gettext("This field is required.") == "กรุณากรอกข้อมูลช่องนี้"


def test_translatable_strings_use_names_makemessages_finds():
    """gettext aliased to anything but _ is invisible to makemessages: its text would never be translated."""
    import re

    offenders = []
    for app in OUR_APPS:
        for path in (settings.BASE_DIR / app).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            for alias in re.findall(r"import [\w, ]*gettext(?:_lazy)? as (\w+)", text):
                if alias != "_":
                    offenders.append(f"{path.name}: {alias}")
    assert offenders == []
