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
