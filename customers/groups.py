import logging

from django.contrib.auth.models import Group, Permission

from customers.permissions import STORE_ADMIN_GROUP

logger = logging.getLogger(__name__)


def ensure_store_admin_group(**kwargs) -> Group:
    """Make the "Store admin" group and give it the back-office permission.

    Runs after every migrate, so a new database always has the group.
    """
    group, created = Group.objects.get_or_create(name=STORE_ADMIN_GROUP)
    permission = Permission.objects.get(
        content_type__app_label="customers", codename="access_backoffice"
    )
    group.permissions.add(permission)
    if created:
        logger.info("Created the %s group", STORE_ADMIN_GROUP)
    return group
