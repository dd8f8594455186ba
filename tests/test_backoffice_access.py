"""Who may open each back-office page of People and the profile edit page.

Anonymous visitors go to the login page; shoppers and staff without the
"Store admin" group's permission get 403; store admins get in.
"""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from customers.permissions import STORE_ADMIN_GROUP
from tests.factories import (
    CustomerFactory,
    GroupFactory,
    SavedCardFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def urls(db):
    """(method, url) of every back-office page and action this app adds."""
    card = SavedCardFactory()
    profile = card.customer
    group = GroupFactory()
    base = f"/backoffice/people/users/{profile.pk}"
    return [
        ("get", "/backoffice/people/users/"),
        ("get", f"{base}/edit/"),
        ("post", f"{base}/edit/"),
        ("post", f"{base}/password-reset/"),
        ("post", f"{base}/temporary-password/"),
        ("post", f"{base}/cards/add/"),
        ("post", f"{base}/cards/{card.pk}/default/"),
        ("post", f"{base}/cards/{card.pk}/remove/"),
        ("post", f"{base}/notes/"),
        ("get", "/backoffice/people/groups/"),
        ("post", "/backoffice/people/groups/new/"),
        ("get", f"/backoffice/people/groups/{group.pk}/edit/"),
        ("post", f"/backoffice/people/groups/{group.pk}/edit/"),
        ("get", f"/backoffice/people/groups/{group.pk}/delete/"),
        ("post", f"/backoffice/people/groups/{group.pk}/delete/"),
    ]


def responses(client, urls):
    return [(url, getattr(client, method)(url)) for method, url in urls]


def test_anonymous_visitors_are_sent_to_log_in(urls):
    for url, response in responses(Client(), urls):
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/accounts/login/?next="), url


def test_shoppers_are_refused(shopper_client, urls):
    for url, response in responses(shopper_client, urls):
        assert response.status_code == 403, url


def test_staff_without_the_permission_are_refused(staff_outsider, urls):
    client = Client()
    client.force_login(staff_outsider)

    for url, response in responses(client, urls):
        assert response.status_code == 403, url


def test_a_store_admin_who_is_not_staff_is_refused(urls):
    user = CustomerFactory().user
    user.groups.add(Group.objects.get(name=STORE_ADMIN_GROUP))
    client = Client()
    client.force_login(user)

    for url, response in responses(client, urls):
        assert response.status_code == 403, url


def test_store_admins_get_in(admin_client, urls):
    for url, response in responses(admin_client, urls):
        assert response.status_code in (200, 302), url
        if response.status_code == 302:
            assert "/accounts/login/" not in response.headers["Location"], url


ADMIN_URLS = [
    "/admin/customers/user/",
    "/admin/customers/customerprofile/",
    "/admin/customers/customernote/",
    "/admin/customers/groupdetails/",
]


def test_djangos_admin_opens_for_superusers(db):
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    for url in ADMIN_URLS:
        assert client.get(url).status_code == 200, url


def test_djangos_admin_edit_pages_open_for_superusers(db):
    card = SavedCardFactory()
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    for url in [
        f"/admin/customers/user/{card.customer.user_id}/change/",
        f"/admin/customers/customerprofile/{card.customer_id}/change/",
        "/admin/customers/user/add/",
    ]:
        assert client.get(url).status_code == 200, url


def test_store_admins_do_not_get_djangos_admin_models(admin_client):
    for url in ADMIN_URLS:
        assert admin_client.get(url).status_code == 403, url
