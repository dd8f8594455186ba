import pytest

ACTIVE_USERS_LINK = (
    'class="nav-link ps-4 active fw-semibold" href="/backoffice/people/users/"'
)
ACTIVE_GROUPS_LINK = (
    'class="nav-link ps-4 active fw-semibold" href="/backoffice/people/groups/"'
)


@pytest.mark.parametrize("page", ["edit/", "navigation/"])
def test_people_users_is_marked_on_a_customers_pages(admin_client, shopper, page):
    url = f"/backoffice/people/users/{shopper.profile.pk}/{page}"

    html = admin_client.get(url).content.decode()

    assert ACTIVE_USERS_LINK in html
    assert ACTIVE_GROUPS_LINK not in html


def test_people_groups_is_marked_on_the_groups_page(admin_client):
    html = admin_client.get("/backoffice/people/groups/").content.decode()

    assert ACTIVE_GROUPS_LINK in html
    assert ACTIVE_USERS_LINK not in html
