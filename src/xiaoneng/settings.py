"""Django settings for Xiaoneng: one module, every value from the environment."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from xiaoneng.conf import (
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_networks,
    env_str,
    secret_key,
)

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent.parent

XIAONENG_ENV = env_choice("XIAONENG_ENV", ("embedded", "production"), "embedded")
PRODUCTION = XIAONENG_ENV == "production"
DATA_DIR = Path(env_str("XIAONENG_DATA_DIR", str(BASE_DIR / "var"))).resolve()

SECRET_KEY = secret_key(production=PRODUCTION, data_dir=DATA_DIR)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production mode.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Domain apps.
    "xiaoneng.web",  # the web kit: its templates (error summary) and static files (forms.js)
    "xiaoneng.org",
    "xiaoneng.audit",
    "xiaoneng.workdays",
    "xiaoneng.catalog",
    "xiaoneng.notify",
    "xiaoneng.cases",
    "xiaoneng.accountability",
    "xiaoneng.applications",
    "xiaoneng.api",
    "xiaoneng.documents",
    "xiaoneng.supervision",
    "xiaoneng.emergencies",
    "xiaoneng.evaluation",
    "xiaoneng.internal",
    "xiaoneng.assessment",
    "xiaoneng.targets",
    "xiaoneng.campaigns",
    "xiaoneng.webhooks",
    "xiaoneng.referrals",
    "xiaoneng.triage",
    "xiaoneng.ops",
    "xiaoneng.security",
    # Interface apps.
    "xiaoneng.office",
    "xiaoneng.portal",
    "xiaoneng.demo",
]

MIDDLEWARE = [
    # Outermost, so a database outage anywhere below becomes a clear 503 page, not a traceback.
    "xiaoneng.ops.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "xiaoneng.security.middleware.SecurityHeadersMiddleware",
    # WhiteNoise, finding the static files once per process (web/static.py).
    "xiaoneng.web.static.StaticFilesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Deny by default: every view needs a signed-in person unless marked login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "xiaoneng.web.middleware.RequestContextMiddleware",
    "xiaoneng.ops.middleware.LogContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "xiaoneng.security.middleware.SessionLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "xiaoneng.security.middleware.OTPRequiredMiddleware",
    "xiaoneng.security.middleware.PasswordExpiryMiddleware",
    # Last: turns a locked-out sign-in into the same page as a wrong password.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "xiaoneng.urls"
WSGI_APPLICATION = "xiaoneng.wsgi.application"

# Django's form templates, with the common widgets rendered in Python (web/renderers.py).
FORM_RENDERER = "xiaoneng.web.renderers.FormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "xiaoneng.office.context.office_context",
                "xiaoneng.notify.context.unread_count",
            ],
        },
    },
]


def _database() -> dict:
    default_url = f"sqlite:///{DATA_DIR / 'xiaoneng.sqlite3'}"
    url = env_str("DATABASE_URL", default_url)
    try:
        config = dj_database_url.parse(url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None
    if config["ENGINE"] == "django.db.backends.sqlite3":
        Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            # IMMEDIATE takes the write lock when a transaction starts, so concurrent writers
            # queue instead of failing half-way; WAL lets readers proceed meanwhile.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
        # A file (not an in-memory database) so that threaded tests see real locking.
        config["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
    elif config["ENGINE"] == "django.db.backends.postgresql":
        config["CONN_HEALTH_CHECKS"] = True
        config.setdefault("OPTIONS", {})
        config["OPTIONS"]["options"] = (
            f"-c statement_timeout={env_int('DB_STATEMENT_TIMEOUT_MS', 30000, minimum=0)}"
        )
    else:
        raise ImproperlyConfigured("DATABASE_URL must point at SQLite or PostgreSQL.")
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.User"

# Campus safety emergencies (docs/emergencies.md): minutes an alert waits for its
# acknowledgement before it goes to the next person, and the bureau department (by code) that
# receives incident alerts (安全稳定科).
XIAONENG_EMERGENCY_ACK_MINUTES = env_int("XIAONENG_EMERGENCY_ACK_MINUTES", 10, minimum=1)
XIAONENG_EMERGENCY_DEPARTMENT = env_str("XIAONENG_EMERGENCY_DEPARTMENT", "safety")
# Outbound reports (docs/emergencies.md): grades I–II to the city's duty office, public-health
# events to the health authority, each within these calendar hours of the discovery.
XIAONENG_EMERGENCY_CITY_REPORT_HOURS = env_int("XIAONENG_EMERGENCY_CITY_REPORT_HOURS", 1, minimum=1)
XIAONENG_EMERGENCY_HEALTH_REPORT_HOURS = env_int(
    "XIAONENG_EMERGENCY_HEALTH_REPORT_HOURS", 2, minimum=1
)
# An alert's SMS reply code is honoured this many hours after the alert was sent.
XIAONENG_EMERGENCY_REPLY_CODE_HOURS = env_int("XIAONENG_EMERGENCY_REPLY_CODE_HOURS", 24, minimum=1)

# Security policy (docs/security.md): every number is a setting with the baseline's default.
XIAONENG_PASSWORD_MIN_CLASSES = env_int("XIAONENG_PASSWORD_MIN_CLASSES", 3, minimum=3)
XIAONENG_PASSWORD_HISTORY = env_int("XIAONENG_PASSWORD_HISTORY", 5, minimum=1)
XIAONENG_PASSWORD_MAX_AGE_DAYS = env_int("XIAONENG_PASSWORD_MAX_AGE_DAYS", 90, minimum=1)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 8, minimum=8)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "xiaoneng.security.validators.CharacterClassesValidator"},
    {"NAME": "xiaoneng.security.validators.UsernameNotContainedValidator"},
    {"NAME": "xiaoneng.security.validators.PasswordHistoryValidator"},
]
AUTHENTICATION_BACKENDS = [
    "xiaoneng.security.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lockout (django-axes): per account and, separately, per client address.
AXES_FAILURE_LIMIT = env_int("XIAONENG_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("XIAONENG_LOGIN_LOCKOUT_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "xiaoneng.security.views.lockout_response"
AXES_CLIENT_IP_CALLABLE = "xiaoneng.web.client.client_address"
AXES_VERBOSE = False
# Second factor for the efficiency office, inspectors, leaders and the three administrators.
XIAONENG_REQUIRE_OTP = env_bool("XIAONENG_REQUIRE_OTP", True)
OTP_TOTP_ISSUER = env_str("XIAONENG_OTP_ISSUER", "Xiaoneng")
XIAONENG_SESSION_IDLE_MINUTES = env_int("XIAONENG_SESSION_IDLE_MINUTES", 15, minimum=1)
XIAONENG_SESSION_MAX_HOURS = env_int("XIAONENG_SESSION_MAX_HOURS", 8, minimum=1)
XIAONENG_EXPORTS_PER_HOUR = env_int("XIAONENG_EXPORTS_PER_HOUR", 10, minimum=1)
# The audit log is kept at least six months (GB/T 22239-2019); a lower value is refused.
XIAONENG_AUDIT_RETENTION_DAYS = env_int("XIAONENG_AUDIT_RETENTION_DAYS", 180, minimum=180)
# Tamper evidence (docs/security.md "Tamper-evident audit log"): the chain's MAC keys (current
# first) and the checkpoint signing key live outside the database; production refuses to run
# without them (system checks xiaoneng.E020, E021).
XIAONENG_AUDIT_KEY = env_str("XIAONENG_AUDIT_KEY", "")
XIAONENG_AUDIT_KEY_FILE = env_str("XIAONENG_AUDIT_KEY_FILE", "")
XIAONENG_AUDIT_SIGNING_KEY_FILE = env_str("XIAONENG_AUDIT_SIGNING_KEY_FILE", "")
XIAONENG_AUDIT_VERIFY_KEY_FILE = env_str("XIAONENG_AUDIT_VERIFY_KEY_FILE", "")
XIAONENG_AUDIT_CHECKPOINT_DIR = Path(
    env_str("XIAONENG_AUDIT_CHECKPOINT_DIR", str(DATA_DIR / "audit-checkpoints"))
)
XIAONENG_AUDIT_CHECKPOINT_INTERVAL = env_int("XIAONENG_AUDIT_CHECKPOINT_INTERVAL", 3600, minimum=60)
XIAONENG_PERSONAL_DATA_RETENTION_DAYS = env_int(
    "XIAONENG_PERSONAL_DATA_RETENTION_DAYS", 3 * 365, minimum=30
)
# Personal data at rest (docs/security.md): "id:base64key,..." (current first) or a key file.
# Never stored in the database; in production one of the two is required (xiaoneng.E010).
XIAONENG_DATA_KEYS = env_str("XIAONENG_DATA_KEYS", "")
XIAONENG_DATA_KEY_FILE = env_str("XIAONENG_DATA_KEY_FILE", "")
if XIAONENG_DATA_KEYS.strip():
    from xiaoneng.fieldcrypt.datakeys import parse_keys

    parse_keys(XIAONENG_DATA_KEYS, source="XIAONENG_DATA_KEYS")  # a typo fails at start-up
LOGIN_URL = "office:login"
LOGIN_REDIRECT_URL = "office:home"
LOGOUT_REDIRECT_URL = "office:login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = Path(env_str("XIAONENG_MEDIA_ROOT", str(DATA_DIR / "media")))
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
WHITENOISE_USE_FINDERS = not PRODUCTION

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Implicit TLS (port 465, as most mail services in China offer); not together with EMAIL_USE_TLS.
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "xiaoneng@localhost")

EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)

REDIS_URL = env_str("REDIS_URL", "")
# The cache holds the portal's rate limits and the tracking page's public parts
# (portal/tracking.py). Without XIAONENG_CACHE_URL each process keeps its own in memory
# (Django's default keeps 300 entries, fewer than a busy hour's lookups): with several server
# processes, each counts its own lookups and builds its own pages. With a Redis URL every
# process shares one cache: the limits hold across processes and a page built once serves all.
XIAONENG_CACHE_URL = env_str("XIAONENG_CACHE_URL", "")
CACHES: dict[str, dict[str, object]]
if XIAONENG_CACHE_URL:
    if not XIAONENG_CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured("XIAONENG_CACHE_URL must be a Redis URL (redis://…).")
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": XIAONENG_CACHE_URL,
            "KEY_PREFIX": env_str("XIAONENG_CACHE_PREFIX", "xiaoneng"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": env_int("XIAONENG_CACHE_MAX_ENTRIES", 5000, minimum=300)},
        }
    }
XIAONENG_SMS_BACKEND = env_str("XIAONENG_SMS_BACKEND", "xiaoneng.notify.sms.RecordingSmsBackend")
# SMS providers (docs/notifications.md): XIAONENG_SMS_BACKEND "aliyun" or "tencent".
XIAONENG_SMS_TIMEOUT = env_int("XIAONENG_SMS_TIMEOUT", 10, minimum=1)
# The shared secret in the address the provider calls back (SMS replies and delivery status):
# /sms/callbacks/<provider>/<token>/. Empty: the callbacks are refused.
XIAONENG_SMS_CALLBACK_TOKEN = env_str("XIAONENG_SMS_CALLBACK_TOKEN", "")
XIAONENG_SMS_ALIYUN_ACCESS_KEY_ID = env_str("XIAONENG_SMS_ALIYUN_ACCESS_KEY_ID", "")
XIAONENG_SMS_ALIYUN_ACCESS_KEY_SECRET = env_str("XIAONENG_SMS_ALIYUN_ACCESS_KEY_SECRET", "")
XIAONENG_SMS_ALIYUN_SIGN_NAME = env_str("XIAONENG_SMS_ALIYUN_SIGN_NAME", "")
XIAONENG_SMS_ALIYUN_TEMPLATES = env_str("XIAONENG_SMS_ALIYUN_TEMPLATES", "")
XIAONENG_SMS_ALIYUN_ENDPOINT = env_str("XIAONENG_SMS_ALIYUN_ENDPOINT", "dysmsapi.aliyuncs.com")
XIAONENG_SMS_TENCENT_SECRET_ID = env_str("XIAONENG_SMS_TENCENT_SECRET_ID", "")
XIAONENG_SMS_TENCENT_SECRET_KEY = env_str("XIAONENG_SMS_TENCENT_SECRET_KEY", "")
XIAONENG_SMS_TENCENT_SDK_APP_ID = env_str("XIAONENG_SMS_TENCENT_SDK_APP_ID", "")
XIAONENG_SMS_TENCENT_SIGN_NAME = env_str("XIAONENG_SMS_TENCENT_SIGN_NAME", "")
XIAONENG_SMS_TENCENT_TEMPLATES = env_str("XIAONENG_SMS_TENCENT_TEMPLATES", "")
XIAONENG_SMS_TENCENT_REGION = env_str("XIAONENG_SMS_TENCENT_REGION", "ap-guangzhou")
XIAONENG_SMS_TENCENT_ENDPOINT = env_str("XIAONENG_SMS_TENCENT_ENDPOINT", "sms.tencentcloudapi.com")
XIAONENG_NOTIFY_MAX_ATTEMPTS = env_int("XIAONENG_NOTIFY_MAX_ATTEMPTS", 6, minimum=1)

# Database sessions, read with one written statement per request (web/sessions.py).
SESSION_ENGINE = "xiaoneng.web.sessions"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", XIAONENG_SESSION_MAX_HOURS * 3600, minimum=60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Name shown in the header of every page; the demo data sets the bureau's own name.
XIAONENG_SITE_NAME = env_str("XIAONENG_SITE_NAME", "")
XIAONENG_PERIODIC_INTERVAL = env_int("XIAONENG_PERIODIC_INTERVAL", 60, minimum=5)
# Addresses or networks of the reverse proxies in front of the server (nginx on loopback:
# 127.0.0.1): only their X-Forwarded-For is believed (xiaoneng.web.client).
XIAONENG_TRUSTED_PROXIES = env_networks("XIAONENG_TRUSTED_PROXIES")
# Public portal submissions, counted only when accepted: per client address an hour (generous,
# because a school or an estate sends everyone through one NAT address) and per phone number a day.
XIAONENG_RATE_SUBMIT = (env_int("XIAONENG_SUBMIT_LIMIT_PER_ADDRESS", 100, minimum=1), 3600)
XIAONENG_RATE_SUBMIT_PHONE = (env_int("XIAONENG_SUBMIT_LIMIT_PER_PHONE", 5, minimum=1), 86400)

LOG_FORMAT = env_choice("LOG_FORMAT", ("plain", "json"), "plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "xiaoneng.ops.logs.ContextFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "xiaoneng.ops.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["context"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # axes logs every successful sign-in at INFO; the audit log already records sign-ins.
    # The SMS SDKs (and urllib3 under them) log whole requests at DEBUG, template variables and
    # so one-time secrets included: never below WARNING, whatever LOG_LEVEL says.
    "loggers": {
        "waitress.queue": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
        "darabonba-core": {"level": "WARNING"},
        "tencentcloud_sdk_common": {"level": "WARNING"},
        "urllib3.connectionpool": {"level": "WARNING"},
    },
}

# Background work (docs/operations.md). No broker = embedded mode: the in-process periodic
# thread of `xiaoneng serve` runs the jobs and nothing is queued.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "")
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "xiaoneng")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_TIMEOUT = env_int("CELERY_BROKER_CONNECTION_TIMEOUT", 3, minimum=1)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing must never hold a request long: a message that cannot be queued is picked up by
# the next beat tick from its table anyway.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5}
# Redis redelivers a task whose worker died after this many seconds (RabbitMQ at once).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600, minimum=5)
}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
# Readiness: the sweeper's last run and the oldest due outbox row may be this old at most.
XIAONENG_READY_SWEEP_MAX_AGE = env_int("XIAONENG_READY_SWEEP_MAX_AGE", 180, minimum=30)
XIAONENG_READY_OUTBOX_MAX_AGE = env_int("XIAONENG_READY_OUTBOX_MAX_AGE", 600, minimum=60)

# Triage (docs/triage.md): a suggestion below this confidence (per cent) is "don't know";
# near-duplicates are looked for among the open cases of the last N days; a complaint made
# again within N days of a reply raises a repeat alert.
TRIAGE_CONFIDENCE_THRESHOLD = env_int("TRIAGE_CONFIDENCE_PERCENT", 40, minimum=1) / 100
TRIAGE_DUPLICATE_DAYS = env_int("TRIAGE_DUPLICATE_DAYS", 90, minimum=1)
TRIAGE_REPEAT_DAYS = env_int("TRIAGE_REPEAT_DAYS", 30, minimum=1)
