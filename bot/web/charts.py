"""The dashboard's PnL picture as a PNG, for Telegram's `/chart [symbol]`, in the trader's language.

Same series as the page (`bot.web.dashboard.chart_data`), drawn with matplotlib's Agg backend
in a worker thread, so drawing never holds up the event loop the trades run on. Its words are
the dashboard's (bot/web/text.py). Arabic is drawn as Arabic: matplotlib 3.11 lays text out with
libraqm (HarfBuzz shaping, FriBidi ordering), so letters join and a title runs right to left,
with its numbers in isolates as in messages; dates are numeric (no English month names). A
matplotlib without libraqm cannot join Arabic letters, so there the picture stays English.
Numbers carry thousands separators, like every number a trader reads (bot/i18n/numbers.py).
"""

from __future__ import annotations

import asyncio
import io
import math
from datetime import UTC, datetime
from decimal import Decimal
from itertools import pairwise
from typing import Any

from bot.db import UserNotFound
from bot.i18n import RIGHT_TO_LEFT, pick
from bot.i18n.bidi import right_to_left
from bot.i18n.numbers import MINUS, signed_usdt
from bot.signals import normalise_symbol
from bot.web.dashboard import history
from bot.web.facade import DashboardFacade
from bot.web.text import strings

UP, DOWN, LINE, EXIT, MUTED = "#0a8f5a", "#c62f3b", "#2f6fde", "#1b1f24", "#5b6570"
# Numeric dates in every language: Arabic readers get no English month names.
NUMERIC_DATES = {"formats": ["%Y", "%m-%d", "%m-%d", "%H:%M", "%H:%M", "%S.%f"],
                 "zero_formats": ["", "%Y", "%Y-%m-%d", "%m-%d", "%H:%M", "%H:%M"],
                 "offset_formats": ["", "%Y", "%Y-%m", "%Y-%m-%d", "%Y-%m-%d", "%Y-%m-%d %H:%M"]}


def shapes_arabic() -> bool:
    """Whether this matplotlib joins Arabic letters and orders right-to-left text (libraqm)."""
    from matplotlib import ft2font

    return bool(getattr(ft2font, "__libraqm_version__", ""))


def chart_language(language: str) -> str:
    """The picture's language: the trader's, unless matplotlib cannot draw it."""
    return "en" if language in RIGHT_TO_LEFT and not shapes_arabic() else language


class Words:
    """The picture's words in one language, ready for matplotlib (bidi rules applied)."""

    def __init__(self, language: str) -> None:
        self.language = chart_language(language)
        self.rtl = self.language in RIGHT_TO_LEFT
        self._words = strings(self.language)
        # the text's language, for libraqm's shaping (matplotlib 3.11 and later)
        self.text: dict[str, str] = {"language": self.language} if shapes_arabic() else {}

    def __call__(self, key: str, **values: object) -> str:
        text = self._words.get(key, key).format(**values)
        return right_to_left(text) if self.rtl else text

    def title(self, ax: Any, text: str) -> None:
        """A panel's title, at the side its language starts from."""
        ax.set_title(text, loc="right" if self.rtl else "left", **self.text)


async def pnl_png(facade: DashboardFacade, user_id: int, symbol: str | None = None,
                  language: str | None = None) -> bytes:
    """Draw the user's realised PnL (and, for `symbol` or the latest one, price and trades), in
    `language` or else the user's (their /language choice, else Telegram's).

    Raises `UserNotFound` for an unknown user and `BadSignal` for a symbol that cannot be one.
    """
    account = await facade.account(user_id)
    if account is None:
        raise UserNotFound(user_id)
    user, settings = account
    lang = language or pick([user.language, user.telegram_language])
    _, _, charts = await history(facade, user_id, settings.account_type)
    chosen = normalise_symbol(symbol) if symbol else charts["symbol"]
    return await asyncio.to_thread(render_png, charts, chosen, lang)


def _times(values: list[float]) -> list[datetime]:
    return [datetime.fromtimestamp(value, UTC) for value in values]


def render_png(charts: dict[str, Any], symbol: str | None, language: str = "en") -> bytes:
    """Render `chart_data`'s series to PNG bytes (blocking: run it in a thread)."""
    buffer = io.BytesIO()
    draw(charts, symbol, language).savefig(buffer, format="png")
    return buffer.getvalue()


