"""What a new account starts with: config.yaml's `defaults` section as `UserSettings`."""

from __future__ import annotations

from bot.config import Config
from bot.models import UserSettings


def default_settings(config: Config) -> UserSettings:
    """The settings a newly registered user (and the legacy account) gets."""
    d = config.defaults
    return UserSettings(market_type=d.market_type, trade_amount=d.trade_amount,
                        leverage=d.leverage, account_type=d.account_type)
