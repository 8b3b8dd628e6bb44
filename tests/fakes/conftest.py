"""Shared by the tests of the fake Bybit: the ``fake`` fixture with its accounts, and helpers
that drive it with the real pybit client. (``test_fake_telegram.py`` has its own ``fake``.)"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from pybit.exceptions import InvalidRequestError
from pybit.unified_trading import HTTP

from tests.fakes.bybit import FakeBybit

KEY, SECRET = "test-key", "test-secret"
HEDGE_KEY, SPOT_KEY, POOR_KEY, READ_KEY = "hedge-key", "spot-key", "poor-key", "read-key"

# pybit treats an empty retry_codes set as "use the defaults" (10002, 10006, ...), so a
# code that never occurs is the way to switch its retries off.
NO_RETRY: dict[str, Any] = {"max_retries": 1, "retry_delay": 0, "retry_codes": {-1}}


@pytest.fixture
async def fake() -> AsyncIterator[FakeBybit]:
    async with FakeBybit() as exchange:
        exchange.add_account(KEY, SECRET)
        exchange.add_account(HEDGE_KEY, SECRET, env="demo", position_mode="hedge")
        exchange.add_account(SPOT_KEY, SECRET, coins={"BTC": "0.01"})
        exchange.add_account(POOR_KEY, SECRET, usdt="100")
        exchange.add_account(READ_KEY, SECRET, can_trade=False)
        yield exchange


def client(fake: FakeBybit, key: str = KEY, secret: str = SECRET, **options: Any) -> HTTP:
    session = HTTP(api_key=key, api_secret=secret, **(NO_RETRY | options))
    session.endpoint = fake.url
    return session


async def call(method: Callable[..., Any], **params: Any) -> Any:
    """Run one blocking pybit call off the event loop."""
    return await asyncio.to_thread(method, **params)


async def rejected(method: Callable[..., Any], **params: Any) -> InvalidRequestError:
    with pytest.raises(InvalidRequestError) as caught:
        await call(method, **params)
    return caught.value


def market(side: str, qty: str, symbol: str = "BTCUSDT", **extra: Any) -> dict[str, Any]:
    return {"category": "linear", "symbol": symbol, "side": side, "orderType": "Market",
            "qty": qty, **extra}
