from django.urls import path

from orders.views import manager

app_name = "orders"

urlpatterns = [
    path("", manager.manager, name="manager"),
    path("<str:number>/", manager.summary, name="summary"),
]
