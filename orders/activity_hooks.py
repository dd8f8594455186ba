"""What the orders app tells `activity` about its pages.

The navigation history shows the catalog item a page was about; which
item a storefront URL shows is this app's knowledge, handed over here
(wired up in OrdersConfig.ready).
"""

from collections.abc import Mapping
from typing import Any

from activity.items import ItemRef, register_item_resolver
from orders.models import ITEM_KIND_ICONS, CatalogItem


def catalog_item_by_slug(kwargs: Mapping[str, Any]) -> ItemRef | None:
    slug = kwargs.get("slug")
    if not isinstance(slug, str):
        return None
    item = CatalogItem.objects.filter(slug=slug).only("pk", "name", "kind").first()
    if item is None:
        return None
    return ItemRef(
        kind=item.kind,
        name=item.name,
        id=item.pk,
        icon=ITEM_KIND_ICONS.get(item.kind, "box"),
    )


def register() -> None:
    register_item_resolver("storefront:item", catalog_item_by_slug)
