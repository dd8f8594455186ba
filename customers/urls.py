from django.urls import path

from customers.views import cards, groups, notes, passwords, profile, users

app_name = "customers"

urlpatterns = [
    path("users/", users.users, name="users"),
    path("users/<int:pk>/edit/", profile.edit, name="edit"),
    path(
        "users/<int:pk>/password-reset/",
        passwords.password_reset_send,
        name="password_reset_send",
    ),
    path(
        "users/<int:pk>/temporary-password/",
        passwords.temporary_password_set,
        name="temporary_password_set",
    ),
    path(
        "users/<int:pk>/cards/<int:card_pk>/remove/",
        cards.card_remove,
        name="card_remove",
    ),
    path(
        "users/<int:pk>/cards/<int:card_pk>/default/",
        cards.card_make_default,
        name="card_make_default",
    ),
    path("users/<int:pk>/notes/", notes.note_add, name="note_add"),
    path("groups/", groups.groups, name="groups"),
    path("groups/new/", groups.group_create, name="group_create"),
    path("groups/<int:pk>/edit/", groups.group_edit, name="group_edit"),
    path("groups/<int:pk>/delete/", groups.group_delete, name="group_delete"),
]
