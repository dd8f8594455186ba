from django.urls import path

from orders.views import storefront

app_name = "storefront"

urlpatterns = [
    path("", storefront.catalog, name="catalog"),
    path("items/<slug:slug>/", storefront.item_detail, name="item"),
    path("basket/", storefront.basket_detail, name="basket"),
    path("basket/add/", storefront.basket_add, name="basket_add"),
    path(
        "basket/lines/<int:line_id>/quantity/",
        storefront.basket_line_update,
        name="basket_line_update",
    ),
    path(
        "basket/lines/<int:line_id>/remove/",
        storefront.basket_line_remove,
        name="basket_line_remove",
    ),
    path("checkout/", storefront.checkout, name="checkout"),
    path(
        "checkout/<str:number>/done/",
        storefront.confirmation,
        name="confirmation",
    ),
    path("my/orders/", storefront.my_orders, name="my_orders"),
    path("my/orders/<str:number>/", storefront.my_order, name="my_order"),
]
