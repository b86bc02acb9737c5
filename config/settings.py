"""Settings, read from environment variables.

Defaults give a local development system (SQLite, local files, console e-mail).
Production sets DJANGO_ENV=production plus the variables listed in
docs/deployment.md; `manage.py check --deploy` is then clean.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("YANXIU_VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).lower() in ("1", "true", "yes", "on")


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = os.environ.get("DJANGO_ENV") == "production"

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise RuntimeError("DJANGO_SECRET_KEY must be set in production")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"  # noqa: S105  (development only)

# Personal data (ID numbers, mobiles) is encrypted with this key (yanxiu.core.crypto):
# `<id>:<base64 or hex, 16-64 random bytes>`; earlier keys stay readable from
# YANXIU_DATA_OLD_KEYS until `manage.py rotate_data_key` has run. Outside
# production an empty value means the development key.
YANXIU_DATA_KEY = os.environ.get("YANXIU_DATA_KEY", "")
YANXIU_DATA_OLD_KEYS = env_list("YANXIU_DATA_OLD_KEYS")
if PRODUCTION and not YANXIU_DATA_KEY:
    raise RuntimeError(
        "YANXIU_DATA_KEY must be set in production (the key for ID numbers and mobiles; see docs/deployment.md)"
    )

DEBUG = env_bool("DJANGO_DEBUG", not PRODUCTION)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "yanxiu.core.third_party_apps.AxesConfig",  # axes, with a Chinese name in the admin
    "django_otp",
    "yanxiu.core.third_party_apps.TotpDevicesConfig",  # django_otp's plugins, with Chinese names
    "yanxiu.core.third_party_apps.StaticDevicesConfig",
    "django_tasks",
    "yanxiu.core.third_party_apps.TasksDatabaseConfig",  # django_tasks_db, with a Chinese name in the admin
    "yanxiu.core",
    "yanxiu.operations",
    "yanxiu.accounts",
    "yanxiu.reference",
    "yanxiu.calls",
    "yanxiu.organisations",
    "yanxiu.identity",
    "yanxiu.documents",
    "yanxiu.selection",
    "yanxiu.applications",
    "yanxiu.batches",
    "yanxiu.audit",
    "yanxiu.notifications",
    "yanxiu.reviews",
    "yanxiu.delivery",
    "yanxiu.ratings",
    "yanxiu.statistics",
    "yanxiu.api",
    "ninja",
    "yanxiu.demo",
]

MIDDLEWARE = [
    # /healthz and /readyz (load balancer probes), before anything else (yanxiu/operations/middleware.py).
    "yanxiu.operations.middleware.ProbeMiddleware",
    "yanxiu.operations.metrics.MetricsMiddleware",  # requests and latency per view (Prometheus)
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "yanxiu.operations.logs.RequestContextMiddleware",  # request id, user and organisation in every log line
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "yanxiu.core.errors.RefusalMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",  # request.htmx: the request came from htmx
    "csp.middleware.CSPMiddleware",
    # Identity controls (docs/deployment.md "Identity and sessions"): idle and
    # absolute session limits, forced password change, second factor, audit of refusals.
    "yanxiu.accounts.middleware.SecurityMiddleware",
    # Last: it sees the login view's response and turns a lockout into the Chinese page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
CSRF_FAILURE_VIEW = "yanxiu.core.errors.csrf_failure"  # Chinese, like every refusal
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": ["yanxiu.core.templatetags.yanxiu"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "yanxiu.notifications.context_processors.unread_messages",
                "yanxiu.accounts.context_processors.session_limits",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Several requests (autosave, worker) write at once: wait instead of failing. A transaction
    # takes the write lock when it begins (IMMEDIATE): a deferred one that read first and then
    # writes cannot wait for the lock and fails with "database is locked" (the deadline surge
    # had 227 of 300 submissions fail so, bench/surge.py).
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Tests use an in-memory database unless a developer asks to keep one between runs
    # (`make test-again`, pytest --reuse-db): then it is a file, so the 46 migrations are
    # applied once instead of at every run. CI always builds a fresh in-memory one.
    if os.environ.get("YANXIU_TEST_DB_FILE"):
        DATABASES["default"]["TEST"] = {"NAME": os.environ["YANXIU_TEST_DB_FILE"]}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked account or address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    # The admin duties (三员分立): which admin models each administrator role may use.
    "yanxiu.accounts.duties.DutyBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Passwords (GB/T 22239-2019 8.1.4.1): length, character classes, not the
# username, not a common password; Chinese messages (yanxiu/accounts/passwords.py).
YANXIU_PASSWORD_MIN_LENGTH = int(os.environ.get("YANXIU_PASSWORD_MIN_LENGTH", "8"))
YANXIU_PASSWORD_MIN_CLASSES = int(os.environ.get("YANXIU_PASSWORD_MIN_CLASSES", "3"))
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "yanxiu.accounts.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": YANXIU_PASSWORD_MIN_LENGTH},
    },
    {
        "NAME": "yanxiu.accounts.passwords.CharacterClassesValidator",
        "OPTIONS": {"min_classes": YANXIU_PASSWORD_MIN_CLASSES},
    },
    {"NAME": "yanxiu.accounts.passwords.NotUsernameValidator"},
    {"NAME": "yanxiu.accounts.passwords.CommonPasswordValidator"},
    {"NAME": "yanxiu.accounts.passwords.NotRecentPasswordValidator"},
]
# A new password is none of the current one and the last N (their hashes are kept).
YANXIU_PASSWORD_HISTORY = int(os.environ.get("YANXIU_PASSWORD_HISTORY", "5"))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "Y年n月j日"
DATETIME_FORMAT = "Y年n月j日 H:i"

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Where uploads are kept: a folder every node shares (MEDIA_ROOT, the default), or S3-compatible
# object storage (YANXIU_STORAGE=s3: django-storages from requirements-s3.txt, docs/deployment.md).
# Files are never served by the storage itself: every download goes through a view that checks access.
YANXIU_STORAGE = os.environ.get("YANXIU_STORAGE", "filesystem")
if YANXIU_STORAGE == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["YANXIU_S3_BUCKET"],
            "endpoint_url": os.environ.get("YANXIU_S3_ENDPOINT") or None,  # e.g. https://minio.internal:9000
            "access_key": os.environ.get("YANXIU_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("YANXIU_S3_SECRET_KEY") or None,
            "region_name": os.environ.get("YANXIU_S3_REGION") or None,
            "addressing_style": os.environ.get("YANXIU_S3_ADDRESSING_STYLE", "path"),  # MinIO, Ceph: path
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
elif YANXIU_STORAGE != "filesystem":
    raise RuntimeError(f"YANXIU_STORAGE must be filesystem or s3, not {YANXIU_STORAGE!r}")

# Uploads: attachments are limited per file (checked by the upload handler
# before the body is read whole) and by type (checked on content, not name).
ATTACHMENT_MAX_BYTES = int(os.environ.get("ATTACHMENT_MAX_BYTES", str(20 * 1024 * 1024)))
FILE_UPLOAD_HANDLERS = [
    "yanxiu.core.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# E-mail: console by default; SMTP in production via EMAIL_URL-style variables.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "研修申报系统 <noreply@localhost>")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# Text messages (verification codes): a gateway class like EMAIL_BACKEND; the console one prints
# the message (yanxiu/accounts/domain/sms.py). Codes live 10 minutes and allow 5 attempts; one
# mobile or address gets at most YANXIU_CODES_PER_TARGET an hour, one client address
# YANXIU_CODES_PER_CLIENT (decision 0023).
YANXIU_SMS_BACKEND = os.environ.get("YANXIU_SMS_BACKEND", "yanxiu.accounts.domain.sms.ConsoleBackend")
YANXIU_CODE_MINUTES = int(os.environ.get("YANXIU_CODE_MINUTES", "10"))
YANXIU_CODE_ATTEMPTS = int(os.environ.get("YANXIU_CODE_ATTEMPTS", "5"))
YANXIU_CODES_PER_TARGET = int(os.environ.get("YANXIU_CODES_PER_TARGET", "5"))
YANXIU_CODES_PER_CLIENT = int(os.environ.get("YANXIU_CODES_PER_CLIENT", "20"))
# The e-mailed password-reset link's life (Django's token generator).
PASSWORD_RESET_TIMEOUT = int(os.environ.get("YANXIU_PASSWORD_RESET_SECONDS", str(30 * 60)))

# Background jobs (e-mail, later document generation): a database queue and
# `manage.py db_worker`. Tests use the immediate backend.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "pdf"],
    }
}

# The system's own calendar and its background processes (yanxiu.operations, docs/operations.md):
# `manage.py scheduler` runs the periodic jobs; `manage.py worker` runs tasks. Each process beats a
# heartbeat every YANXIU_HEARTBEAT_SECONDS; one silent for YANXIU_DEAD_AFTER_SECONDS is taken for
# dead: its running task is put back in the queue, or failed after YANXIU_TASK_MAX_ATTEMPTS.
YANXIU_HEARTBEAT_SECONDS = float(os.environ.get("YANXIU_HEARTBEAT_SECONDS", "5"))
YANXIU_DEAD_AFTER_SECONDS = float(os.environ.get("YANXIU_DEAD_AFTER_SECONDS", "20"))
YANXIU_TASK_MAX_ATTEMPTS = int(os.environ.get("YANXIU_TASK_MAX_ATTEMPTS", "3"))
# The workers and the PDF converter run at this CPU niceness (0–19; 0 keeps the web's priority), so a
# web request never waits behind a PDF or an export (decision 0032).
YANXIU_BACKGROUND_NICE = int(os.environ.get("YANXIU_BACKGROUND_NICE", "10"))
# Prometheus metrics: `manage.py metrics` serves them on this address only (never public); empty: off.
# With several gunicorn workers also set PROMETHEUS_MULTIPROC_DIR (docs/operations.md).
YANXIU_METRICS_ADDRESS = os.environ.get("YANXIU_METRICS_ADDRESS", "")
# /readyz: a worker, the PDF worker and the PDF converter must have beaten within this long.
YANXIU_READY_WINDOW_SECONDS = float(os.environ.get("YANXIU_READY_WINDOW_SECONDS", "60"))
# Scheduled backups (daily, 02:30): archives kept this many days; an empty folder turns them off.
YANXIU_BACKUP_DIR = os.environ.get("YANXIU_BACKUP_DIR", str(VAR_DIR / "backups"))
YANXIU_BACKUP_KEEP_DAYS = int(os.environ.get("YANXIU_BACKUP_KEEP_DAYS", "30"))
# PDFs kept as a cache this many days after they were made (then made again when asked).
YANXIU_PDF_KEEP_DAYS = int(os.environ.get("YANXIU_PDF_KEEP_DAYS", "30"))

# PDFs: converted by the worker (queue "pdf"), through a warm LibreOffice when
# `manage.py pdf_converter` runs at this address (make run starts it), else a
# fresh soffice with one of DOCUMENTS_SOFFICE_POOL pooled profiles.
DOCUMENTS_UNOSERVER = os.environ.get("DOCUMENTS_UNOSERVER", "")
DOCUMENTS_SOFFICE_POOL = int(os.environ.get("DOCUMENTS_SOFFICE_POOL", "2"))

# The system's clock. Tests pin it (YANXIU_FIXED_NOW or the `clock` fixture);
# production leaves it empty.
YANXIU_FIXED_NOW = os.environ.get("YANXIU_FIXED_NOW", "")
# Widgets rendered in Python, not one template include per input and option (core/form_renderer.py).
FORM_RENDERER = "yanxiu.core.form_renderer.FastWidgetRenderer"
# bench/serve.py only: a bare login_required view at /bench/bare/, the baseline of every page's figures.
YANXIU_BENCH_URLS = env_bool("YANXIU_BENCH_URLS", False)
# List pages with an ETag keep their rendered bytes in the cache under it (yanxiu.audit.conditional).
# In production only: tests and development render every page (query counts measure real renders).
YANXIU_PAGE_CACHE = env_bool("YANXIU_PAGE_CACHE", PRODUCTION)

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Behind nginx, the header carrying the visitor's address (nginx:
# `proxy_set_header X-Real-IP $remote_addr;` → HTTP_X_REAL_IP); empty: REMOTE_ADDR.
# The header is believed only from the proxies listed (addresses or networks):
# yanxiu.core.net.client_ip, used by the login limit, the audit and the rate limit.
YANXIU_CLIENT_IP_HEADER = os.environ.get("YANXIU_CLIENT_IP_HEADER", "HTTP_X_REAL_IP" if PRODUCTION else "")
YANXIU_TRUSTED_PROXIES = env_list("YANXIU_TRUSTED_PROXIES", "127.0.0.1,::1")

# The cache holds the public enrolment page's rate limit, so every web
# process must share it: files on the server by default in production.
CACHES = {
    "default": {
        "BACKEND": os.environ.get(
            "CACHE_BACKEND",
            "django.core.cache.backends.filebased.FileBasedCache"
            if PRODUCTION
            else "django.core.cache.backends.locmem.LocMemCache",
        ),
        "LOCATION": os.environ.get("CACHE_LOCATION", str(VAR_DIR / "cache") if PRODUCTION else "yanxiu"),
    }
}

# LOG_FORMAT=json: one JSON object per line with the request id, user id and organisation id
# (yanxiu/operations/logs.py); the default in production, plain text otherwise.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json" if PRODUCTION else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "yanxiu.operations.logs.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", **({"formatter": "json"} if LOG_FORMAT == "json" else {})}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

# Errors to a Sentry-compatible service, only when configured (`pip install sentry-sdk` on the
# servers): no personal data is sent (no user names, addresses, cookies or request bodies).
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk  # optional, installed by the operator

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        send_default_pii=False,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        max_request_body_size="never",
    )

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# --- Identity and sessions (等保三级 identity controls; docs/deployment.md) ---
# Failed logins (django-axes): an account is locked after YANXIU_LOGIN_FAILURE_LIMIT
# failures, an address after YANXIU_LOGIN_ADDRESS_FAILURE_LIMIT, for YANXIU_LOCKOUT_MINUTES.
YANXIU_LOGIN_FAILURE_LIMIT = int(os.environ.get("YANXIU_LOGIN_FAILURE_LIMIT", "5"))
YANXIU_LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("YANXIU_LOGIN_ADDRESS_FAILURE_LIMIT", "20"))
YANXIU_LOCKOUT_MINUTES = int(os.environ.get("YANXIU_LOCKOUT_MINUTES", "15"))
AXES_ENABLED = env_bool("YANXIU_LOGIN_LIMIT_ENABLED", True)
AXES_FAILURE_LIMIT = YANXIU_LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=YANXIU_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "yanxiu.accounts.lockout.AccountAndAddressHandler"
AXES_CLIENT_IP_CALLABLE = "yanxiu.core.net.client_ip_or_none"
AXES_LOCKOUT_CALLABLE = "yanxiu.accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Passwords expire after this many days (0: never); a password set by someone
# else (a new account, an officer's reset) must be changed at the next login.
YANXIU_PASSWORD_MAX_AGE_DAYS = int(os.environ.get("YANXIU_PASSWORD_MAX_AGE_DAYS", "90"))
YANXIU_FORCE_PASSWORD_CHANGE = env_bool("YANXIU_FORCE_PASSWORD_CHANGE", PRODUCTION)
# Sessions end after this much inactivity (a warning a minute before) and at
# most this long after the login.
YANXIU_SESSION_IDLE_SECONDS = int(os.environ.get("YANXIU_SESSION_IDLE_SECONDS", "1800"))
YANXIU_SESSION_WARNING_SECONDS = int(os.environ.get("YANXIU_SESSION_WARNING_SECONDS", "60"))
YANXIU_SESSION_MAX_SECONDS = int(os.environ.get("YANXIU_SESSION_MAX_SECONDS", str(8 * 3600)))
SESSION_COOKIE_AGE = YANXIU_SESSION_MAX_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Two factors (TOTP, with recovery codes) for the roles that decide: province
# officers, authority reviewers and the administrators. On in production.
YANXIU_OTP_REQUIRED = env_bool("YANXIU_OTP_REQUIRED", PRODUCTION)
OTP_TOTP_ISSUER = os.environ.get("YANXIU_OTP_ISSUER", "研修申报")
YANXIU_OTP_RECOVERY_CODES = int(os.environ.get("YANXIU_OTP_RECOVERY_CODES", "10"))
# Unified identity (统一身份认证, decision 0025): OpenID Connect providers such as 闽政通 and i厦门.
# YANXIU_OIDC_PROVIDERS lists their keys (mzt,ixm); for each key K: YANXIU_OIDC_<K>_NAME (the login
# button's name), _ISSUER (discovery at <issuer>/.well-known/openid-configuration), _CLIENT_ID,
# _CLIENT_SECRET, and optionally _CLAIMS ("cert_no=idcard,uscc=credit_code": the provider's own claim
# names where they differ from ours). No key, no button.
YANXIU_OIDC_PROVIDERS = {
    key: {
        "name": os.environ.get(f"YANXIU_OIDC_{key.upper()}_NAME", key),
        "issuer": os.environ.get(f"YANXIU_OIDC_{key.upper()}_ISSUER", ""),
        "client_id": os.environ.get(f"YANXIU_OIDC_{key.upper()}_CLIENT_ID", ""),
        "client_secret": os.environ.get(f"YANXIU_OIDC_{key.upper()}_CLIENT_SECRET", ""),
        "claims": dict(item.split("=", 1) for item in env_list(f"YANXIU_OIDC_{key.upper()}_CLAIMS")),
    }
    for key in env_list("YANXIU_OIDC_PROVIDERS")
}
# An invitation link (a colleague, an expert) works once, for this many days (decision 0024).
YANXIU_INVITATION_DAYS = int(os.environ.get("YANXIU_INVITATION_DAYS", "7"))
# Audit entries are kept at least this many days: the purge command refuses younger ones.
YANXIU_AUDIT_RETENTION_DAYS = max(180, int(os.environ.get("YANXIU_AUDIT_RETENTION_DAYS", "180")))

# --- Content-Security-Policy (django-csp), in every environment, tests included ---
# No inline script anywhere: every script is a static file. Inline style
# attributes remain in templates (docs/decisions/0005-identity-and-sessions.md).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
