"""The Notes and History sections of the profile page."""

import pytest
from django.urls import reverse

from customers import services
from customers.models import CustomerNote
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def note_url(profile) -> str:
    return reverse("customers:note_add", args=[profile.pk])


def page_text(client, profile) -> str:
    return client.get(reverse("customers:edit", args=[profile.pk])).content.decode()


def test_adding_a_note_keeps_it(admin_client):
    profile = CustomerFactory()

    admin_client.post(note_url(profile), {"body": "Called about the yearbook."})

    assert (
        CustomerNote.objects.get(customer=profile).body == "Called about the yearbook."
    )


def test_a_note_shows_its_author(admin_client, store_admin):
    profile = CustomerFactory()
    admin_client.post(note_url(profile), {"body": "Called about the yearbook."})

    assert f"{store_admin.email} · " in page_text(admin_client, profile)


def test_an_empty_note_is_refused_with_a_message(admin_client):
    profile = CustomerFactory()

    response = admin_client.post(note_url(profile), {"body": ""}, follow=True)

    assert (
        not CustomerNote.objects.exists()
        and "alert-danger" in response.content.decode()
    )


def test_an_overlong_note_is_refused(admin_client):
    profile = CustomerFactory()

    admin_client.post(note_url(profile), {"body": "x" * 5001})

    assert not CustomerNote.objects.exists()


def test_adding_a_note_needs_a_post(admin_client):
    assert admin_client.get(note_url(CustomerFactory())).status_code == 405


def test_the_history_shows_who_changed_what(admin_client, other_admin):
    profile = CustomerFactory(phone="555-0100")
    services.customer_set_groups(profile=profile, actor=other_admin, groups=[])
    services.customer_disable(profile=profile, actor=other_admin)

    html = page_text(admin_client, profile)

    assert "Account disabled" in html and other_admin.email in html


def test_the_history_shows_the_newest_change_first(admin_client, store_admin):
    profile = CustomerFactory()
    services.customer_disable(profile=profile, actor=store_admin)
    services.customer_enable(profile=profile, actor=store_admin)

    html = page_text(admin_client, profile)

    assert html.index("Account enabled") < html.index("Account disabled")


def test_the_history_hides_the_version_counter(admin_client, store_admin):
    profile = CustomerFactory()
    services.customer_disable(profile=profile, actor=store_admin)

    rows = admin_client.get(reverse("customers:edit", args=[profile.pk])).context[
        "sections"
    ]
    history = next(s for s in rows if s["name"] == "history")["context"]["rows"]

    assert history[0]["changes"] == [("Disable Account", "No", "Yes")]
