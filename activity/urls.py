"""The activity URLs, which the project wires in (epaytrak/urls.py).

The navigation history pages are back-office pages about a customer
profile: `activity` stands on Django alone, so the project hands over the
check that guards the back office, the profile model ("app.Model", with a
`user`) and the URL name of the profile page the history links back to.
"""

from collections.abc import Callable

from django.urls import URLPattern, path

from activity import views

app_name = "activity"


def activity_patterns(
    *, protect: Callable, profile_model: str, profile_url_name: str
) -> tuple[list[URLPattern], str]:
    """The patterns and namespace, for `include()` at the site's root."""
    customer = {"profile_model": profile_model, "profile_url_name": profile_url_name}
    history = "backoffice/people/users/<int:profile_pk>/navigation/"
    patterns = [
        path("activity/beacon/", views.beacon, name="beacon"),
        path(
            history,
            protect(views.navigation_history),
            customer,
            name="navigation_history",
        ),
        path(
            f"{history}export.csv",
            protect(views.navigation_history_csv),
            customer,
            name="navigation_history_csv",
        ),
    ]
    return patterns, app_name
