"""Token buckets per operation, starting from Amazon's published usage plans.

Amazon meters each operation per application and seller with a token bucket (rate in
requests per second, burst = bucket size). `x-amzn-RateLimit-Limit`, when sent, is the
rate really applied to this account and only ever lowers ours.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

# operation: (rate per second, burst) — reports_2021-06-30.json, sellers.json, tokens API docs.
USAGE_PLANS: dict[str, tuple[float, int]] = {
    "getReports": (0.0222, 10),
    "createReport": (0.0167, 15),
    "getReport": (2.0, 15),
    "getReportDocument": (0.0167, 15),
    "getMarketplaceParticipations": (0.016, 15),
    "createRestrictedDataToken": (1.0, 10),
    "lwa": (1.0, 10),  # Login with Amazon publishes no plan; a token is needed once an hour
}


class TokenBucket:
    def __init__(self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.burst = burst
        self.tokens = float(burst)
        self.clock = clock
        self.updated = clock()
        self.lock = threading.Lock()

    def _refill(self) -> None:
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now

    def wait_time(self) -> float:
        """Seconds until one token is there (0 when one is there now)."""
        with self.lock:
            self._refill()
            return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate

    def take(self) -> None:
        with self.lock:
            self._refill()
            self.tokens -= 1

    def lower_rate(self, rate: float) -> None:
        with self.lock:
            if 0 < rate < self.rate:
                self.rate = rate


class RateLimiter:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.buckets: dict[str, TokenBucket] = {}

    def bucket(self, operation: str) -> TokenBucket:
        if operation not in self.buckets:
            rate, burst = USAGE_PLANS.get(operation, (1.0, 5))
            self.buckets[operation] = TokenBucket(rate, burst, self.clock)
        return self.buckets[operation]
