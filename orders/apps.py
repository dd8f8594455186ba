from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = "Orders"

    def ready(self):
        import orders.basket  # noqa: F401  (merges a guest basket at login)
        from customers.signals import customer_renamed
        from orders import activity_hooks, profile_sections
        from orders.customer_sync import refresh_order_search_text

        activity_hooks.register()
        profile_sections.register()
        self.register_place_order_section()
        customer_renamed.connect(refresh_order_search_text)

    def register_place_order_section(self):
        from customers.sections import register_profile_section
        from orders.views.place import place_order_section

        register_profile_section(
            "place_order",
            template="orders/_profile_place_order.html",
            order=40,
            context=place_order_section,
        )
