"""Who may use the back office.

Staff status alone is not enough: the back office checks its own
permission, which the "Store admin" group carries.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

BACKOFFICE_PERMISSION = "customers.access_backoffice"
STORE_ADMIN_GROUP = "Store admin"


def can_use_backoffice(user) -> bool:
    return user.is_active and user.is_staff and user.has_perm(BACKOFFICE_PERMISSION)


def backoffice_required(view):
    """Send anonymous visitors to log in; refuse everyone else without access."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_use_backoffice(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
