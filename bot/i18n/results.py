"""A signal's result in one line, in the reader's language: what `/trades` and the dashboard
show beside each signal.

Written from the data the journal keeps (`Outcome`, `Failure`), so a row read back after a
restart says what the live event said. A row from before outcomes were stored has only its
English line; it is shown as it is. Plain text: the caller escapes it for HTML.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from bot.db.journal import SignalRecord
from bot.db.orders import OrderRecord
from bot.i18n.errors import Written, render_error, render_failure, say
from bot.i18n.numbers import pnl_word, signed_usdt
from bot.outcomes import Outcome
from bot.plans import ResolvedExits
from bot.vocabulary import Category, MarketType, OutcomeKind, Side, SignalStatus

PROTECT_ACTIONS = ("set_stop", "break_even", "set_trailing")


def record_line(lang: str, record: SignalRecord) -> str:
    """What became of a journal row: its outcome, its refusal, or its stored line."""
    outcome = Outcome.from_json(record.outcome_json)
    if outcome is not None:
        return result_line(lang, outcome)
    english = record.result or record.error or ""
    if record.failure is not None:
        return render_failure(lang, record.failure, fallback=english or None)
    if record.error_code and record.status != SignalStatus.DONE:
        return render_error(lang, record.error_code, fallback=english or None)
    return english


def result_line(lang: str, outcome: Outcome) -> Written:
    """What was done, or why not, in one line."""
    if outcome.status != SignalStatus.DONE:
        reason = (render_failure(lang, outcome.failure) if outcome.failure is not None
                  else say(lang, f"status.{outcome.status}"))
        if not outcome.legs:
            return reason
        done = _join(lang, [leg_done(lang, leg) for leg in outcome.legs])
        return say(lang, "result.failed_after", done=done, reason=reason)
    if outcome.kind == OutcomeKind.SKIPPED:
        return _skipped(lang, outcome)
    if outcome.kind == OutcomeKind.NOTHING_TO_CLOSE:
        return _nothing(lang, outcome)
    if outcome.kind == OutcomeKind.PROTECTED:
        return _protected(lang, outcome)
    text = str(_join(lang, [leg_line(lang, leg, outcome) for leg in outcome.legs]))
    if outcome.closed_all_instead:
        text += say(lang, "result.all_of_it", share=outcome.close_share or Decimal(0))
    elif outcome.close_share is not None and outcome.close_share < 100:
        text += say(lang, "result.share", share=outcome.close_share)
    if outcome.account is not None:
        text += say(lang, "result.account", account=outcome.account)
    parts = [Written(text)]
    if outcome.exits is not None:
        parts.append(say(lang, "result.exits", exits=exits_line(lang, outcome.exits)))
    parts += [render_failure(lang, note) for note in outcome.exit_notes]
    return _join(lang, parts)


def leg_line(lang: str, leg: OrderRecord, outcome: Outcome) -> Written:
    """One order: opened, closed (with its PnL after fees), bought or sold."""
    qty, price = leg.filled_qty or leg.qty, leg.avg_price
    if leg.category == Category.SPOT:
        key = "result.leg_bought" if leg.side == Side.BUY else "result.leg_sold"
        return say(lang, key, qty=qty, coin=outcome.base_coin or leg.symbol, symbol=leg.symbol,
                   price=_price(price))
    if leg.reduce_only:
        pnl = leg.pnl_after_fee
        side = leg.side.opposite.direction  # closing a long sells
        if pnl is None:
            return say(lang, "result.leg_closed", side=side, qty=qty, symbol=leg.symbol,
                       price=_price(price))
        return say(lang, "result.leg_closed_pnl", side=side, qty=qty, symbol=leg.symbol,
                   price=_price(price), pnl=pnl_words(lang, pnl), fee=leg.fees)
    leverage = leg.leverage or outcome.leverage  # none for a leg found after a restart
    key = "result.leg_opened" if leverage is not None else "result.leg_opened_bare"
    return say(lang, key, side=leg.side.direction, qty=qty, symbol=leg.symbol,
               price=_price(price), leverage=leverage)


def leg_done(lang: str, leg: OrderRecord) -> Written:
    """An order that went out before the signal failed."""
    return say(lang, "result.leg_done", order_side=leg.side.lower(),
               qty=leg.filled_qty or leg.qty, symbol=leg.symbol)


def exits_line(lang: str, exits: ResolvedExits) -> Written:
    """The exits an opening placed, in a few words."""
    parts = []
    if exits.stop_loss is not None:
        parts.append(say(lang, "result.exit_stop", price=exits.stop_loss))
    if exits.take_profit is not None:
        parts.append(say(lang, "result.exit_take", price=exits.take_profit))
    if exits.targets:
        targets = _join(lang, [say(lang, "result.exit_target", qty=t.qty, price=t.price)
                               for t in exits.targets], comma=True)
        parts.append(say(lang, "result.exit_targets", targets=targets))
    if exits.trailing is not None:
        if exits.activation is None:
            parts.append(say(lang, "result.exit_trailing", distance=exits.trailing))
        else:
            parts.append(say(lang, "result.exit_trailing_from", distance=exits.trailing,
                             price=exits.activation))
    if exits.be_after is not None:
        parts.append(say(lang, "result.exit_be", n=exits.be_after))
    return _join(lang, parts, comma=True) if parts else say(lang, "result.exit_none")


def _skipped(lang: str, outcome: Outcome) -> Written:
    """Already on that side: pyramiding is off, or (`kept`) the alert's `position` says the
    strategy is still there after a partial exit."""
    held = outcome.held or Decimal(0)
    if outcome.market == MarketType.SPOT:
        key = "result.kept_spot" if outcome.kept else "result.skipped_spot"
        return say(lang, key, held=held, coin=outcome.base_coin or "?",
                   action=outcome.action or "?")
    side = (outcome.held_side or Side.BUY).direction
    return say(lang, "result.kept" if outcome.kept else "result.skipped", side=side, held=held,
               symbol=outcome.symbol, action=outcome.action or "?")


def _nothing(lang: str, outcome: Outcome) -> Written:
    if outcome.action in PROTECT_ACTIONS:  # held_side: the side it was for (None: before that)
        key = "result.nothing_protect" + (f"_{outcome.held_side.direction}"
                                          if outcome.held_side is not None else "")
        return say(lang, key, symbol=outcome.symbol)
    if outcome.market == MarketType.SPOT and outcome.action == "close_short":
        return say(lang, "result.nothing_spot_short")
    if outcome.market == MarketType.SPOT:
        return say(lang, "result.nothing_spot", coin=outcome.base_coin or "?",
                   account=outcome.account or "?")
    key = {"close_long": "result.nothing_long",
           "close_short": "result.nothing_short"}.get(outcome.action or "", "result.nothing_open")
    return say(lang, key, symbol=outcome.symbol)


def _protected(lang: str, outcome: Outcome) -> Written:
    what = []
    if outcome.stop_loss is not None:
        what.append(say(lang, "result.protect_stop", price=outcome.stop_loss))
    if outcome.trailing is not None:
        what.append(say(lang, "result.protect_trailing", distance=outcome.trailing))
    return say(lang, "result.protected", symbol=outcome.symbol,
               what=_join(lang, what, comma=True), account=outcome.account or "?")


def pnl_words(lang: str, value: Decimal) -> Written:
    """A PnL as a word and a signed amount: profit +20.00 USDT, خسارة −12.00 USDT."""
    word = pnl_word(lang, value)
    amount = signed_usdt(value)
    return Written(f"{word} {amount}" if word else amount)


def _price(value: Decimal | None) -> Decimal | str:
    return value if value is not None else "?"


def _join(lang: str, parts: Sequence[str], *, comma: bool = False) -> Written:
    return Written(say(lang, "result.comma" if comma else "result.semicolon").join(parts))
