import pytest
from django.core.exceptions import ImproperlyConfigured

from epaytrak.env import env_bool, env_database, env_int


def test_a_bad_debug_value_is_refused_naming_the_variable(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")

    with pytest.raises(ImproperlyConfigured, match="DEBUG must be one of"):
        env_bool("DEBUG")


@pytest.mark.parametrize(
    "word, expected", [("true", True), ("Off", False), ("1", True)]
)
def test_debug_understands_the_usual_words(monkeypatch, word, expected):
    monkeypatch.setenv("DEBUG", word)

    assert env_bool("DEBUG") is expected


@pytest.mark.parametrize(
    "url, message",
    [
        ("mysql://root@localhost/store", "must start with one of"),
        ("postgres://localhost:5432/", "names no database"),
        ("postgres://localhost:notaport/store", "port that is not a number"),
        ("sqlite://host/db.sqlite3", "for SQLite is"),
    ],
)
def test_a_bad_database_url_is_refused_with_a_clear_message(monkeypatch, url, message):
    monkeypatch.setenv("DATABASE_URL", url)

    with pytest.raises(ImproperlyConfigured, match=message):
        env_database("DATABASE_URL", default="sqlite:///var/db.sqlite3")


def test_a_postgres_url_becomes_django_database_settings(monkeypatch):
    monkeypatch.setenv(
        "DATABASE_URL", "postgres://store:s%40cret@db.internal:6432/epaytrak"
    )

    database = env_database("DATABASE_URL", default="")

    assert database == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "epaytrak",
        "USER": "store",
        "PASSWORD": "s@cret",
        "HOST": "db.internal",
        "PORT": "6432",
        "OPTIONS": {},
    }


def test_a_number_below_its_minimum_is_refused(monkeypatch):
    monkeypatch.setenv("EMAIL_PORT", "0")

    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT must be at least 1"):
        env_int("EMAIL_PORT", 25, minimum=1)
