from django.urls import path

from customers.views import people

app_name = "customers"

urlpatterns = [
    path("users/", people.users, name="users"),
    path("users/<int:pk>/edit/", people.edit, name="edit"),
    path("groups/", people.groups, name="groups"),
]
