"""Django's admin for the orders app: a fallback for support, not the back office.

Orders are read-mostly here: money and status change through the Order
Manager's services, which lock the row and record history. The order
changelist searches exact numbers and e-mail addresses only and sorts on
indexed columns only; its page count is Django's own COUNT, which is why the
Order Manager, not this, is the everyday page.
"""

from django.contrib import admin

from orders.models import (
    Basket,
    BasketLine,
    CatalogItem,
    Order,
    OrderLine,
    OrderNote,
    Payment,
)


@admin.register(CatalogItem)
class CatalogItemAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "price", "is_available"]
    list_filter = ["kind", "is_available"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["allowed_groups"]


class BasketLineInline(admin.TabularInline):
    model = BasketLine
    extra = 0
    raw_id_fields = ["item"]


@admin.register(Basket)
class BasketAdmin(admin.ModelAdmin):
    list_display = ["pk", "customer", "status", "updated_at"]
    list_filter = ["status"]
    list_select_related = ["customer__user"]
    raw_id_fields = ["customer"]
    inlines = [BasketLineInline]
    show_full_result_count = False


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    can_delete = False
    raw_id_fields = ["item"]
    readonly_fields = ["item_name", "item_kind", "unit_price", "quantity", "line_total"]


class PaymentInline(admin.TabularInline):
    model = Payment
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "method", "amount", "reference", "recorded_by"]

    def has_add_permission(self, request, obj=None):
        return False


class OrderNoteInline(admin.TabularInline):
    model = OrderNote
    extra = 0
    readonly_fields = ["author", "is_system", "created_at"]


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["number", "placed_at", "customer", "email", "status", "total"]
    list_select_related = ["customer__user"]
    # Exact matches only: an index answers them, a LIKE over millions would not.
    search_fields = ["=number", "=email"]
    sortable_by = ["number", "placed_at", "total"]
    raw_id_fields = ["customer", "placed_by"]
    readonly_fields = [
        "number",
        "status",
        "total",
        "amount_paid",
        "amount_refunded",
        "payment_method",
        "payment_reference",
        "version",
        "search_text",
        "idempotency_key",
    ]
    inlines = [OrderLineInline, PaymentInline, OrderNoteInline]
    show_full_result_count = False


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ["order", "kind", "method", "amount", "created_at"]
    list_select_related = ["order"]
    raw_id_fields = ["order", "recorded_by"]
    show_full_result_count = False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OrderNote)
class OrderNoteAdmin(admin.ModelAdmin):
    list_display = ["order", "visibility", "is_system", "author", "created_at"]
    list_select_related = ["order", "author"]
    raw_id_fields = ["order", "author"]
    show_full_result_count = False

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_system:
            return False
        return super().has_change_permission(request, obj)
