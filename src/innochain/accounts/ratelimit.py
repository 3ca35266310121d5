"""Sliding-window rate limits kept in the process (one app process serves everything).

>>> limiter = RateLimiter(limit=2, window=60.0)
>>> [limiter.hit("ip:1", now=0.0), limiter.hit("ip:1", now=1.0), limiter.hit("ip:1", now=2.0)]
[0, 0, 58]
>>> limiter.hit("ip:1", now=61.0)
0
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque

__all__ = ["RateLimiter"]


class RateLimiter:
    """At most `limit` hits per key in any `window` seconds; `limit` 0 turns it off."""

    def __init__(self, *, limit: int, window: float = 60.0, max_keys: int = 100_000) -> None:
        self.limit = limit
        self.window = window
        self.max_keys = max_keys
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str, *, now: float | None = None) -> int:
        """Count one hit; 0 if allowed, else the seconds until the next hit would be."""
        if self.limit <= 0:
            return 0
        now = time.monotonic() if now is None else now
        with self._lock:
            hits = self._hits.get(key)
            if hits is None:
                if len(self._hits) >= self.max_keys:
                    self._forget(now)
                hits = self._hits[key] = deque()
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return max(1, math.ceil(hits[0] + self.window - now))
            hits.append(now)
            return 0

    def _forget(self, now: float) -> None:
        """Drop keys with no hit in the window (bounded memory under many addresses)."""
        stale = [k for k, h in self._hits.items() if not h or h[-1] <= now - self.window]
        for key in stale:
            del self._hits[key]
        if len(self._hits) >= self.max_keys:
            self._hits.clear()
