from django.contrib import admin
from django.urls import include, path

from activity.urls import activity_patterns
from customers.permissions import backoffice_required
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
    # The beacon, and the Customer Navigation History behind the back
    # office's check, about customers.CustomerProfile.
    path(
        "",
        include(
            activity_patterns(
                protect=backoffice_required,
                profile_model="customers.CustomerProfile",
                profile_url_name="customers:edit",
            )
        ),
    ),
    path("admin/", admin.site.urls),
    path("healthz", views.health, name="health"),
]
