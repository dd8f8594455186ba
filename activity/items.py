"""Which catalog item a page showed: a hook the apps that own items fill.

`activity` knows nothing of catalogs. An app registers, for each of its URL
names that shows one item, a function taking the URL's arguments and
returning an ItemRef (or None); the writer calls it when it stores a view
of that URL, so the request itself never waits for it.
"""

import logging
import threading
import time
from collections import OrderedDict
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


class ItemCache:
    """Recent answers of the resolvers, so a popular item page costs the
    writer one query a minute rather than one per batch. A renamed item
    shows its new name within TTL seconds."""

    TTL = 60.0
    SIZE = 2000

    def __init__(self):
        self._entries: OrderedDict[tuple, tuple[float, ItemRef | None]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, view_name: str, kwargs: Mapping[str, Any]) -> ItemRef | None:
        if view_name not in _resolvers:
            return None
        try:
            key = (view_name, tuple(sorted(kwargs.items())))
            hash(key)
        except TypeError:
            return item_for(view_name, kwargs)

        now = time.monotonic()
        with self._lock:
            cached = self._entries.get(key)
            if cached is not None and now - cached[0] < self.TTL:
                self._entries.move_to_end(key)
                return cached[1]
        item = item_for(view_name, kwargs)
        with self._lock:
            self._entries[key] = (now, item)
            self._entries.move_to_end(key)
            while len(self._entries) > self.SIZE:
                self._entries.popitem(last=False)
        return item

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


item_cache = ItemCache()
