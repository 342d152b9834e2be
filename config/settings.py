"""Amparo settings: one module, every value from the environment (see `.env.example`).

Environments differ only in their variables. With DEBUG=false the site refuses to start without
SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL.
"""

from __future__ import annotations

import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
import django
import django_stubs_ext
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_secret, env_str

# Lets `admin.ModelAdmin[Model]` and friends be written at run time as mypy sees them.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("AMPARO_VAR_DIR", str(BASE_DIR / "var")))
TESTING = "pytest" in sys.modules or os.environ.get("AMPARO_TESTING") == "true"

# --- Core ---

DEBUG = env_bool("DEBUG", default=False)


def _dev_secret_key() -> str:
    """A random key kept under var/, so `make run` needs no set-up. DEBUG only."""
    path = VAR_DIR / "dev-secret-key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = env_secret("SECRET_KEY", default="")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured("SECRET_KEY is not set; see .env.example")
    SECRET_KEY = _dev_secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=[])
if not ALLOWED_HOSTS:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured("ALLOWED_HOSTS is not set; see .env.example")
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "amparo.core",
    "amparo.accounts",
    "amparo.audit",
    "amparo.jobs",
    "amparo.files",
    "amparo.defenders",
    "amparo.incidents",
    "amparo.actors",
    "amparo.risk",
    "amparo.plans",
    "amparo.observatory",
    "amparo.desk",
    "amparo.networks",
    "amparo.wellbeing",
    "amparo.trials",
    "amparo.library",
    "amparo.learning",
    "amparo.contact",
    "amparo.api",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "axes",
    "csp",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "amparo.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "amparo.core.csrf.FetchMetadataCsrfMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "amparo.audit.middleware.AuditReadsMiddleware",
    "amparo.core.middleware.KeyringScopeMiddleware",
    "amparo.core.middleware.SessionLifetimeMiddleware",
    "amparo.core.middleware.UserLanguageMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "amparo.accounts.middleware.MFAEnrolmentMiddleware",
    "amparo.accounts.middleware.CurrentOrganisationMiddleware",
    # axes last, as its documentation asks: it inspects the response of every login path.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
SITE_NAME = "Amparo"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Django's form templates after ours, for FORM_RENDERER below.
        "DIRS": [
            BASE_DIR / "templates",
            Path(django.__file__).resolve().parent / "forms/templates",
        ],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "amparo.core.context_processors.site",
            ],
            # {% url %} without the pattern matching per row (amparo.core.reversing).
            "builtins": ["amparo.core.template_builtins"],
            # Django's i18n tags, {% translate %} of a literal kept per language.
            "libraries": {"i18n": "amparo.core.template_i18n"},
        },
    }
]

# Widgets render through the engine above (cached templates, our overrides in
# templates/django/forms/), except the select box, written in Python (ADR 0045).
FORM_RENDERER = "amparo.core.rendering.Renderer"

# --- Database ---

DATABASE_URL = env_secret("DATABASE_URL", default="")
if not DATABASE_URL and not (DEBUG or TESTING):
    raise ImproperlyConfigured(
        "DATABASE_URL is not set; production needs an explicit database "
        "(postgres://... or sqlite:////absolute/path); see .env.example"
    )
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(VAR_DIR / "amparo.sqlite3")}
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer commits; IMMEDIATE takes the write lock at BEGIN so
    # two writers queue instead of failing with "database is locked" halfway through.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0 if TESTING else 60

# --- Cache ---

REDIS_URL = env_secret("REDIS_URL", default="")


def cache_settings(redis_url: str) -> dict[str, Any]:
    """Redis when configured; otherwise the database, so TOTP replay markers and rate-limit
    counters are shared by every worker process (LocMemCache would give each its own)."""
    if redis_url:
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": redis_url,
                "KEY_PREFIX": "amparo",
            }
        }
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "amparo_cache",
        }
    }


