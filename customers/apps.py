from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CustomersConfig(AppConfig):
    name = "customers"
    verbose_name = "Customers"

    def ready(self):
        from activity.sections import recent_page_views_context
        from customers.sections import register_profile_section

        register_profile_section(
            "recent_page_views",
            template="activity/_recent_page_views.html",
            order=80,
            context=recent_page_views_context,
        )
        from customers.groups import ensure_store_admin_group

        post_migrate.connect(ensure_store_admin_group, sender=self)

        from allauth.account.signals import password_changed, password_reset
        from django.contrib.auth.signals import user_logged_in

        import customers.claims  # noqa: F401  (claims guest profiles on verification)
        from customers.middleware import clear_on_password_change
        from customers.sessions import track_login
        from customers.views import sections

        password_changed.connect(clear_on_password_change)
        password_reset.connect(clear_on_password_change)
        user_logged_in.connect(track_login)
        sections.register()
