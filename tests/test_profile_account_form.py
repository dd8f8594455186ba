"""The account form of the profile edit page: Save, the e-mail rules, bad input
and the lost-update guard."""

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.urls import reverse

from activity.models import HistoryEntry
from customers.forms import ProfileAccountForm
from tests.factories import CustomerFactory, GroupFactory, UserFactory

pytestmark = pytest.mark.django_db


def edit_url(profile) -> str:
    return reverse("customers:edit", args=[profile.pk])


def form_data(profile, **changes) -> dict:
    """What the page posts when the admin changes nothing but `changes`."""
    initial = ProfileAccountForm.initial_for(profile)
    data = {
        name: value
        for name, value in initial.items()
        if name not in {"groups", "disabled"}
    }
    data["groups"] = [group.pk for group in initial["groups"]]
    if initial["disabled"]:
        data["disabled"] = "on"
    data.update(changes)
    return {name: value for name, value in data.items() if value is not False}


def save(client, profile, **changes):
    return client.post(edit_url(profile), form_data(profile, **changes))


def form_errors(response) -> dict:
    return response.context["form"].errors


def test_saving_redirects_back_to_the_page(admin_client):
    profile = CustomerFactory()

    response = save(admin_client, profile, phone="555-0100")

    assert response.headers["Location"] == edit_url(profile)


def test_saving_says_so(admin_client):
    profile = CustomerFactory()

    response = save(admin_client, profile, phone="555-0100")

    assert (
        "The profile was saved."
        in admin_client.get(response.headers["Location"]).content.decode()
    )


def test_saving_stores_the_billing_address(admin_client):
    profile = CustomerFactory()

    save(admin_client, profile, billing_line1="9 New Road", billing_country="ca")

    profile.refresh_from_db()
    assert (profile.billing_line1, profile.billing_country) == ("9 New Road", "CA")


def test_saving_sets_the_groups(admin_client):
    band = GroupFactory(name="Band")
    profile = CustomerFactory()

    save(admin_client, profile, groups=[band.pk])

    assert list(profile.user.groups.all()) == [band]


def test_ticking_disable_account_disables_it(admin_client):
    profile = CustomerFactory()

    save(admin_client, profile, disabled="on")

    profile.user.refresh_from_db()
    assert not profile.user.is_active


def test_ticking_disable_account_ends_the_customers_sessions(admin_client):
    profile = CustomerFactory()
    store = SessionStore()
    store.create()
    UserSession.objects.create(
        user=profile.user, session_key=store.session_key, ip="10.0.0.1"
    )

    save(admin_client, profile, disabled="on")

    assert not SessionStore().exists(store.session_key)


def test_a_disabled_customers_open_session_is_refused(admin_client):
    profile = CustomerFactory()
    customer = Client()
    customer.force_login(profile.user)

    save(admin_client, profile, disabled="on")

    assert customer.get("/").wsgi_request.user.is_anonymous


def test_unticking_disable_account_enables_it(admin_client):
    profile = CustomerFactory(user__is_active=False)
    data = form_data(profile)
    del data["disabled"]

    admin_client.post(edit_url(profile), data)

    profile.user.refresh_from_db()
    assert profile.user.is_active


def test_an_admin_cannot_disable_their_own_account(admin_client, store_admin):
    response = save(admin_client, store_admin.profile, disabled="on")

    assert "disabled" in form_errors(response)


# The e-mail ---------------------------------------------------------------------


def test_a_new_email_needs_the_confirmation_box(admin_client):
    profile = CustomerFactory()

    response = save(admin_client, profile, email="new@example.com")

    assert "confirm_email_change" in form_errors(response)


def test_a_confirmed_new_email_is_saved(admin_client):
    profile = CustomerFactory()

    save(admin_client, profile, email="New@Example.com", confirm_email_change="on")

    profile.user.refresh_from_db()
    assert profile.user.email == "new@example.com"


def test_the_same_email_in_another_case_needs_no_confirmation(admin_client):
    profile = CustomerFactory(user__email="pat@example.com")

    response = save(admin_client, profile, email="PAT@example.com")

    assert response.status_code == 302


def test_an_email_taken_in_another_case_is_a_form_error(admin_client):
    UserFactory(email="taken@example.com")
    profile = CustomerFactory()

    response = save(
        admin_client, profile, email="Taken@EXAMPLE.com", confirm_email_change="on"
    )

    assert "email" in form_errors(response)


def test_an_invalid_email_is_a_form_error(admin_client):
    profile = CustomerFactory()

    response = save(admin_client, profile, email="not-an-address")

    assert "email" in form_errors(response)


def test_an_email_change_is_in_the_history_section(admin_client):
    profile = CustomerFactory(user__email="old@example.com")
    save(admin_client, profile, email="new@example.com", confirm_email_change="on")

    html = admin_client.get(edit_url(profile)).content.decode()

    assert "old@example.com</span> → <strong>new@example.com" in html


# Bad input ----------------------------------------------------------------------


def test_a_ten_thousand_character_name_is_a_form_error(admin_client):
    profile = CustomerFactory()

    response = save(admin_client, profile, first_name="x" * 10_000)

    assert "first_name" in form_errors(response)