CACHES = cache_settings(REDIS_URL)
# Rendered public observatory pages, kept by each worker process in its own memory: a page is
# public bytes under a key that names its data version, so nothing needs sharing between
# workers, and a hit costs no round trip (ADR 0047). Bounded: at most MAX_ENTRIES pages.
PUBLIC_PAGE_CACHE_SECONDS = env_int("PUBLIC_PAGE_CACHE_SECONDS", default=3600)
CACHES["public_pages"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "amparo-public-pages",
    "OPTIONS": {"MAX_ENTRIES": 300},
}

# --- Authentication ---

AUTHENTICATION_BACKENDS = [
    # axes first: a locked-out username+IP is refused before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "amparo.accounts.backends.AmparoAuthenticationBackend",
]
PASSWORD_HASHERS = [
    "amparo.accounts.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 15},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_ADAPTER = "amparo.accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
# Staff join by invitation, which proves the address; learners' sign-up comes with e-learning.
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
# Changing the password or the email address asks for the password again: a stolen session
# must not be enough to take the account over.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Amparo] "
ACCOUNT_RATE_LIMITS = {
    # Looser than axes (5 failures per address and place), so axes' lockout page answers first.
    "login_failed": "20/m/ip,10/5m/key",
    "reset_password": "20/m/ip,5/m/key",
}

MFA_ADAPTER = "amparo.accounts.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_RECOVERY_CODES_SHOW_ONCE = True
MFA_TOTP_ISSUER = "Amparo"
MFA_TOTP_TOLERANCE = 1
MFA_TOTP_PERIOD = 30
# WebAuthn needs a secure origin; the development server on http://127.0.0.1 is allowed only
# while DEBUG is on.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
MFA_TRUST_ENABLED = False

USERSESSIONS_TRACK_ACTIVITY = False

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # the audit log records sign-ins; axes keeps failures only
AXES_USERNAME_CALLABLE = "amparo.accounts.backends.axes_username"
AXES_LOCKOUT_CALLABLE = "amparo.accounts.views.locked_out"
# Behind the TLS proxy, the client's address is the last one the proxy appended; axes (through
# django-ipware) and allauth's rate limits must both count that, not the proxy's own address.
AXES_IPWARE_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = AXES_IPWARE_PROXY_COUNT
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)

# --- Sessions and cookies ---

COOKIE_SECURE = env_bool("COOKIE_SECURE", default=not DEBUG)
_cookie_prefix = "__Host-" if COOKIE_SECURE else ""
SESSION_ENGINE = "amparo.core.sessions"
SESSION_COOKIE_NAME = f"{_cookie_prefix}amparo_session"
CSRF_COOKIE_NAME = f"{_cookie_prefix}amparo_csrf"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", default=8 * 3600)
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
LANGUAGE_COOKIE_NAME = f"{_cookie_prefix}amparo_language"
LANGUAGE_COOKIE_SECURE = COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Security headers ---

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if AXES_IPWARE_PROXY_COUNT else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG and not TESTING)
SECURE_REDIRECT_EXEMPT = [r"^health$"]
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Preloading binds every subdomain of the operator's domain for years: their decision, not ours.
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [
    # Django looks for its own CSRF middleware by name; ours subclasses it (amparo/core/csrf.py)
    # and the cookie flags it would then check are asserted in amparo/core/tests/test_security.py.
    "security.W003",
    # Django warns of TEMPLATES' `libraries` replacing an installed library, which the project
    # does on purpose for `i18n` (ADR 0065); amparo.core.checks keeps the check for every
    # other name (amparo.W003).
    "templates.W003",
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "no-referrer"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "amparo.core.views.csrf_failure"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "report-uri": "/csp-report",
    }
}

# Where quick exit sends the browser after ending the session. Empty: a neutral local page.
QUICK_EXIT_URL = env_str("QUICK_EXIT_URL", "https://www.wikipedia.org/")

