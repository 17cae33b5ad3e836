"""Taut's one settings module: every deployment difference comes from the environment.

See ``.env.example`` for every variable and its meaning.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

from taut.lib.env import envbool, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent.parent

DEV_SECRET_KEY = "django-insecure-taut-development-key-never-use-in-production"
SECRET_KEY = envstr("SECRET_KEY", DEV_SECRET_KEY)
DEBUG = envbool("DEBUG", False)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

# The key that chains audit events (HMAC-SHA256). Keep it outside the database.
DEV_AUDIT_HMAC_KEY = "taut-development-audit-key"
AUDIT_HMAC_KEY = envstr("AUDIT_HMAC_KEY", DEV_AUDIT_HMAC_KEY)
# The append-only file `taut worker` copies the chain head to once a minute, for
# `taut audit-verify` to notice a rolled-back or emptied log (decision 0028). Empty: none.
AUDIT_ANCHOR_PATH = envstr("AUDIT_ANCHOR_PATH", "")
# `taut backup`: the key file that encrypts archives (kept apart from them; no key, no
# backup) and the folder they are written to (decision 0034).
BACKUP_KEY_PATH = envstr("BACKUP_KEY_PATH", "")
BACKUP_DIR = envstr("BACKUP_DIR", "")
# The key that encrypts TOTP secrets at rest (Fernet, decision 0031). Empty: derived from
# SECRET_KEY. Changing it (or SECRET_KEY when it is empty) makes enrolled authenticator
# apps stop working: their owners sign in with a passkey or a recovery code and enrol again.
FIELD_ENCRYPTION_KEY = envstr("TAUT_FIELD_KEY", "")

INSTALLED_APPS = [
    "taut.admin_site.TautAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "django_tasks_db",
    "taut.audit",
    "taut.backups",
    "taut.accounts",
    "taut.patients",
    "taut.atlas",
    "taut.drawings",
    "taut.visits",
    "taut.aftercare",
    "taut.outcomes",
    "taut.portal",
    "taut.reminders",
    "taut.public",
    "taut.analytics",
    "oauth2_provider",
    "taut.smart",
    "taut.fhir",
    "taut.demo",
]

MIDDLEWARE = [
    "taut.lib.headers.permissions_policy",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "taut.portal.middleware.portal_session",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "taut.accounts.middleware.session_timeout",
    "taut.accounts.middleware.mfa_enrolment",
    "taut.accounts.middleware.clinic_time_zone",
    "taut.accounts.middleware.no_store",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "taut.urls"

WSGI_APPLICATION = "taut.wsgi.application"

# The patient portal: signed links (taut/links/__init__.py). Emails carry absolute links
# built on PORTAL_BASE_URL, the address patients reach Taut at.
PORTAL_BASE_URL = envstr("PORTAL_BASE_URL", "http://127.0.0.1:8000")
PORTAL_CHECKIN_GRACE_DAYS = envint("PORTAL_CHECKIN_GRACE_DAYS", 14)
PORTAL_HOME_DAYS = envint("PORTAL_HOME_DAYS", 30)
PORTAL_THANKS_LINK_HOURS = envint("PORTAL_THANKS_LINK_HOURS", 24)
# Refused portal links (invalid, expired, used) allowed from one address in ten minutes;
# past it the address gets "too many" (429) and no more audit rows. Valid links still open.
PORTAL_REFUSALS_PER_ADDRESS = envint("PORTAL_REFUSALS_PER_ADDRESS", 20)
# Appointment requests from a clinic's public page (taut.public): accepted per client address
# per hour and per clinic per day (counted in the database, so every process shares them);
# a request is kept this many days unless the clinic sets its own (docs/decisions/0025).
APPOINTMENT_REQUEST_PER_ADDRESS_PER_HOUR = envint("APPOINTMENT_REQUEST_PER_ADDRESS_PER_HOUR", 5)
APPOINTMENT_REQUEST_PER_CLINIC_PER_DAY = envint("APPOINTMENT_REQUEST_PER_CLINIC_PER_DAY", 200)
APPOINTMENT_REQUEST_DAYS = envint("APPOINTMENT_REQUEST_DAYS", 14)
# FHIR Bulk Data export (docs/decisions/0045-bulk-export.md): the folder its NDJSON files
# are written to (default var/fhir-export/ in the project folder; the files hold patient
# data: keep it on the encrypted volume with the database), the hours a finished export's
# files stay downloadable before the worker deletes them, and the resources per file.
FHIR_EXPORT_DIR = envstr("FHIR_EXPORT_DIR") or str(BASE_DIR / "var" / "fhir-export")
FHIR_EXPORT_HOURS = envint("FHIR_EXPORT_HOURS", 24)
FHIR_EXPORT_FILE_RESOURCES = envint("FHIR_EXPORT_FILE_RESOURCES", 100_000)

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "taut" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "taut.accounts.context.staff",
                "taut.public.context.open_requests",
            ],
            # The clinic's date formats as |day and |moment on every template.
            "builtins": ["taut.lib.dates", "taut.lib.patient_words"],
        },
    },
]

# Databases: SQLite by default (WAL, synchronous=FULL: committed work survives a
# power cut), PostgreSQL when DATABASE_URL says so.
DATABASE_URL = envstr("DATABASE_URL", f"sqlite:///{BASE_DIR / 'taut.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = SQLITE_OPTIONS
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    # PostgreSQL: no parallel plans for Taut's own connections unless asked for. Its reads
    # are small (a page of rows, a capped count); a parallel plan starts worker processes
    # that cost more than the query on a busy host (the worklist's alerts at 50,000
    # patients: 6 ms without, 17 ms with; docs/decisions/0023-production-shape.md).
    parallel = envint("DATABASE_PARALLEL_WORKERS", 0)
    # No JIT compilation either: it spent about 0.4 s compiling each of the analytics'
    # large aggregates, more than it saved (docs/decisions/0037-analytics-at-scale.md).
    DATABASES["default"]["OPTIONS"] = {
        "options": f"-c max_parallel_workers_per_gather={parallel} -c jit=off"
    }
    if envbool("DATABASE_POOL", True):
        # Django's PostgreSQL connection pool (psycopg_pool), one per process: a sync
        # gunicorn worker holds one connection at a time, the worker's threads a few more.
        # A pool replaces persistent connections (CONN_MAX_AGE must be 0) and checks a
        # connection before lending it. docs/decisions/0023-production-shape.md.
        from psycopg_pool import ConnectionPool

        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"]["OPTIONS"]["pool"] = {
            "min_size": envint("DATABASE_POOL_MIN", 1),
            "max_size": envint("DATABASE_POOL_MAX", 4),
            "timeout": envint("DATABASE_POOL_TIMEOUT", 10),
            "check": ConnectionPool.check_connection,
        }
    else:
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading the member's clinic with them (one query, not two).
    "taut.accounts.backends.StaffBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # 4.2 million breached passwords, checked offline (docs/decisions/0032).
    {"NAME": "taut.accounts.passwords.BreachedPasswordValidator"},
]
# A password reset link works once (it is signed with the password's hash) and for this
# many seconds. Default one hour.
PASSWORD_RESET_TIMEOUT = envint("PASSWORD_RESET_TIMEOUT", 60 * 60)
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "patients:list"

# Sessions: 15 minutes idle, 12 hours at most (taut.accounts.middleware enforces both).
SESSION_IDLE_SECONDS = 15 * 60
SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS
SESSION_SAVE_EVERY_REQUEST = False  # the idle stamp saves it, at most once a minute
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# A patient signed in to the portal has a session of their own, in its own cookie sent only
# to the portal's pages: never staff's (docs/decisions/0029-separate-portal-session.md).
PORTAL_SESSION_COOKIE_NAME = "taut_portal"
PORTAL_SESSION_COOKIE_PATH = "/p/"

# Login lockout: 10 failures per username and address, 15 minutes' cool-off.
# Never by address alone: a whole clinic shares one.
# Multi-factor authentication (decision 0031): TOTP, recovery codes and passkeys.
# Signing a note, changing staff or clinic settings and exporting the audit log need a
# password or second factor within this many seconds.
REAUTH_SECONDS = envint("REAUTH_SECONDS", 600)
OTP_TOTP_ISSUER = "Taut"
# Passkeys: a second factor after the password, never a login of their own; the relying
# party is the host the browser sees (taut.accounts.passkeys.Helper).
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_RP_NAME = "Taut"
OTP_WEBAUTHN_HELPER_CLASS = "taut.accounts.passkeys.Helper"
# The helper takes the relying party and origin from the request's host (ALLOWED_HOSTS
# guards it), so the library's own two settings stay empty on purpose.
SILENCED_SYSTEM_CHECKS = ["otp_webauthn.E010", "otp_webauthn.E030"]

AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The cool-off runs 15 minutes from the lockout; attempts during it do not extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "taut.lib.http.client_ip"
AXES_LOCKOUT_CALLABLE = "taut.accounts.views.lockout"
AXES_VERBOSE = False
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)

# Throttles every process shares (taut.accounts.throttles, docs/decisions/0033-throttles.md),
# for staff and portal sign-ins alike, on top of the lockout above: failed sign-ins per
# address and per username (or portal email) in a window, each counted on its own, and a
# ceiling on password hashes per second across all workers (past it: 429 with Retry-After,
# before any hash). The address limit is high: a whole clinic may share one address.
SIGN_IN_WINDOW_SECONDS = envint("SIGN_IN_WINDOW_SECONDS", 15 * 60)
SIGN_IN_FAILURES_PER_ADDRESS = envint("SIGN_IN_FAILURES_PER_ADDRESS", 50)
SIGN_IN_FAILURES_PER_USERNAME = envint("SIGN_IN_FAILURES_PER_USERNAME", 20)
PASSWORD_HASHES_PER_SECOND = envint("PASSWORD_HASHES_PER_SECOND", 8)
# Where the counts live: the database (default), or Django's cache on Redis when REDIS_URL is
# set (needs the `redis` package). Never the per-process local-memory cache.
REDIS_URL = envstr("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
THROTTLE_STORE = "cache" if REDIS_URL else "database"

# HTTPS: on in production, where Taut sits behind a TLS proxy.
HTTPS = envbool("HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if HTTPS and TRUSTED_PROXY_COUNT > 0:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
# SMART App Launch 2.0 on django-oauth-toolkit (taut.smart; docs/decisions/0043-smart-on-dot.md).
# The RSA key that signs OpenID Connect id_tokens (PEM; OIDC_RSA_PRIVATE_KEY_FILE to read
# it from a file). Empty: the development key in taut/smart/, which a deploy check refuses.
DEV_OIDC_KEY_PATH = BASE_DIR / "taut" / "smart" / "dev-oidc-key.pem"
OIDC_RSA_PRIVATE_KEY = envstr("OIDC_RSA_PRIVATE_KEY", "") or DEV_OIDC_KEY_PATH.read_text()
# Lifetimes, in seconds: an access token (default one hour) and a refresh token after its
# access token expires (default 90 days).
SMART_ACCESS_TOKEN_SECONDS = envint("SMART_ACCESS_TOKEN_SECONDS", 60 * 60)
SMART_REFRESH_TOKEN_SECONDS = envint("SMART_REFRESH_TOKEN_SECONDS", 90 * 24 * 60 * 60)
# DOT's own models, never swapped (decision 0043); named here because Taut's models point
# at them and Django's migrations ask for swappable models by these settings.
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL = "oauth2_provider.AccessToken"
OAUTH2_PROVIDER_REFRESH_TOKEN_MODEL = "oauth2_provider.RefreshToken"
OAUTH2_PROVIDER_ID_TOKEN_MODEL = "oauth2_provider.IDToken"
OAUTH2_PROVIDER_GRANT_MODEL = "oauth2_provider.Grant"
OAUTH2_PROVIDER = {
    "OAUTH2_VALIDATOR_CLASS": "taut.smart.validator.SmartValidator",
    "SCOPES_BACKEND_CLASS": "taut.smart.validator.SmartScopes",
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": OIDC_RSA_PRIVATE_KEY,
    "OIDC_RESPONSE_TYPES_SUPPORTED": ["code"],
    "OIDC_TOKEN_ENDPOINT_AUTH_METHODS_SUPPORTED": ["client_secret_basic", "private_key_jwt"],
    "OAUTH2_RESPONSE_TYPES_SUPPORTED": ["code"],
    "OAUTH2_GRANT_TYPES_SUPPORTED": ["authorization_code", "client_credentials", "refresh_token"],
    # PKCE (S256 only): on here; SmartValidator.is_pkce_required asks it of public apps and
    # leaves it to confidential ones.
    "PKCE_REQUIRED": True,
    "ACCESS_TOKEN_EXPIRE_SECONDS": SMART_ACCESS_TOKEN_SECONDS,
    "ID_TOKEN_EXPIRE_SECONDS": SMART_ACCESS_TOKEN_SECONDS,
    "REFRESH_TOKEN_EXPIRE_SECONDS": SMART_REFRESH_TOKEN_SECONDS,
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    "ROTATE_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    # Over HTTPS (production) apps must be sent back to https addresses too.
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"] if HTTPS else ["https", "http"],
    "REQUEST_APPROVAL_PROMPT": "force",
    # RFC 9700 (OAuth 2.0 Security Best Current Practice): every gate enforced; tokens are
    # kept only as their SHA-256 (the database never holds a usable token).
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": HTTPS,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
}

# Browser features, on every response (taut.lib.headers): none but copying a portal link to
# the clipboard and, for passkeys at sign-in, WebAuthn on Taut's own pages.
DENIED_FEATURES = (
    "accelerometer", "ambient-light-sensor", "autoplay", "bluetooth", "browsing-topics",
    "camera", "display-capture", "encrypted-media", "fullscreen", "gamepad", "geolocation",
    "gyroscope", "hid", "idle-detection", "local-fonts", "magnetometer", "microphone", "midi",
    "payment", "picture-in-picture", "screen-wake-lock", "serial", "storage-access", "usb",
    "web-share", "xr-spatial-tracking",
)  # fmt: skip
PERMISSIONS_POLICY: dict[str, list[str]] = {
    **{feature: [] for feature in DENIED_FEATURES},
    "clipboard-write": ["self"],
    "publickey-credentials-create": ["self"],
    "publickey-credentials-get": ["self"],
}

# Background work: Django's tasks framework with a database-backed queue
# (django-tasks-db), run by `taut worker` (docs/decisions/0006-background-worker.md).
# Emails and housekeeping on "default", PDF renders on "printing" (docs/decisions/0019-pdfs-rendered-once.md).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "printing"],
    }
}

# Reminder emails: sent at REMINDER_HOUR (clinic time) on the day a check-in is due; a
# failed send is retried REMINDER_MAX_ATTEMPTS times in all, waiting REMINDER_RETRY_SECONDS,
# then four times longer after each failure; a send claimed by a worker that stopped for
# REMINDER_STALE_SECONDS is never retried (it may have gone out) but shown on the worklist.
REMINDER_HOUR = envint("REMINDER_HOUR", 9)
REMINDER_MAX_ATTEMPTS = envint("REMINDER_MAX_ATTEMPTS", 5)
REMINDER_RETRY_SECONDS = envint("REMINDER_RETRY_SECONDS", 60)
REMINDER_STALE_SECONDS = envint("REMINDER_STALE_SECONDS", 600)

# Email through Django's mailers: "console" (default: printed by the worker), "file"
# (one file per message in EMAIL_FILE_PATH) or "smtp" (production).
EMAIL_MODE = envstr("EMAIL_BACKEND", "console")
_MAIL_BACKENDS = {
    "console": ("django.core.mail.backends.console.EmailBackend", {}),
    "file": (
        "django.core.mail.backends.filebased.EmailBackend",
        {"file_path": envstr("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))},
    ),
    "smtp": (
        "django.core.mail.backends.smtp.EmailBackend",
        {
            "host": envstr("EMAIL_HOST", "localhost"),
            "port": envint("EMAIL_PORT", 587),
            "username": envstr("EMAIL_HOST_USER"),
            "password": envstr("EMAIL_HOST_PASSWORD"),
            "use_tls": envbool("EMAIL_USE_TLS", True),
            "use_ssl": envbool("EMAIL_USE_SSL", False),
            "timeout": envint("EMAIL_TIMEOUT", 20),
        },
    ),
}
if EMAIL_MODE not in _MAIL_BACKENDS:
    raise ValueError(f"EMAIL_BACKEND must be console, file or smtp, not {EMAIL_MODE!r}")
MAILERS = {
    "default": {"BACKEND": _MAIL_BACKENDS[EMAIL_MODE][0], "OPTIONS": _MAIL_BACKENDS[EMAIL_MODE][1]}
}
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "Taut <taut@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LANGUAGE_CODE = "en-gb"
# Patient-facing pages come in English and Spanish; the staff side stays in English.
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "taut" / "locale"]
TIME_ZONE = envstr("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "taut" / "static"]
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    # Bulk Data export files (FHIR_EXPORT_DIR above; decision 0045).
    "fhir_export": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": FHIR_EXPORT_DIR,
            "directory_permissions_mode": 0o700,
            "file_permissions_mode": 0o600,
        },
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Static files are for Taut's own pages: no `Access-Control-Allow-Origin: *` on them.
WHITENOISE_ALLOW_ALL_ORIGINS = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A refused request (403, 404…) is one line, without its traceback (taut.lib.logs).
    "filters": {"refusal_without_traceback": {"()": "taut.lib.logs.RefusalWithoutTraceback"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["refusal_without_traceback"]}
    },
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    # Chatty libraries: their progress messages are not operational events.
    # django_tasks_db: `taut worker` polls in batches, each announced at INFO.
    "loggers": {
        **{
            name: {"level": "WARNING"}
            for name in ("weasyprint", "fontTools", "axes", "django_tasks_db")
        },
        # Django's own "django" logger is set to INFO by its defaults, so a task's start and
        # end ("Task id=… state=RUNNING") ignored LOG_LEVEL; they follow it here.
        "django.tasks": {"level": envstr("LOG_LEVEL", "INFO")},
    },
}
