"""Which catalog items a visitor may see and buy."""

from django.db.models import Exists, OuterRef, QuerySet

from orders.models import CatalogItem


def items_visible_to(user) -> QuerySet[CatalogItem]:
    """Available items, without those limited to groups the user is not in."""
    items = CatalogItem.objects.filter(is_available=True)
    limited = CatalogItem.allowed_groups.through.objects.filter(
        catalogitem_id=OuterRef("pk")
    )
    if not user.is_authenticated:
        return items.exclude(Exists(limited))

    member_of = limited.filter(group__user=user)
    return items.filter(~Exists(limited) | Exists(member_of))


def user_may_buy(user, item: CatalogItem) -> bool:
    return items_visible_to(user).filter(pk=item.pk).exists()
