"""SupportDesk settings, read from environment variables (see README.md)."""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from psycopg_pool import ConnectionPool

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Set the {name} environment variable.")
    return value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean; use true or false.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PREPARE_AFTER_RUNS = 5


def parse_database_url(url: str) -> dict:
    """Turn sqlite:///path or postgres://user:pass@host:port/name?opt=v into DATABASES."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = unquote(parts.path)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": path[1:] if path.startswith("//") else path,
        }
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ImproperlyConfigured(f"DATABASE_URL scheme {parts.scheme!r} is not supported.")
    options = dict(parse_qsl(parts.query))
    pool = options.pop("pool", "true").lower() != "false"
    # Parameters bound by the server let psycopg prepare a statement the fifth time a
    # connection runs it; PostgreSQL then skips planning it (2 of the ticket page's
    # 3.3 ms). On by default with our own pool, which keeps connections and so their
    # statements; off with ?pool=false (a transaction-mode PgBouncer cannot keep them).
    if options.pop("prepare", "true" if pool else "false").lower() != "false":
        options["server_side_binding"] = True
        options["prepare_threshold"] = PREPARE_AFTER_RUNS
    if pool:
        # psycopg_pool inside each process; CONN_MAX_AGE must then stay 0.
        # A pooled connection is checked before use, so after a database restart the
        # next request reconnects instead of failing on a dead connection.
        options["pool"] = {
            "min_size": 1,
            "max_size": env_int("DATABASE_POOL_SIZE", 10),
            "check": ConnectionPool.check_connection,
        }
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": unquote(parts.hostname or ""),
        "PORT": str(parts.port or ""),
        "OPTIONS": options,
        "CONN_HEALTH_CHECKS": True,
    }


DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env_str("SECRET_KEY", "insecure-debug-only-key" if DEBUG else None)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_htmx",
    "django_tasks_db",
    "anymail",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "supportdesk",
    "articles",
    "tickets",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "supportdesk.metrics.middleware.MetricsMiddleware",  # after static files: pages only
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # DEBUG only: a 404 shows our page instead of Django's list of URL patterns.
    "supportdesk.middleware.not_found_page",
]

ROOT_URLCONF = "supportdesk.urls"
# Django's form renderer with its common field templates printed in Python.
FORM_RENDERER = "supportdesk.forms.rendering.PrintedTemplates"
WSGI_APPLICATION = "supportdesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "supportdesk.context_processors.navigation",
            ],
            # {% url %} with its answers kept (supportdesk/templatetags/kept_urls.py)
            "builtins": [
                "django_htmx.templatetags.django_htmx",
                "supportdesk.templatetags.kept_urls",
            ],
        },
    }
]

VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))
DATABASES = {
    "default": parse_database_url(env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"))
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Reports may read from a replica; supportdesk/routers.py sends them there.
REPORTS_DATABASE = None
if REPORTS_DATABASE_URL := env_str("REPORTS_DATABASE_URL", ""):
    DATABASES["reports"] = {
        **parse_database_url(REPORTS_DATABASE_URL),
        "TEST": {"MIRROR": "default"},
    }
    REPORTS_DATABASE = "reports"
DATABASE_ROUTERS = ["supportdesk.routers.ReportsRouter"]
# How long the report keeps the figures of one filter state (0: always fresh).
REPORTS_CACHE_SECONDS = env_int("REPORTS_CACHE_SECONDS", 300)


# == hostile input (supportdesk/inputs.py) ==
# Backstop: a NUL in the path or query string is a 400 before any view reads it.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "supportdesk.inputs.RejectNulMiddleware",
)
# == end hostile input ==


# == shared cache (CACHE_URL; README "Environment variables") ==
# What app servers must agree on (the report figures) lives in one cache shared by
# every process. Production default: a table in the database we already run
# (`manage.py createcachetable`), so no extra server; the demo keeps local memory.
def parse_cache_url(url: str) -> dict:
    """Turn locmem://, db://table or redis://host:port/db into CACHES["default"]."""
    parts = urlsplit(url)
    if parts.scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if parts.scheme == "db":
        table = (parts.netloc + parts.path).strip("/") or "supportdesk_cache"
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": table,
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    if parts.scheme in {"redis", "rediss"}:
        try:
            import redis  # noqa: F401
        except ImportError:
            raise ImproperlyConfigured(
                "CACHE_URL=redis://... needs the redis package: .venv/bin/pip install redis."
            ) from None
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    raise ImproperlyConfigured(f"CACHE_URL scheme {parts.scheme!r}: use locmem, db or redis.")


