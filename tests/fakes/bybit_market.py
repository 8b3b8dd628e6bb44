"""Market side of the fake Bybit: instrument rules, prices and their JSON shapes.

Everything here is plain data; the HTTP server lives in ``tests/fakes/bybit.py``.
"""

from __future__ import annotations

import dataclasses
import re
import time
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

LINEAR = "linear"
SPOT = "spot"

# Non-VIP fee rates: derivatives taker 0.055 % / maker 0.02 %, spot 0.1 % either way.
LINEAR_TAKER_FEE = Decimal("0.00055")
LINEAR_MAKER_FEE = Decimal("0.0002")
SPOT_TAKER_FEE = Decimal("0.001")
SPOT_MAKER_FEE = Decimal("0.001")

_PLAIN_NUMBER = re.compile(r"^\d+(\.\d+)?$")


class BybitError(Exception):
    """A business error answered as HTTP 200 with a non-zero retCode."""

    def __init__(self, ret_code: int, ret_msg: str) -> None:
        super().__init__(f"{ret_code} {ret_msg}")
        self.ret_code = ret_code
        self.ret_msg = ret_msg


def now_ms() -> int:
    """Return the wall clock in milliseconds."""
    return int(time.time() * 1000)


def fmt(value: Decimal) -> str:
    """Format a Decimal the way Bybit prints numbers: plain notation, no exponent."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def dec(value: Any) -> Decimal:
    """Turn a Python number or numeric string into a Decimal (floats via ``str``)."""
    return value if isinstance(value, Decimal) else Decimal(str(value))


def parse_wire_number(raw: Any, error: BybitError) -> Decimal:
    """Parse a wire value such as ``"0.001"``; anything else (``1E-3``, ``-1``, ``abc``) fails."""
    text = str(raw)
    if not _PLAIN_NUMBER.match(text):
        raise error
    try:
        return Decimal(text)
    except InvalidOperation:
        raise error from None


def is_multiple(value: Decimal, step: Decimal) -> bool:
    """Return True if ``value`` is a whole multiple of ``step``."""
    return value % step == 0


@dataclass(frozen=True)
class LinearRules:
    """USDT perpetual trading rules (``lotSizeFilter``, ``priceFilter``, ``leverageFilter``)."""

    symbol: str
    base_coin: str
    qty_step: Decimal = Decimal("0.001")
    min_order_qty: Decimal = Decimal("0.001")
    max_order_qty: Decimal = Decimal("1000000")
    max_mkt_order_qty: Decimal = Decimal("100000")
    min_notional_value: Decimal = Decimal("5")
    tick_size: Decimal = Decimal("0.01")
    min_leverage: Decimal = Decimal("1")
    max_leverage: Decimal = Decimal("100")
    leverage_step: Decimal = Decimal("0.01")
    status: str = "Trading"

    def as_json(self) -> dict[str, Any]:
        """Return the /v5/market/instruments-info item for category=linear."""
        return {
            "symbol": self.symbol,
            "contractType": "LinearPerpetual",
            "status": self.status,
            "baseCoin": self.base_coin,
            "quoteCoin": "USDT",
            "settleCoin": "USDT",
            "launchTime": "1585526400000",
            "deliveryTime": "0",
            "deliveryFeeRate": "",
            "priceScale": str(max(0, -self.tick_size.normalize().as_tuple().exponent)),
            "leverageFilter": {
                "minLeverage": fmt(self.min_leverage),
                "maxLeverage": f"{self.max_leverage:.2f}",
                "leverageStep": fmt(self.leverage_step),
            },
            "priceFilter": {
                "minPrice": fmt(self.tick_size),
                "maxPrice": "1999999.80",
                "tickSize": str(self.tick_size),
            },
            "lotSizeFilter": {
                "maxOrderQty": str(self.max_order_qty),
                "maxMktOrderQty": str(self.max_mkt_order_qty),
                "minOrderQty": str(self.min_order_qty),
                "qtyStep": str(self.qty_step),
                "postOnlyMaxOrderQty": str(self.max_order_qty),
                "minNotionalValue": fmt(self.min_notional_value),
            },
            "unifiedMarginTrade": True,
            "fundingInterval": 480,
            "copyTrading": "both",
            "upperFundingRate": "0.00375",
            "lowerFundingRate": "-0.00375",
            "isPreListing": False,
            "preListingInfo": None,
            "riskParameters": {"priceLimitRatioX": "0.01", "priceLimitRatioY": "0.02"},
            "symbolType": "",
        }


@dataclass(frozen=True)
class SpotRules:
    """Spot trading rules; spot has precisions instead of a qtyStep, and no leverage filter."""

    symbol: str
    base_coin: str
    base_precision: Decimal = Decimal("0.000001")
    quote_precision: Decimal = Decimal("0.0000001")
    min_order_amt: Decimal = Decimal("5")
    max_market_order_qty: Decimal = Decimal("1000000")
    max_limit_order_qty: Decimal = Decimal("1000000")
    tick_size: Decimal = Decimal("0.01")
    status: str = "Trading"

    def as_json(self) -> dict[str, Any]:
        """Return the /v5/market/instruments-info item for category=spot."""
        return {
            "symbol": self.symbol,
            "baseCoin": self.base_coin,
            "quoteCoin": "USDT",
            "innovation": "0",
            "status": self.status,
            "marginTrading": "utaOnly",
            "stTag": "0",
            "lotSizeFilter": {
                "basePrecision": str(self.base_precision),
                "quotePrecision": str(self.quote_precision),
                "minOrderQty": str(self.base_precision),
                "maxOrderQty": str(self.max_limit_order_qty),
                "minOrderAmt": fmt(self.min_order_amt),
                "maxOrderAmt": "8000000",
                "maxLimitOrderQty": str(self.max_limit_order_qty),
                "maxMarketOrderQty": str(self.max_market_order_qty),
                "postOnlyMaxLimitOrderSize": "60000",
            },
            "priceFilter": {"tickSize": str(self.tick_size)},
            "riskParameters": {"priceLimitRatioX": "0.05", "priceLimitRatioY": "0.05"},
            "symbolType": "",
        }


Rules = LinearRules | SpotRules

_D = Decimal


def _default_linear() -> list[LinearRules]:
    return [
        LinearRules("BTCUSDT", "BTC", _D("0.001"), _D("0.001"), _D("1190.000"), _D("500.000"),
                    _D("5"), _D("0.10"), max_leverage=_D("100")),
        LinearRules("ETHUSDT", "ETH", _D("0.01"), _D("0.01"), _D("7240.00"), _D("7240.00"),
                    _D("5"), _D("0.01"), max_leverage=_D("100")),
        LinearRules("SOLUSDT", "SOL", _D("0.1"), _D("0.1"), _D("79770.0"), _D("79770.0"),
                    _D("5"), _D("0.010"), max_leverage=_D("75")),
        LinearRules("XRPUSDT", "XRP", _D("1"), _D("1"), _D("6400000"), _D("1000000"),
                    _D("5"), _D("0.0001"), max_leverage=_D("75")),
    ]


def _default_spot() -> list[SpotRules]:
    return [
        SpotRules("BTCUSDT", "BTC", _D("0.000001"), _D("0.0000001"), _D("5"), _D("41.5"),
                  _D("71.73956243"), _D("0.1")),
        SpotRules("ETHUSDT", "ETH", _D("0.00001"), _D("0.0000001"), _D("5"), _D("1229.2336343"),
                  _D("2000"), _D("0.01")),
        SpotRules("SOLUSDT", "SOL", _D("0.0001"), _D("0.0000001"), _D("5"), _D("11000"),
                  _D("50000"), _D("0.01")),
        SpotRules("XRPUSDT", "XRP", _D("0.01"), _D("0.000001"), _D("5"), _D("1000000"),
                  _D("1000000"), _D("0.0001")),
    ]


_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


def _snake(name: str) -> str:
    """``maxMktOrderQty`` -> ``max_mkt_order_qty`` so overrides may use Bybit's spelling."""
    return _CAMEL.sub("_", name).lower()


