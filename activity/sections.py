"""The Recent Page Views section of the customer profile page.

The customers app registers it (customers/apps.py); `profile` is any
object with `pk` and `user_id`, so activity never imports customers.
"""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from activity.selectors import page_views_recent


def recent_page_views_context(request: HttpRequest, profile) -> dict[str, Any]:
    return {
        "page_views": page_views_recent(profile.user_id),
        "see_all_url": reverse("activity:navigation_history", args=[profile.pk]),
    }
