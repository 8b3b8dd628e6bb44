"""A refused alert, told to its owner: the notice (data) and the throttle that spaces notices.

The intake answers a refused alert with a 4xx that TradingView shows nobody, so its owner also
hears of it in Telegram (DESIGN §13) — a channel's alert, the admin who made the channel: at
most once per (account, channel, reason) per `limits.refusal_notice_s`, so an alert that is
wrong every minute makes one message, not sixty. Rate limiting is spaced harder — one notice
a minute at most, whatever that setting says, since each of them answers a flood. A refused
close (or stop move) on a trader's own URL is always told, whatever the reason: the trader
believes a position closed that is still open.

The notice is data, like `Outcome`: the layer that sends writes it in the reader's language.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

RATE_LIMITED = "rate_limited"
RATE_LIMITED_WINDOW_S = 60.0  # the rate limits are per minute
MAX_KEYS = 50_000


@dataclass(frozen=True)
class RefusalNotice:
    """One refused alert, for its owner (the admins on the legacy route; a channel's owner)."""

    user_id: int  # the account the alert was for; the legacy account; the channel's owner
    route: str  # personal | legacy | channel
    code: str  # the refusal's machine code: bad_request, paused, stale_signal, rate_limited…
    message: str  # its English sentence, masked (never a token)
    params: Mapping[str, object] = field(default_factory=dict)  # the error's values, if any
    signal_id: int | None = None  # its journal row; None when not journaled (rate limited)
    symbol: str | None = None  # when the body was read far enough to know them
    action: str | None = None
    always: bool = False  # told whatever the throttle says (a refused close)
    key: str = ""  # its sentence in the catalogs (bot/i18n/errors_*.py), when raised with one
    channel: str | None = None  # a channel's alert: the channel's code, its name, its alert row
    channel_name: str = ""  # (`signal_id` stays None: it names a row of `signals`)
    alert_id: int | None = None


class RefusalSink(Protocol):
    def report_refusal(self, notice: RefusalNotice) -> None:
        """Queue the notice's message; must return at once."""
        ...


class NullRefusalSink:
    """No Telegram bot: the journal and the log are the record."""

    def report_refusal(self, notice: RefusalNotice) -> None:
        return None


class RefusalThrottle:
    """Let one notice per (account, channel, reason) through per window; 0 lets every one
    through."""

    def __init__(self, window_s: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.window_s = window_s
        self.clock = clock  # tests move time by replacing it
        self._last: dict[Hashable, float] = {}

    def window_for(self, code: str) -> float:
        """How long after a notice the next one of this reason waits."""
        if code == RATE_LIMITED:
            return max(self.window_s, RATE_LIMITED_WINDOW_S)
        return self.window_s

    def allow(self, notice: RefusalNotice) -> bool:
        """Whether this notice is told; counts it if so."""
        if notice.always:
            return True
        window = self.window_for(notice.code)
        if window <= 0:
            return True
        now = self.clock()
        key = (notice.user_id, notice.channel, notice.code)
        last = self._last.get(key)
        if last is not None and now - last < window:
            return False
        self._last[key] = now
        if len(self._last) > MAX_KEYS:
            longest = max(self.window_s, RATE_LIMITED_WINDOW_S)
            self._last = {k: at for k, at in self._last.items() if now - at < longest}
        return True
