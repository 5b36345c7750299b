"""Labels are translated where a template writes them, not once into a variable and reused.

`{% translate "…" as name %}` at the top of a template was a cache: it made the page harder to
read (the text far from where it shows) for a saving nobody could measure. These tests render the
pages that had such caches, in Thai and in English, and check every label still shows, in the
language of the request.
"""

import pathlib

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from tracking.tests import test_authorization_matrix as matrix

# The matrix's fixtures: its demo world (built once for this module too) and quiet 403/404 logs.
world = matrix.world
quiet_requests = matrix.quiet_requests

PROGRESS_TABS = ("detail", "performance", "disbursement", "procurement", "transfers", "photos")

# page: (persona, urls, labels the demo data shows there)
PAGES = {
    "project list": ("super_admin", lambda w: [reverse("projects:index")], ["Fiscal year"]),
    "project page": (
        "super_admin",
        lambda w: [reverse("projects:detail", args=[w.project.pk])],
        [
            "Edit",
            "Assigned units",
            "Steps",
            "Monthly plan",
            "Budget",
            "Indicators",
            "Delete",
            "Activity",
            "Unit",
            "Role",
            "Planned output",
            "Planned spending",
            "Allocated",
            "carries it out",
            "receives budget",
            "Split targets by unit",
        ],
    ),
    "progress of a project": (
        "province_user",
        lambda w: [
            *(reverse("progress:project_tab", args=[w.project.pk, tab]) for tab in PROGRESS_TABS),
            # the month whose report was handed in: it is viewed, no longer reported
            reverse("progress:project_tab", args=[w.project.pk, "performance"]) + f"?month={w.report_month}",
        ],
        [
            "Report",
            "Add a procurement",
            "Add a photo",
            "Edit",
            "met",
            "View",
            "Behind plan: output below 80 percent of the plan to date",
        ],
    ),
    "progress of a project, for finance": (
        "finance_budget",
        lambda w: [
            reverse("progress:project_tab", args=[w.project.pk, tab]) for tab in ("disbursement", "transfers")
        ],
        ["Record", "Record a transfer or return"],
    ),
    "progress list": (
        "province_user",
        lambda w: [reverse("progress:index")],
        ["Behind plan: output below 80 percent of the plan to date"],
    ),
    "province workload review": (
        "province_confirmer",
        lambda w: [reverse("workload:province", args=[w.fy, "50"])],
        [
            "Not confirmed",
            "Confirm",
            "Confirm the data of this district office? Confirmation is final: the district cannot "
            "change its data afterwards.",
        ],
    ),
    "notifications": ("district_recorder", lambda w: [reverse("accounts:notifications")], ["Unread"]),
    "budget dashboard": ("report_viewer", lambda w: [reverse("reports:budget")], ["Performance dashboard"]),
    "performance dashboard": (
        "report_viewer",
        lambda w: [reverse("reports:performance")],
        ["Budget disbursement dashboard"],
    ),
}


@pytest.mark.django_db
@pytest.mark.usefixtures("quiet_requests")
@pytest.mark.parametrize("language", ["th", "en"])
@pytest.mark.parametrize("name", PAGES)
def test_page_shows_its_labels_in_the_language_of_the_request(world, name, language):
    persona, urls, labels = PAGES[name]
    client = world.clients[persona]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = ""
    for url in urls(world):
        response = client.get(url)
        assert response.status_code == 200, url
        html += response.content.decode()
    with translation.override(language):
        missing = [label for label in labels if escape(translation.gettext(label)) not in html]
    assert missing == []


ERROR_PAGES = {
    "500.html": (
        "Server error",
        "Something went wrong on our side and the error has been recorded. What you saved before this "
        "page is kept. Please try again in a few minutes.",
    ),
    "503.html": (
        "The system is busy for a moment",
        "The database could not be reached just now, so this request was not carried out and nothing "
        "of it was saved. What you saved before is kept. Please go back and try again in a minute; "
        "what you typed in a form is usually still there.",
    ),
}


@pytest.mark.parametrize("language", ["th", "en"])
@pytest.mark.parametrize("template", ERROR_PAGES)
def test_error_pages_show_their_title_and_message_in_the_active_language(template, language):
    title, message = ERROR_PAGES[template]
    with translation.override(language):
        html = render_to_string(template)
        assert f"<h1>{escape(translation.gettext(title))}</h1>" in html
        assert f"<p>{escape(translation.gettext(message))}</p>" in html


def test_no_template_keeps_a_translated_text_in_a_variable():
    """A label is written where it is used; an include gets it as ``label=_("…")``."""
    import re

    cached = re.compile(r"\{%\s*(?:translate|trans)\s+(?:\"[^\"]*\"|'[^']*')[^%]*?\sas\s+\w+\s*%\}")
    offenders = []
    for path in sorted(pathlib.Path(settings.BASE_DIR, "templates").rglob("*.html")):
        for match in cached.finditer(path.read_text(encoding="utf-8")):
            offenders.append(f"{path.relative_to(settings.BASE_DIR)}: {match.group(0)[:60]}")
    assert offenders == []
