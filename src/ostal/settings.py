"""Ostal settings: 12-factor, environment-driven, with safe embedded defaults.

Two profiles, chosen by ``OSTAL_PROFILE``:

* ``embedded`` (default): SQLite, local files, a SQLite-backed job queue, local-memory
  cache. Runs with no other service; meant for development, demos and tests.
* ``production``: PostgreSQL, Redis (cache, sessions, job queue), S3 storage for media
  (``OSTAL_S3_BUCKET``; ``check --deploy`` flags its absence), secure cookies, HSTS and
  CSP. Refuses to start with a default or weak secret key.

Every variable is documented in ``docs/env.md``.
"""

from __future__ import annotations

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent  # src/ostal
REPO_DIR = BASE_DIR.parent.parent

env = environ.Env()

PROFILE = env.str("OSTAL_PROFILE", default="embedded")
if PROFILE not in {"embedded", "production"}:
    raise ImproperlyConfigured(f"OSTAL_PROFILE must be 'embedded' or 'production', not {PROFILE!r}")
PRODUCTION = PROFILE == "production"

VAR_DIR = Path(env.str("OSTAL_VAR_DIR", default=str(REPO_DIR / "var")))
if not PRODUCTION:
    # Embedded mode keeps its SQLite files (database, job queue) and media here.
    VAR_DIR.mkdir(parents=True, exist_ok=True)

# --- Secrets -----------------------------------------------------------------------------
_EMBEDDED_SECRET = "embedded-only-insecure-key-never-use-in-production-0123456789abcdef"  # noqa: S105
SECRET_KEY = env.str("OSTAL_SECRET_KEY", default=_EMBEDDED_SECRET)
if PRODUCTION and (
    SECRET_KEY == _EMBEDDED_SECRET or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5
):
    raise ImproperlyConfigured(
        "OSTAL_SECRET_KEY must be set to a random value of at least 50 characters in production."
    )
# Key used to pseudonymise user ids in audience events (DNMA). Set it separately in
# production so that rotating SECRET_KEY does not change every pseudonym (it defaults to
# SECRET_KEY only for convenience).
AUDIENCE_PSEUDONYM_KEY = env.str("OSTAL_AUDIENCE_PSEUDONYM_KEY", default=SECRET_KEY)

DEBUG = env.bool("OSTAL_DEBUG", default=False)
ALLOWED_HOSTS = env.list(
    "OSTAL_ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env.list("OSTAL_CSRF_TRUSTED_ORIGINS", default=[])

# --- Applications ------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_filters",
    "huey.contrib.djhuey",
    "axes",
    "csp",
    "django_htmx",
    "template_partials",
    "rules.apps.AutodiscoverRulesConfig",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "ostal.sso.cas_app.CasServerConfig",
    "djangosaml2",
    "oauth2_provider",
    # Ostal
    "ostal.core",
    "ostal.territory",
    "ostal.directory",
    "ostal.accounts",
    "ostal.web",
    "ostal.api",
    "ostal.feed",
    "ostal.sso",
    "ostal.federation",
    "ostal.oidc",
    "ostal.pilotage",
    "ostal.timetable",
    "ostal.homework",
    "ostal.messaging",
    "ostal.notifications",
    "ostal.administration",
    "ostal.news",
    "ostal.push",
    "ostal.agenda",
    "ostal.evaluation",
    "ostal.vie_scolaire",
    "ostal.documents",
    "ostal.gar",
]
# django-cas-server's own migrations lag behind its models (dependencies.md §3.1): Ostal
# keeps a generated history for it.
MIGRATION_MODULES = {"cas_server": "ostal.sso.vendor_migrations.cas_server"}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "ostal.accounts.middleware.SessionGateMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "ostal.web.middleware.ActiveContextMiddleware",
    # NUL bytes in the path, query string, form values or JSON strings: 400 before any view.
    "ostal.core.middleware.RejectNulMiddleware",
    "ostal.pilotage.middleware.DeploymentGateMiddleware",
    "ostal.core.audience.AudienceMiddleware",
    # After a logout: Clear-Site-Data (docs/pwa-push.md).
    "ostal.push.middleware.ClearSiteDataMiddleware",
    # AxesMiddleware must be last: it turns lockouts into the generic lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ostal.urls"
