"""Tiny typed readers for settings that come from the environment.

Each reader refuses a value it cannot understand with ImproperlyConfigured,
naming the variable, so a typo in a deployment fails at start-up instead of
running with a silently different setting.
"""

import os
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}

DATABASE_ENGINES = {
    "postgres": "django.db.backends.postgresql",
    "postgresql": "django.db.backends.postgresql",
    "sqlite": "django.db.backends.sqlite3",
}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default

    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of true/false, yes/no, on/off, 1/0; got {raw!r}."
    )


def env_int(name: str, default: int, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default

    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be a whole number; got {raw!r}."
        ) from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}; got {value}.")
    return value


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_database(name: str, default: str) -> dict:
    """Read a database URL such as postgres://user:pw@host:5432/db."""
    raw = os.environ.get(name) or default
    parts = urlsplit(raw)
    engine = DATABASE_ENGINES.get(parts.scheme)
    if engine is None:
        schemes = ", ".join(sorted(DATABASE_ENGINES))
        raise ImproperlyConfigured(
            f"{name} must start with one of {schemes}://; got {raw!r}."
        )

    if engine.endswith("sqlite3"):
        path = unquote(parts.path)
        if parts.netloc or not path:
            raise ImproperlyConfigured(
                f"{name} for SQLite is sqlite:///relative/path or "
                f"sqlite:////absolute/path; got {raw!r}."
            )
        return {"ENGINE": engine, "NAME": path.removeprefix("/")}

    database = unquote(parts.path.removeprefix("/"))
    if not database:
        raise ImproperlyConfigured(f"{name} names no database; got {raw!r}.") from None
    try:
        port = parts.port
    except ValueError:
        raise ImproperlyConfigured(f"{name} has a port that is not a number.") from None
    options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    return {
        "ENGINE": engine,
        "NAME": database,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(port or ""),
        "OPTIONS": options,
    }
