"""Settings for the test suite: the production settings with fast, local parts."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECURE_COOKIES", "false")

from epaytrak.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "django.contrib.staticfiles.storage.StaticFilesStorage"
)
ALLOWED_HOSTS = ["*"]
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None
# Page views are written in the request, so a test sees them at once.
ACTIVITY_SYNC_WRITES = True

# Browser tests read and write from the live server's thread while the test
# writes from its own. An in-memory SQLite database fails such overlaps at
# once ("table is locked"); a file in WAL mode makes them wait their turn.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # One file per test run, so runs side by side never share a database.
    VAR_DIR.mkdir(exist_ok=True)  # noqa: F405
    test_db = VAR_DIR / f"test-db-{os.getpid()}.sqlite3"  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(test_db)}  # noqa: F405
