"""The write path: background writer, dropping instead of failing, flushing."""

import logging
import threading
import uuid

import pytest
from django.db import DatabaseError
from django.test import Client
from django.urls import reverse

from activity import writer as writer_module
from activity.ids import beacon_token, new_view_id
from activity.ingest import ViewRecord, page_views_write
from activity.models import PageView
from tests.factories import PASSWORD, PageViewFactory


@pytest.fixture
def writer(monkeypatch):
    """A fresh writer for the test, ended afterwards."""
    fresh = writer_module.Writer()
    monkeypatch.setattr(writer_module, "writer", fresh)
    yield fresh
    fresh.stop()


@pytest.fixture
def background(settings):
    settings.ACTIVITY_SYNC_WRITES = False
    settings.ACTIVITY_FLUSH_MS = 10


@pytest.mark.django_db(transaction=True)
def test_the_background_writer_stores_views_after_the_response(
    writer, background, client
):
    response = client.get("/")

    assert writer.flush()
    assert response.status_code == 200
    assert PageView.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_background_writer_writes_in_batches(writer, background, client):
    for _ in range(5):
        client.get("/")

    writer.flush()

    assert PageView.objects.count() == 5
    assert writer.written == 5


@pytest.mark.django_db(transaction=True)
def test_stopping_the_writer_writes_what_is_queued(writer, background, client):
    client.get("/")

    writer.stop()

    assert PageView.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_guest_logging_in_claims_views_still_in_the_queue(
    writer, background, shopper
):
    browser = Client()
    browser.get("/")

    browser.post(
        reverse("account_login"), {"login": shopper.email, "password": PASSWORD}
    )
    writer.flush()

    assert PageView.objects.filter(user__isnull=True).count() == 0


@pytest.mark.django_db(transaction=True)
def test_the_beacon_goes_through_the_queue(writer, background, client):
    view = PageViewFactory()

    client.post("/activity/beacon/", {"v": beacon_token(view.pk), "ms": "250"})
    writer.flush()

    view.refresh_from_db()
    assert view.time_on_page_ms == 250


@pytest.fixture
def stalled_writer(writer, background, settings, monkeypatch):
    """A writer whose thread takes nothing from its one-place queue."""
    settings.ACTIVITY_QUEUE_SIZE = 1
    release = threading.Event()
    monkeypatch.setattr(writer, "_run", lambda items: release.wait(10))
    yield writer
    release.set()
    writer._pid = None


@pytest.mark.django_db
def test_a_full_queue_drops_views_and_still_serves_the_page(stalled_writer, client):
    responses = [client.get("/") for _ in range(3)]

    assert [response.status_code for response in responses] == [200, 200, 200]
    assert stalled_writer.dropped == 2


@pytest.mark.django_db
def test_dropped_views_are_warned_about_at_most_once_a_minute(
    stalled_writer, client, caplog
):
    with caplog.at_level(logging.WARNING, logger="activity.writer"):
        for _ in range(4):
            client.get("/")

    warnings = [r for r in caplog.records if r.name == "activity.writer"]
    assert len(warnings) == 1
    assert "the queue is full" in warnings[0].getMessage()


@pytest.mark.django_db
def test_a_database_error_drops_the_view_and_still_serves_the_page(
    writer, client, monkeypatch, caplog
):
    def refuse(strings):
        raise DatabaseError("the database is gone")

    monkeypatch.setattr("activity.ingest.agent_cache.ids_for", refuse)

    response = client.get("/", HTTP_USER_AGENT="Mozilla/5.0")

    assert response.status_code == 200
    assert writer.dropped == 1
    assert "refused" in caplog.text
    assert not PageView.objects.exists()


@pytest.mark.django_db
def test_after_a_database_error_the_next_view_is_written(writer, client, monkeypatch):
    calls = []

    def refuse_once(strings):
        calls.append(strings)
        if len(calls) == 1:
            raise DatabaseError("a blip")
        return {}

    monkeypatch.setattr("activity.ingest.agent_cache.ids_for", refuse_once)
    client.get("/")

    client.get("/")

    assert PageView.objects.count() == 1


@pytest.mark.django_db
def test_a_failure_while_recording_still_serves_the_page(client, monkeypatch, caplog):
    def broken(item):
        raise RuntimeError("bug")

    monkeypatch.setattr("activity.writer.submit", broken)

    response = client.get("/")

    assert response.status_code == 200
    assert "Could not record a page view" in caplog.text


@pytest.mark.django_db
def test_switching_page_views_off_records_nothing(client, settings):
    settings.ACTIVITY_ENABLED = False

    client.get("/")

    assert not PageView.objects.exists()


def view_record(view_id: int) -> ViewRecord:
    return ViewRecord(
        id=view_id,
        visitor=uuid.uuid4(),
        user_id=None,
        method="GET",
        path="/",
        query="",
        referrer="",
        remote_addr="203.0.113.9",
        forwarded_for="",
        user_agent="curl/8.4.0",
        status=200,
        view_name="",
        url_kwargs={},
    )


@pytest.mark.django_db
def test_an_id_made_twice_loses_only_that_view_not_its_batch():
    stored_id, fresh_id = new_view_id(), new_view_id()
    page_views_write([view_record(stored_id)])

    page_views_write([view_record(stored_id), view_record(fresh_id)])

    assert sorted(PageView.objects.values_list("pk", flat=True)) == [
        stored_id,
        fresh_id,
    ]
