import uuid
from io import StringIO

import pytest
from django.core.management import CommandError, ManagementUtility, call_command
from django.utils import timezone

from activity.history import history_for
from activity.models import PageView
from tests.factories import (
    BasketFactory,
    CustomerFactory,
    GroupFactory,
    OrderFactory,
    SavedCardFactory,
)


@pytest.fixture
def duplicate(db):
    return CustomerFactory(user__email="pat.old@example.com")


@pytest.fixture
def kept(db):
    return CustomerFactory(user__email="pat@example.com", first_name="Pat")


def merge(*args):
    out = StringIO()
    call_command("merge_customers", *args, stdout=out)
    return out.getvalue()


def page_view_of(user, view_id):
    return PageView.objects.create(
        id=view_id,
        viewed_at=timezone.now(),
        visitor=uuid.uuid4(),
        user=user,
        method="GET",
        url="/",
        status=200,
    )


def test_orders_move_to_the_kept_profile_and_are_found_by_its_name(duplicate, kept):
    order = OrderFactory(customer=duplicate)

    merge("pat.old@example.com", "pat@example.com")

    order.refresh_from_db()
    assert order.customer == kept
    assert "pat parent" in order.search_text


def test_baskets_cards_groups_and_page_views_move_too(duplicate, kept):
    basket = BasketFactory(customer=duplicate)
    card = SavedCardFactory(customer=duplicate)
    band = GroupFactory(name="Band")
    duplicate.user.groups.add(band)
    view = page_view_of(duplicate.user, 1)

    merge("pat.old@example.com", "pat@example.com")

    basket.refresh_from_db()
    card.refresh_from_db()
    view.refresh_from_db()
    assert (basket.customer, card.customer, view.user) == (kept, kept, kept.user)
    assert list(kept.user.groups.all()) == [band]


def test_the_kept_default_card_stays_the_default(duplicate, kept):
    kept_card = SavedCardFactory(customer=kept, is_default=True)
    SavedCardFactory(customer=duplicate, is_default=True)

    merge("pat.old@example.com", "pat@example.com")

    assert list(kept.saved_cards.filter(is_default=True)) == [kept_card]


def test_the_merge_is_recorded_in_both_histories(duplicate, kept):
    OrderFactory(customer=duplicate)

    merge("pat.old@example.com", "pat@example.com")

    into = history_for(duplicate).get(action="customers.profile.merged_into")
    came = history_for(kept).get(action="customers.profile.merged_from")
    assert into.actor_label == came.actor_label == "command: merge_customers"
    assert came.changes["merged_from"] == [None, "pat.old@example.com"]
    assert came.changes["orders"] == 1


def test_the_summary_line_counts_what_moved(duplicate, kept):
    OrderFactory(customer=duplicate)

    out = merge("pat.old@example.com", "pat@example.com")

    assert out.startswith("Merged pat.old@example.com into pat@example.com: 1 orders,")


def test_a_dry_run_moves_nothing(duplicate, kept):
    order = OrderFactory(customer=duplicate)

    out = merge("pat.old@example.com", "pat@example.com", "--dry-run")

    order.refresh_from_db()
    assert order.customer == duplicate
    assert out.startswith("Dry run, nothing written: would merge")
    assert not history_for(kept).exists()


def test_a_profile_cannot_be_merged_into_itself(kept):
    with pytest.raises(CommandError, match="cannot be merged into itself"):
        merge("pat@example.com", "PAT@example.com")


def test_a_staff_account_cannot_be_merged_into_a_shoppers(store_admin, kept):
    with pytest.raises(CommandError, match="staff account cannot be merged"):
        merge(store_admin.email, "pat@example.com")


def test_an_unknown_email_is_one_plain_line(kept):
    with pytest.raises(CommandError, match="No customer has the e-mail address x@y.z"):
        merge("x@y.z", "pat@example.com")


def test_a_refusal_exits_non_zero_with_one_plain_line(kept, capsys):
    utility = ManagementUtility(
        ["manage.py", "merge_customers", "pat@example.com", "pat@example.com"]
    )

    with pytest.raises(SystemExit) as exit_info:
        utility.execute()

    assert exit_info.value.code == 1
    assert capsys.readouterr().err == (
        "CommandError: A profile cannot be merged into itself.\n"
    )
