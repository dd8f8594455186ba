from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class HistoryEntry(models.Model):
    """One thing an admin (or a command) did to an object of any app.

    `action` is a dotted name such as `customers.email.changed`; `changes`
    maps each changed field to its `[before, after]` pair, and may carry a
    few other small facts about the event.
    """

    action = models.CharField(_("action"), max_length=100)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    # Who acted, as text: kept when the actor's account is gone, and the only
    # name for actors without one ("command: merge_customers").
    actor_label = models.CharField(_("who"), max_length=254)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    changes = models.JSONField(_("changes"), default=dict, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("history entry")
        verbose_name_plural = _("history entries")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "-created_at"],
                name="history_subject_idx",
            ),
        ]

    def __str__(self):
        return f"{self.action} by {self.actor_label}"


class UserAgent(models.Model):
    """One distinct user agent string, parsed once when it is first seen.

    Views point here instead of repeating a long string and its parse on
    every row; the writer keeps a bounded cache of string → id in front.
    """

    # Strings are truncated to this many characters before parsing and
    # storing: real agents are shorter, and the unique index stays small.
    MAX_LENGTH = 512

    string = models.CharField(_("user agent"), max_length=MAX_LENGTH, unique=True)
    browser_family = models.CharField(_("browser"), max_length=100, blank=True)
    browser_version = models.CharField(_("browser version"), max_length=50, blank=True)
    os_family = models.CharField(_("operating system"), max_length=100, blank=True)
    os_version = models.CharField(_("OS version"), max_length=50, blank=True)
    first_seen_at = models.DateTimeField(_("first seen"), default=timezone.now)

    class Meta:
        verbose_name = _("user agent")
        verbose_name_plural = _("user agents")

    def __str__(self):
        return self.label

    @property
    def browser(self) -> str:
        return f"{self.browser_family} {self.browser_version}".strip()

    @property
    def os(self) -> str:
        return f"{self.os_family} {self.os_version}".strip()

    @property
    def label(self) -> str:
        """Browser type and version with the operating system, for tables."""
        return " · ".join(part for part in (self.browser, self.os) if part)


class PageView(models.Model):
    """One page a visitor was shown, storefront or back office.

    The id is made in the request (see activity.tracking.new_view_id) so the
    page can name its own view to the time-on-page beacon before the row is
    written. On PostgreSQL the table is range-partitioned by month on
    `viewed_at`, and its primary key there is (id, viewed_at) as partitioning
    requires; Django keeps treating `id` as the key, which holds because ids
    are unique by construction (activity/migrations/0002 says more).
    """

    id = models.BigIntegerField(primary_key=True, editable=False)
    viewed_at = models.DateTimeField(_("viewed"))
    # The browser, by a first-party cookie: outlives logins, rotated at logout.
    visitor = models.UUIDField(_("visitor"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        # The (user, viewed_at, id) index below serves every lookup by user.
        db_index=False,
        verbose_name=_("customer"),
    )
    method = models.CharField(_("method"), max_length=10)
    url = models.CharField(_("URL"), max_length=2000)
    referrer = models.CharField(_("referrer"), max_length=2000, blank=True)
    ip = models.GenericIPAddressField(_("IP"), null=True, blank=True)
    user_agent = models.ForeignKey(
        UserAgent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name=_("browser"),
    )
    status = models.PositiveSmallIntegerField(_("status"))
    # The catalog item the page showed, as the owning app described it when
    # the view was written (see activity.items): kept as text so the row
    # still reads right after the item is renamed or deleted.
    item_kind = models.CharField(_("item kind"), max_length=30, blank=True)
    item_id = models.BigIntegerField(_("item id"), null=True, blank=True)
    item_name = models.CharField(_("item"), max_length=200, blank=True)
    item_icon = models.CharField(_("item icon"), max_length=40, blank=True)
    # Measured by the beacon script; empty until (unless) it reports.
    time_on_page_ms = models.PositiveIntegerField(
        _("time on page (ms)"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("page view")
        verbose_name_plural = _("page views")
        indexes = [
            models.Index(
                fields=["user", "viewed_at", "id"], name="pageview_user_time_idx"
            ),
            models.Index(
                fields=["visitor", "viewed_at", "id"],
                name="pageview_visitor_time_idx",
            ),
        ]

    def __str__(self):
        return f"{self.method} {self.url}"