# --- Internationalisation ---

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("pt", _("Portuguese")),
    ("id", _("Indonesian")),
    ("th", _("Thai")),
    ("sw", _("Swahili")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

# --- Static files ---

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"

# Uploads are encrypted while they stream in; no handler may spool plaintext to /tmp (CRY-07).
FILE_UPLOAD_HANDLERS = ["amparo.files.upload.EncryptingUploadHandler"]
# Per file. Photos and PDFs are checked and stripped in memory, so this bounds memory per upload.
AMPARO_ATTACHMENT_MAX_BYTES = env_int("AMPARO_ATTACHMENT_MAX_BYTES", default=100 * 1024 * 1024)
WHITENOISE_MAX_AGE = 31_536_000  # hashed names: a year in the cache, as PERFORMANCE.md asks

# --- Email ---

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Amparo <no-reply@amparo.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Protection networks: alert channels (docs/networks.md) ---
# Email uses the EMAIL_* settings above. Signal and SMS go through HTTP gateways (a self-hosted
# signal-cli-rest-api for Signal), never exposed to the internet; unset, the channel is off.
AMPARO_SIGNAL_GATEWAY_URL = env_secret("AMPARO_SIGNAL_GATEWAY_URL", default="")
AMPARO_SIGNAL_GATEWAY_TOKEN = env_secret("AMPARO_SIGNAL_GATEWAY_TOKEN", default="")
AMPARO_SIGNAL_SENDER = env_str("AMPARO_SIGNAL_SENDER", "")
AMPARO_SMS_GATEWAY_URL = env_secret("AMPARO_SMS_GATEWAY_URL", default="")
AMPARO_SMS_GATEWAY_TOKEN = env_secret("AMPARO_SMS_GATEWAY_TOKEN", default="")
AMPARO_SMS_SENDER = env_str("AMPARO_SMS_SENDER", "")
AMPARO_GATEWAY_TIMEOUT = env_int("AMPARO_GATEWAY_TIMEOUT", default=10)
AMPARO_ACK_LINK_HOURS = env_int("AMPARO_ACK_LINK_HOURS", default=72)
AMPARO_DELIVERY_LEASE_SECONDS = env_int("AMPARO_DELIVERY_LEASE_SECONDS", default=120)

# --- Background jobs ---

# Jobs live in the database (django-tasks-db): one code path on SQLite and PostgreSQL, no broker.
# Under tests they run at once, in the test's own thread.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}

# --- Encryption ---

# Envelope encryption (amparo/core/crypto): 32 random bytes, base64, from exactly one of
# AMPARO_MASTER_KEY or AMPARO_MASTER_KEY_FILE. Never derived from SECRET_KEY.
AMPARO_MASTER_KEY = env_secret("AMPARO_MASTER_KEY", default="")
if not AMPARO_MASTER_KEY and not (DEBUG or TESTING):
    raise ImproperlyConfigured("AMPARO_MASTER_KEY is not set; see .env.example")
# Development only: `make run` writes a demo key here and says so.
AMPARO_DEMO_MASTER_KEY_PATH = VAR_DIR / "demo-master.key"
# Backups are encrypted under their own key (not the master key, not SECRET_KEY).
AMPARO_BACKUP_KEY = env_secret("AMPARO_BACKUP_KEY", default="")

# Under tests, decrypting a Tier-1 value outside a request or an audit_context is an error, so
# no read can escape the audit log unnoticed (SECURITY.md AUD-01).
AMPARO_AUDIT_STRICT_READS = TESTING

# --- Amparo ---

INVITATION_DAYS = env_int("INVITATION_DAYS", default=7)
# Links in emails (invitations) start with this; it must be the public address in production.
SITE_URL = env_str("SITE_URL", "")
if not SITE_URL:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured("SITE_URL is not set; see .env.example")
    SITE_URL = "http://127.0.0.1:8000"

# --- Logging ---

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Request lines carry query strings; keep them out of production logs.
        "django.server": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # It announces its C++ logging bridge at INFO on every start (the library's PDF reader).
        "pikepdf": {"level": "WARNING"},
    },
}