class Market:
    """Instruments per category and one last price per symbol (shared by linear and spot)."""

    def __init__(self) -> None:
        self.rules: dict[str, dict[str, Rules]] = {
            LINEAR: {r.symbol: r for r in _default_linear()},
            SPOT: {r.symbol: r for r in _default_spot()},
        }
        self.prices: dict[str, Decimal] = {
            "BTCUSDT": _D("50000"), "ETHUSDT": _D("3000"), "SOLUSDT": _D("150"),
            "XRPUSDT": _D("0.6"),
        }

    def set_price(self, symbol: str, price: Decimal | str | int | float) -> None:
        """Move the last/mark price of ``symbol``; market orders fill at it."""
        self.prices[symbol] = dec(price)

    def price(self, symbol: str) -> Decimal:
        """Return the current price of ``symbol``."""
        return self.prices[symbol]

    def set_instrument(self, category: str, symbol: str, **overrides: Any) -> Rules:
        """Change (or create) an instrument; keys in snake_case or Bybit camelCase."""
        fields = {_snake(k): (v if k in ("status", "base_coin", "baseCoin") else dec(v))
                  for k, v in overrides.items()}
        current = self.rules[category].get(symbol)
        if current is None:
            base = fields.pop("base_coin", symbol.removesuffix("USDT"))
            cls = LinearRules if category == LINEAR else SpotRules
            current = cls(symbol=symbol, base_coin=base)
            self.prices.setdefault(symbol, _D("1"))
        updated = dataclasses.replace(current, **fields)
        self.rules[category][symbol] = updated
        return updated

    def linear(self, symbol: str) -> LinearRules:
        """Return linear rules or raise 10001 symbol invalid."""
        rules = self.rules[LINEAR].get(symbol)
        if not isinstance(rules, LinearRules):
            raise BybitError(10001, "params error: symbol invalid")
        return rules

    def spot(self, symbol: str) -> SpotRules:
        """Return spot rules or raise 10001 symbol invalid."""
        rules = self.rules[SPOT].get(symbol)
        if not isinstance(rules, SpotRules):
            raise BybitError(10001, "params error: symbol invalid")
        return rules

    def ticker_json(self, category: str, symbol: str) -> dict[str, Any]:
        """Return one /v5/market/tickers item."""
        p = fmt(self.prices[symbol])
        item: dict[str, Any] = {
            "symbol": symbol, "lastPrice": p, "bid1Price": p, "bid1Size": "1",
            "ask1Price": p, "ask1Size": "1", "prevPrice24h": p, "price24hPcnt": "0",
            "highPrice24h": p, "lowPrice24h": p, "turnover24h": "0", "volume24h": "0",
        }
        if category == SPOT:
            item["usdIndexPrice"] = p
        else:
            item.update({
                "indexPrice": p, "markPrice": p, "prevPrice1h": p, "openInterest": "0",
                "openInterestValue": "0", "fundingRate": "0.0001",
                "nextFundingTime": str(now_ms() + 3_600_000), "predictedDeliveryPrice": "",
                "basisRate": "", "basis": "", "deliveryFeeRate": "", "deliveryTime": "0",
                "preOpenPrice": "", "preQty": "", "curPreListingPhase": "",
                "fundingIntervalHour": "8", "fundingCap": "0.005", "basisRateYear": "",
            })
        return item
