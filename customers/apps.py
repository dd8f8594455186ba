from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CustomersConfig(AppConfig):
    name = "customers"
    verbose_name = "Customers"

    def ready(self):
        from customers.groups import ensure_store_admin_group

        post_migrate.connect(ensure_store_admin_group, sender=self)