def draw(charts: dict[str, Any], symbol: str | None, language: str = "en") -> Any:
    """The matplotlib Figure: PnL above, and the symbol's price and trades below if it has any."""
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    words = Words(language)
    series = charts["prices"].get(symbol) if symbol else None
    figure = Figure(figsize=(8, 7.2 if series else 4.2), dpi=110, layout="constrained")
    axes = figure.subplots(2 if series else 1, 1, squeeze=False)[:, 0]
    _draw_pnl(axes[0], charts, words)
    if series:
        _draw_price(axes[1], symbol or "", series, words)
    for ax in axes:
        locator = AutoDateLocator()
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(ConciseDateFormatter(locator, **NUMERIC_DATES))
        ax.yaxis.set_major_formatter(FuncFormatter(_grouped_tick(ax)))
        ax.grid(True, alpha=0.25)
        ax.spines[["top", "right"]].set_visible(False)
    return figure


def _grouped_tick(ax: Any) -> Any:
    """Axis numbers with thousands separators, as many decimals as the ticks' spacing needs."""
    def tick(value: float, _position: object) -> str:
        locations = sorted(ax.yaxis.get_majorticklocs())
        steps = [b - a for a, b in pairwise(locations) if b > a]
        step = min(steps, default=1.0)
        places = min(8, max(0, -math.floor(math.log10(step)))) if step < 1 else 0
        return f"{value:,.{places}f}".replace("-", MINUS)
    return tick


def _draw_pnl(ax: Any, charts: dict[str, Any], words: Words) -> None:
    points = charts["pnl"]
    account = words(str(charts["account"]))
    if not points:
        words.title(ax, words("chart_pnl_title", account=account))
        ax.text(0.5, 0.5, words("no_trades"), transform=ax.transAxes, ha="center",
                va="center", color=MUTED, fontsize=13, **words.text)
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
    total = signed_usdt(Decimal(str(last)))
    words.title(ax, words("chart_pnl_total", account=account, total=total))
    ax.set_ylabel("USDT")
    ax.set_xlabel(words("chart_time"), **words.text)


def _draw_levels(ax: Any, levels: list[dict[str, Any]], words: Words) -> None:
    """The open plans' lines: targets (dotted once filled), take-profit, stop."""
    named: set[str] = set()
    for level in levels:
        stop = level["kind"] == "stop"
        key = ("chart_break_even" if level.get("moved") else "chart_stop") if stop \
            else "chart_target_filled" if level.get("filled") else "chart_target"
        label = words(key)
        ax.axhline(level["price"], color=DOWN if stop else UP,
                   linestyle=":" if level.get("filled") else "--",
                   alpha=0.45 if level.get("filled") else 0.9, linewidth=1.2,
                   label=None if label in named else label)
        named.add(label)


def _draw_price(ax: Any, symbol: str, series: dict[str, list[Any]], words: Words) -> None:
    line = series["line"]
    ax.plot(_times([p[0] for p in line]), [p[1] for p in line], color=LINE, linewidth=1.6,
            label=words("price"))
    groups = (("chart_entry_long", "^", UP, lambda m: not m["exit"] and m["side"] == "Buy"),
              ("chart_entry_short", "v", DOWN,
               lambda m: not m["exit"] and m["side"] == "Sell"),
              ("exit", "X", EXIT, lambda m: m["exit"]))
    for key, marker, color, chosen in groups:
        marks = [m for m in series["marks"] if chosen(m)]
        if marks:
            ax.scatter(_times([m["at"] for m in marks]), [m["price"] for m in marks],
                       marker=marker, s=90, color=color, edgecolors="white", zorder=3,
                       label=words(key))
    _draw_levels(ax, series.get("levels") or [], words)
    words.title(ax, words("chart_price_title", symbol=symbol))
    ax.set_ylabel(words("price"), **words.text)
    ax.set_xlabel(words("chart_time"), **words.text)
    legend = ax.legend(loc="best", frameon=False, markerfirst=not words.rtl)
    for text in legend.get_texts() if words.text else ():
        text.set_language(words.language)
