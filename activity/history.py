"""Recording and reading the history of what admins did to objects.

Business events are rows, not log lines: the back office shows them, and
`manage.py` commands write to the same history with a label for the actor.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from activity.models import HistoryEntry


def changed_fields(
    before: Mapping[str, Any], after: Mapping[str, Any]
) -> dict[str, list[Any]]:
    """The fields whose values differ, as {field: [before, after]}."""
    return {
        name: [before.get(name), after.get(name)]
        for name in after
        if before.get(name) != after.get(name)
    }


def actor_label_for(actor) -> str:
    if actor is None:
        return "system"
    if isinstance(actor, str):
        return actor
    return actor.get_username()


def history_record(
    subject: models.Model,
    action: str,
    *,
    actor=None,
    changes: Mapping[str, Any] | None = None,
) -> HistoryEntry:
    """Write one history row about `subject`.

    `actor` is the user who acted, or a plain label such as
    "command: disable_account" for actors without a login.
    """
    user = None if actor is None or isinstance(actor, str) else actor
    return HistoryEntry.objects.create(
        action=action,
        actor=user,
        actor_label=actor_label_for(actor),
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        changes=dict(changes or {}),
    )


def history_for(subjects: models.Model | Iterable[models.Model]) -> QuerySet:
    """The history rows of one object or several of the same model, newest first."""
    if isinstance(subjects, models.Model):
        subjects = [subjects]
    subjects = list(subjects)
    if not subjects:
        return HistoryEntry.objects.none()

    content_type = ContentType.objects.get_for_model(subjects[0])
    return HistoryEntry.objects.filter(
        content_type=content_type, object_id__in=[subject.pk for subject in subjects]
    ).select_related("actor")
