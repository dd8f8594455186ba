"""The write path: from the request to a queue, from the queue to the database.

The middleware hands each view to `submit()`, which only puts it on a
bounded in-process queue; one daemon thread per process takes it from
there and writes batches (activity.ingest). Small follow-up updates (a
beacon's time on page, a claim of a guest's views) travel through the
same queue as callables, so they run after the views queued before them
are written.

Losing a page view is acceptable, failing a page is not: a full queue or
a database error drops views, counts them and logs a warning at most once
a minute. A graceful shutdown (atexit) waits briefly for the queue to
drain. With ACTIVITY_SYNC_WRITES everything is written at once in the
calling thread instead: for tests and for small sites.
"""

import atexit
import functools
import logging
import os
import queue
import threading
import time
import uuid
from collections.abc import Callable, Sequence

from django.conf import settings
from django.db import close_old_connections, connection, transaction

from activity import ingest, partitions

logger = logging.getLogger(__name__)

WARNING_INTERVAL = 60.0
SHUTDOWN_TIMEOUT = 5.0


class _Flush:
    """A marker in the queue: everything before it has been written."""

    def __init__(self):
        self.done = threading.Event()


class _Stop:
    """A marker in the queue: write what came before, then end the thread."""


MARKERS = (_Flush, _Stop)


class Writer:
    def __init__(self):
        self.dropped = 0
        self.written = 0
        self._queue: queue.Queue | None = None
        self._thread: threading.Thread | None = None
        self._pid: int | None = None
        self._lock = threading.Lock()
        self._dropped_since_warning = 0
        self._warned_at = -WARNING_INTERVAL
        self._partitions_checked_on = None
        self._atexit_registered = False

    def submit(self, item: ingest.ViewRecord | Callable[[], object]) -> bool:
        """Queue a view or a follow-up update; False when it had to be dropped."""
        if settings.ACTIVITY_SYNC_WRITES:
            self.process([item])
            return True
        try:
            self.active_queue().put_nowait(item)
        except queue.Full:
            self.drop(1, "the queue is full")
            return False
        return True

    def active_queue(self) -> queue.Queue:
        """This process's queue, with its thread started.

        Started lazily and again after a fork: a thread does not survive
        into a gunicorn worker forked from a preloaded master.
        """
        if self._pid == os.getpid():
            return self._queue
        with self._lock:
            if self._pid != os.getpid():
                self._queue = queue.Queue(maxsize=settings.ACTIVITY_QUEUE_SIZE)
                self._thread = threading.Thread(
                    target=self._run,
                    args=(self._queue,),
                    name="activity-writer",
                    daemon=True,
                )
                self._thread.start()
                self._pid = os.getpid()
                if not self._atexit_registered:
                    atexit.register(self.flush, SHUTDOWN_TIMEOUT)
                    self._atexit_registered = True
        return self._queue

    def flush(self, timeout: float = SHUTDOWN_TIMEOUT) -> bool:
        """Wait until what is queued now is written; False on timeout."""
        if self._pid != os.getpid() or self._thread is None:
            return True
        marker = _Flush()
        try:
            self._queue.put(marker, timeout=timeout)
        except queue.Full:
            return False
        return marker.done.wait(timeout)

    def stop(self, timeout: float = SHUTDOWN_TIMEOUT) -> None:
        """Write what is queued, then end this process's thread (tests use it)."""
        if self._pid != os.getpid() or self._thread is None:
            return
        self._queue.put(_Stop(), timeout=timeout)
        self._thread.join(timeout)
        self._pid = self._thread = self._queue = None

    def drop(self, count: int, reason: str) -> None:
        with self._lock:
            self.dropped += count
            self._dropped_since_warning += count
            now = time.monotonic()
            if now - self._warned_at < WARNING_INTERVAL:
                return
            self._warned_at = now
            recent, self._dropped_since_warning = self._dropped_since_warning, 0
        logger.warning(
            "Dropped %d page views: %s (%d dropped since start).",
            recent,
            reason,
            self.dropped,
        )

    def process(self, items: Sequence) -> None:
        """Write queued items in order: runs of views as batches, then updates."""
        views: list[ingest.ViewRecord] = []
        for item in items:
            if isinstance(item, ingest.ViewRecord):
                views.append(item)
                continue
            self._write(views)
            views = []
            if isinstance(item, _Flush):
                item.done.set()
            elif not isinstance(item, _Stop):
                self._run_update(item)
        self._write(views)

    def _write(self, views: list[ingest.ViewRecord]) -> None:
        if not views:
            return
        try:
            self.written += ingest.page_views_write(views)
        except Exception as error:
            logger.debug("Writing %d page views failed.", len(views), exc_info=True)
            self.drop(len(views), f"the database refused them ({type(error).__name__})")
            self._reset_connection()

    def _run_update(self, update: Callable[[], object]) -> None:
        try:
            with transaction.atomic():
                update()
        except Exception:
            logger.warning("A page view update failed.", exc_info=True)
            self._reset_connection()

    def _reset_connection(self) -> None:
        # In the writer thread a broken connection would fail every later
        # batch; the next one reconnects. Request threads keep theirs.
        if threading.current_thread() is self._thread:
            connection.close()

    def _run(self, items: queue.Queue) -> None:
        batch_size = settings.ACTIVITY_BATCH_SIZE
        wait = settings.ACTIVITY_FLUSH_MS / 1000
        while True:
            batch = [items.get()]
            deadline = time.monotonic() + wait
            while len(batch) < batch_size and not isinstance(batch[-1], MARKERS):
                remaining = deadline - time.monotonic()
                try:
                    batch.append(items.get(timeout=max(remaining, 0)))
                except queue.Empty:
                    break
            close_old_connections()
            self._ensure_partitions()
            self.process(batch)
            if isinstance(batch[-1], _Stop):
                connection.close()
                return

    def _ensure_partitions(self) -> None:
        """Once a day, make sure next month's partition exists."""
        today = time.strftime("%Y-%m-%d")
        if self._partitions_checked_on == today:
            return
        try:
            partitions.page_view_partitions_ensure()
        except Exception:
            logger.warning("Could not create page view partitions.", exc_info=True)
            self._reset_connection()
            return
        self._partitions_checked_on = today


writer = Writer()


def submit(item: ingest.ViewRecord | Callable[[], object]) -> bool:
    return writer.submit(item)


def claim_later(*, visitor: uuid.UUID, user_id: int) -> None:
    """Claim the visitor's views again once the queue ahead has been written."""
    if settings.ACTIVITY_SYNC_WRITES:
        return
    writer.submit(
        functools.partial(ingest.visitor_views_claim, visitor=visitor, user_id=user_id)
    )


def time_on_page_later(*, view_id: int, milliseconds: int) -> None:
    writer.submit(
        functools.partial(
            ingest.time_on_page_set, view_id=view_id, milliseconds=milliseconds
        )
    )
