"""Answers of costly reads, kept until the store changes.

A dashboard adds up a year of forms and their findings; twenty reviewers opening it should
not add them up twenty times. Each answer is kept under its key and the store's revision
(orm.StoreRevision), which every committed change raises in the same transaction
(UnitOfWork.commit), so an answer is never served after the change that makes it wrong.
Each server process keeps its own; the revision is read from the database, so processes
need not tell each other anything.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from threading import Lock
from typing import TypeVar

from cachetools import LRUCache

Answer = TypeVar("Answer")
ENTRIES = 512  # e.g. six years × the organisations reviewers pick, of a few hundred KB at most


class ReadCache:
    def __init__(self, entries: int = ENTRIES) -> None:
        self._answers: LRUCache[tuple[Hashable, int], object] = LRUCache(entries)
        self._lock = Lock()  # pages are served from a thread pool

    def get(self, key: Hashable, revision: int, compute: Callable[[], Answer]) -> Answer:
        """The answer kept for `key` at `revision`, computed (outside the lock) if there is none."""
        with self._lock:
            kept = self._answers.get((key, revision))
        if kept is None:
            kept = compute()
            with self._lock:
                self._answers[key, revision] = kept
        return kept  # type: ignore[return-value]
