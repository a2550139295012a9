"""One settings module, driven by environment variables (see README "Configuration").

Defaults are safe for a laptop; with DEBUG off the settings are strict: SECRET_KEY and
ALLOWED_HOSTS are required, and HTTPS-only cookies, HSTS and the SSL redirect are on.
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import environ
from cryptography.fernet import Fernet
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config import sso

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. "
            "Set DEBUG=1 for local development, or SECRET_KEY to a long random string."
        )
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_NAME = env.str("SITE_NAME", default="IMG Mentor Match")
# Where people write when they are stuck (locked out, lost their authenticator, a page fails).
# Shown in the footer and on the pages that say "contact us"; unset, they point people to
# their programme team instead.
SUPPORT_EMAIL = env.str("SUPPORT_EMAIL", default="support@example.org" if DEBUG else "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",  # where a person is signed in (accounts/sessions.py)
    "csp",
    "accounts",
    "mentorship",
    "matching",
    "journey",
    "monitoring",
    "privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.NoStoreWhenSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.StaffMFAMiddleware",
    "accounts.middleware.IdleTimeoutMiddleware",
    "config.inline_beat.InlineBeatMiddleware",
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
                "csp.context_processors.nonce",
                "accounts.context_processors.navigation",
            ],
        },
    },
]

# Every form renders with the NHS.UK frontend's markup (templates/_partials/field.html).
FORM_RENDERER = "accounts.forms.NHSFormRenderer"

# --- Database ---------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: Celery broker and cache -----------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
# Every Redis call waits at most this long to connect and this long for each reply. Without
# it a frozen Redis (accepting connections, never answering) holds a web request until
# gunicorn kills it, after the change committed. Redis answers in well under a millisecond.
REDIS_TIMEOUT_SECONDS = env.float("REDIS_TIMEOUT_SECONDS", default=0.5)
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, but a Redis that is down or frozen is a cache miss, not
            # a 500 (config/cache.py says what that costs).
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "imgm",
            "OPTIONS": {
                "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
                "socket_timeout": REDIS_TIMEOUT_SECONDS,
            },
        }
    }
else:
    # A real (per-process) cache, never the dummy one: allauth's rate limits count in it.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# `make run` has no beat process: run its jobs in-process when due (config/inline_beat.py).
INLINE_BEAT = env.bool("INLINE_BEAT", default=DEBUG and not REDIS_URL)
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"  # a host, or kombu warns on each use
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A task is acknowledged only after it ran, and re-queued if its worker dies mid-task, so
# every task must be safe to run twice (emails are guarded by a unique record).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
# Redelivery of unacknowledged tasks must wait longer than the longest task may run.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=CELERY_TASK_TIME_LIMIT * 2),
    # How often a worker looks for tasks a dead worker left unacknowledged (interval x throttle
    # seconds); the integration tests shorten it.
    "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
    "unacked_restore_throttle": env.int("CELERY_UNACKED_RESTORE_THROTTLE", default=10),
    # Bounded connect and reply waits (see REDIS_TIMEOUT_SECONDS). The worker's BRPOP is read
    # by the event loop only once Redis has answered, so it is not cut short by these.
    "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
    "socket_timeout": REDIS_TIMEOUT_SECONDS,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Europe/London"
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="celery")
# A web request that cannot reach the broker gives up quickly: one retry on a fresh connection
# (a Redis restart leaves pooled connections dead), each attempt bounded by the socket
# timeouts above, so a frozen Redis costs about 1.5 s here. Outbox emails publish with no
# retry at all (mentorship/outbox.py): they wait in the outbox for the flush instead.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_BEAT_SCHEDULE = {
    "flush-outbox": {
        "task": "mentorship.tasks.flush_outbox",
        "schedule": float(env.int("OUTBOX_FLUSH_SECONDS", default=60)),
    },
    "expire-requests": {"task": "mentorship.tasks.expire_requests", "schedule": 15 * 60.0},
    "remind-mentors": {"task": "mentorship.tasks.remind_mentors", "schedule": 60 * 60.0},
    # Hourly, but at most one digest per manager per day (from 07:00 local time).
    "manager-digests": {"task": "mentorship.tasks.send_manager_digests", "schedule": 60 * 60.0},
    # Hourly, but one needs-attention summary per manager per programme per week (Monday on).
    "weekly-summaries": {"task": "mentorship.jobs.send_weekly_summaries", "schedule": 60 * 60.0},
    # The mentorship journey (journey/jobs.py).
    "remind-planned-meetings": {
        "task": "journey.jobs.remind_planned_meetings",
        "schedule": 60 * 60.0,
    },
    "nudge-quiet-mentorships": {
        "task": "journey.jobs.nudge_quiet_mentorships",
        "schedule": 6 * 60 * 60.0,
    },
    "open-check-ins": {"task": "journey.jobs.open_check_ins", "schedule": 60 * 60.0},
    "alert-overdue-concerns": {
        "task": "journey.jobs.alert_overdue_concerns",
        "schedule": 60 * 60.0,
    },
    "outcome-surveys": {"task": "monitoring.jobs.outcome_surveys", "schedule": 24 * 60 * 60.0},
    "check-match-runs": {
        "task": "matching.tasks.check_match_runs",
        "schedule": float(env.int("MATCH_RUN_CHECK_SECONDS", default=60)),
    },
    # Download my data: delete files past DATA_EXPORT_LINK_HOURS (privacy/tasks.py).
    "expire-data-exports": {"task": "privacy.tasks.expire_data_exports", "schedule": 60 * 60.0},
    # Privacy: erase what is past its retention period (privacy/retention.py).
    "apply-retention": {"task": "privacy.jobs.apply_retention", "schedule": 24 * 60 * 60.0},
}
# A worker running a match run (or approving its proposals) records a heartbeat this often;
# with none for MATCH_RUN_WORKER_GONE_SECONDS its worker is taken to be gone (killed).
MATCH_RUN_HEARTBEAT_SECONDS = env.int("MATCH_RUN_HEARTBEAT_SECONDS", default=20)
MATCH_RUN_WORKER_GONE_SECONDS = env.int("MATCH_RUN_WORKER_GONE_SECONDS", default=120)

# --- Privacy (docs/privacy.md) ------------------------------------------------------------
# The data controller named in the privacy notice, for each deployment (an NHS trust, HEE
# region or charity running the service), and where people write to use their rights.
PRIVACY_CONTROLLER_NAME = env.str(
    "PRIVACY_CONTROLLER_NAME", default="The organisation running this service"
)
PRIVACY_CONTROLLER_ADDRESS = env.str("PRIVACY_CONTROLLER_ADDRESS", default="")
PRIVACY_CONTACT_EMAIL = env.str("PRIVACY_CONTACT_EMAIL", default=SUPPORT_EMAIL)
PRIVACY_DPO_EMAIL = env.str("PRIVACY_DPO_EMAIL", default="")
# How long a "download my data" file can be fetched after it is built.
DATA_EXPORT_LINK_HOURS = env.int("DATA_EXPORT_LINK_HOURS", default=72)
# Retention, in days, per kind of record (privacy/retention.py erases or anonymises what is
# older; the periodic job is safe to run twice).
RETENTION_DAYS = {
    "closed_accounts": env.int("RETENTION_CLOSED_ACCOUNTS_DAYS", default=30),
    "declined_applications": env.int("RETENTION_DECLINED_APPLICATIONS_DAYS", default=365),
    "ended_mentorships": env.int("RETENTION_ENDED_MENTORSHIPS_DAYS", default=6 * 365),
    "outbox_bodies": env.int("RETENTION_OUTBOX_BODIES_DAYS", default=90),
    "ended_sessions": env.int("RETENTION_ENDED_SESSIONS_DAYS", default=0),
}

# --- Accounts ---------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Django's and allauth's backends, serving the signed-in user from the cache (see below).
    "accounts.auth_backends.ModelBackend",
    "accounts.auth_backends.AuthenticationBackend",
]
# --- The session and the signed-in user without a database round trip (issue 14) -------
# Only with Redis, which every process shares: a per-process cache could not tell the other
# processes that someone signed out or changed their password. accounts/auth_backends.py
# says how a cached user is kept right; USER_CACHE_SECONDS bounds a copy's life (0: off).
USER_CACHE_SECONDS = env.int("USER_CACHE_SECONDS", default=300 if REDIS_URL else 0)
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# ASVS 2.1.1: at least 12 characters. The sign-up form's hint reads this number too.
PASSWORD_MIN_LENGTH = 12
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"

ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
ACCOUNT_FORMS = {
    "login": "accounts.account_forms.LoginForm",
    "signup": "accounts.account_forms.AllauthSignupForm",
    "add_email": "accounts.account_forms.AddEmailForm",
    "change_password": "accounts.account_forms.ChangePasswordForm",
    "set_password": "accounts.account_forms.SetPasswordForm",
    "reset_password": "accounts.account_forms.ResetPasswordForm",
    "reset_password_from_key": "accounts.account_forms.ResetPasswordKeyForm",
    "reauthenticate": "accounts.account_forms.ReauthenticateForm",
}
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Changing the authenticator or recovery codes asks for the password again unless the person
# typed it in the last 5 minutes: at sign-in (accounts.adapters.signed_in_recently) or at
# allauth's "confirm it's you" page.
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
# Email people when their password, email address or authenticator changes (allauth's and
# allauth.mfa's notifications); like every allauth email they go through the outbox.
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
SIGNUP_OPEN = env.bool("SIGNUP_OPEN", default=True)
ACCOUNT_RATE_LIMITS = {
    # allauth's defaults, written out so they are visible and reviewable.
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reset_password": "20/m/ip,5/m/key",
    "reauthenticate": "10/m/user",
    "reset_password_from_key": "20/m/ip",
    "signup": "20/m/ip",
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "confirm_email": "1/3m/key",
}
# Behind a load balancer every request comes from the balancer's address, so per-IP rate
# limits would count the whole site as one client. Tell allauth how to find the real client:
# either the number of proxies you run that append to X-Forwarded-For (the client is then that
# many entries from the right; any entries further left are the client's own and ignored), or
# a header one trusted proxy sets to the client's address (e.g. X-Real-IP, CF-Connecting-IP).
# Leave both unset when nothing sits in front of the app: the headers are then ignored, as a
# client could forge them. The security log uses the same address (docs/deployment.md).
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env.str("TRUSTED_CLIENT_IP_HEADER", default="") or None
# --- Sessions and idle timeout (docs/privacy.md) ----------------------------------------
# Managers and staff see other people's data: their session ends after this many minutes
# without a request. Everyone else keeps SESSION_COOKIE_AGE. Activity is written to the
# session (and the "where you are signed in" list) at most once a minute, not per request.
IDLE_TIMEOUT_MINUTES = env.int("IDLE_TIMEOUT_MINUTES", default=30)
# allauth's own tracking writes a row on every request; accounts.middleware does it once a
# minute instead, so allauth's is left off.
USERSESSIONS_TRACK_ACTIVITY = False
# ---
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
MFA_ADAPTER = "accounts.adapters.MFAAdapter"
MFA_FORMS = {
    "authenticate": "accounts.account_forms.AuthenticateForm",
    "reauthenticate": "accounts.account_forms.MFAReauthenticateForm",
    "activate_totp": "accounts.account_forms.ActivateTOTPForm",
    "deactivate_totp": "accounts.account_forms.DeactivateTOTPForm",
    "generate_recovery_codes": "accounts.account_forms.GenerateRecoveryCodesForm",
}
# TOTP keys and recovery-code seeds are stored encrypted with these Fernet keys: the first
# encrypts, all decrypt (rotation: docs/deployment.md). Like SECRET_KEY, required in production;
# in debug a key is derived from SECRET_KEY so that a laptop needs no set-up.
MFA_ENCRYPTION_KEYS = env.list("MFA_ENCRYPTION_KEYS", default=[])
if not MFA_ENCRYPTION_KEYS:
    if not DEBUG:
        raise ImproperlyConfigured(
            "MFA_ENCRYPTION_KEYS must be set when DEBUG is off. Make a key with: python -c "
            "'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
        )
    MFA_ENCRYPTION_KEYS = [
        base64.urlsafe_b64encode(
            hashlib.sha256(b"mfa-secrets:" + SECRET_KEY.encode()).digest()
        ).decode()
    ]
for _key in MFA_ENCRYPTION_KEYS:
    try:
        Fernet(_key)
    except ValueError:
        raise ImproperlyConfigured(
            "MFA_ENCRYPTION_KEYS holds a value that is not a Fernet key (32 url-safe "
            "base64-encoded bytes). Make one with Fernet.generate_key()."
        ) from None

# --- Single sign-on (docs/sso.md) ----------------------------------------------------------
# Microsoft Entra ID and one generic OpenID Connect provider, each on only when its variables
# are set (config/sso.py). The rules (no takeover by a matching email, verified email only,
# allowed domains, MFA for managers and staff) are in accounts/sso.py.
INSTALLED_APPS += [
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.microsoft",
]
SOCIALACCOUNT_PROVIDERS = sso.providers(env.ENVIRON)
SOCIALACCOUNT_ADAPTER = "accounts.sso.SocialAccountAdapter"
SOCIALACCOUNT_FORMS = {
    "signup": "accounts.sso_forms.SocialSignupForm",
    "disconnect": "accounts.sso_forms.DisconnectForm",
}
# A provider's account is never joined to an existing account because the addresses match:
# the person signs in with their password first and links it from "Sign-in connections",
# after confirming it is them.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_REAUTHENTICATION_REQUIRED = True
# New accounts fill in the project's sign-up form (their name) rather than being made at once.
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_REQUIRED = True
SOCIALACCOUNT_LOGIN_ON_GET = False  # the buttons POST, so a link elsewhere cannot start one
SOCIALACCOUNT_STORE_TOKENS = False  # we only need to know who it is, not to call their APIs
SOCIALACCOUNT_REQUESTS_TIMEOUT = env.int("SSO_REQUESTS_TIMEOUT", default=10)
# Sign-up through SSO only for addresses at these domains (empty: any). Signing in to an
# account already linked is not affected.
SSO_ALLOWED_DOMAINS = [d.lower().lstrip("@") for d in env.list("SSO_ALLOWED_DOMAINS", default=[])]
# A provider's `amr` claim holding any of these means it checked a second factor itself, so a
# manager or staff member is not asked for their authenticator code as well. Empty: always ask.
SSO_MFA_AMR_VALUES = env.list("SSO_MFA_AMR_VALUES", default=["mfa"])
SSO_FORM_ACTION_ORIGINS = sso.form_action_origins(SOCIALACCOUNT_PROVIDERS, env.ENVIRON)

# --- Email ------------------------------------------------------------------------------
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="IMG Mentor Match <noreply@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# Outbox delivery: attempts before an email is marked failed, and the backoff between them.
EMAIL_MAX_ATTEMPTS = env.int("EMAIL_MAX_ATTEMPTS", default=6)
EMAIL_RETRY_BASE_SECONDS = env.int("EMAIL_RETRY_BASE_SECONDS", default=60)
EMAIL_RETRY_MAX_SECONDS = env.int("EMAIL_RETRY_MAX_SECONDS", default=60 * 60)
# A row still "sending" after this long belonged to a worker that died mid-send.
EMAIL_SENDING_TIMEOUT_SECONDS = env.int("EMAIL_SENDING_TIMEOUT_SECONDS", default=10 * 60)

# --- Internationalisation ---------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_MANIFEST = env.bool("STATIC_MANIFEST", default=not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- Security ---------------------------------------------------------------------------
# HTTPS defaults to on whenever DEBUG is off; HTTPS=0 is for a plain-HTTP test server only.
HTTPS = env.bool("HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_AGE = 60 * 60 * 12

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        # Sign-in buttons are forms redirected to the SSO providers (see SSO above).
        "form-action": [SELF, *SSO_FORM_ACTION_ORIGINS],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- Logging ----------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
