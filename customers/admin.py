"""Django's admin at /admin/, for superusers. Day-to-day work happens in the
back office, whose services record history; changes here do not."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from customers.models import (
    CustomerNote,
    CustomerProfile,
    GroupDetails,
    SavedCard,
    User,
)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "is_staff", "is_active", "last_login", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            _("Permissions"),
            {
                "fields": [
                    "is_active",
                    "must_change_password",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ]
            },
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "usable_password", "password1", "password2"],
            },
        )
    ]


class SavedCardInline(admin.TabularInline):
    model = SavedCard
    extra = 0
    fields = ["brand", "last4", "exp_month", "exp_year", "holder_name", "is_default"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        # Cards come from the gateway only: the back office's profile page adds them.
        return False


@admin.register(CustomerProfile)
class CustomerProfileAdmin(admin.ModelAdmin):
    list_display = ["__str__", "user", "is_guest", "created_at"]
    list_filter = ["is_guest"]
    list_select_related = ["user"]
    search_fields = ["user__email", "last_name", "first_name"]
    show_full_result_count = False
    raw_id_fields = ["user"]
    readonly_fields = ["version", "search_text", "created_at", "updated_at"]
    inlines = [SavedCardInline]


@admin.register(CustomerNote)
class CustomerNoteAdmin(admin.ModelAdmin):
    list_display = ["__str__", "customer", "author", "created_at"]
    list_select_related = ["customer__user", "author"]
    raw_id_fields = ["customer", "author"]
    show_full_result_count = False


@admin.register(GroupDetails)
class GroupDetailsAdmin(admin.ModelAdmin):
    list_display = ["group", "description"]
    list_select_related = ["group"]
