"""Regionet settings: the one place that reads the environment.

Every setting has an embedded default that needs no server (SQLite, a
filesystem broker, mail to a local outbox), except SECRET_KEY, which
production must set. `.env.example` lists every variable.
"""

import base64
import hashlib
import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR") or BASE_DIR / "var")


def env_str(name: str, default: str = "") -> str:
    # Empty means the default, as .env.example says: a copy of it (compose's env_file) sets
    # every variable, most of them to "".
    return os.environ.get(name) or default


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-debug"  # noqa: S105 (DEBUG only)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.forms",  # its widget templates, for FORM_RENDERER below
    "crispy_forms",
    "crispy_bootstrap5",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "portal",
    "leden",
    "netwerken",
    "bijeenkomsten",
    "themas",
    "bevragingen",
    "actieplannen",
    "meldpunt",
    "deelname",
    "berichten",
    "nieuwsbrief",
    "contact",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.headers.SecurityHeadersMiddleware",  # CSP, Permissions-Policy, no-store
    "portal.requestguard.RequestGuardMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.language.LanguageMiddleware",  # the switch's cookie, else Dutch (not the browser's)
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
            ],
        },
    },
    {
        # Plain-text mails and subjects: not HTML, so nothing is escaped ("Kaas & Wijn").
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {"autoescape": False},
    },
]

# Widgets render through the project's templates too, so templates/ can mend the admin's widgets
# for accessibility (labelled date/time inputs, a placeholder option in autocomplete selects).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- Database ---------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'regionet.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web process and the worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (allauth's rate limits need one shared by all processes) --------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "portal.cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Lets two deployments (or two test runs) share one Redis without sharing rate limits and pages.
CACHES["default"]["KEY_PREFIX"] = env_str("CACHE_KEY_PREFIX")

# --- Accounts ----------------------------------------------------------------
AUTH_USER_MODEL = "leden.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "leden.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SITE_ID = 1
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
# One address per account: a new one replaces the old once it is confirmed, and the old one
# is told (as on a password change), so a hijacked session cannot move the account quietly.
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_PREVENT_ENUMERATION = True
# Every anonymous form that sends mail is limited per client ("/ip": allauth's client IP,
# behind ALLAUTH_TRUSTED_PROXY_COUNT proxies) and per address ("/key"). allauth's own forms
# (sign-up, password reset, verification mails), and the portal's through portal.ratelimit:
# "<form>" per client (refused with 429) and "<form>_mail" per address (the answer stays the
# same, only no mail goes out: the answer never tells whether an address was used before).
ACCOUNT_RATE_LIMITS = {
    "signup": "10/10m/ip,50/d/ip",  # per address: "confirm_email" (both mails it can send)
    "reset_password": "10/10m/ip,3/h/key",
    "confirm_email": "1/3m/key,10/d/key",
    "guest_registration": "5/10m/ip,30/d/ip",
    "guest_registration_mail": "3/h/key,6/d/key",
    # The newsletter without an account: per client, and confirmation mails per address (the
    # outbox adds a hard limit of one confirmation mail per address per day).
    "newsletter": "5/10m/ip,30/d/ip",
    "newsletter_mail": "3/h/key,6/d/key",
    # Contact forms: per client, and per sender address.
    "contact": "5/10m/ip,20/d/ip",
    "contact_mail": "3/h/key,10/d/key",
    "survey_email": "5/10m/ip,30/d/ip",
    "survey_email_mail": "3/h/key,6/d/key",
    # The confidential channel (meldpunt): reports and additions, and receipt-code attempts.
    "meldpunt_report": "3/h/ip,10/d/ip",
    "meldpunt_code": "10/10m/ip,30/d/ip",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Regionet] "
# A subclass of allauth's form (not ACCOUNT_SIGNUP_FORM_CLASS): it also shapes the known-address
# path, so that sign-up takes as long for a known address as for a new one.
ACCOUNT_FORMS = {"signup": "leden.forms.SignupForm"}
# allauth's mails go through the outbox (berichten), queued and retried like every other mail.
ACCOUNT_ADAPTER = "leden.adapter.AccountAdapter"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if not DEBUG else "http"
# Two-factor (TOTP): optional for members, required for staff and coordinators before the admin.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Regionet"
# Sessions read from the shared cache, written through to the database.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Mail --------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Regionet <noreply@regionet.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 25)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"

# --- Celery ------------------------------------------------------------------
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL or "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    for _folder in ("processed", "control"):  # kombu needs the folders to exist
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
else:
    # Time limits stay well below the visibility timeout, so a slow task is
    # killed before Redis hands it to a second worker. Short socket timeouts: a request that
    # queues a mail must not hang on a broker that is gone (the worker's BRPOP waits 1 s).
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 3600,
        "socket_connect_timeout": 1,
        "socket_timeout": 5,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ACKS_LATE = False  # set per task, only on idempotent ones