def test_a_group_that_does_not_exist_is_a_form_error(admin_client):
    profile = CustomerFactory()

    response = save(admin_client, profile, groups=[987654])

    assert "groups" in form_errors(response)


def test_a_group_id_that_is_not_a_number_is_a_form_error(admin_client):
    profile = CustomerFactory()

    response = save(admin_client, profile, groups=["abc"])

    assert "groups" in form_errors(response)


def test_a_bad_country_code_is_a_form_error(admin_client):
    profile = CustomerFactory()

    response = save(admin_client, profile, billing_country="U1")

    assert "billing_country" in form_errors(response)


def test_a_missing_version_is_a_form_error(admin_client):
    profile = CustomerFactory()

    response = save(admin_client, profile, version="")

    assert "version" in form_errors(response)


def test_a_bad_version_is_a_form_error(admin_client):
    profile = CustomerFactory()

    response = save(admin_client, profile, version="abc")

    assert "version" in form_errors(response)


def test_bad_input_writes_nothing(admin_client):
    profile = CustomerFactory()

    save(admin_client, profile, first_name="x" * 10_000, phone="555")

    assert not HistoryEntry.objects.exists()


# Lost updates -----------------------------------------------------------------------


def stale_save(admin_client, other_admin, profile, **changes):
    """This admin loaded the page; the other admin saved; then this admin saves."""
    stale = form_data(profile, **changes)
    other = Client()
    other.force_login(other_admin)
    save(other, profile, first_name="Patricia", phone="555-0199")
    return admin_client.post(edit_url(profile), stale)


def test_a_stale_form_is_not_saved(admin_client, other_admin):
    profile = CustomerFactory(phone="")

    stale_save(admin_client, other_admin, profile, billing_city="Shelbyville")

    profile.refresh_from_db()
    assert profile.billing_city == "Springfield"


def test_a_stale_form_is_shown_again_with_this_admins_input(admin_client, other_admin):
    profile = CustomerFactory()

    response = stale_save(admin_client, other_admin, profile, billing_city="Shelby")

    assert response.context["form"]["billing_city"].value() == "Shelby"


def test_a_stale_form_names_who_saved_since(admin_client, other_admin):
    profile = CustomerFactory()

    response = stale_save(admin_client, other_admin, profile, billing_city="Shelby")

    assert response.context["conflict"].actor_label == other_admin.email


def test_a_stale_form_lists_the_fields_changed_since_with_their_value_now(
    admin_client, other_admin
):
    profile = CustomerFactory()

    response = stale_save(admin_client, other_admin, profile, billing_city="Shelby")

    fields = [(f.label, f.value_now) for f in response.context["conflict"].fields]
    assert fields == [("First name", "Patricia"), ("Phone", "555-0199")]


def test_a_field_only_the_other_admin_changed_takes_their_value(
    admin_client, other_admin
):
    profile = CustomerFactory()

    response = stale_save(admin_client, other_admin, profile, billing_city="Shelby")

    assert response.context["form"]["phone"].value() == "555-0199"


def test_a_field_both_admins_changed_keeps_this_admins_input(admin_client, other_admin):
    profile = CustomerFactory()

    response = stale_save(admin_client, other_admin, profile, phone="555-0123")

    assert response.context["form"]["phone"].value() == "555-0123"


def test_a_field_both_admins_changed_is_flagged(admin_client, other_admin):
    profile = CustomerFactory()

    response = stale_save(admin_client, other_admin, profile, phone="555-0123")

    flagged = [f.label for f in response.context["conflict"].fields if f.yours_kept]
    assert flagged == ["Phone"]


def test_a_stale_form_carries_the_current_version_for_the_next_save(
    admin_client, other_admin
):
    profile = CustomerFactory()

    response = stale_save(admin_client, other_admin, profile, billing_city="Shelby")

    profile.refresh_from_db()
    assert response.context["form"]["version"].value() == str(profile.version)


def test_saving_again_after_a_conflict_keeps_both_admins_changes(
    admin_client, other_admin
):
    profile = CustomerFactory()
    response = stale_save(admin_client, other_admin, profile, billing_city="Shelby")

    admin_client.post(edit_url(profile), response.context["form"].data)

    profile.refresh_from_db()
    assert (profile.billing_city, profile.phone) == ("Shelby", "555-0199")


def test_a_stale_group_change_is_merged_with_the_other_admins(
    admin_client, other_admin
):
    band, choir = GroupFactory(name="Band"), GroupFactory(name="Choir")
    profile = CustomerFactory()
    stale = form_data(profile, phone="555-0123")
    other = Client()
    other.force_login(other_admin)
    save(other, profile, groups=[band.pk, choir.pk])

    response = admin_client.post(edit_url(profile), stale)

    assert response.context["form"]["groups"].value() == [str(band.pk), str(choir.pk)]


def test_a_stale_form_is_a_form_error_not_a_crash(admin_client, other_admin):
    profile = CustomerFactory()

    response = stale_save(admin_client, other_admin, profile, billing_city="Shelby")

    assert response.status_code == 200 and response.context["form"].non_field_errors()
