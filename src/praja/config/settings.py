"""Settings for every deployment; the environment chooses database, tasks and mode.

PRAJA_DEMO=1        embedded demo: SQLite under var/, demo passwords allowed
DATABASE_URL        sqlite:///... or postgres://... (default: SQLite under var/)
PRAJA_TASK_BACKEND  "db" (default), "celery" (Redis via Celery) or "immediate"
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = Path(os.environ.get("PRAJA_HOME", PACKAGE_DIR.parent.parent))
VAR_DIR = Path(os.environ.get("PRAJA_VAR_DIR", BASE_DIR / "var"))


def env_flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    if key := os.environ.get("PRAJA_SECRET_KEY"):
        return key
    # Development and demo keep a generated key on disk so sessions survive restarts.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


DEMO_MODE = env_flag("PRAJA_DEMO")
DEBUG = env_flag("PRAJA_DEBUG")
SECRET_KEY = _secret_key()
# Host validation is the tenant middleware's: a request is served only for the platform's own
# host names or a registered tenant host; anything else gets the plain 404.
ALLOWED_HOSTS = ["*"]
PRAJA_PLATFORM_HOSTS = os.environ.get("PRAJA_PLATFORM_HOSTS", "127.0.0.1,localhost,[::1],testserver").split(
    ","
)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "pgtrigger",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "praja.core.tenancy",
    "praja.core.reference",
    "praja.core.accounts",
    "praja.core.audit",
    "praja.core.workflow",
    "praja.core.calendar",
    "praja.core.documents",
    "praja.core.notifications",
    "praja.core.api",
    "praja.core.web",
]
# Government modules; each registers its manifest in praja.core.modules.
PRAJA_MODULE_APPS: list[str] = [
    "praja.modules.licensing",
    "praja.modules.licensing.feedback",
    "praja.modules.licensing.payments",
    "praja.modules.grants",
    "praja.modules.grants.screening",
    "praja.modules.grants.funds",
    "praja.modules.performance",
    "praja.modules.performance.tpp",
]
INSTALLED_APPS += PRAJA_MODULE_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Language first (cookie or Accept-Language), so even the unknown-tenant 404 speaks it.
    "django.middleware.locale.LocaleMiddleware",
    "praja.core.tenancy.middleware.TenantMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "praja.core.web.csp.PolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "praja.config.urls"
WSGI_APPLICATION = "praja.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "praja.core.tenancy.context_processors.tenant",
                "csp.context_processors.nonce",
            ],
            "builtins": ["praja.core.tenancy.templatetags.tenant_urls"],
        },
    }
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'praja.sqlite3'}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers run beside one writer; IMMEDIATE takes the write lock at BEGIN so
        # two writers queue instead of failing halfway through a transaction.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Persistent per-process connections, as on PostgreSQL: opening one runs the PRAGMAs above,
    # which cost more than a typical request's queries. Safe with WAL: between requests the
    # connection is in autocommit and holds no read snapshot or lock, and Django closes a
    # connection a request left inside a transaction.
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django binds parameters on the client by default, so every query arrives as new text and
    # PostgreSQL plans it again each time. Bound on the server, a query the connection has run
    # five times is prepared and planned once: half the server's CPU per request on the API list
    # and pages (bench.request_cost). Behind a transaction-mode pooler without prepared-statement
    # support, set PRAJA_PG_PREPARE=0: client-side binding, nothing prepared.
    if os.environ.get("PRAJA_PG_PREPARE", "1") != "0":
        DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)
    else:
        DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = None

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "praja.core.accounts.backends.IdentifierBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/login/"

# Lockout after repeated failures (django-axes): 5 failures per account lock it for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("PRAJA_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
# Per account, not per IP: a whole office often shares one NAT address, and locking the address
# would lock every colleague out. Hence axes.W006 is silenced on purpose.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_USERNAME_FORM_FIELD = "identifier"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "praja.core.accounts.views.lockout_response"

SESSION_COOKIE_AGE = int(os.environ.get("PRAJA_SESSION_SECONDS", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_flag("PRAJA_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
OTP_TOTP_ISSUER = "Praja"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Jakarta"

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Uploads: nothing larger than this is read whole (documents.uploads checks the stream first).
PRAJA_UPLOAD_MAX_BYTES = int(os.environ.get("PRAJA_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
PRAJA_DOCUMENT_ROOT = Path(os.environ.get("PRAJA_DOCUMENT_ROOT", VAR_DIR / "documents"))
PRAJA_KEY_ROOT = Path(os.environ.get("PRAJA_KEY_ROOT", VAR_DIR / "keys"))
PRAJA_PUBLIC_BASE_URL = os.environ.get("PRAJA_PUBLIC_BASE_URL", "http://127.0.0.1:8000")

EMAIL_BACKEND = os.environ.get(
    "PRAJA_EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if DEMO_MODE or DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = VAR_DIR / "outbox-mail"
DEFAULT_FROM_EMAIL = os.environ.get("PRAJA_FROM_EMAIL", "Praja <no-reply@praja.localhost>")
PRAJA_SMS_GATEWAY_URL = os.environ.get("PRAJA_SMS_GATEWAY_URL", "")
PRAJA_SMS_GATEWAY_TOKEN = os.environ.get("PRAJA_SMS_GATEWAY_TOKEN", "")

TASK_BACKEND = os.environ.get("PRAJA_TASK_BACKEND", "db")
TASKS = {
    "default": {
        "db": {"BACKEND": "django_tasks_db.DatabaseBackend"},
        "celery": {"BACKEND": "praja.core.notifications.celery_backend.CeleryBackend"},
        "immediate": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    }[TASK_BACKEND]
}
CELERY_BROKER_URL = os.environ.get("PRAJA_REDIS_URL", "redis://127.0.0.1:6379/0")
CELERY_TASK_ALWAYS_EAGER = False

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "praja.core.api.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "praja.core.api.negotiation.DefaultJsonNegotiation",
    "DEFAULT_PAGINATION_CLASS": "praja.core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "praja.core.api.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"anon": os.environ.get("PRAJA_ANON_RATE", "120/min"), "user": "2000/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Praja API",
    "DESCRIPTION": (
        "Praja e-government suite. Tenant endpoints live under /t/<slug>/api/v1/. Authenticate with "
        "`Authorization: Token <key>` or a signed-in session. A token is no second factor: a call "
        "that approves (refused with `second_factor_required` otherwise) sends the person's current "
        "authenticator (TOTP) code in the `X-OTP-Code` header; each code is accepted once."
    ),
    "VERSION": "1.0.0",
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/(t/[^/]+/)?api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "praja.core.api.schema.document_tenant_and_errors",
    ],
}

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # django-csp 4 fills in the request's nonce only for its NONCE sentinel, not the text "'nonce'".
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if redis_cache := os.environ.get("PRAJA_CACHE_URL"):
    CACHES["default"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_cache}
    # Sessions are read through the shared cache and written to both; the database stays the
    # record. Only with a cache all processes share: with the per-process LocMemCache a session
    # ended (logout) in one worker would stay valid in another worker's cache.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("PRAJA_LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
    },
}
