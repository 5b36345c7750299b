"""Security settings that hold on every page: CSP, cookies, CSRF, sessions, passwords, secrets."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tracking.tests.test_settings import PRODUCTION_ENV, run_manage

BASE_DIR = Path(__file__).resolve().parents[2]
TEMPLATE_DIRS = [BASE_DIR / "templates"]


def csp_of(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/news/", "/reports/"])
def test_every_page_carries_a_strict_content_security_policy(client, path):
    response = client.get(path, follow=True)
    policy = csp_of(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


# What the policy above would block in a browser, so no template may contain it.
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"<style\b", re.I), "a <style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "a style= attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an on…= event handler"),
    (re.compile(r"\bhx-on", re.I), "an hx-on handler (htmx evaluates it)"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
]


def test_no_template_needs_inline_script_or_style():
    found = []
    for folder in TEMPLATE_DIRS:
        for template in folder.rglob("*.html"):
            text = re.sub(r"{#.*?#}", "", template.read_text(encoding="utf-8"), flags=re.S)
            for pattern, what in INLINE:
                for match in pattern.finditer(text):
                    line = text.count("\n", 0, match.start()) + 1
                    found.append(f"{template.relative_to(BASE_DIR)}:{line}: {what}")
    assert not found, "\n".join(found)


def test_guard_catches_an_inline_handler():
    # The guard above must be able to fail.
    assert any(p.search('<button onclick="x()">') for p, _ in INLINE)
    assert any(p.search("<script>alert(1)</script>") for p, _ in INLINE)
    assert not any(p.search('<script src="/static/js/site.js" defer></script>') for p, _ in INLINE)


@pytest.mark.django_db
def test_forms_refuse_a_post_without_the_csrf_token(member):
    client = Client(enforce_csrf_checks=True)
    login = client.post(reverse("account_login"), {"login": "member", "password": member.raw_password})
    assert login.status_code == 403
    client.force_login(member)
    assert client.post(reverse("news:create"), {"title": "ข่าว"}).status_code == 403


@pytest.mark.django_db
def test_the_session_id_changes_at_login(client, member):
    client.get(reverse("account_login"))
    session = client.session
    session["before_login"] = "x"
    session.save()
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    response = client.post(reverse("account_login"), {"login": "member", "password": member.raw_password})
    assert response.status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after and after != before
    # The old id no longer opens the session.
    stale = Client()
    stale.cookies[settings.SESSION_COOKIE_NAME] = before
    assert stale.get(reverse("accounts:index")).status_code == 302


def test_session_and_csrf_cookies_are_kept_from_scripts():
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.CSRF_COOKIE_SAMESITE == "Lax"


def test_production_mode_sends_cookies_over_https_only_with_hsts():
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.LANGUAGE_COOKIE_SECURE,"
        " s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS >= 31536000, s.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
        " s.DEBUG)"
    )
    result = run_manage("shell", "-c", code, **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["True"] * 6 + ["False"]


@pytest.mark.parametrize(
    "password",
    ["1234567890", "password", "ab1", "somchai2569", "qwertyuiop"],
)
def test_weak_passwords_are_refused(password):
    from accounts.models import User

    with pytest.raises(ValidationError):
        validate_password(password, User(username="somchai2569", first_name="สมชาย"))


def test_a_strong_password_passes():
    validate_password("Tracking@2569-ที่ดิน")


# A secret that would give access if published: private keys, cloud keys, Django keys with a value.
SECRET_PATTERNS = [
    re.compile(r"-----BEGIN (?:RSA |EC |OPENSSH |)PRIVATE KEY-----"),
    re.compile(r"AKIA[0-9A-Z]{16}"),
    re.compile(r"^\s*SECRET_KEY\s*=\s*['\"]?(?!django-insecure-)[A-Za-z0-9_\-+/=]{30,}", re.M),
    # A database URL with a real-looking password (examples say "secret").
    re.compile(r"postgres(?:ql)?://[^:/\s]+:(?!secret@|s%40cret@)[^@\s{]{6,}@", re.I),
]


def test_no_secret_is_committed():
    git = shutil.which("git")
    if git is None or not (BASE_DIR / ".git").exists():
        pytest.fail("the check reads the committed files through git")
    listed = subprocess.run(
        [git, "ls-files", "-z"], cwd=BASE_DIR, capture_output=True, text=True, check=True
    ).stdout.split("\0")
    assert ".env" not in listed and ".secret_key" not in listed
    found = []
    for name in filter(None, listed):
        path = BASE_DIR / name
        if path.suffix in {".png", ".jpg", ".xlsx", ".mo", ".ico", ".pdf", ".gz"} or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        found += [f"{name}: {p.pattern}" for p in SECRET_PATTERNS if p.search(text)]
    assert not found, "\n".join(found)
