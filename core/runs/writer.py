"""A background writer that saves the latest of what it is handed, off the training thread.

:meth:`LatestWriter.submit` queues an item, replacing one that is queued but not begun
(the newer item holds everything the older one did); a thread starts when none runs and
ends as soon as nothing is queued, so no thread outlives the writing and none has to be
stopped. :meth:`LatestWriter.wait` blocks until everything submitted is written.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class LatestWriter(Generic[T]):
    """Calls ``write(item)`` on its own thread for the latest submitted item.

    ``write`` should report its own failures (it runs where nobody can catch them); if it
    raises anyway, the queued item is dropped and the next :meth:`submit` starts afresh.
    """

    def __init__(self, write: Callable[[T], None], name: str = "run-writer") -> None:
        self._write = write
        self._name = name
        self._lock = threading.Lock()
        self._queued: T | None = None
        self._thread: threading.Thread | None = None

    def submit(self, item: T) -> None:
        """Have ``item`` written soon (instead of any item not yet begun)."""
        with self._lock:
            self._queued = item
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=self._name)
                self._thread.start()

    @property
    def busy(self) -> bool:
        """Whether something submitted is not written yet."""
        with self._lock:
            return self._thread is not None

    def wait(self) -> None:
        """Block until everything submitted so far is written."""
        while True:
            with self._lock:
                thread = self._thread
            if thread is None or thread is threading.current_thread():
                return
            thread.join()

    def _run(self) -> None:
        try:
            while True:
                with self._lock:
                    item, self._queued = self._queued, None
                    if item is None:
                        self._thread = None
                        return
                self._write(item)
        except BaseException:
            with self._lock:
                self._thread = self._queued = None
            raise
