"""People > Groups: list with member counts, create, rename, describe, delete."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from activity.models import HistoryEntry
from customers.models import GroupDetails
from customers.permissions import STORE_ADMIN_GROUP
from orders.models import ItemKind
from tests.factories import CatalogItemFactory, CustomerFactory, GroupFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("customers:groups")
CREATE_URL = reverse("customers:group_create")


def edit_url(group) -> str:
    return reverse("customers:group_edit", args=[group.pk])


def delete_url(group) -> str:
    return reverse("customers:group_delete", args=[group.pk])


def test_the_list_shows_each_group_with_its_member_count(admin_client):
    band = GroupFactory(name="Band")
    for profile in CustomerFactory.create_batch(2):
        profile.user.groups.add(band)

    groups = {
        g.name: g.member_count for g in admin_client.get(LIST_URL).context["groups"]
    }

    assert groups["Band"] == 2


def test_the_list_shows_the_description(admin_client):
    GroupDetails.objects.create(group=GroupFactory(), description="Thursday club.")

    assert "Thursday club." in admin_client.get(LIST_URL).content.decode()


def test_the_list_needs_few_queries(admin_client, django_assert_max_num_queries):
    GroupFactory.create_batch(10)

    with django_assert_max_num_queries(8):
        admin_client.get(LIST_URL)


def test_creating_a_group(admin_client):
    admin_client.post(CREATE_URL, {"name": "Chess club", "description": "Fridays."})

    assert Group.objects.get(name="Chess club").details.description == "Fridays."


def test_creating_a_group_is_recorded(admin_client):
    admin_client.post(CREATE_URL, {"name": "Chess club"})

    assert HistoryEntry.objects.get().action == "customers.group.created"


def test_a_duplicate_name_in_another_case_is_a_form_error(admin_client):
    GroupFactory(name="Band")

    response = admin_client.post(CREATE_URL, {"name": "BAND"})

    assert "name" in response.context["form"].errors


def test_an_empty_name_is_a_form_error(admin_client):
    response = admin_client.post(CREATE_URL, {"name": ""})

    assert "name" in response.context["form"].errors


def test_a_ten_thousand_character_name_is_a_form_error(admin_client):
    response = admin_client.post(CREATE_URL, {"name": "x" * 10_000})

    assert "name" in response.context["form"].errors


def test_creating_needs_a_post(admin_client):
    assert admin_client.get(CREATE_URL).status_code == 405


def test_renaming_and_describing_a_group(admin_client):
    group = GroupFactory(name="Band")

    admin_client.post(
        edit_url(group), {"name": "Marching band", "description": "Saturdays."}
    )

    group.refresh_from_db()
    assert (group.name, group.details.description) == ("Marching band", "Saturdays.")


def test_the_store_admin_group_cannot_be_renamed(admin_client):
    group = Group.objects.get(name=STORE_ADMIN_GROUP)

    response = admin_client.post(edit_url(group), {"name": "Office"})

    assert response.status_code == 200 and response.context["form"].errors


def test_the_store_admin_group_can_be_described(admin_client):
    group = Group.objects.get(name=STORE_ADMIN_GROUP)

    admin_client.post(
        edit_url(group), {"name": STORE_ADMIN_GROUP, "description": "Office staff."}
    )

    assert GroupDetails.objects.get(group=group).description == "Office staff."


def test_editing_an_unknown_group_is_not_found(admin_client):
    assert admin_client.get("/backoffice/people/groups/999999/edit/").status_code == 404


def test_deleting_asks_for_confirmation_first(admin_client):
    group = GroupFactory(name="Band")

    response = admin_client.get(delete_url(group))

    assert response.status_code == 200 and Group.objects.filter(pk=group.pk).exists()


def test_deleting_a_group(admin_client):
    group = GroupFactory()

    admin_client.post(delete_url(group))

    assert not Group.objects.filter(pk=group.pk).exists()


def test_the_store_admin_group_is_never_deleted(admin_client):
    group = Group.objects.get(name=STORE_ADMIN_GROUP)

    admin_client.post(delete_url(group))

    assert Group.objects.filter(pk=group.pk).exists()


def test_a_group_granted_by_a_catalog_item_is_not_deleted(admin_client):
    group = GroupFactory()
    CatalogItemFactory(kind=ItemKind.GROUP_MEMBERSHIP, grants_group=group)

    response = admin_client.post(delete_url(group), follow=True)

    assert Group.objects.filter(pk=group.pk).exists() and (
        "Catalog items grant membership" in response.content.decode()
    )


def test_deleting_accepts_only_get_and_post(admin_client):
    assert admin_client.put(delete_url(GroupFactory())).status_code == 405


def test_the_groups_link_is_marked_active_on_people_groups(admin_client):
    html = admin_client.get(LIST_URL).content.decode()

    assert 'active fw-semibold" href="/backoffice/people/groups/"' in html
