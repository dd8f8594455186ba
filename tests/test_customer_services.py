from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from activity.models import HistoryEntry
from customers import services
from customers.models import CustomerNote, GroupDetails, SavedCard
from customers.permissions import STORE_ADMIN_GROUP
from customers.services import CustomerError, ProfileConflict
from tests.factories import (
    CatalogItemFactory,
    CustomerFactory,
    GroupFactory,
    GuestCustomerFactory,
    OrderFactory,
    SavedCardFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def update_arguments(profile, **overrides):
    arguments = {
        "expected_version": profile.version,
        "email": profile.user.email,
        "first_name": profile.first_name,
        "last_name": profile.last_name,
        "phone": profile.phone,
        "groups": list(profile.user.groups.all()),
        "disabled": not profile.user.is_active,
        "billing": profile.billing_address(),
    }
    arguments.update(overrides)
    return arguments


def actions(profile):
    return list(
        HistoryEntry.objects.filter(object_id=profile.pk)
        .order_by("id")
        .values_list("action", flat=True)
    )


def tracked_session(user) -> UserSession:
    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store.create()
    return UserSession.objects.create(
        user=user, session_key=store.session_key, ip="127.0.0.1", user_agent="test"
    )


# customer_update -----------------------------------------------------------


def test_an_update_without_changes_writes_no_history(store_admin):
    profile = CustomerFactory()

    services.customer_update(
        profile=profile, actor=store_admin, **update_arguments(profile)
    )

    assert actions(profile) == []


def test_an_update_raises_the_version_once(store_admin):
    profile = CustomerFactory(phone="1")

    saved = services.customer_update(
        profile=profile,
        actor=store_admin,
        **update_arguments(profile, phone="2", first_name="New", disabled=True),
    )

    assert saved.version == profile.version + 1


def test_a_name_change_is_recorded_from_before_to_after(store_admin):
    profile = CustomerFactory(first_name="Pat")

    services.customer_update(
        profile=profile,
        actor=store_admin,
        **update_arguments(profile, first_name="Patricia"),
    )

    entry = HistoryEntry.objects.get(action="customers.profile.changed")
    assert entry.changes["first_name"] == ["Pat", "Patricia"]


def test_a_history_row_names_the_admin_who_acted(store_admin):
    profile = CustomerFactory(phone="")

    services.customer_update(
        profile=profile, actor=store_admin, **update_arguments(profile, phone="555")
    )

    assert HistoryEntry.objects.get().actor == store_admin


def test_a_billing_address_change_is_recorded(store_admin):
    profile = CustomerFactory(billing_city="Springfield")
    billing = {**profile.billing_address(), "billing_city": "Shelbyville"}

    services.customer_update(
        profile=profile, actor=store_admin, **update_arguments(profile, billing=billing)
    )

    entry = HistoryEntry.objects.get(action="customers.billing_address.changed")
    assert entry.changes["billing_city"] == ["Springfield", "Shelbyville"]


def test_a_billing_address_change_leaves_existing_orders_alone(store_admin):
    profile = CustomerFactory(billing_line1="1 School Lane")
    order = OrderFactory(customer=profile)
    billing = {**profile.billing_address(), "billing_line1": "9 New Road"}

    services.customer_update(
        profile=profile, actor=store_admin, **update_arguments(profile, billing=billing)
    )

    order.refresh_from_db()
    assert order.billing_line1 == "1 School Lane"


def test_a_stale_version_is_refused_as_a_conflict(store_admin):
    profile = CustomerFactory()
    arguments = update_arguments(profile, phone="1", expected_version=profile.version)
    services.customer_update(
        profile=profile, actor=store_admin, **update_arguments(profile, phone="2")
    )

    with pytest.raises(ProfileConflict):
        services.customer_update(profile=profile, actor=store_admin, **arguments)


def test_a_conflict_writes_nothing(store_admin):
    profile = CustomerFactory(phone="0")
    stale = update_arguments(profile, phone="1")
    services.customer_update(
        profile=profile, actor=store_admin, **update_arguments(profile, phone="2")
    )

    with pytest.raises(ProfileConflict):
        services.customer_update(profile=profile, actor=store_admin, **stale)

    profile.refresh_from_db()
    assert profile.phone == "2"


def test_a_refused_change_rolls_back_the_whole_save(store_admin):
    profile = store_admin.profile
    profile.phone = "0"
    profile.save()

    with pytest.raises(CustomerError):
        services.customer_update(
            profile=profile,
            actor=store_admin,
            **update_arguments(profile, phone="1", disabled=True),
        )

    profile.refresh_from_db()
    assert profile.phone == "0"


def test_renaming_a_customer_refreshes_their_orders_search_text(store_admin):
    profile = CustomerFactory(first_name="Pat", last_name="Rivera")
    order = OrderFactory(customer=profile)

    services.customer_update(
        profile=profile,
        actor=store_admin,
        **update_arguments(profile, last_name="Okafor"),
    )

    order.refresh_from_db()
    assert "pat okafor" in order.search_text


# E-mail ----------------------------------------------------------------------


def test_changing_the_email_changes_the_login(store_admin):
    profile = CustomerFactory(user__email="old@example.com")

    services.customer_change_email(
        profile=profile, actor=store_admin, email="New@Example.com"
    )

    profile.user.refresh_from_db()
    assert profile.user.email == "new@example.com"


def test_changing_the_email_refuses_an_address_taken_in_another_case(store_admin):
    UserFactory(email="taken@example.com")
    profile = CustomerFactory()

    with pytest.raises(CustomerError):
        services.customer_change_email(
            profile=profile, actor=store_admin, email="TAKEN@example.com"
        )


def test_changing_the_email_refuses_another_accounts_secondary_address(store_admin):
    other = UserFactory()
    EmailAddress.objects.create(user=other, email="second@example.com")
    profile = CustomerFactory()

    with pytest.raises(CustomerError):
        services.customer_change_email(
            profile=profile, actor=store_admin, email="second@example.com"
        )


def test_the_new_email_is_primary_and_unverified_in_allauth(store_admin):
    profile = CustomerFactory()

    services.customer_change_email(
        profile=profile, actor=store_admin, email="new@example.com"
    )

    address = EmailAddress.objects.get(user=profile.user)
    assert (address.email, address.primary, address.verified) == (
        "new@example.com",
        True,
        False,
    )


def test_the_old_email_no_longer_logs_in_through_allauth(store_admin):
    profile = CustomerFactory(user__email="old@example.com")

    services.customer_change_email(
        profile=profile, actor=store_admin, email="new@example.com"
    )

    assert not EmailAddress.objects.filter(email="old@example.com").exists()


def test_a_notice_goes_to_the_old_address(
    store_admin, django_capture_on_commit_callbacks
):
    profile = CustomerFactory(user__email="old@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        services.customer_change_email(
            profile=profile, actor=store_admin, email="new@example.com"
        )

    assert [message.to for message in mail.outbox] == [["old@example.com"]]


def test_an_email_change_is_recorded_from_before_to_after(store_admin):
    profile = CustomerFactory(user__email="old@example.com")

    services.customer_change_email(
        profile=profile, actor=store_admin, email="new@example.com"
    )

    entry = HistoryEntry.objects.get(action="customers.email.changed")
    assert entry.changes["email"] == ["old@example.com", "new@example.com"]


def test_an_email_change_rebuilds_the_search_text(store_admin):
    profile = CustomerFactory(user__email="old@example.com")

    services.customer_change_email(
        profile=profile, actor=store_admin, email="new@example.com"
    )

    profile.refresh_from_db()
    assert "new@example.com" in profile.search_text


def test_an_email_change_leaves_the_orders_copy(store_admin):
    profile = CustomerFactory(user__email="old@example.com")
    order = OrderFactory(customer=profile)

    services.customer_change_email(
        profile=profile, actor=store_admin, email="new@example.com"
    )

    order.refresh_from_db()
    assert order.email == "old@example.com"


# Disable / enable --------------------------------------------------------------


def test_disabling_refuses_the_login(store_admin):
    profile = CustomerFactory()

    services.customer_disable(profile=profile, actor=store_admin)

    profile.user.refresh_from_db()
    assert not profile.user.is_active


def test_disabling_ends_every_tracked_session(store_admin):
    profile = CustomerFactory()
    sessions = [tracked_session(profile.user), tracked_session(profile.user)]

    services.customer_disable(profile=profile, actor=store_admin)

    assert not any(SessionStore().exists(s.session_key) for s in sessions)


def test_disabling_leaves_other_customers_sessions(store_admin):
    profile = CustomerFactory()
    other = tracked_session(CustomerFactory().user)

    services.customer_disable(profile=profile, actor=store_admin)

    assert SessionStore().exists(other.session_key)


def test_disabling_is_recorded(store_admin):
    profile = CustomerFactory()

    services.customer_disable(profile=profile, actor=store_admin)

    assert actions(profile) == ["customers.account.disabled"]


def test_enabling_lets_the_customer_log_in_again(store_admin):
    profile = CustomerFactory(user__is_active=False)

    services.customer_enable(profile=profile, actor=store_admin)

    profile.user.refresh_from_db()
    assert profile.user.is_active


def test_enabling_is_recorded(store_admin):
    profile = CustomerFactory(user__is_active=False)

    services.customer_enable(profile=profile, actor=store_admin)

    assert actions(profile) == ["customers.account.enabled"]


def test_an_admin_cannot_disable_their_own_account(store_admin):
    with pytest.raises(CustomerError):
        services.customer_disable(profile=store_admin.profile, actor=store_admin)


# Groups of a customer ------------------------------------------------------------


def test_setting_groups_is_recorded_by_name(store_admin):
    band = GroupFactory(name="Band")
    profile = CustomerFactory()

    services.customer_set_groups(profile=profile, actor=store_admin, groups=[band])

    entry = HistoryEntry.objects.get(action="customers.groups.changed")
    assert entry.changes["groups"] == [[], ["Band"]]


def test_an_admin_cannot_leave_the_store_admin_group_themselves(store_admin):
    with pytest.raises(CustomerError):
        services.customer_set_groups(
            profile=store_admin.profile, actor=store_admin, groups=[]
        )


# Passwords -----------------------------------------------------------------------


def reset_request():
    request = RequestFactory().post("/")
    request.session = SessionStore()
    return request


def test_a_reset_email_goes_to_the_customer(store_admin):
    profile = CustomerFactory(user__email="parent@example.com")

    services.customer_send_password_reset(
        profile=profile, actor=store_admin, request=reset_request()
    )

    assert [message.to for message in mail.outbox] == [["parent@example.com"]]


def test_a_reset_email_is_recorded(store_admin):
    profile = CustomerFactory()

    services.customer_send_password_reset(
        profile=profile, actor=store_admin, request=reset_request()
    )

    assert actions(profile) == ["customers.password.reset_sent"]


def test_a_guest_gets_no_reset_email(store_admin):
    profile = GuestCustomerFactory()

    with pytest.raises(CustomerError):
        services.customer_send_password_reset(
            profile=profile, actor=store_admin, request=reset_request()
        )


def test_a_temporary_password_lets_the_customer_log_in(store_admin):
    profile = CustomerFactory()

    services.customer_set_temporary_password(
        profile=profile, actor=store_admin, password="Temporary-pass-42"
    )

    profile.user.refresh_from_db()
    assert profile.user.check_password("Temporary-pass-42")


def test_a_temporary_password_must_be_changed(store_admin):
    profile = CustomerFactory()

    services.customer_set_temporary_password(
        profile=profile, actor=store_admin, password="Temporary-pass-42"
    )

    profile.user.refresh_from_db()
    assert profile.user.must_change_password


def test_a_temporary_password_is_not_in_its_history_row(store_admin):
    profile = CustomerFactory()

    services.customer_set_temporary_password(
        profile=profile, actor=store_admin, password="Temporary-pass-42"
    )

    entry = HistoryEntry.objects.get(action="customers.password.temporary_set")
    assert "Temporary-pass-42" not in str(entry.changes)


def test_a_weak_temporary_password_is_refused(store_admin):
    profile = CustomerFactory()

    with pytest.raises(ValidationError):
        services.customer_set_temporary_password(
            profile=profile, actor=store_admin, password="password"
        )


# Cards ------------------------------------------------------------------------------


def add_card(profile, actor, **overrides):
    arguments = {
        "token": f"tok_sandbox_{SavedCard.objects.count():024x}",
        "brand": "Visa",
        "last4": "4242",
        "exp_month": 12,
        "exp_year": 2031,
        "holder_name": "Pat Rivera",
        "approved_by_cardholder": True,
    }
    arguments.update(overrides)
    return services.card_add(profile=profile, actor=actor, **arguments)


def test_the_first_card_becomes_the_default(store_admin):
    card = add_card(CustomerFactory(), store_admin)

    assert card.is_default


def test_a_second_card_is_not_the_default(store_admin):
    profile = CustomerFactory()
    add_card(profile, store_admin)

    card = add_card(profile, store_admin, last4="5555")

    assert not card.is_default


def test_a_card_needs_the_cardholders_approval(store_admin):
    with pytest.raises(CustomerError):
        add_card(CustomerFactory(), store_admin, approved_by_cardholder=False)


def test_adding_a_card_is_recorded(store_admin):
    profile = CustomerFactory()

    add_card(profile, store_admin)

    assert actions(profile) == ["customers.card.added"]


def test_making_a_card_the_default_moves_the_flag(store_admin):
    profile = CustomerFactory()
    first = add_card(profile, store_admin)
    second = add_card(profile, store_admin, last4="5555")

    services.card_make_default(card=second, actor=store_admin)

    first.refresh_from_db()
    assert not first.is_default


def test_removing_the_default_card_hands_the_flag_on(store_admin):
    profile = CustomerFactory()
    first = add_card(profile, store_admin)
    second = add_card(profile, store_admin, last4="5555")

    services.card_remove(card=first, actor=store_admin)

    second.refresh_from_db()
    assert second.is_default


def test_removing_a_card_is_recorded(store_admin):
    card = SavedCardFactory()

    services.card_remove(card=card, actor=store_admin)

    assert actions(card.customer) == ["customers.card.removed"]


# Notes ------------------------------------------------------------------------------


def test_a_note_keeps_its_author(store_admin):
    profile = CustomerFactory()

    services.customer_note_add(profile=profile, author=store_admin, body="Called.")

    assert CustomerNote.objects.get().author == store_admin


def test_an_empty_note_is_refused(store_admin):
    with pytest.raises(CustomerError):
        services.customer_note_add(
            profile=CustomerFactory(), author=store_admin, body="   "
        )


# Groups -----------------------------------------------------------------------------


def test_a_new_group_gets_its_description(store_admin):
    group = services.group_create(
        name="Chess club", description="Thursdays.", actor=store_admin
    )

    assert GroupDetails.objects.get(group=group).description == "Thursdays."


def test_a_group_name_is_unique_in_any_case(store_admin):
    GroupFactory(name="Band")

    with pytest.raises(CustomerError):
        services.group_create(name="BAND", actor=store_admin)


def test_renaming_a_group_is_recorded(store_admin):
    group = GroupFactory(name="Band")

    services.group_rename(group=group, name="Marching band", actor=store_admin)

    entry = HistoryEntry.objects.get(action="customers.group.renamed")
    assert entry.changes["name"] == ["Band", "Marching band"]


def test_the_store_admin_group_cannot_be_renamed(store_admin):
    group = Group.objects.get(name=STORE_ADMIN_GROUP)

    with pytest.raises(CustomerError):
        services.group_rename(group=group, name="Office", actor=store_admin)


def test_the_store_admin_group_cannot_be_deleted(store_admin):
    group = Group.objects.get(name=STORE_ADMIN_GROUP)

    with pytest.raises(CustomerError):
        services.group_delete(group=group, actor=store_admin)


def test_deleting_a_group_keeps_its_members_accounts(store_admin):
    group = GroupFactory()
    profile = CustomerFactory()
    profile.user.groups.add(group)

    services.group_delete(group=group, actor=store_admin)

    assert profile.user.groups.count() == 0


def test_a_group_limiting_catalog_items_cannot_be_deleted(store_admin):
    group = GroupFactory()
    CatalogItemFactory().allowed_groups.add(group)

    with pytest.raises(CustomerError):
        services.group_delete(group=group, actor=store_admin)


def test_the_summary_stats_count_money_kept_on_orders(store_admin):
    from customers.stats import order_stats_for

    profile = CustomerFactory()
    OrderFactory(customer=profile, total=Decimal("10.00"))
    OrderFactory(
        customer=profile, total=Decimal("30.00"), amount_refunded=Decimal("5.00")
    )

    stats = order_stats_for([profile.pk])[profile.pk]

    assert (stats.order_count, stats.lifetime_spend) == (2, Decimal("35.00"))
