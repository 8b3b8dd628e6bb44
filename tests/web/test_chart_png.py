"""The PnL picture that Telegram's `/chart [symbol]` sends."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from bot.db import UserNotFound
from bot.errors import BadSignal
from bot.web.charts import pnl_png
from tests.web.conftest import Trader


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


async def test_chart_png_draws_pnl_and_the_latest_symbols_trades(trader: Trader,
                                                                  tmp_path: Path) -> None:
    empty = await pnl_png(trader.facade, trader.user.id)
    await trader.trade({"symbol": "BTCUSDT", "action": "buy", "price": 50000})
    await trader.trade({"symbol": "BTCUSDT", "action": "close", "price": 50700})
    full = await pnl_png(trader.facade, trader.user.id)
    only_pnl = await pnl_png(trader.facade, trader.user.id, "eth/usdt")
    (tmp_path / "chart.png").write_bytes(full)
    width, height = png_size(full)
    assert png_size(empty) == png_size(only_pnl) == (width, 462)  # one panel
    assert (width, height) == (880, 792)  # PnL above, BTCUSDT price and trades below
    assert png_size(await pnl_png(trader.facade, trader.user.id, "BYBIT:BTCUSDT.P")) == (
        880, 792)  # TradingView's spelling of the symbol works too


async def test_chart_png_refuses_what_cannot_be_drawn(trader: Trader) -> None:
    with pytest.raises(BadSignal):
        await pnl_png(trader.facade, trader.user.id, "not a symbol!")
    with pytest.raises(UserNotFound):
        await pnl_png(trader.facade, 123456789)
