"""The orders app's actions on the customer profile page, under /backoffice/people/."""

from django.urls import path

from orders.views import cards

app_name = "orders_profile"

urlpatterns = [
    path("users/<int:pk>/cards/add/", cards.card_add, name="card_add"),
]
