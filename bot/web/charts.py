"""The dashboard's PnL picture as a PNG, for Telegram's `/chart [symbol]`.

Same series as the page (`bot.web.dashboard.chart_data`), drawn with matplotlib's Agg backend
in a worker thread, so drawing never holds up the event loop the trades run on. Labels are in
English: matplotlib cannot shape Arabic script without extra packages.
"""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, datetime
from typing import Any

from bot.db import UserNotFound
from bot.signals import normalise_symbol
from bot.web.dashboard import history
from bot.web.facade import DashboardFacade

UP, DOWN, LINE, EXIT, MUTED = "#0a8f5a", "#c62f3b", "#2f6fde", "#1b1f24", "#5b6570"
ACCOUNT_NAMES = {"paper": "paper", "demo": "Bybit demo", "real": "Bybit real"}


async def pnl_png(facade: DashboardFacade, user_id: int, symbol: str | None = None) -> bytes:
    """Draw the user's realised PnL (and, for `symbol` or the latest one, price and trades).

    Raises `UserNotFound` for an unknown user and `BadSignal` for a symbol that cannot be one.
    """
    account = await facade.account(user_id)
    if account is None:
        raise UserNotFound(user_id)
    settings = account[1]
    _, _, charts = await history(facade, user_id, settings.account_type)
    chosen = normalise_symbol(symbol) if symbol else charts["symbol"]
    return await asyncio.to_thread(render_png, charts, chosen)


def _times(values: list[float]) -> list[datetime]:
    return [datetime.fromtimestamp(value, UTC) for value in values]


def render_png(charts: dict[str, Any], symbol: str | None) -> bytes:
    """Render `chart_data`'s series to PNG bytes (blocking: run it in a thread)."""
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
    from matplotlib.figure import Figure

    series = charts["prices"].get(symbol) if symbol else None
    figure = Figure(figsize=(8, 7.2 if series else 4.2), dpi=110, layout="constrained")
    axes = figure.subplots(2 if series else 1, 1, squeeze=False)[:, 0]
    _draw_pnl(axes[0], charts)
    if series:
        _draw_price(axes[1], symbol or "", series)
    for ax in axes:
        locator = AutoDateLocator()
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
        ax.grid(True, alpha=0.25)
        ax.spines[["top", "right"]].set_visible(False)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _draw_pnl(ax: Any, charts: dict[str, Any]) -> None:
    points = charts["pnl"]
    account = ACCOUNT_NAMES.get(charts["account"], charts["account"])
    if not points:
        ax.set_title(f"Realised PnL after fees — {account}", loc="left")
        ax.text(0.5, 0.5, "No trades yet", transform=ax.transAxes, ha="center",
                va="center", color=MUTED, fontsize=13)
        ax.set_yticks([])
        ax.set_xticks([])
        return
    times = _times([p[0] for p in points])
    totals = [0.0] + [p[1] for p in points]
    times = [times[0], *times]
    last = totals[-1]
    color = DOWN if last < 0 else UP
    ax.step(times, totals, where="post", color=color, linewidth=2)
    ax.fill_between(times, totals, step="post", color=color, alpha=0.12)
    ax.axhline(0, color=MUTED, linewidth=0.8)
    ax.set_title(f"Realised PnL after fees — {account}: {last:+.2f} USDT", loc="left")
    ax.set_ylabel("USDT")
    ax.set_xlabel("time (UTC)")


def _draw_levels(ax: Any, levels: list[dict[str, Any]]) -> None:
    """The open plans' lines: targets (dotted once filled), take-profit, stop."""
    named: set[str] = set()
    for level in levels:
        stop = level["kind"] == "stop"
        label = ("stop (break-even)" if level.get("moved") else "stop") if stop \
            else "target filled" if level.get("filled") else "target"
        ax.axhline(level["price"], color=DOWN if stop else UP,
                   linestyle=":" if level.get("filled") else "--",
                   alpha=0.45 if level.get("filled") else 0.9, linewidth=1.2,
                   label=None if label in named else label)
        named.add(label)


def _draw_price(ax: Any, symbol: str, series: dict[str, list[Any]]) -> None:
    line = series["line"]
    ax.plot(_times([p[0] for p in line]), [p[1] for p in line], color=LINE, linewidth=1.6,
            label="price")
    groups = (("entry long", "^", UP, lambda m: not m["exit"] and m["side"] == "Buy"),
              ("entry short", "v", DOWN, lambda m: not m["exit"] and m["side"] == "Sell"),
              ("exit", "X", EXIT, lambda m: m["exit"]))
    for label, marker, color, pick in groups:
        marks = [m for m in series["marks"] if pick(m)]
        if marks:
            ax.scatter(_times([m["at"] for m in marks]), [m["price"] for m in marks],
                       marker=marker, s=90, color=color, edgecolors="white", zorder=3,
                       label=label)
    _draw_levels(ax, series.get("levels") or [])
    ax.set_title(f"{symbol}: price and trades", loc="left")
    ax.set_ylabel("price")
    ax.set_xlabel("time (UTC)")
    ax.legend(loc="best", frameon=False)
