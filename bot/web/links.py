"""The dashboard's own credential: a read-only link that expires and can be revoked.

A link's key is `<issued>.<mac>`: `issued` the Unix second it was made, `mac` the HMAC-SHA256
(url-safe base64, 43 characters) of ("botbybit-dashboard-v1", user id, issued, the user's
dashboard epoch) under a key derived from the master key (`SecretBox.derive_key`). Nothing is
stored per link. It opens one user's page and feed, and nothing else: the webhook compares
tokens, and a key is not that user's token. It shows nobody anything but when it was issued.

A link works while `issued <= now < issued + server.dashboard_link_ttl_s`, for the epoch it
was made in: `/dashboard revoke` and `/rotate` add one to the epoch, and every earlier key stops
matching. Checking costs one HMAC and a constant-time comparison of the whole key.
"""

from __future__ import annotations

import base64
import enum
import hashlib
import hmac
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

LABEL = b"botbybit-dashboard-v1"
QUERY = "key"  # /personal/<id>/dashboard?key=<issued>.<mac>, and /ws the same
SHAPE = re.compile(r"(\d{1,12})\.[A-Za-z0-9_-]{43}")
CLOCK_SKEW_S = 60  # a key issued this far "in the future" is still taken (clocks step)


class LinkState(enum.Enum):
    VALID = "valid"
    EXPIRED = "expired"  # genuine, but its time is over
    INVALID = "invalid"  # forged, tampered, truncated, another user's, or revoked


@dataclass(frozen=True)
class LinkCheck:
    state: LinkState
    expires_at: float = 0.0  # for a valid or expired key

    @property
    def valid(self) -> bool:
        return self.state is LinkState.VALID


@dataclass(frozen=True)
class Link:
    key: str
    issued_at: int
    expires_at: int


class DashboardLinks:
    """Issue and check dashboard keys with one secret and one lifetime."""

    def __init__(self, secret: bytes, ttl_s: int, *,
                 clock: Callable[[], float] = time.time) -> None:
        self._secret = secret
        self.ttl_s = ttl_s
        self._clock = clock

    def now(self) -> float:
        return self._clock()

    def _mac(self, user_id: int, issued: int, epoch: int) -> str:
        message = b"|".join((LABEL, str(user_id).encode(), str(issued).encode(),
                             str(epoch).encode()))
        digest = hmac.digest(self._secret, message, hashlib.sha256)
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    def issue(self, user_id: int, epoch: int, *, issued_at: int | None = None) -> Link:
        """A key for the user's current epoch (`issued_at`: now, unless a test moves time)."""
        issued = int(self._clock()) if issued_at is None else issued_at
        return Link(f"{issued}.{self._mac(user_id, issued, epoch)}", issued,
                    issued + self.ttl_s)

    def check(self, user_id: int, epoch: int, given: str | None) -> LinkCheck:
        """Whether `given` opens this user's dashboard now; in constant time for any key of
        the right shape (the whole key is compared with `hmac.compare_digest`)."""
        text = given or ""
        shape = SHAPE.fullmatch(text)
        if shape is None:
            return LinkCheck(LinkState.INVALID)
        issued = int(shape.group(1))
        expected = f"{issued}.{self._mac(user_id, issued, epoch)}"
        if not hmac.compare_digest(expected.encode(), text.encode()):
            return LinkCheck(LinkState.INVALID)
        now = self._clock()
        expires = float(issued + self.ttl_s)
        if issued > now + CLOCK_SKEW_S:
            return LinkCheck(LinkState.INVALID)
        if now >= expires:
            return LinkCheck(LinkState.EXPIRED, expires)
        return LinkCheck(LinkState.VALID, expires)
