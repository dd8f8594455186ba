"""The middleware that records page views."""

import logging
import uuid

from django.conf import settings

from activity import tracking, writer
from activity.ids import new_view_id
from activity.ingest import ViewRecord
from activity.models import UserAgent

logger = logging.getLogger(__name__)

# Raw values are cut to these lengths before they are queued, so a hostile
# request cannot make the queue hold megabytes; activity.ingest cuts them
# again to the stored lengths after cleaning.
PATH_LIMIT = 2000
QUERY_LIMIT = 4000
HEADER_LIMIT = 2000
FORWARDED_LIMIT = 1000

# Pages that are not page views: health checks for load balancers and the
# beacon that reports time on page.
SKIPPED_VIEWS = frozenset({"health", "activity:beacon"})
SKIPPED_PREFIXES = ("/favicon.ico", "/robots.txt", "/healthz")


def skipped_prefixes() -> tuple[str, ...]:
    """Static files and media are not page views."""
    prefixes = list(SKIPPED_PREFIXES)
    for url in (settings.STATIC_URL, settings.MEDIA_URL):
        if url and url.startswith("/") and url != "/":
            prefixes.append(url)
        elif url and "://" not in url:
            prefixes.append(f"/{url}")
    return tuple(prefixes)


class PageViewMiddleware:
    """Records each page view of a visitor, with no database work in the request.

    Before the view it settles the visitor (the cookie's, or a new one) and
    makes the view's id, which the page passes to the time-on-page beacon
    (activity.context_processors). After the view it copies the raw,
    bounded request data into a ViewRecord and hands it to the writer.
    Must come after AuthenticationMiddleware: it reads request.user.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.skipped_prefixes = skipped_prefixes()

    def __call__(self, request):
        if not settings.ACTIVITY_ENABLED or request.path_info.startswith(
            self.skipped_prefixes
        ):
            return self.get_response(request)

        cookie_visitor = tracking.parse_visitor(
            request.COOKIES.get(tracking.VISITOR_COOKIE)
        )
        request.activity_visitor = cookie_visitor or uuid.uuid4()
        request.page_view_id = new_view_id()

        response = self.get_response(request)

        try:
            self.record(request, response)
        except Exception:
            # Never cost the visitor their page for a log line.
            logger.exception("Could not record a page view.")
        if cookie_visitor is None or getattr(request, "activity_rotate_visitor", False):
            visitor = uuid.uuid4() if cookie_visitor else request.activity_visitor
            response.set_cookie(
                tracking.VISITOR_COOKIE,
                visitor.hex,
                **tracking.visitor_cookie_kwargs(),
            )
        return response

    def record(self, request, response) -> None:
        match = request.resolver_match
        view_name = match.view_name if match else ""
        if view_name in SKIPPED_VIEWS:
            return

        # At logout request.user is already anonymous; the signal handler
        # kept who it was (activity.tracking.rotate_at_logout).
        user_id = getattr(request, "activity_user_id", None)
        user = getattr(request, "user", None)
        if user_id is None and user is not None and user.is_authenticated:
            user_id = user.pk

        meta = request.META
        writer.submit(
            ViewRecord(
                id=request.page_view_id,
                visitor=request.activity_visitor,
                user_id=user_id,
                method=request.method or "",
                path=request.path[:PATH_LIMIT],
                query=meta.get("QUERY_STRING", "")[:QUERY_LIMIT],
                referrer=meta.get("HTTP_REFERER", "")[:HEADER_LIMIT],
                remote_addr=meta.get("REMOTE_ADDR", "")[:HEADER_LIMIT],
                forwarded_for=meta.get("HTTP_X_FORWARDED_FOR", "")[-FORWARDED_LIMIT:],
                user_agent=meta.get("HTTP_USER_AGENT", "")[: UserAgent.MAX_LENGTH],
                status=response.status_code,
                view_name=view_name,
                url_kwargs=match.kwargs if match else {},
            )
        )
