"""Who is browsing: the visitor cookie, and joining a visitor's views to a user.

A visitor is a browser, known by a random id in a first-party cookie of the
store's own. The session key would not do: Django rotates it at login,
which is exactly when a guest's views must stay together. The cookie is
rotated at logout, so that on a shared school computer the next family
starts as a new visitor.
"""

import uuid

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest

from activity import writer
from activity.ingest import visitor_views_claim
from activity.models import PageView

VISITOR_COOKIE = "epaytrak_visitor"
VISITOR_COOKIE_MAX_AGE = 365 * 24 * 60 * 60


def parse_visitor(value: str | None) -> uuid.UUID | None:
    """The visitor id in a cookie value, or None for anything malformed."""
    if not value or len(value) != 32:
        return None
    try:
        return uuid.UUID(hex=value)
    except ValueError:
        return None


def request_visitor(request: HttpRequest) -> uuid.UUID | None:
    """The visitor the middleware settled on for this request, else the cookie's."""
    visitor = getattr(request, "activity_visitor", None)
    if visitor is not None:
        return visitor
    return parse_visitor(request.COOKIES.get(VISITOR_COOKIE))


def attach_visitor_views(request: HttpRequest, user) -> int:
    """Give `user` the current visitor's recent unowned page views.

    Called when a guest logs in or places an order: the views they made
    before belong to that customer from then on. Only a bounded window of
    recent views moves (see activity.ingest.ATTACH_WINDOW). Returns how many
    rows moved now; views still waiting in the writer's queue are claimed
    again once they are written (see activity.writer).
    """
    if user is None or user.pk is None:
        return 0
    # This request's own view (the checkout that placed the order) is
    # written after the response, and belongs to the customer too.
    request.activity_user_id = user.pk
    visitor = request_visitor(request)
    if visitor is None:
        return 0

    moved = visitor_views_claim(visitor=visitor, user_id=user.pk)
    writer.claim_later(visitor=visitor, user_id=user.pk)
    return moved


def page_views_reassign(*, from_user, to_user) -> int:
    """Move every view of one user to another, when two customers are merged."""
    return PageView.objects.filter(user_id=from_user.pk).update(user_id=to_user.pk)


@receiver(user_logged_in, dispatch_uid="activity.attach_at_login")
def attach_at_login(sender, request, user, **kwargs):
    if request is not None:
        attach_visitor_views(request, user)


@receiver(user_logged_out, dispatch_uid="activity.rotate_at_logout")
def rotate_at_logout(sender, request, user, **kwargs):
    """Start a new visitor after logout; this request's view stays the user's."""
    if request is None:
        return
    request.activity_rotate_visitor = True
    if user is not None:
        request.activity_user_id = user.pk


def visitor_cookie_kwargs() -> dict:
    return {
        "max_age": VISITOR_COOKIE_MAX_AGE,
        "httponly": True,
        "samesite": "Lax",
        "secure": settings.SESSION_COOKIE_SECURE,
    }