WSGI_APPLICATION = "ostal.wsgi.application"
AUTH_USER_MODEL = "directory.Person"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ostal.web.context_processors.shell",
                "ostal.messaging.context_processors.messaging",
            ],
        },
    },
]

# --- Database ----------------------------------------------------------------------------
_default_db = "postgres:///ostal" if PRODUCTION else f"sqlite:///{VAR_DIR / 'ostal.sqlite3'}"
DATABASES = {"default": env.db_url("DATABASE_URL", default=_default_db)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + IMMEDIATE transactions: the web process and the job worker write concurrently
    # without "database is locked" errors.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
        ),
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("OSTAL_DB_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, sessions ---------------------------------------------------------------------
REDIS_URL = env.str("OSTAL_REDIS_URL", default="redis://127.0.0.1:6379/0" if PRODUCTION else "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env.int("OSTAL_SESSION_AGE", default=8 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Background jobs (huey) --------------------------------------------------------------
HUEY_IMMEDIATE = env.bool("OSTAL_JOBS_IMMEDIATE", default=False)
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "ostal",
        "url": REDIS_URL,
        "immediate": HUEY_IMMEDIATE,
        "results": False,
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "ostal",
        "filename": str(VAR_DIR / "jobs.sqlite3"),
        "immediate": HUEY_IMMEDIATE,
    }

# --- Authentication ----------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "ostal.federation.backends.FederationBackend",
]
# argon2id tuned for 2-core hosts (~66 ms, 46 MiB per hash; see ostal/accounts/hashers.py).
# Older hashes (Django's argon2 parameters, PBKDF2) are re-hashed at the next login.
PASSWORD_HASHERS = [
    "ostal.accounts.hashers.TunedArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Password policy by profile (pupils 8, parents 10, staff 12 + 3 kinds of character; never
# an activation code): see ``ostal.accounts.passwords`` and docs/accounts-life.md.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "ostal.accounts.passwords.ProfileLengthValidator"},
    {"NAME": "ostal.accounts.passwords.StaffCharacterClassesValidator"},
    {"NAME": "ostal.accounts.passwords.PersonalDataValidator"},
    {"NAME": "ostal.accounts.passwords.ActivationCodeValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"

# Lockout (django-axes): per account *and* per address, so one attacker cannot lock a
# whole school out from one address, nor spray one account from many addresses.
AXES_FAILURE_LIMIT = env.int("OSTAL_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("OSTAL_LOGIN_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username"], ["ip_address", "user_agent"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_IPWARE_PROXY_COUNT = env.int("OSTAL_PROXY_COUNT", default=0)
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False
# Per-address limits on the login POST (django-ratelimit, on the shared cache), on top of
# axes: one address trying many accounts (with any user agent) is slowed. A whole school
# may sit behind one address, hence generous defaults. Refusals show the lockout page.
OSTAL_LOGIN_RATE_PER_ADDRESS = env.str("OSTAL_LOGIN_RATE_PER_ADDRESS", default="120/m")
OSTAL_LOGIN_FAILURES_PER_ADDRESS = env.str("OSTAL_LOGIN_FAILURES_PER_ADDRESS", default="30/10m")
# Second factor: wrong codes allowed per account before a pause (plus django-otp's own
# growing delay per device).
OSTAL_MFA_FAILURES_PER_ACCOUNT = env.str("OSTAL_MFA_FAILURES_PER_ACCOUNT", default="10/15m")
# Second factor enforced for school, collectivité and region admins and operators (the
# gate middleware). Only the test settings turn it off (tests of the gate turn it on).
OSTAL_MFA_ENFORCED = env.bool("OSTAL_MFA_ENFORCED", default=True)
OTP_TOTP_ISSUER = env.str("OSTAL_MFA_ISSUER", default="Ostal")
# Sessions: "last seen" is written at most once every this many minutes per session.
OSTAL_SESSION_TOUCH_MINUTES = env.int("OSTAL_SESSION_TOUCH_MINUTES", default=5)
# The device cookie (signed random id, HttpOnly, SameSite=Lax) recognises known devices.
OSTAL_DEVICE_COOKIE_NAME = "__Host-ostal_device" if PRODUCTION else "ostal_device"
OSTAL_DEVICE_COOKIE_DAYS = env.int("OSTAL_DEVICE_COOKIE_DAYS", default=400)

# --- Internationalisation ----------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("oc", _("Occitan"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# --- Static and media --------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Embedded mode serves static files straight from the apps (no collectstatic step).
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("OSTAL_MEDIA_ROOT", default=str(VAR_DIR / "media")))
_s3_bucket = env.str("OSTAL_S3_BUCKET", default="")
STORAGES = {
    "default": (
        {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": _s3_bucket,
                "endpoint_url": env.str("OSTAL_S3_ENDPOINT_URL", default="") or None,
                "region_name": env.str("OSTAL_S3_REGION", default="") or None,
                "default_acl": None,
                "querystring_auth": True,
                "file_overwrite": False,
            },
        }
        if _s3_bucket
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Security headers --------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("OSTAL_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("OSTAL_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-ostal_session"
    CSRF_COOKIE_NAME = "__Host-ostal_csrf"
# Content Security Policy (django-csp 4): no inline script, no third-party origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- API ---------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Bearer first: unauthenticated calls then get 401 with ``WWW-Authenticate: Bearer``.
        "ostal.api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON nested at most ostal.api.parsers.MAX_DEPTH levels deep (400 beyond).
    "DEFAULT_PARSER_CLASSES": [
        "ostal.api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "ostal.api.errors.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Ostal API",
    "DESCRIPTION": "API JSON de l'ENT Ostal (applications mobiles et partenaires).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # One name for a choice set used by several serializers.
    "ENUM_NAME_OVERRIDES": {"OrderStateEnum": "ostal.pilotage.models.Order.State"},
    # ``<id:…>`` (ostal.core.params.IdConverter): a positive 64-bit key.
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "maximum": 2**63 - 1}},
    # Every operation documents its error answers in the one error shape (api/schema.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "ostal.api.schema.document_errors",
    ],
}

# --- E-mail ------------------------------------------------------------------------------
EMAIL_BACKEND = env.str(
    "OSTAL_EMAIL_BACKEND",
    default=(
        "django.core.mail.backends.smtp.EmailBackend"
        if PRODUCTION
        else "django.core.mail.backends.console.EmailBackend"
    ),
)
EMAIL_HOST = env.str("OSTAL_EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("OSTAL_EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("OSTAL_EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("OSTAL_EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("OSTAL_EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("OSTAL_FROM_EMAIL", default="ne-pas-repondre@ostal.invalid")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Ostal -------------------------------------------------------------------------------
# Audience events are buffered and written in batches (never one write per request).
AUDIENCE_BUFFER_SIZE = env.int("OSTAL_AUDIENCE_BUFFER_SIZE", default=200)
AUDIENCE_FLUSH_SECONDS = env.int("OSTAL_AUDIENCE_FLUSH_SECONDS", default=30)
# Name of the deployment shown in the shell ("Ostal" by default; a region may rename it).
# --- Directory feed (AAF) ------------------------------------------------------------------
# Import "personnes en charge" (legal level 2) as relatives, not only legal representatives.
OSTAL_AAF_PERSONS_IN_CHARGE = env.bool("OSTAL_AAF_PERSONS_IN_CHARGE", default=False)
# Where deliveries arrive: one sub-directory per source code (``<inbox>/ac-montpellier/``);
# the nightly job imports the newest delivery of each.
OSTAL_AAF_INBOX = Path(env.str("OSTAL_AAF_INBOX", default=str(VAR_DIR / "aaf")))
# RGPD: personal data is erased this many days after a person loses their account.
OSTAL_DIRECTORY_RETENTION_DAYS = env.int("OSTAL_DIRECTORY_RETENTION_DAYS", default=90)

# Connection logs (security events) are kept one year (RGPD, SDET), then purged nightly.
SECURITY_EVENT_RETENTION_DAYS = env.int("OSTAL_SECURITY_EVENT_RETENTION_DAYS", default=365)
OSTAL_SITE_NAME = env.str("OSTAL_SITE_NAME", default="Ostal")
# Accessibility statement (/accessibilite/, article 47 of loi 2005-102): who publishes the
# service, and the address where people report an accessibility problem.
OSTAL_ACCESSIBILITY_PUBLISHER = env.str("OSTAL_ACCESSIBILITY_PUBLISHER", default="")
OSTAL_ACCESSIBILITY_CONTACT = env.str("OSTAL_ACCESSIBILITY_CONTACT", default="")
# RGPD pages (/rgpd/, ostal.administration): the data protection officer's contact, and
# the publisher and host named in the legal notices (mentions légales).
OSTAL_DPO_NAME = env.str("OSTAL_DPO_NAME", default="")
OSTAL_DPO_CONTACT = env.str("OSTAL_DPO_CONTACT", default="")
OSTAL_LEGAL_PUBLISHER = env.str("OSTAL_LEGAL_PUBLISHER", default="")
OSTAL_LEGAL_PUBLICATION_DIRECTOR = env.str("OSTAL_LEGAL_PUBLICATION_DIRECTOR", default="")
OSTAL_LEGAL_HOST = env.str("OSTAL_LEGAL_HOST", default="")
# Territory data file loaded by `manage.py load_territory` (another region: another file).
OSTAL_TERRITORY_FILE = env.str(
    "OSTAL_TERRITORY_FILE", default=str(BASE_DIR / "territory" / "data" / "occitanie.json")
)

# --- Account life, login, MFA, sessions (ostal.accounts) ----------------------------------
# Account life (activation, reset, e-mail; docs/accounts-life.md). Rates are django-ratelimit
# rates ("count/period", period s, m, h or d, optionally with a multiplier: "10/15m").
OSTAL_ACTIVATION_RATE_PER_ADDRESS = env.str("OSTAL_ACTIVATION_RATE_PER_ADDRESS", default="30/h")
OSTAL_ACTIVATION_RATE_PER_LOGIN = env.str("OSTAL_ACTIVATION_RATE_PER_LOGIN", default="5/15m")
OSTAL_RESET_RATE_PER_ADDRESS = env.str("OSTAL_RESET_RATE_PER_ADDRESS", default="20/h")
OSTAL_RESET_RATE_PER_IDENTIFIER = env.str("OSTAL_RESET_RATE_PER_IDENTIFIER", default="3/h")
OSTAL_PASSWORD_CHECK_RATE = env.str("OSTAL_PASSWORD_CHECK_RATE", default="10/h")
# Seconds a verified activation code stays valid while the person chooses a password.
OSTAL_ACTIVATION_STEP_SECONDS = env.int("OSTAL_ACTIVATION_STEP_SECONDS", default=900)
# Seconds an e-mail confirmation link stays valid (48 h).
OSTAL_EMAIL_CONFIRM_SECONDS = env.int("OSTAL_EMAIL_CONFIRM_SECONDS", default=48 * 3600)
# Seconds a password reset link (sent to a confirmed e-mail) stays valid.
PASSWORD_RESET_TIMEOUT = env.int("OSTAL_PASSWORD_RESET_SECONDS", default=3600)

# --- CAS server (ostal.sso) ---------------------------------------------------------------
CAS_NEW_VERSION_HTML_WARNING = False
CAS_NEW_VERSION_EMAIL_WARNING = False
CAS_SHOW_POWERED = False
# Ostal's login authenticates (ADR 0009); this class only says who the person is.
CAS_AUTH_CLASS = "ostal.sso.auth.PersonAttributes"
CAS_SHOW_SERVICE_MESSAGES = False
# A service ticket must be validated within this many seconds (CAS spec: short).
CAS_TICKET_VALIDITY = env.int("OSTAL_CAS_TICKET_VALIDITY", default=60)
# CAS sessions live as long as the Ostal session that opened them (ended on logout, purged
# once that session is gone or idle for SESSION_COOKIE_AGE), not a fixed time after login.
CAS_TGT_VALIDITY = None
CAS_SLO_TIMEOUT = env.int("OSTAL_CAS_SLO_TIMEOUT", default=5)
# CA bundle trusted for proxy callbacks (pgtUrl); empty = the system's CAs.
CAS_PROXY_CA_CERTIFICATE_PATH = env.str("OSTAL_CAS_PROXY_CA_CERTIFICATE_PATH", default="") or True

# --- SAML service provider: EduConnect, académie portals (ostal.federation) ---------------
# Identity providers trusted for login (docs/federation.md, ADR 0010): deployment
# configuration, not database rows. Each needs its metadata file (its signing certificate)
# in OSTAL_SAML_METADATA_DIR; without it, its button says "unavailable".
OSTAL_SAML_IDPS = [
    {
        "key": "educonnect",
        "kind": "educonnect",
        "label": "ÉduConnect",
        "audience": "Élèves et parents d'élèves",
        "metadata": "educonnect.xml",
    },
    {
        "key": "agents-montpellier",
        "kind": "agents",
        "label": "Portail des personnels de l'académie de Montpellier",
        "audience": "Personnels de l'académie de Montpellier",
        "metadata": "agents-montpellier.xml",
        "source": "ac-montpellier",
    },
    {
        "key": "agents-toulouse",
        "kind": "agents",
        "label": "Portail des personnels de l'académie de Toulouse",
        "audience": "Personnels de l'académie de Toulouse",
        "metadata": "agents-toulouse.xml",
        "source": "ac-toulouse",
    },
]
OSTAL_SAML_METADATA_DIR = Path(env.str("OSTAL_SAML_METADATA_DIR", default=str(VAR_DIR / "saml")))
# The SP's public base URL: its entity ID is <base>/saml2/metadata/, its ACS <base>/saml2/acs/.
OSTAL_SAML_BASE_URL = env.str(
    "OSTAL_SAML_BASE_URL", default="" if PRODUCTION else "http://127.0.0.1:8000"
)
# SP key pair (signs AuthnRequests, decrypts assertions). Embedded mode generates a
# self-signed pair there on first use; production must provide it (check ostal.W010).
OSTAL_SAML_KEY_FILE = Path(
    env.str("OSTAL_SAML_KEY_FILE", default=str(VAR_DIR / "saml-sp" / "sp-key.pem"))
)
OSTAL_SAML_CERT_FILE = Path(
    env.str("OSTAL_SAML_CERT_FILE", default=str(VAR_DIR / "saml-sp" / "sp-cert.pem"))
)
OSTAL_SAML_XMLSEC_BINARY = env.str("OSTAL_SAML_XMLSEC_BINARY", default="/usr/bin/xmlsec1")
# Assertions must always be signed; the Response element too unless this is turned off
# (for an identity provider that signs assertions only).
OSTAL_SAML_WANT_RESPONSE_SIGNED = env.bool("OSTAL_SAML_WANT_RESPONSE_SIGNED", default=True)
# A first federated login activates a never-activated account (the IdP authenticated the
# person); the charter must still be accepted.
OSTAL_SAML_ACTIVATES_ACCOUNTS = env.bool("OSTAL_SAML_ACTIVATES_ACCOUNTS", default=True)
# The version of the charter of use in force: raising it asks everyone to accept it again
# at their next login (docs/accounts-life.md).
OSTAL_CHARTER_VERSION = env.int("OSTAL_CHARTER_VERSION", default=1)
# FrEduCtRefId académie codes that are not an académie of the territory (Source.academy).
OSTAL_SAML_EDUCONNECT_SOURCES = {"98": "agri-occitanie"}
SAML_CONFIG_LOADER = "ostal.federation.config.sp_config"
SAML_DEFAULT_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
SAML_CREATE_UNKNOWN_USER = False
SAML_SESSION_COOKIE_NAME = "__Host-ostal_saml" if PRODUCTION else "ostal_saml"
SAML_SESSION_COOKIE_SAMESITE = "None"

# --- OIDC / OAuth2 provider (ostal.oidc) --------------------------------------------------
# RFC 9700 (OAuth 2.0 security BCP) throughout: no implicit or password grant, PKCE S256
# required, tokens stored hashed, refresh-token replay revokes the family, https only
# (native apps: per-application private-use schemes and loopback, see docs/oidc.md).
# Ostal's own application model carries the runtime rules (ADR 0011).
OAUTH2_PROVIDER_APPLICATION_MODEL = "oidc.Client"
OSTAL_OIDC_ENABLED = env.bool("OSTAL_OIDC_ENABLED", default=True)
# The RSA key signing ID tokens (PEM). Embedded mode creates one in VAR_DIR on first start;
# production must point at its own (deploy check ostal.W011).
OSTAL_OIDC_KEY_FILE = env.str(
    "OSTAL_OIDC_KEY_FILE", default="" if PRODUCTION else str(VAR_DIR / "oidc-rsa.pem")
)
# Retired keys still published in the JWKS while tokens they signed may be in use.
OSTAL_OIDC_OLD_KEY_FILES = env.list("OSTAL_OIDC_OLD_KEY_FILES", default=[])


def _oidc_keys() -> tuple[str, list[str]]:
    from ostal.oidc.keys import private_key_load

    if not (OSTAL_OIDC_ENABLED and OSTAL_OIDC_KEY_FILE):
        return "", []
    try:
        return (
            private_key_load(Path(OSTAL_OIDC_KEY_FILE), create=not PRODUCTION),
            [private_key_load(Path(p), create=False) for p in OSTAL_OIDC_OLD_KEY_FILES],
        )
    except (OSError, ValueError) as exc:
        raise ImproperlyConfigured(f"OSTAL_OIDC_KEY_FILE: cannot read the key ({exc})") from exc


_OIDC_KEY, _OIDC_OLD_KEYS = _oidc_keys()
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": bool(_OIDC_KEY),
    "OIDC_RSA_PRIVATE_KEY": _OIDC_KEY,
    "OIDC_RSA_PRIVATE_KEYS_INACTIVE": _OIDC_OLD_KEYS,
    # Empty: the issuer is derived from the request (``https://<host>/o``).
    "OIDC_ISS_ENDPOINT": env.str("OSTAL_OIDC_ISSUER", default=""),
    "OAUTH2_SERVER_CLASS": "ostal.oidc.server.Server",
    "OAUTH2_VALIDATOR_CLASS": "ostal.oidc.validators.OstalValidator",
    "SCOPES_BACKEND_CLASS": "ostal.oidc.scopes.ClientScopes",
    # Without a signing key there is no OpenID Connect: ``openid`` is then refused as an
    # unknown scope rather than failing when the ID token should be signed.
    "SCOPES": {
        **({"openid": _("Vous identifier (votre identifiant Ostal)")} if _OIDC_KEY else {}),
        "profile": _("Connaître vos nom, prénom, identifiant de connexion et date de naissance"),
        "email": _("Connaître votre adresse électronique confirmée"),
        "ostal": _("Connaître votre profil, vos établissements et vos classes"),
        "api": _("Utiliser l'ENT en votre nom (application mobile)"),
    },
    "DEFAULT_SCOPES": ["openid"] if _OIDC_KEY else [],
    "OIDC_RESPONSE_TYPES_SUPPORTED": ["code"],
    "OAUTH2_RESPONSE_TYPES_SUPPORTED": ["code"],
    "OAUTH2_GRANT_TYPES_SUPPORTED": ["authorization_code", "refresh_token"],
    "OIDC_TOKEN_ENDPOINT_AUTH_METHODS_SUPPORTED": [
        "client_secret_basic",
        "client_secret_post",
        "none",
    ],
    "OAUTH2_TOKEN_ENDPOINT_AUTH_METHODS_SUPPORTED": [
        "client_secret_basic",
        "client_secret_post",
        "none",
    ],
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    "ACCESS_TOKEN_EXPIRE_SECONDS": 3600,
    "ID_TOKEN_EXPIRE_SECONDS": 3600,
    "REFRESH_TOKEN_EXPIRE_SECONDS": 30 * 24 * 3600,
    "PKCE_REQUIRED": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
    "ALLOW_URI_WILDCARDS": False,
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
}

# --- Timetable and cahier de textes (ostal.timetable, ostal.homework) ----------------------
# School-holiday zone of the ministry's calendar (Montpellier and Toulouse are zone C).
OSTAL_SCHOOL_HOLIDAY_ZONE = env.str("OSTAL_SCHOOL_HOLIDAY_ZONE", default="C")
# Largest attachment of a cahier de textes entry, in bytes (default 10 MB).
OSTAL_HOMEWORK_MAX_UPLOAD = env.int("OSTAL_HOMEWORK_MAX_UPLOAD", default=10 * 1024 * 1024)

# --- Messaging (ostal.messaging) -----------------------------------------------------------
# Sends allowed per account and hour; beyond, refused and the school's admins alerted.
MESSAGING_MAX_PER_HOUR = env.int("OSTAL_MESSAGING_MAX_PER_HOUR", default=30)
# News items an author may publish or submit per hour (issue 17, item 6).
NEWS_MAX_PER_HOUR = env.int("OSTAL_NEWS_MAX_PER_HOUR", default=10)
# More recipients than this is a broadcast (staff only), as is any list (class, staff).
MESSAGING_BROADCAST_THRESHOLD = env.int("OSTAL_MESSAGING_BROADCAST_THRESHOLD", default=10)
# Messages per page of a mailbox.
MESSAGING_PAGE_SIZE = env.int("OSTAL_MESSAGING_PAGE_SIZE", default=25)
# Largest attachment of a message, in bytes (default 10 MB); at most 5 per message.
MESSAGING_MAX_ATTACHMENT = env.int("OSTAL_MESSAGING_MAX_ATTACHMENT", default=10 * 1024 * 1024)
# Days a message stays in a trash before the nightly purge deletes it.
MESSAGING_TRASH_DAYS = env.int("OSTAL_MESSAGING_TRASH_DAYS", default=30)
# Storage per person, in MB (attachments of what they keep: received, sent, drafts, trash);
# over it, sends and new attachments are refused, receiving never is. 0 = no quota.
MESSAGING_QUOTA_MB = env.int("OSTAL_MESSAGING_QUOTA_MB", default=200)
# Antivirus: attachments are streamed (INSTREAM) to clamd over its Unix socket by a job and
# stay in quarantine until clamd answers (docs/messaging.md, "Attachments").
MESSAGING_CLAMD_SOCKET = env.str("OSTAL_CLAMD_SOCKET", default="/var/run/clamav/clamd.ctl")
# Seconds to wait for clamd (connection, then each read and write).
MESSAGING_CLAMD_TIMEOUT = env.int("OSTAL_CLAMD_TIMEOUT", default=60)
# An attachment still waiting for its scan this many minutes after its message was created
# is queued again by the sweep (clamd was down, the job was lost).
MESSAGING_SCAN_RETRY_MINUTES = env.int("OSTAL_MESSAGING_SCAN_RETRY_MINUTES", default=10)

# --- Espace documentaire (ostal.documents) ------------------------------------------------
# Quota of each person's own space, in MB, by profile (0 = no quota): pupils, parents, staff
# (every other profile). Trash included; over it, uploads are refused (docs/documents.md).
DOCUMENTS_QUOTA_MB_PUPIL = env.int("OSTAL_DOCUMENTS_QUOTA_MB_PUPIL", default=500)
DOCUMENTS_QUOTA_MB_RELATIVE = env.int("OSTAL_DOCUMENTS_QUOTA_MB_RELATIVE", default=200)
DOCUMENTS_QUOTA_MB_STAFF = env.int("OSTAL_DOCUMENTS_QUOTA_MB_STAFF", default=2048)
# Largest file, in bytes (default 100 MB).
DOCUMENTS_MAX_UPLOAD = env.int("OSTAL_DOCUMENTS_MAX_UPLOAD", default=100 * 1024 * 1024)
# Days a file or folder stays in the trash before the nightly purge deletes it.
DOCUMENTS_TRASH_DAYS = env.int("OSTAL_DOCUMENTS_TRASH_DAYS", default=30)
# Rows (folders then files) on one page of a folder's listing, on the page and in the API.
DOCUMENTS_PAGE_SIZE = env.int("OSTAL_DOCUMENTS_PAGE_SIZE", default=50)

# --- Notifications (ostal.notifications) --------------------------------------------------
# Public address of the ENT, used in the links of e-mails sent by background jobs (the
# digest of new messages), where no request tells the host. Defaults to the SAML base URL.
OSTAL_PUBLIC_URL = env.str("OSTAL_PUBLIC_URL", default=OSTAL_SAML_BASE_URL)

# --- Pilotage of the groupement (ostal.pilotage) ------------------------------------------
# A school's users see a "not open" page instead of the services while no current
# deployment order covers their school (docs/pilotage.md).
PILOTAGE_DEPLOYMENT_GATE = env.bool("OSTAL_PILOTAGE_DEPLOYMENT_GATE", default=True)
PILOTAGE_GATE_CACHE_SECONDS = env.int("OSTAL_PILOTAGE_GATE_CACHE_SECONDS", default=60)
# "/compte/" is the person's account page and its notification settings
# ("/compte/notifications/"): account pages stay reachable in an undeployed school, and so
# does the accessibility statement that every footer links to.
PILOTAGE_GATE_EXEMPT_PREFIXES = [
    "/comptes/", "/compte/", "/contexte/", "/pilotage/", "/api/", "/admin/", "/static/",
    "/healthz", "/cas/", "/saml2/", "/o/", "/accessibilite/", "/rgpd/",
    "/sw.js", "/manifest.webmanifest", "/hors-ligne/",
]  # fmt: skip
# Consultation reminders: members (and the coordinator) are e-mailed from this many days
# before their deadline.
PILOTAGE_REMINDER_DAYS = env.int("OSTAL_PILOTAGE_REMINDER_DAYS", default=3)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("OSTAL_LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
CSRF_FAILURE_VIEW = "ostal.web.views.csrf_failure"

# --- Installable app and Web Push (ostal.push) --------------------------------------------
# The VAPID private key (PEM, EC P-256) that signs pushes (docs/pwa-push.md). Embedded mode
# creates one in VAR_DIR on first use; production must provide it.
OSTAL_PUSH_VAPID_PRIVATE_KEY_FILE = env.str(
    "OSTAL_PUSH_VAPID_PRIVATE_KEY_FILE", default=str(VAR_DIR / "vapid-private.pem")
)
# Who the push services contact about Ostal's pushes (a mailto: or https: URL).
OSTAL_PUSH_VAPID_SUBJECT = env.str(
    "OSTAL_PUSH_VAPID_SUBJECT", default="mailto:" + DEFAULT_FROM_EMAIL
)
# Push service endpoints must be https in production; plain http is for local doubles.
OSTAL_PUSH_ALLOW_HTTP = env.bool("OSTAL_PUSH_ALLOW_HTTP", default=not PRODUCTION)
# GAR (Gestionnaire d'accès aux ressources): the nightly export of the directory to the
# ministry (docs/gar.md). Nothing is sent while OSTAL_GAR_ENT_ID or the SFTP host is empty.
OSTAL_GAR_ENT_ID = env.str("OSTAL_GAR_ENT_ID", default="")
OSTAL_GAR_EXPORT_DIR = Path(env.str("OSTAL_GAR_EXPORT_DIR", default=str(VAR_DIR / "gar")))
OSTAL_GAR_SFTP_HOST = env.str("OSTAL_GAR_SFTP_HOST", default="")
OSTAL_GAR_SFTP_PORT = env.int("OSTAL_GAR_SFTP_PORT", default=22)
OSTAL_GAR_SFTP_USER = env.str("OSTAL_GAR_SFTP_USER", default="")
OSTAL_GAR_SFTP_KEY_FILE = env.str("OSTAL_GAR_SFTP_KEY_FILE", default="")
OSTAL_GAR_SFTP_KNOWN_HOSTS = env.str("OSTAL_GAR_SFTP_KNOWN_HOSTS", default="")
OSTAL_GAR_SFTP_DIR = env.str("OSTAL_GAR_SFTP_DIR", default="")
OSTAL_GAR_NODES_PER_FILE = env.int("OSTAL_GAR_NODES_PER_FILE", default=10000)
# Days the folder of an export run that was not delivered is kept (personal data) before
# the nightly retention job deletes it (docs/gar.md).
OSTAL_GAR_FAILED_RUN_DAYS = env.int("OSTAL_GAR_FAILED_RUN_DAYS", default=7)