CACHES = {
    "default": parse_cache_url(
        env_str("CACHE_URL", "locmem://" if DEBUG else "db://supportdesk_cache")
    )
}
# == end shared cache ==

# Covering indexes (INCLUDE) are a PostgreSQL feature; SQLite (the demo) ignores them.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# == sign-in protection (django-axes; README "Environment variables") ==
# Failed sign-ins are counted per username and per client address in the database
# (shared by every app server); at the limit, sign-in is refused, the right password
# too, until the cool-off ends or a manager unlocks (Sign-in lockouts page, or admin).
INSTALLED_APPS += ["axes"]
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]  # last: turns a lockout into its page
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "supportdesk.accounts.backends.UserBackend",
    # Sessions signed in before UserBackend name this one; it reads them as before.
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "supportdesk.accounts.views.locked_out"
AXES_USERNAME_CALLABLE = "supportdesk.accounts.lockouts.attempted_username"
AXES_CLIENT_IP_CALLABLE = "supportdesk.accounts.client_ip.client_ip"
# Proxies in front of us that append to X-Forwarded-For (0: trust none of it).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # failures in the database as well as the log
AXES_SENSITIVE_PARAMETERS = []  # the security log names who and from where
AXES_VERBOSE = False  # no start-up banner on every command
# == end sign-in protection ==

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
# English only (no LocaleMiddleware): without translation Django does not look up
# the active language some seventy times a request.
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env_str("MEDIA_ROOT", str(VAR_DIR / "media"))},
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Mail: one default mailer (Django 6.1 MAILERS); "console" prints mail instead of sending.
EMAIL_MODE = env_str("EMAIL_MODE", "console" if DEBUG else "smtp")
if EMAIL_MODE == "console":
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
elif EMAIL_MODE == "smtp":
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env_str("EMAIL_HOST", "localhost"),
                "port": env_int("EMAIL_PORT", 25),
                "username": env_str("EMAIL_USER", ""),
                "password": env_str("EMAIL_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS"),
                "use_ssl": env_bool("EMAIL_USE_SSL"),
                "timeout": env_int("EMAIL_TIMEOUT", 20),
            },
        }
    }
else:
    raise ImproperlyConfigured(f"EMAIL_MODE={EMAIL_MODE!r}: use smtp or console.")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "SupportDesk <support@example.com>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SUPPORT_ADDRESS = env_str("SUPPORT_ADDRESS", "support@example.com")
BILLING_ADDRESS = env_str("BILLING_ADDRESS", "billing@example.com")

# == email channel (tickets.mail; README "Email channel") ==
# Domain of the Message-IDs we make for outgoing mail.
MAIL_DOMAIN = env_str("MAIL_DOMAIN", SUPPORT_ADDRESS.rpartition("@")[2] or "localhost")
MAIL_ATTACHMENT_MAX_BYTES = env_int("MAIL_ATTACHMENT_MAX_BYTES", 15 * 1024 * 1024)
MAIL_ATTACHMENT_BLOCKED_TYPES = env_list(
    "MAIL_ATTACHMENT_BLOCKED_TYPES",
    "application/x-msdownload,application/x-msdos-program,application/x-sh,"
    "application/x-executable,application/java-archive",
)
MAIL_SEND_MAX_ATTEMPTS = env_int("MAIL_SEND_MAX_ATTEMPTS", 8)
MAIL_SEND_RETRY_SECONDS = env_int("MAIL_SEND_RETRY_SECONDS", 60)  # doubles per attempt
# Email providers whose inbound webhook /mail/inbound/<esp>/ accepts mail (e.g. mailgun).
MAIL_INBOUND_ESPS = env_list("MAIL_INBOUND_ESPS")
# Every ANYMAIL_<NAME> variable becomes ANYMAIL["<NAME>"] (WEBHOOK_SECRET, signing keys).
ANYMAIL = {
    name.removeprefix("ANYMAIL_"): value
    for name, value in os.environ.items()
    if name.startswith("ANYMAIL_") and value
}

