"""Token-bucket rate limits keyed by user or source address."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Hashable

MAX_KEYS = 50_000


class RateLimiter:
    """Allow `per_minute` hits per key, refilled continuously; 0 turns the limit off."""

    def __init__(self, per_minute: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self._rate = per_minute / 60.0
        self._clock = clock
        self._buckets: dict[Hashable, tuple[float, float]] = {}

    def hit(self, key: Hashable) -> int:
        """Take one token; return 0 if allowed, else the seconds to wait (at least 1)."""
        if self.per_minute <= 0:
            return 0
        now = self._clock()
        tokens, last = self._buckets.get(key, (float(self.per_minute), now))
        tokens = min(float(self.per_minute), tokens + (now - last) * self._rate)
        if tokens < 1.0:
            self._buckets[key] = (tokens, now)
            return max(1, math.ceil((1.0 - tokens) / self._rate))
        self._buckets[key] = (tokens - 1.0, now)
        if len(self._buckets) > MAX_KEYS:
            self._prune(now)
        return 0

    def _prune(self, now: float) -> None:
        """Drop buckets that have refilled completely: they hold no information."""
        full_after = self.per_minute / self._rate
        self._buckets = {key: value for key, value in self._buckets.items()
                         if now - value[1] < full_after}
