from django.shortcuts import get_object_or_404, render

from orders.catalog import items_visible_to


def catalog(request):
    items = items_visible_to(request.user).order_by("kind", "name")
    return render(request, "storefront/catalog.html", {"items": items})


def item_detail(request, slug):
    item = get_object_or_404(items_visible_to(request.user), slug=slug)
    return render(request, "storefront/item_detail.html", {"item": item})
