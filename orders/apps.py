from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = "Orders"

    def ready(self):
        import orders.basket  # noqa: F401  (merges a guest basket at login)
        from customers.signals import customer_renamed
        from orders import profile_sections
        from orders.customer_sync import refresh_order_search_text

        profile_sections.register()
        customer_renamed.connect(refresh_order_search_text)
