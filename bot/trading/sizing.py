"""Order sizing in `Decimal`: floor to the instrument's step, check its minimums and maximums.

Every failure names the smallest trade amount (or the limit) that would work.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_FLOOR, Decimal, localcontext

from bot.errors import BadSignal, TradeError
from bot.plans import ExitPlan, Level, check_sides
from bot.trading.models import InstrumentRules
from bot.vocabulary import Side

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


def _usdt(value: Decimal, rounding: str) -> Decimal:
    return value.quantize(CENT, rounding=rounding)


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
        raise TradeError("no_price.signal", symbol=rules.symbol)
    raw = override if override is not None else _div(amount * leverage, price, ROUND_FLOOR)
    qty = floor_to_step(raw, rules.qty_step)
    minimum = futures_min_qty(rules, price)
    coin = rules.base_coin
    if rules.max_mkt_qty is not None and minimum > rules.max_mkt_qty:
        raise TradeError("untradeable", price=price, symbol=rules.symbol, minimum=minimum,
                         coin=coin, maximum=rules.max_mkt_qty)
    if qty < minimum:
        if override is not None:
            raise TradeError("below_minimum.qty", qty=override, minimum=minimum, coin=coin,
                             symbol=rules.symbol, price=price)
        needed = _usdt(_div(minimum * price, Decimal(leverage), ROUND_CEILING), ROUND_CEILING)
        raise TradeError("below_minimum.alert_amount" if from_alert else "below_minimum.amount",
                         amount=amount, leverage=leverage, qty=qty, coin=coin, minimum=minimum,
                         symbol=rules.symbol, needed=needed)
    if rules.max_mkt_qty is not None and qty > rules.max_mkt_qty:
        largest = rules.max_mkt_qty
        if override is not None:
            raise TradeError("above_maximum.qty", qty=qty, maximum=largest, coin=coin,
                             symbol=rules.symbol)
        allowed = _usdt(_div(rules.max_mkt_qty * price, Decimal(leverage), ROUND_FLOOR),
                        ROUND_DOWN)
        raise TradeError("above_maximum.alert_amount" if from_alert else "above_maximum.amount",
                         qty=qty, coin=coin, maximum=largest, symbol=rules.symbol,
                         allowed=allowed)
    return qty


def spot_buy_amount(amount: Decimal, rules: InstrumentRules, *,
                    from_alert: bool = False) -> Decimal:
    """Quote amount (USDT) for a spot market buy, to `quotePrecision`, above `minOrderAmt`."""
    value = floor_to_step(amount, rules.quote_precision)
    if value < rules.min_order_amt or value <= 0:
        least = ceil_to_step(max(rules.min_order_amt, rules.quote_precision),
                             rules.quote_precision)
        raise TradeError(
            "below_minimum.spot_alert_amount" if from_alert else "below_minimum.spot_amount",
            amount=amount, quote=rules.quote_coin, minimum=rules.min_order_amt,
            symbol=rules.symbol, least=least)
    return value


def spot_base_qty(qty: Decimal, price: Decimal, rules: InstrumentRules) -> Decimal:
    """Base quantity for a spot order, to `basePrecision`, worth at least `minOrderAmt`."""
    value = floor_to_step(qty, rules.base_precision)
    if value <= 0 or value * price < rules.min_order_amt:
        least = max(ceil_to_step(_div(rules.min_order_amt, price, ROUND_CEILING),
                                 rules.base_precision),
                    rules.base_precision)
        raise TradeError("below_minimum.spot_qty", qty=value, coin=rules.base_coin,
                         worth=(value * price).quantize(CENT), quote=rules.quote_coin,
                         minimum=rules.min_order_amt, symbol=rules.symbol, price=price,
                         least=least)
    if rules.max_mkt_base_qty is not None and value > rules.max_mkt_base_qty:
        raise TradeError("above_maximum.spot_qty", qty=value, coin=rules.base_coin,
                         maximum=rules.max_mkt_base_qty)
    return value


def check_tp_sl(side: Side, entry: Decimal, take_profit: Decimal | None,
                stop_loss: Decimal | None) -> None:
    """A long's stop is below its entry and its target above; a short's the other way."""
    plan = ExitPlan(stop_loss=None if stop_loss is None else Level(stop_loss),
                    take_profit=None if take_profit is None else Level(take_profit))
    try:
        check_sides(plan, Side(side), entry)
    except BadSignal as refused:
        raise TradeError(refused.key, code=refused.code, **refused.params) from None


def round_price(price: Decimal, tick: Decimal) -> Decimal:
    return floor_to_step(price, tick) if tick > 0 else price
