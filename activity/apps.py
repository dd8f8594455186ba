from django.apps import AppConfig
from django.db.models.signals import post_migrate


def ensure_partitions_after_migrate(sender, using, **kwargs) -> None:
    from activity.partitions import page_view_partitions_ensure

    page_view_partitions_ensure()


class ActivityConfig(AppConfig):
    name = "activity"
    verbose_name = "Activity"

    def ready(self):
        # Connects user_logged_in (a guest's views join the account) and
        # user_logged_out (a new visitor after logout).
        import activity.tracking  # noqa: F401

        post_migrate.connect(ensure_partitions_after_migrate, sender=self)