CELERY_TASK_TIME_LIMIT = 900
CELERY_TASK_SOFT_TIME_LIMIT = 840
CELERY_TIMEZONE = "Europe/Amsterdam"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Tasks that talk to the SMTP server get a queue and a worker of their own (docker-compose.yml's
# worker-mail), so a slow or unreachable mail server never holds up other work.
CELERY_TASK_ROUTES = {
    name: {"queue": "mail"}
    for name in (
        "berichten.tasks.send_mails",
        "bijeenkomsten.tasks.send_digest_batch",
        "bijeenkomsten.tasks.send_due_reminders",
        "berichten.tasks.retry_stale_mails",
        "leden.tasks.send_departure_mails",
        "nieuwsbrief.tasks.send_subscriber_digest_batch",
    )
}

# Reminder moments before a meeting's start per kind ("online" covers any online meeting).
BERICHTEN_HERINNERINGEN = {
    "default": env_list("BERICHTEN_HERINNERINGEN", "7d,1d"),
    "online": env_list("BERICHTEN_HERINNERINGEN_ONLINE", "7d,1d,1h"),
}
BERICHTEN_DIGEST_WEEKDAY = env_int("BERICHTEN_DIGEST_WEEKDAY", 0)  # 0 = Monday
BERICHTEN_DIGEST_HOUR = env_int("BERICHTEN_DIGEST_HOUR", 7)  # Europe/Amsterdam
# The professional register counts at most this many points of "other professional
# development" (no accreditation) per registration period; overviews point it out.
DEELNAME_OVERIG_MAX_PUNTEN = env_int("DEELNAME_OVERIG_MAX_PUNTEN", 40)
# Members who have not voted in a theme round are reminded this long before voting closes.
THEMAS_REMINDER_BEFORE = timedelta(days=2)
# Retention periods in days of the register of personal data (portal.personal_data): the
# nightly job forgets by these, and the privacy statement states these very numbers.
RETENTION_DAYS = {
    # guests' names and addresses with their registrations, after the meeting
    "guest_registrations": env_int("RETENTION_GUEST_REGISTRATIONS_DAYS", 91),
    # addresses and bodies of the mail log, after the mail was queued
    "mail_log": env_int("RETENTION_MAIL_LOG_DAYS", 90),
    # declined join requests, after the decline
    "declined_requests": env_int("RETENTION_DECLINED_REQUESTS_DAYS", 30),
    # accounts whose address was never confirmed, after signing up
    "unverified_accounts": env_int("RETENTION_UNVERIFIED_ACCOUNTS_DAYS", 14),
    # finished export files, after they were made
    "export_files": env_int("RETENTION_EXPORT_FILES_DAYS", 1),
    # who viewed a member's details and who exported what
    "access_log": env_int("RETENTION_ACCESS_LOG_DAYS", 365),
    # expired sessions, after they expired
    "sessions": env_int("RETENTION_SESSIONS_DAYS", 0),
    # the history of action plans (who changed what), after the change
    "actieplannen_history": env_int("RETENTION_ACTIEPLANNEN_HISTORY_DAYS", 5 * 365),
    # confirmed e-mail addresses of respondents, and which members responded, after the close
    "bevraging_emailbevestiging": env_int("RETENTION_BEVRAGING_EMAILBEVESTIGING_DAYS", 30),
    "bevraging_deelname": env_int("RETENTION_BEVRAGING_DEELNAME_DAYS", 30),
    # open answers of surveys, after the survey closed
    "bevraging_open_antwoorden": env_int("RETENTION_BEVRAGING_OPEN_ANTWOORDEN_DAYS", 730),
    # newsletter sign-ups never confirmed, and consent records of unsubscribed addresses
    "nieuwsbrief_onbevestigd": env_int("RETENTION_NIEUWSBRIEF_ONBEVESTIGD_DAYS", 7),
    "nieuwsbrief_afgemeld": env_int("RETENTION_NIEUWSBRIEF_AFGEMELD_DAYS", 365),
    # visitors' messages to networks and staff, after they were sent
    "contactberichten": env_int("RETENTION_CONTACTBERICHTEN_DAYS", 180),
    # who on the committee read which report (closed reports: the committee sets the period)
    "meldpunt_inzage": env_int("RETENTION_MELDPUNT_INZAGE_DAYS", 730),
}
# Periodic jobs find what is due in the database; nothing is queued days ahead.
from celery.schedules import crontab  # noqa: E402 (kept next to the schedule it serves)

CELERY_BEAT_SCHEDULE: dict = {
    "berichten-herinneringen": {
        "task": "bijeenkomsten.tasks.send_due_reminders",
        "schedule": 300.0,
    },
    # Theme rounds: the voting reminder two days before, and the close with its result.
    "themas-rondes": {"task": "themas.tasks.run_theme_rounds", "schedule": 900.0},
    "berichten-blijven-hangen": {"task": "berichten.tasks.retry_stale_mails", "schedule": 600.0},
    # The register of personal data's retention rules (portal.retention), every night.
    "privacy-bewaartermijnen": {
        "task": "portal.tasks.apply_retention",
        "schedule": crontab(minute="30", hour="3"),
    },
    # The digest morning: later runs only send what an earlier run missed.
    # The confidential channel: "there is a new report" at most hourly (the mail's time says
    # less about when a report came in), and the erasure of closed reports past their period.
    "meldpunt-melden": {"task": "meldpunt.tasks.notify_committee", "schedule": crontab(minute="7")},
    "meldpunt-wissen": {
        "task": "meldpunt.tasks.erase_closed_reports",
        "schedule": crontab(minute="17", hour="3"),
    },
    "berichten-nieuwsbrief": {
        "task": "bijeenkomsten.tasks.send_digests",
        "schedule": crontab(
            minute="0",
            hour=",".join(str(BERICHTEN_DIGEST_HOUR + h) for h in (0, 2, 4)),
            day_of_week=(BERICHTEN_DIGEST_WEEKDAY + 1) % 7,  # crontab counts from Sunday
        ),
    },
}
# The newsletter without an account goes out on the same digest morning.
CELERY_BEAT_SCHEDULE["nieuwsbrief-abonnees"] = {
    **CELERY_BEAT_SCHEDULE["berichten-nieuwsbrief"],
    "task": "nieuwsbrief.tasks.send_subscriber_digests",
}

# --- Confidential channel (meldpunt) ---------------------------------------------
# Fernet keys (comma-separated) that encrypt the reports' texts: the first encrypts, all
# decrypt (rotation). Production refuses to start without them; DEBUG and the tests use a key
# derived from SECRET_KEY. New key: python -c 'from cryptography.fernet import Fernet;
# print(Fernet.generate_key().decode())'
MELDPUNT_KEYS = env_list("MELDPUNT_KEYS")
if not MELDPUNT_KEYS:
    if not (DEBUG or "pytest" in sys.modules):
        raise ImproperlyConfigured("MELDPUNT_KEYS must be set when DEBUG is off.")
    _derived = hashlib.sha256(b"regionet-meldpunt-dev:" + SECRET_KEY.encode()).digest()
    MELDPUNT_KEYS = [base64.urlsafe_b64encode(_derived).decode()]

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates in each language's own order (config/formats/<lang>/formats.py, see portal.formats).
FORMAT_MODULE_PATH = ["config.formats"]
# The switch's choice, kept a year; the session is not needed for it.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- Static and media --------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Members' photos: personal data, served only through a view that checks who asks.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
# Every web node and worker must see the same files. By default the two folders above, on a
# volume all of them mount; with S3_BUCKET set, S3-compatible object storage (django-storages)
# instead. "private" holds members' photos, meeting materials and finished exports
# (portal.uploads.private_files): never a public URL, always a view that checks who asks.
S3_BUCKET = env_str("S3_BUCKET")
if S3_BUCKET:
    _s3 = {
        "bucket_name": S3_BUCKET,
        "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
        "region_name": env_str("S3_REGION") or None,
        "access_key": env_str("S3_ACCESS_KEY_ID") or None,
        "secret_key": env_str("S3_SECRET_ACCESS_KEY") or None,
        "default_acl": None,
        "file_overwrite": False,
    }
    _files = {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**_s3, "location": "media"},
        },
        "private": {
            "BACKEND": "portal.uploads.PrivateS3Storage",
            "OPTIONS": {**_s3, "location": "private"},
        },
    }
else:
    _files = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "private": {"BACKEND": "portal.uploads.PrivateFileStorage"},
    }
STORAGES = {
    **_files,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# First: stops reading a request whose file is past the limit (portal/uploads.py).
FILE_UPLOAD_HANDLERS = [
    "portal.uploads.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security ----------------------------------------------------------------
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Health checks (load balancers, compose) speak plain HTTP to gunicorn inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # allauth's rate limits count per client (the address the proxy appends to
    # X-Forwarded-For), not per proxy; without a proxy that header is ignored (spoofable).
    ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
