from django.utils.functional import SimpleLazyObject

from activity.ids import beacon_token


def page_view(request) -> dict:
    """The signed id of this page's view, for the time-on-page beacon.

    Signed only when a template uses it; empty on pages the middleware
    does not record.
    """
    view_id = getattr(request, "page_view_id", None)
    if view_id is None:
        return {"page_view_token": ""}
    return {"page_view_token": SimpleLazyObject(lambda: beacon_token(view_id))}
