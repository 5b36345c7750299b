"""End-to-end tests in a real browser: Playwright driving Debian's Chromium against a live server.

One browser for the whole package, a fresh context (cookies, storage) per test. Every page a test
opens is watched: a Content-Security-Policy violation or an uncaught JavaScript error fails the
test. When a test fails, a full-page screenshot of each open page is kept under
``test-artifacts/browser/`` (git-ignored; CI keeps it as an artefact).

Without Chromium the tests are skipped with a message, except under CI (``CI`` set), where a
missing browser is a failure: `.ci/run` installs Debian's ``chromium``.
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.db import DEFAULT_DB_ALIAS, connections

from tracking.tests.snapshots import Snapshot

ARTIFACTS = Path("test-artifacts") / "browser"
VIEWPORT = {"width": 1280, "height": 900}
# Console errors that are the browser's report of a response the test asked for (a 403, a 404).
EXPECTED_CONSOLE_ERRORS = re.compile(r"^Failed to load resource: the server responded with a status of 4\d\d")


def find_chromium() -> str | None:
    """Debian's Chromium (or the one named by CHROMIUM), never a browser Playwright downloads."""
    for candidate in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser"):
        if candidate and (path := shutil.which(candidate)):
            return path
    return None


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can tell whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="package")
def migrated(migrated_rows, django_db_blocker) -> Snapshot:
    """The rows the migrations wrote (the root conftest's copy), in the database before the browser
    starts, whatever the tests before these left (transactional tests leave it empty)."""
    with django_db_blocker.unblock():
        migrated_rows.put_back(connections[DEFAULT_DB_ALIAS])
    return migrated_rows


@pytest.fixture(scope="package")
def browser(migrated, django_db_blocker):
    chromium = find_chromium()
    if chromium is None:
        message = (
            "Browser tests need Chromium: install Debian's `chromium` package (apt-get install chromium)."
        )
        if os.environ.get("CI"):
            pytest.fail(f"{message} CI must run them, not skip them.")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop running in this thread, and Django refuses ORM
    # calls from a thread with a running loop. The documented way out, for as long as the browser
    # runs (the tests' ORM calls stay synchronous; the live server has its own threads).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            # With a loop running, Django gives this thread new database connections. Marking them
            # as serialized makes pytest-django empty the database after each test without
            # re-running post_migrate; `_migrated_data` puts the migrated rows back instead.
            connections[DEFAULT_DB_ALIAS]._test_serialized_contents = "[]"
            launched = playwright.chromium.launch(executable_path=chromium, args=["--disable-dev-shm-usage"])
            yield launched
            launched.close()
            # The migrated rows stay for any later test that expects them; the connections made
            # under the loop go, or the test database could not be dropped at the end.
            with django_db_blocker.unblock():
                migrated.restore(connections[DEFAULT_DB_ALIAS])
                connections.close_all()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(autouse=True)
def _migrated_data(request, browser, migrated, transactional_db):
    """The migrated rows, or the demonstration data for tests that ask for it, before each test."""
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction") and marker.kwargs.get("serialized_rollback")):
        pytest.fail("Browser tests need pytest.mark.django_db(transaction=True, serialized_rollback=True).")
    if "demo_data" in request.fixturenames:
        # Exactly the demo rows, whatever the tests before left (rows the migrations wrote included).
        request.getfixturevalue("demo_data").put_back(connections[DEFAULT_DB_ALIAS])
    else:
        migrated.restore(connections[DEFAULT_DB_ALIAS])


@pytest.fixture(scope="module")
def demo_data(demo_rows, browser, django_db_blocker, tmp_path_factory):
    """The demo data (made once per test process, see the root conftest), put back before each of
    the module's tests. Demo users sign in with the demo password; photos are read from a copy of
    the demo's files."""
    from django.test import override_settings

    media = tmp_path_factory.mktemp("media")
    shutil.copytree(demo_rows.media, media, dirs_exist_ok=True)
    with override_settings(MEDIA_ROOT=str(media)):
        yield demo_rows.snapshot


@pytest.fixture(autouse=True)
def _plain_http(settings):
    """The live server speaks plain HTTP on localhost, whatever the environment says about HTTPS."""
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.LANGUAGE_COOKIE_SECURE = False
    settings.DEMO = False


class PageProblems:
    """What went wrong in the pages of one test, as the browser reported it."""

    def __init__(self):
        self.csp = []
        self.errors = []

    def watch(self, page):
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: uncaught {error}"))
        # Accept window.confirm() questions (data-confirm forms) as a user who means it would.
        page.on("dialog", lambda dialog: dialog.accept())

    def _console(self, message):
        if message.type != "error":
            return
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.csp.append(f"{message.location.get('url')}: {text}")
        elif not EXPECTED_CONSOLE_ERRORS.match(text):
            self.errors.append(f"{message.location.get('url')}: {text}")

    def report(self) -> str:
        # One line for a problem however often a page repeats it.
        lines = [f"CSP violation: {line}" for line in dict.fromkeys(self.csp)]
        lines += [f"JavaScript error: {error}" for error in dict.fromkeys(self.errors)]
        return "\n".join(lines)


@pytest.fixture
def context(browser, live_server, request):
    """A fresh browser context (no cookies, no storage) in Thai, pointed at the live server."""
    problems = PageProblems()
    ctx = browser.new_context(base_url=live_server.url, locale="th-TH", viewport=VIEWPORT)
    ctx.set_default_timeout(10_000)
    ctx.on("page", problems.watch)
    ctx.problems = problems
    yield ctx
    reports = (getattr(request.node, f"report_{when}", None) for when in ("setup", "call"))
    if any(report is not None and report.failed for report in reports) or problems.report():
        _screenshots(ctx, request.node)
    ctx.close()
    if problems.report():
        pytest.fail(f"The browser reported problems:\n{problems.report()}", pytrace=False)


def _screenshots(ctx, node):
    folder = Path(node.config.rootpath) / ARTIFACTS
    folder.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", node.name)
    for number, page in enumerate(ctx.pages):
        suffix = "" if number == 0 else f"-{number + 1}"
        try:
            page.screenshot(path=str(folder / f"{name}{suffix}.png"), full_page=True)
        except Exception as error:  # a closed or crashed page must not hide the failure
            print(f"No screenshot of {page.url}: {error}")


@pytest.fixture
def page(context):
    return context.new_page()
