"""Settings for ePayTrak, read from the environment.

The defaults are the safe production ones; `make run` exports the
development values (DEBUG, a local SECRET_KEY, the console e-mail backend).
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from epaytrak.env import env_bool, env_database, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("EPAYTRAK_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set; give it a long random value (make run sets one "
        "for development)."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Proxies whose X-Forwarded-For entries are believed, as IPs or networks.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.usersessions",
    "django_tables2",
    "django_filters",
    "csp",
    "activity",
    "customers",
    "orders",
    "epaytrak",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Records page views; reads request.user, so after AuthenticationMiddleware.
    "activity.middleware.PageViewMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "customers.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "epaytrak.urls"
WSGI_APPLICATION = "epaytrak.wsgi.application"

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
                "epaytrak.context_processors.store",
                "activity.context_processors.page_view",
            ],
        },
    },
]

DATABASES = {
    "default": env_database("DATABASE_URL", default="sqlite:///var/db.sqlite3"),
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    _sqlite_path = Path(DATABASES["default"]["NAME"])
    if not _sqlite_path.is_absolute():
        DATABASES["default"]["NAME"] = str(BASE_DIR / _sqlite_path)
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 300, minimum=0)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    # Shared by every worker process on one host, so allauth's rate limits
    # hold across gunicorn workers; set REDIS_URL when running several hosts.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

AUTH_USER_MODEL = "customers.User"
AUTHENTICATION_BACKENDS = [
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"  # noqa: E501
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "storefront:catalog"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_ADAPTER = "customers.adapter.AccountAdapter"
# Lets a signup through for the address of a guest profile (customers.claims).
ACCOUNT_FORMS = {"signup": "customers.adapter.ShopperSignupForm"}
# allauth's default rate limits (ACCOUNT_RATE_LIMITS) stay on: they count in
# CACHES["default"], which is shared by the processes of a host (see above).

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("SECURE_PROXY_SSL", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # Bootstrap's components set inline styles; scripts stay strict.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
    }
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "store@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
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

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"

STORE_NAME = env_str("STORE_NAME", "ePayTrak School Store")
STORE_CURRENCY = env_str("STORE_CURRENCY", "USD")

# Dotted path to the payment gateway adapter; see orders/gateway.py.
PAYMENT_GATEWAY = env_str("PAYMENT_GATEWAY", "orders.gateway.SandboxGateway")

# Where the store is reached: links in e-mail sent by manage.py commands,
# which have no request to take the address from.
STORE_URL = env_str("STORE_URL", "http://localhost:8000")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

FORM_RENDERER = "epaytrak.forms.FormRenderer"
# Without DEBUG, static files come from STATIC_ROOT (`manage.py collectstatic`).
WHITENOISE_USE_FINDERS = DEBUG
# Page views (activity): see the README's settings table.
ACTIVITY_ENABLED = env_bool("ACTIVITY_ENABLED", default=True)
# Write each view in the request instead of through the background writer.
ACTIVITY_SYNC_WRITES = env_bool("ACTIVITY_SYNC_WRITES", default=False)
ACTIVITY_QUEUE_SIZE = env_int("ACTIVITY_QUEUE_SIZE", 10_000, minimum=1)
ACTIVITY_BATCH_SIZE = env_int("ACTIVITY_BATCH_SIZE", 500, minimum=1)
ACTIVITY_FLUSH_MS = env_int("ACTIVITY_FLUSH_MS", 200, minimum=0)
ACTIVITY_RETENTION_DAYS = env_int("ACTIVITY_RETENTION_DAYS", 365, minimum=1)
ACTIVITY_TRUNCATE_IP = env_bool("ACTIVITY_TRUNCATE_IP", default=False)
