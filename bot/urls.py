"""A user's public addresses: the personal webhook and the dashboard.

The webhook URL carries the user's token, which can trade, so it is shown to that user only
(and by the CLI to the operator). The dashboard's carries a read-only, expiring key (see
`bot.web.links`). Pure functions of the config: the bot, the web layer and the CLI share them.
"""

from __future__ import annotations

from bot.config import Config


def _base(config: Config) -> str:
    return config.server.public_url.rstrip("/")


def personal_url(config: Config, user_id: int, token: str) -> str:
    """The URL TradingView posts one user's alerts to."""
    return f"{_base(config)}/personal/{user_id}/webhook?token={token}"


def dashboard_url(config: Config, user_id: int, key: str) -> str:
    """The address of one user's live dashboard, opened by a link's key (read-only)."""
    return f"{_base(config)}/personal/{user_id}/dashboard?key={key}"


def channel_url(config: Config, code: str, token: str) -> str:
    """The URL a signal channel's provider posts its alerts to (it trades for every
    subscriber: only for the channel's admin)."""
    return f"{_base(config)}/channel/{code}/webhook?token={token}"
