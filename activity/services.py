"""Removing page views: by age (retention) and by customer (erasure)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import QuerySet, Subquery
from django.utils import timezone

from activity import partitions
from activity.history import history_record
from activity.models import PageView

DELETE_BATCH = 5000
VISITOR_CHUNK = 500

Progress = Callable[[int, int], None]


@dataclass
class PruneSummary:
    cutoff: datetime
    partitions_dropped: list[str] = field(default_factory=list)
    rows_dropped: int = 0
    rows_deleted: int = 0

    @property
    def rows_removed(self) -> int:
        return self.rows_dropped + self.rows_deleted


def page_views_prune(
    *,
    older_than_days: int,
    dry_run: bool = False,
    batch_size: int = DELETE_BATCH,
    progress: Progress | None = None,
) -> PruneSummary:
    """Remove the views older than `older_than_days`.

    On PostgreSQL each monthly partition wholly before the cutoff is
    dropped, which costs the same for ten rows as for ten million; the
    rows left over (the cutoff's own month, the DEFAULT partition, or a
    plain table elsewhere) go in batched deletes, each its own short
    transaction. Also makes next month's partition, so a daily prune keeps
    the table ready ahead of time. `progress(done, total)` follows the
    deletes.
    """
    summary = PruneSummary(cutoff=timezone.now() - timedelta(days=older_than_days))
    if not dry_run:
        partitions.page_view_partitions_ensure()

    for partition in partitions.page_view_partitions():
        if partition.end > summary.cutoff:
            continue
        summary.rows_dropped += partitions.partition_row_count(partition)
        summary.partitions_dropped.append(partition.name)
        if not dry_run:
            partitions.page_view_partition_drop(partition)

    old = PageView.objects.filter(viewed_at__lt=summary.cutoff)
    total = old.count()
    if dry_run:
        summary.rows_deleted = total
        return summary
    summary.rows_deleted = delete_in_batches(old, batch_size, total, progress)
    return summary


def delete_in_batches(
    views: QuerySet, batch_size: int, total: int, progress: Progress | None
) -> int:
    deleted = 0
    while True:
        batch = views.order_by().values("pk")[:batch_size]
        count, _ = views.filter(pk__in=Subquery(batch)).delete()
        deleted += count
        if progress is not None:
            progress(deleted, max(total, deleted))
        if count < batch_size:
            return deleted


def page_views_erase(*, user, actor: str, dry_run: bool = False) -> int:
    """Delete every page view of `user`, and the anonymous views of the same
    browsers (their visitor ids), recording the erasure in the history.

    Returns how many views were (or, with `dry_run`, would be) deleted.
    """
    own = PageView.objects.filter(user_id=user.pk)
    visitors = list(own.order_by().values_list("visitor", flat=True).distinct())
    anonymous = [
        PageView.objects.filter(
            user__isnull=True, visitor__in=visitors[start : start + VISITOR_CHUNK]
        )
        for start in range(0, len(visitors), VISITOR_CHUNK)
    ]
    if dry_run:
        return own.count() + sum(views.count() for views in anonymous)

    with transaction.atomic():
        erased = own.delete()[0]
        erased += sum(views.delete()[0] for views in anonymous)
        history_record(
            user,
            "activity.page_views.erased",
            actor=actor,
            changes={"page_views": [erased, 0]},
        )
    return erased
