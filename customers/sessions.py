"""Ending a customer's open sessions.

allauth's usersessions keeps a row per logged-in session, written at every
allauth login; `track_login` adds the logins made outside allauth (Django's
admin login), so that every session can be found without scanning the
session table. A session that is still missed belongs to a disabled user
that Django's auth backend refuses on its next request.
"""

import logging

from allauth.usersessions.adapter import get_adapter
from allauth.usersessions.models import UserSession
from django.core.exceptions import PermissionDenied

logger = logging.getLogger(__name__)


def sessions_end(user) -> int:
    """End every tracked session of `user` at once; answers how many."""
    sessions = list(UserSession.objects.filter(user_id=user.pk))
    get_adapter().end_sessions(sessions)
    return len(sessions)


def track_login(sender, request, user, **kwargs) -> None:
    """Receiver of Django's user_logged_in: keep a usersessions row for the login."""
    session = getattr(request, "session", None)
    if request is None or session is None:
        return
    try:
        UserSession.objects.create_from_request(request, user=user, session=session)
    except PermissionDenied:
        # No client address, as in the test client's force_login.
        logger.debug("Login of user %s not tracked: no client address", user.pk)
