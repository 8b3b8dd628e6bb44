"""The PnL picture that Telegram's `/chart [symbol]` sends."""

from __future__ import annotations

import re
import struct
import time
from pathlib import Path
from typing import Any

import pytest

from bot.db import UserNotFound
from bot.errors import BadSignal
from bot.web.charts import draw, pnl_png, shapes_arabic
from tests.fakes.telegram_records import as_read
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


def chart_series(now: float) -> dict[str, Any]:
    return {"account": "demo", "symbol": "BTCUSDT",
            "pnl": [[now - 7200, 12.5], [now - 3600, -3.25], [now, 1234.5]],
            "prices": {"BTCUSDT": {
                "line": [[now - 7200, 50000], [now - 3600, 50500], [now, 51000]],
                "marks": [{"at": now - 7200, "price": 50000, "side": "Buy", "exit": False},
                          {"at": now, "price": 51000, "side": "Sell", "exit": True}],
                "levels": [{"kind": "stop", "price": 49000},
                           {"kind": "target", "price": 52000, "filled": True}]}}}


def words_of(figure: Any) -> list[str]:
    """Every text the picture shows: titles, axis labels, legend entries, tick labels."""
    figure.canvas.draw()
    texts: list[str] = []
    for ax in figure.axes:
        texts += [ax.get_title(loc=loc) for loc in ("left", "center", "right")]
        texts += [ax.get_xlabel(), ax.get_ylabel()]
        legend = ax.get_legend()
        texts += [text.get_text() for text in legend.get_texts()] if legend else []
        texts += [label.get_text() for label in ax.get_xticklabels() + ax.get_yticklabels()]
        texts.append(ax.xaxis.get_offset_text().get_text())
    return [text for text in texts if text]


def test_the_chart_speaks_the_traders_language() -> None:
    now = time.time()
    english = words_of(draw(chart_series(now), "BTCUSDT", "en"))
    assert "Realised PnL after fees — Bybit demo: +1,234.50 USDT" in english
    assert {"Time (UTC)", "Price", "Entry long", "Exit", "SL", "TP filled"} <= set(english)
    assert "51,000" in english  # the price axis groups thousands
    arabic_figure = draw(chart_series(now), "BTCUSDT", "ar")
    arabic = [as_read(text) for text in words_of(arabic_figure)]
    if not shapes_arabic():  # a matplotlib without libraqm cannot join Arabic letters
        assert arabic == [as_read(text) for text in english]
        return
    assert arabic_figure.axes[0].get_title(loc="right") == (
        "الربح والخسارة المحققة بعد الرسوم — تجريبي على \u2066Bybit\u2069: "
        "\u2066+1,234.50 USDT\u2069")  # right-aligned, numbers in isolates as in messages
    assert {"الوقت (UTC)", "السعر", "دخول شراء", "خروج", "وقف الخسارة", "هدف منفّذ",
            "السعر والصفقات: BTCUSDT"} <= set(arabic)
    no_english = re.compile(r"\b(?!UTC\b|USDT\b|Bybit\b|BTCUSDT\b)[A-Za-z]{2,}\b")
    assert not [text for text in arabic if no_english.search(text)]  # no month names either
    assert arabic_figure.axes[0].xaxis.label.get_language() == "ar"  # for libraqm's shaping


async def test_chart_png_is_drawn_in_the_users_language(trader: Trader) -> None:
    await trader.trade({"symbol": "BTCUSDT", "action": "buy", "price": 50000})
    english = await pnl_png(trader.facade, trader.user.id)
    await trader.service.users.set_language(trader.user.id, "ar")
    arabic = await pnl_png(trader.facade, trader.user.id)
    assert png_size(arabic) == png_size(english) and arabic != english
    assert await pnl_png(trader.facade, trader.user.id, language="en") == english
