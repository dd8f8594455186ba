"""Which catalog item a page showed: a hook the apps that own items fill.

`activity` knows nothing of catalogs. An app registers, for each of its URL
names that shows one item, a function taking the URL's arguments and
returning an ItemRef (or None); the writer calls it when it stores a view
of that URL, so the request itself never waits for it.
"""

import logging
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

logger = logging.getLogger(__name__)


class ItemRef(NamedTuple):
    """An item as the navigation history shows it.

    `kind` is the owning app's word for the sort of item, `icon` a
    Bootstrap Icons name such as "bag".
    """

    kind: str
    name: str
    id: int | None
    icon: str


ItemResolver = Callable[[Mapping[str, Any]], ItemRef | None]

_resolvers: dict[str, ItemResolver] = {}


def register_item_resolver(view_name: str, resolver: ItemResolver) -> None:
    """Tell activity which item a page of `view_name` ("storefront:item") shows."""
    _resolvers[view_name] = resolver


def has_item_resolver(view_name: str) -> bool:
    return view_name in _resolvers


def item_for(view_name: str, kwargs: Mapping[str, Any]) -> ItemRef | None:
    resolver = _resolvers.get(view_name)
    if resolver is None:
        return None
    try:
        return resolver(kwargs)
    except Exception:
        # A broken hook costs the item column, never the view.
        logger.exception("The item resolver for %s failed.", view_name)
        return None
