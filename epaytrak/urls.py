from django.contrib import admin
from django.urls import include, path

from epaytrak import views

backoffice_patterns = (
    [
        path("", views.backoffice_home, name="home"),
    ],
    "backoffice",
)

urlpatterns = [
    path("", include("orders.storefront_urls")),
    path("accounts/", include("allauth.urls")),
    path("backoffice/", include(backoffice_patterns)),
    path("backoffice/orders/", include("orders.urls")),
    path("backoffice/people/", include("customers.urls")),
    path("backoffice/people/", include("orders.profile_urls")),
    path("admin/", admin.site.urls),
    path("healthz", views.health, name="health"),
]