# == outgoing webhooks and account context (tickets.webhooks, tickets.customers) ==
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 8)
WEBHOOK_RETRY_SECONDS = env_int("WEBHOOK_RETRY_SECONDS", 30)  # doubles per attempt
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 10)
# Receivers on loopback or private networks are refused (SSRF) unless this is on.
WEBHOOK_ALLOW_PRIVATE_URLS = env_bool("WEBHOOK_ALLOW_PRIVATE_URLS", default=DEBUG)
# Account context older than this is labelled stale on the ticket page.
CUSTOMER_CONTEXT_STALE_HOURS = env_int("CUSTOMER_CONTEXT_STALE_HOURS", 24)
# The article suggested first when the renewal date passed and credits did not refresh.
CREDITS_ARTICLE_SLUG = env_str("CREDITS_ARTICLE_SLUG", "credits-not-refreshed")

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
# Django's database sessions, loaded by a written-out query (supportdesk/accounts/sessions.py).
SESSION_ENGINE = "supportdesk.accounts.sessions"

# Resolutions (tickets.resolution, tickets.reports.attention): a reopen inside the hold
# window means the fix did not hold; solved tickets close after a quiet period;
# an article needs attention when its last N decided resolutions fail too often.
TICKET_HOLD_DAYS = env_int("TICKET_HOLD_DAYS", 7)
TICKET_CLOSE_DAYS = env_int("TICKET_CLOSE_DAYS", 14)
ATTENTION_LAST_N = env_int("ATTENTION_LAST_N", 10)
ATTENTION_MIN_DECIDED = env_int("ATTENTION_MIN_DECIDED", 3)
ATTENTION_FAIL_PERCENT = env_int("ATTENTION_FAIL_PERCENT", 30)

# The customer's signed links (tickets.portal): how long one mailed link opens the
# ticket's public thread, and the address mails build links on (no request there).
CUSTOMER_LINK_DAYS = env_int("CUSTOMER_LINK_DAYS", 30)
SITE_URL = env_str("SITE_URL", "http://localhost:8000").rstrip("/")

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# == Content-Security-Policy (Django's own middleware) ==
# Scripts and styles come from our origin or carry the request's nonce; nothing
# inline, no eval (htmx is configured without it in base.html), no style attributes.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# == JSON API (tickets.api; docs/api.md) ==
# Requests per personal token (or signed-in user) and period: "600/min", "10/s", "5000/hour".
# Counted in the shared cache (django.core.cache), so every worker sees the same count.
API_RATE_LIMIT = env_str("API_RATE_LIMIT", "600/min")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "tickets.api.auth.BearerTokenAuthentication",
        # The pages' own calls: the session cookie, with Django's CSRF check.
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["tickets.api.auth.TokenRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "tickets.api.problems.problem_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SupportDesk API",
    "DESCRIPTION": "Tickets, articles, customers, resolutions, report figures (docs/api.md).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "TicketStatusEnum": "tickets.models.Ticket.Status",
        "ArticleStatusEnum": "articles.models.Article.Status",
        "MessageKindEnum": "tickets.models.Message.Kind",
        "ResolutionKindEnum": "tickets.models.Resolution.Kind",
        "ReplyStatusEnum": ["open", "pending"],
        "SetStatusEnum": ["new", "open", "pending"],
    },
    # Swagger UI from our own static files (drf-spectacular-sidecar), never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Ticket attachments (ticket page uploads): size cap and the types we accept.
# SVG and HTML are left out on purpose: they can carry script.
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
ATTACHMENT_TYPES = env_list(
    "ATTACHMENT_TYPES",
    "image/png,image/jpeg,image/gif,image/webp,application/pdf,text/plain,text/csv,"
    "video/mp4,video/quicktime,application/zip",
)

# Prometheus metrics at /metrics for the scraper that sends this bearer token; off
# (404) without one. Several processes: PROMETHEUS_MULTIPROC_DIR (supportdesk.metrics).
METRICS_TOKEN = env_str("METRICS_TOKEN", "")
