"""Chart series from stored orders and signals: PnL after fees, price line, trade marks."""

from __future__ import annotations

from decimal import Decimal

from bot.db import SignalRecord
from bot.db.orders import OrderRecord
from bot.signals import Signal
from bot.web.dashboard import chart_data, pnl_points, price_series

D = Decimal


def order(n: int, side: str, qty: str, price: str | None, *, category: str = "linear",
          fee: str = "0", fee_currency: str = "USDT", pnl: str | None = None,
          reduce_only: bool = False, status: str = "filled", account: str = "paper",
          signal_id: int | None = None, symbol: str = "BTCUSDT") -> OrderRecord:
    return OrderRecord(
        signal_id=signal_id or n, user_id=1, leg="o", order_link_id=f"x-{n}",
        account_type=account, category=category, symbol=symbol, side=side, qty=D(qty),
        reduce_only=reduce_only, status=status,
        filled_qty=D(qty) if status in ("filled", "partial") else None,
        avg_price=None if price is None else D(price), fee=D(fee), fee_currency=fee_currency,
        realised_pnl=None if pnl is None else D(pnl), created_at=float(n))


def signal(n: int, symbol: str, price: str | None) -> SignalRecord:
    return SignalRecord(n, 1, "personal", "done",
                        Signal(symbol, "buy", price=None if price is None else D(price)),
                        None, None, None, float(n), None, None)


def test_futures_pnl_is_the_exchanges_realised_pnl_after_fees() -> None:
    points = pnl_points([
        order(1, "Buy", "0.02", "50000", fee="0.55"),
        order(2, "Sell", "0.02", "51000", fee="0.561", pnl="20", reduce_only=True),
        order(3, "Sell", "1", None, status="failed", fee="9"),
        order(4, "Buy", "0.01", "50000", status="placed"),
    ])
    assert [(p.change, p.total) for p in points] == [(D("-0.55"), D("-0.55")),
                                                      (D("19.439"), D("18.889"))]


def test_spot_pnl_is_measured_against_the_average_cost_and_coin_fees_count() -> None:
    points = pnl_points([
        order(1, "Buy", "0.1", "50000", category="spot", fee="0.0001", fee_currency="BTC"),
        order(2, "Buy", "0.1", "54000", category="spot", fee="0.0001", fee_currency="BTC"),
        order(3, "Sell", "0.1", "55000", category="spot", fee="3.025"),
    ])
    # Average cost 52000: selling 0.1 at 55000 realises 300; coin fees are worth 5 and 5.4.
    assert [p.change for p in points] == [D("-5.0000"), D("-5.4000"), D("296.975")]
    assert points[-1].total == D("286.5750")


def test_the_price_line_follows_alerts_and_marks_entries_and_exits() -> None:
    series = price_series(
        [signal(1, "BTCUSDT", "50000"), signal(2, "BTCUSDT", None), signal(3, "ETHUSDT", "3000")],
        [order(10, "Buy", "0.02", "50010", signal_id=1),
         order(11, "Sell", "0.02", "50500", reduce_only=True, signal_id=2),
         order(12, "Sell", "0.1", "2990", category="spot", signal_id=3, symbol="ETHUSDT")])
    btc, eth = series["BTCUSDT"], series["ETHUSDT"]
    assert btc["line"] == [[1.0, 50000.0], [11.0, 50500.0]]  # signal 2 had no price
    assert [(m["side"], m["exit"], m["price"]) for m in btc["marks"]] == [
        ("Buy", False, 50010.0), ("Sell", True, 50500.0)]
    assert eth["line"] == [[3.0, 3000.0]]
    assert [m["exit"] for m in eth["marks"]] == [True]  # a spot sell closes


def test_charts_show_only_the_current_accounts_orders() -> None:
    newest_first = [order(2, "Sell", "1", "10", pnl="5", reduce_only=True, account="demo"),
                    order(1, "Sell", "1", "10", pnl="7", reduce_only=True, account="paper")]
    assert [p[1] for p in chart_data([], newest_first, "paper")["pnl"]] == [7.0]
    assert [p[1] for p in chart_data([], newest_first, "demo")["pnl"]] == [5.0]
