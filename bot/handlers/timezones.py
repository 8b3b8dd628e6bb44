"""A trader's time zone (`/set tz`): parsed, stored and applied. Pure.

Stored as `UTC`, an IANA name as the time zone database spells it (`Asia/Riyadh`), or a fixed
offset `+03:00`. Accepted: those, any case of a name, and offsets written `+3`, `-5`, `+0530`,
`+05:30`, `UTC+3` or `GMT-4`, from -12:00 to +14:00 in quarter hours.
"""

from __future__ import annotations

import re
import time
import zoneinfo
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import cache

DEFAULT = "UTC"
_UTC_NAMES = frozenset({"utc", "gmt", "z", "zulu", "0", "+0", "-0", "+00:00"})
_OFFSET = re.compile(r"^(?:utc|gmt)?\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?$")
_EARLIEST, _LATEST = -12 * 60, 14 * 60  # minutes: every offset in use lies within


@cache
def _names() -> dict[str, str]:
    """Every IANA name, by its lower case (scanning the database once)."""
    return {name.lower(): name for name in zoneinfo.available_timezones()}


def parse(raw: str) -> str | None:
    """The stored form of what the trader typed, or None if it is no time zone."""
    text = raw.strip()
    lowered = text.lower()
    if lowered in _UTC_NAMES:
        return DEFAULT
    offset = _OFFSET.match(lowered)
    if offset is not None:
        sign, hours, minutes = offset.group(1), int(offset.group(2)), int(offset.group(3) or 0)
        total = (hours * 60 + minutes) * (-1 if sign == "-" else 1)
        if minutes % 15 or minutes >= 60 or not _EARLIEST <= total <= _LATEST:
            return None
        if total == 0:
            return DEFAULT
        return f"{sign}{hours:02d}:{minutes:02d}"
    return _names().get(lowered)


def zone(stored: str) -> tzinfo:
    """The tzinfo of a stored time zone (UTC for anything unreadable)."""
    if stored.startswith(("+", "-")):
        hours, minutes = stored[1:].split(":")
        delta = timedelta(hours=int(hours), minutes=int(minutes))
        return timezone(-delta if stored[0] == "-" else delta)
    if stored == DEFAULT or stored.lower() not in _names():
        return UTC
    return zoneinfo.ZoneInfo(stored)


def label(stored: str) -> str:
    """How the time zone is shown: `UTC`, `UTC+03:00`, `Asia/Riyadh`."""
    return f"UTC{stored}" if stored.startswith(("+", "-")) else stored


def describe(stored: str, at: float | None = None) -> str:
    """A zone with its offset now, for a button or the settings: `Asia/Riyadh (UTC+03:00)`."""
    if stored == DEFAULT or stored.startswith(("+", "-")):
        return label(stored)
    offset = local(time.time() if at is None else at, stored).utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    if minutes == 0:
        return f"{stored} (UTC)"
    sign, minutes = ("-" if minutes < 0 else "+"), abs(minutes)
    return f"{stored} (UTC{sign}{minutes // 60:02d}:{minutes % 60:02d})"


def local(timestamp: float, stored: str) -> datetime:
    """A Unix time as a wall-clock time in the trader's zone."""
    return datetime.fromtimestamp(timestamp, zone(stored))
