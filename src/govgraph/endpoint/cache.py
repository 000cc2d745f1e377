"""A least-recently-used cache of serialized answers, bounded in bytes.

Layer: endpoint. Keys include the store's version, so any write makes every older entry
unreachable; ``drop_older`` then frees them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable

from govgraph.store.base import QueryAnswer


class AnswerCache:
    """Thread-safe LRU of ``QueryAnswer`` keyed by (store version, request)."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._entries: OrderedDict[tuple[int, Hashable], QueryAnswer] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, version: int, key: Hashable) -> QueryAnswer | None:
        """Return the cached answer, or None."""
        with self._lock:
            answer = self._entries.get((version, key))
            if answer is None:
                self.misses += 1
                return None
            self._entries.move_to_end((version, key))
            self.hits += 1
            return answer

    def put(self, version: int, key: Hashable, answer: QueryAnswer) -> None:
        """Keep an answer unless it alone would fill more than a quarter of the cache."""
        size = len(answer.content)
        if size * 4 > self.capacity:
            return
        with self._lock:
            if (version, key) in self._entries:
                return
            self._entries[(version, key)] = answer
            self._size += size
            while self._size > self.capacity:
                _, evicted = self._entries.popitem(last=False)
                self._size -= len(evicted.content)

    def drop_older(self, version: int) -> None:
        """Forget every answer computed before ``version``."""
        with self._lock:
            for entry in [entry for entry in self._entries if entry[0] < version]:
                self._size -= len(self._entries.pop(entry).content)
