"""One English line for an `Outcome`: the log's, and the journal's `result`/`error` column.

For operators only: they `grep` the log in English. Nothing a trader reads comes from here —
their report, `/trades` and the dashboard are written from the `Outcome` itself, in their
language, by the layer that sends them (bot/handlers/reports.py, bot/i18n/results.py).
"""

from __future__ import annotations

from decimal import Decimal

from bot.db.orders import OrderRecord
from bot.outcomes import Outcome
from bot.plans import ResolvedExits
from bot.vocabulary import MarketType, OutcomeKind, Side, SignalStatus
from bot.wire import plain


def describe(outcome: Outcome) -> str:
    """What was done, or why not, in one line."""
    if outcome.status != SignalStatus.DONE:
        reason = outcome.failure.english if outcome.failure is not None else outcome.status
        if outcome.status == SignalStatus.FAILED and outcome.legs:
            return "; ".join(f"{leg.side} {_qty(leg)} {leg.symbol} done"
                             for leg in outcome.legs) + "; but " + reason
        return reason
    spot = outcome.market == MarketType.SPOT
    if outcome.kind == OutcomeKind.SKIPPED:
        held = plain(outcome.held or Decimal(0))
        side = "long" if spot else (outcome.held_side or Side.BUY).direction
        why = (f"the strategy reduced its {side} and is still {side}, so it is kept as it is"
               if outcome.kept else f"{outcome.action} skipped (pyramiding is off)")
        if spot:
            return f"already holding {held} {outcome.base_coin} bought by this bot; {why}"
        return f"already {side} {held} {outcome.symbol}; {why}"
    if outcome.kind == OutcomeKind.NOTHING_TO_CLOSE:
        if outcome.action in ("set_stop", "break_even", "set_trailing"):
            side = f"{outcome.held_side.direction} " if outcome.held_side is not None else ""
            return f"no open {side}{outcome.symbol} position to protect; nothing done"
        return _nothing(outcome, spot)
    if outcome.kind == OutcomeKind.PROTECTED:
        what = []
        if outcome.stop_loss is not None:
            what.append(f"stop-loss {plain(outcome.stop_loss)}")
        if outcome.trailing is not None:
            what.append(f"trailing stop {plain(outcome.trailing)}")
        return f"{outcome.symbol}: " + ", ".join(what) + f" set [{outcome.account}]"
    if spot:
        parts = [_spot_leg(leg, outcome.base_coin or leg.symbol) for leg in outcome.legs]
    else:
        parts = [_futures_leg(leg, outcome.leverage) for leg in outcome.legs]
    text = "; ".join(parts)
    if outcome.closed_all_instead:
        text += (f" (all of it: {plain(outcome.close_share or Decimal(0))}% would have left "
                 "less than Bybit's minimum order)")
    elif outcome.close_share is not None and outcome.close_share < 100:
        text += f" ({plain(outcome.close_share)}% of the position)"
    text += f" [{outcome.account}]"
    if outcome.exits is not None:
        text += "; exits: " + exits_line(outcome.exits)
    if outcome.exit_notes:
        text += "; " + "; ".join(note.english for note in outcome.exit_notes)
    return text


def exits_line(exits: ResolvedExits) -> str:
    """The exits an opening placed, in a few words."""
    parts = []
    if exits.stop_loss is not None:
        parts.append(f"stop-loss {plain(exits.stop_loss)}")
    if exits.take_profit is not None:
        parts.append(f"take-profit {plain(exits.take_profit)}")
    if exits.targets:
        parts.append("targets " + ", ".join(f"{plain(t.qty)} at {plain(t.price)}"
                                             for t in exits.targets))
    if exits.trailing is not None:
        start = f" from {plain(exits.activation)}" if exits.activation is not None else ""
        parts.append(f"trailing stop {plain(exits.trailing)}{start}")
    if exits.be_after is not None:
        parts.append(f"stop to break-even after target {exits.be_after}")
    return ", ".join(parts) or "none"


def _nothing(outcome: Outcome, spot: bool) -> str:
    if spot and outcome.action == "close_short":
        return "a spot holding is never short, so there is no short to close; nothing done"
    if spot:
        return (f"no {outcome.base_coin} bought by this bot to sell on the "
                f"{outcome.account} account; nothing done")
    side = {"close_long": "long ", "close_short": "short "}.get(outcome.action or "", "open ")
    return f"no {side}{outcome.symbol} position to close; nothing done"


def _qty(leg: OrderRecord) -> str:
    return plain(leg.filled_qty or leg.qty)


def _price(leg: OrderRecord) -> str:
    return plain(leg.avg_price) if leg.avg_price else "?"


def _futures_leg(leg: OrderRecord, leverage: int | None) -> str:
    if leg.reduce_only:
        pnl = "" if leg.realised_pnl is None else f" (PnL {leg.realised_pnl:+.2f} USDT)"
        return (f"closed {leg.side.opposite.direction} {_qty(leg)} {leg.symbol} at "
                f"{_price(leg)}{pnl}")
    return (f"opened {leg.side.direction} {_qty(leg)} {leg.symbol} at {_price(leg)} "
            f"({leverage}x)")


def _spot_leg(leg: OrderRecord, base_coin: str) -> str:
    verb = "bought" if leg.side == Side.BUY else "sold"
    return f"{verb} {_qty(leg)} {base_coin} ({leg.symbol}) at {_price(leg)}"
