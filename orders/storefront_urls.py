from django.urls import path

from orders.views import storefront

app_name = "storefront"

urlpatterns = [
    path("", storefront.catalog, name="catalog"),
    path("items/<slug:slug>/", storefront.item_detail, name="item"),
]
