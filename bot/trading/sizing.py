"""Order sizing in `Decimal`: floor to the instrument's step, check its minimums and maximums.

Every failure names the smallest trade amount (or the limit) that would work.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_FLOOR, Decimal, localcontext

from bot.errors import BadSignal, TradeError
from bot.plans import ExitPlan, Level, check_sides
from bot.trading.models import InstrumentRules
from bot.vocabulary import Side
from bot.wire import plain

CENT = Decimal("0.01")


def floor_to_step(value: Decimal, step: Decimal) -> Decimal:
    """Largest multiple of `step` not above `value`, written with the step's exponent."""
    if step <= 0:
        return value
    return ((value // step) * step).quantize(step, rounding=ROUND_DOWN)


def ceil_to_step(value: Decimal, step: Decimal) -> Decimal:
    if step <= 0:
        return value
    units = (value / step).to_integral_value(rounding=ROUND_CEILING)
    return (units * step).quantize(step)


def _div(numerator: Decimal, denominator: Decimal, rounding: str) -> Decimal:
    """Divide, rounding the last digit the safe way (never above, or never below, the truth)."""
    with localcontext() as context:
        context.rounding = rounding
        return numerator / denominator


def _usdt(value: Decimal, rounding: str) -> str:
    return plain(value.quantize(CENT, rounding=rounding))


def _where(amount: str, from_alert: bool) -> str:
    """Where the trader changes the amount: the alert's own field, or their setting."""
    return f"\"amount\": {amount} in the alert" if from_alert else f"/set amount {amount}"


def futures_min_qty(rules: InstrumentRules, price: Decimal) -> Decimal:
    """The smallest quantity Bybit accepts at this price (min qty and min notional)."""
    by_notional = _div(rules.min_notional, price, ROUND_CEILING)
    return ceil_to_step(max(rules.min_qty, by_notional, rules.qty_step), rules.qty_step)


def futures_qty(amount: Decimal, leverage: int, price: Decimal, rules: InstrumentRules,
                override: Decimal | None = None, *, from_alert: bool = False) -> Decimal:
    """Quantity for a futures open: margin × leverage / price, floored to `qtyStep`.

    Below the minimum, the error names the smallest trade amount (or qty) that works; above
    the largest market order, the largest one.
    """
    if price <= 0:
        raise TradeError(f"no usable price for {rules.symbol}", code="no_price")
    raw = override if override is not None else _div(amount * leverage, price, ROUND_FLOOR)
    qty = floor_to_step(raw, rules.qty_step)
    minimum = futures_min_qty(rules, price)
    coin = rules.base_coin
    if rules.max_mkt_qty is not None and minimum > rules.max_mkt_qty:
        raise TradeError(
            f"at {plain(price)} Bybit's smallest {rules.symbol} order ({plain(minimum)} {coin}) "
            f"is above its largest market order ({plain(rules.max_mkt_qty)} {coin}): this "
            "symbol cannot be traded by market order at this price", code="untradeable")
    if qty < minimum:
        if override is not None:
            raise TradeError(
                f"qty {plain(override)} is below Bybit's minimum of {plain(minimum)} {coin} for "
                f"{rules.symbol} at {plain(price)}: send a qty of at least {plain(minimum)}",
                code="below_minimum")
        needed = _usdt(_div(minimum * price, Decimal(leverage), ROUND_CEILING), ROUND_CEILING)
        raise TradeError(
            f"{plain(amount)} USDT at {leverage}x buys {plain(qty)} {coin}, below Bybit's "
            f"minimum of {plain(minimum)} {coin} for {rules.symbol}; use a trade amount of at "
            f"least {needed} USDT ({_where(needed, from_alert)}) or a higher leverage",
            code="below_minimum")
    if rules.max_mkt_qty is not None and qty > rules.max_mkt_qty:
        largest = plain(rules.max_mkt_qty)
        if override is not None:
            raise TradeError(
                f"qty {plain(qty)} is above Bybit's largest market order of {largest} {coin} "
                f"for {rules.symbol}: send a qty of at most {largest}", code="above_maximum")
        allowed = _usdt(_div(rules.max_mkt_qty * price, Decimal(leverage), ROUND_FLOOR),
                        ROUND_DOWN)
        raise TradeError(
            f"{plain(qty)} {coin} is above Bybit's largest market order of {largest} {coin} "
            f"for {rules.symbol}; use a trade amount of at most {allowed} USDT "
            f"({_where(allowed, from_alert)}) or a lower leverage", code="above_maximum")
    return qty


def spot_buy_amount(amount: Decimal, rules: InstrumentRules, *,
                    from_alert: bool = False) -> Decimal:
    """Quote amount (USDT) for a spot market buy, to `quotePrecision`, above `minOrderAmt`."""
    value = floor_to_step(amount, rules.quote_precision)
    if value < rules.min_order_amt or value <= 0:
        least = plain(ceil_to_step(max(rules.min_order_amt, rules.quote_precision),
                                  rules.quote_precision))
        raise TradeError(
            f"{plain(amount)} {rules.quote_coin} is below Bybit's minimum spot order of "
            f"{plain(rules.min_order_amt)} {rules.quote_coin} for {rules.symbol}; use a trade "
            f"amount of at least {least} ({_where(least, from_alert)})", code="below_minimum")
    return value


def spot_base_qty(qty: Decimal, price: Decimal, rules: InstrumentRules) -> Decimal:
    """Base quantity for a spot order, to `basePrecision`, worth at least `minOrderAmt`."""
    value = floor_to_step(qty, rules.base_precision)
    if value <= 0 or value * price < rules.min_order_amt:
        least = max(ceil_to_step(_div(rules.min_order_amt, price, ROUND_CEILING),
                                 rules.base_precision),
                    rules.base_precision)
        raise TradeError(
            f"{plain(value)} {rules.base_coin} (about {plain((value * price).quantize(CENT))} "
            f"{rules.quote_coin}) is below Bybit's minimum spot order of "
            f"{plain(rules.min_order_amt)} {rules.quote_coin} for {rules.symbol}: at "
            f"{plain(price)} that is at least {plain(least)} {rules.base_coin}",
            code="below_minimum")
    if rules.max_mkt_base_qty is not None and value > rules.max_mkt_base_qty:
        raise TradeError(
            f"{plain(value)} {rules.base_coin} is above Bybit's largest spot market order of "
            f"{plain(rules.max_mkt_base_qty)} {rules.base_coin}", code="above_maximum")
    return value


def check_tp_sl(side: Side, entry: Decimal, take_profit: Decimal | None,
                stop_loss: Decimal | None) -> None:
    """A long's stop is below its entry and its target above; a short's the other way."""
    plan = ExitPlan(stop_loss=None if stop_loss is None else Level(stop_loss),
                    take_profit=None if take_profit is None else Level(take_profit))
    try:
        check_sides(plan, Side(side), entry)
    except BadSignal as refused:
        raise TradeError(refused.message, code=refused.code) from None


def round_price(price: Decimal, tick: Decimal) -> Decimal:
    return floor_to_step(price, tick) if tick > 0 else price
