"""The fake Bybit, driven by the real pybit client over real HTTP on 127.0.0.1."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from decimal import Decimal
from typing import Any

import pytest
import requests
from pybit.exceptions import FailedRequestError, InvalidRequestError
from pybit.unified_trading import HTTP

from tests.fakes.bybit import FakeBybit

KEY, SECRET = "test-key", "test-secret"
HEDGE_KEY, SPOT_KEY, POOR_KEY, READ_KEY = "hedge-key", "spot-key", "poor-key", "read-key"

# pybit treats an empty retry_codes set as "use the defaults" (10002, 10006, ...), so a
# code that never occurs is the way to switch its retries off.
NO_RETRY: dict[str, Any] = {"max_retries": 1, "retry_delay": 0, "retry_codes": {-1}}


@pytest.fixture
async def fake() -> AsyncIterator[FakeBybit]:
    async with FakeBybit() as exchange:
        exchange.add_account(KEY, SECRET)
        exchange.add_account(HEDGE_KEY, SECRET, env="demo", position_mode="hedge")
        exchange.add_account(SPOT_KEY, SECRET, coins={"BTC": "0.01"})
        exchange.add_account(POOR_KEY, SECRET, usdt="100")
        exchange.add_account(READ_KEY, SECRET, can_trade=False)
        yield exchange


def client(fake: FakeBybit, key: str = KEY, secret: str = SECRET, **options: Any) -> HTTP:
    session = HTTP(api_key=key, api_secret=secret, **(NO_RETRY | options))
    session.endpoint = fake.url
    return session


async def call(method: Callable[..., Any], **params: Any) -> Any:
    """Run one blocking pybit call off the event loop."""
    return await asyncio.to_thread(method, **params)


async def rejected(method: Callable[..., Any], **params: Any) -> InvalidRequestError:
    with pytest.raises(InvalidRequestError) as caught:
        await call(method, **params)
    return caught.value


def market(side: str, qty: str, symbol: str = "BTCUSDT", **extra: Any) -> dict[str, Any]:
    return {"category": "linear", "symbol": symbol, "side": side, "orderType": "Market",
            "qty": qty, **extra}


# ----------------------------------------------------------------- signing


async def test_signed_get_and_post_are_accepted(fake: FakeBybit) -> None:
    session = client(fake)
    wallet = await call(session.get_wallet_balance, accountType="UNIFIED", coin="USDT")
    await call(session.set_leverage, category="linear", symbol="BTCUSDT",
               buyLeverage="5", sellLeverage="5")

    assert wallet["retCode"] == 0
    assert wallet["result"]["list"][0]["coin"][0]["walletBalance"] == "10000"
    assert fake.account(KEY).leverage_for("BTCUSDT") == Decimal("5")
    assert [(r.method, r.path, r.api_key) for r in fake.requests] == [
        ("GET", "/v5/account/wallet-balance", KEY),
        ("POST", "/v5/position/set-leverage", KEY),
    ]


async def test_signature_covers_an_encoded_cursor_in_the_query(fake: FakeBybit) -> None:
    answer = await call(client(fake).get_open_orders, category="linear", symbol="BTCUSDT",
                        cursor="page%3D1")
    assert answer["retCode"] == 0


async def test_wrong_secret_is_rejected_with_10004(fake: FakeBybit) -> None:
    error = await rejected(client(fake, secret="wrong").get_positions,
                           category="linear", symbol="BTCUSDT")
    assert error.status_code == 10004
    assert error.message.startswith("error sign! origin_string[")


async def test_unknown_key_is_rejected_with_10003(fake: FakeBybit) -> None:
    error = await rejected(client(fake, key="nobody").place_order, **market("Buy", "0.01"))
    assert (error.status_code, error.message) == (10003, "API key is invalid.")
    assert fake.order_log == []


async def test_request_without_auth_headers_gets_http_401(fake: FakeBybit) -> None:
    url = f"{fake.url}/v5/position/list?category=linear&symbol=BTCUSDT"
    answer = await asyncio.to_thread(requests.get, url, timeout=5)
    assert answer.status_code == 401


async def test_skewed_clock_is_rejected_with_10002(fake: FakeBybit) -> None:
    fake.set_clock_offset(-60)
    error = await rejected(client(fake).get_positions, category="linear", symbol="BTCUSDT")
    assert error.status_code == 10002
    assert "recv_window[5000]" in error.message


async def test_key_without_trade_permission_gets_10005(fake: FakeBybit) -> None:
    error = await rejected(client(fake, key=READ_KEY).place_order, **market("Buy", "0.01"))
    assert error.status_code == 10005


# ------------------------------------------------------------- market data


async def test_market_data_needs_no_keys(fake: FakeBybit) -> None:
    public = HTTP(**NO_RETRY)
    public.endpoint = fake.url
    fake.set_price("ETHUSDT", "3100.5")

    tickers = await call(public.get_tickers, category="linear", symbol="ETHUSDT")
    server_time = await call(public.get_server_time)

    assert tickers["result"]["list"][0]["lastPrice"] == "3100.5"
    assert int(server_time["result"]["timeSecond"]) > 1_700_000_000
    assert fake.requests[0].api_key is None


async def test_unknown_symbol_fails_tickers_but_empties_instruments(fake: FakeBybit) -> None:
    public = client(fake)
    error = await rejected(public.get_tickers, category="linear", symbol="NOPEUSDT")
    info = await call(public.get_instruments_info, category="linear", symbol="NOPEUSDT")
    assert error.status_code == 10001
    assert info["result"]["list"] == []


async def test_linear_instruments_paginate_with_cursor(fake: FakeBybit) -> None:
    public = client(fake)
    symbols: list[str] = []
    cursor = None
    while True:
        page = await call(public.get_instruments_info, category="linear", limit=3, cursor=cursor)
        symbols += [item["symbol"] for item in page["result"]["list"]]
        cursor = page["result"]["nextPageCursor"] or None
        if cursor is None:
            break
    assert symbols == ["BTCUSDT", "ETHUSDT", "SOLUSDT", "XRPUSDT"]


async def test_instrument_rules_have_bybit_shapes_and_can_be_overridden(fake: FakeBybit) -> None:
    fake.set_instrument("linear", "BTCUSDT", maxMktOrderQty="100")
    public = client(fake)
    linear = await call(public.get_instruments_info, category="linear", symbol="BTCUSDT")
    spot = await call(public.get_instruments_info, category="spot", symbol="BTCUSDT")
    lot = linear["result"]["list"][0]["lotSizeFilter"]
    spot_lot = spot["result"]["list"][0]["lotSizeFilter"]
    assert (lot["qtyStep"], lot["minOrderQty"], lot["maxMktOrderQty"]) == ("0.001", "0.001", "100")
    assert linear["result"]["list"][0]["leverageFilter"]["maxLeverage"] == "100.00"
    assert (spot_lot["basePrecision"], spot_lot["minOrderAmt"]) == ("0.000001", "5")
    assert "qtyStep" not in spot_lot


# ------------------------------------------------------------------ linear


async def test_one_way_open_and_close_realises_pnl_into_the_wallet(fake: FakeBybit) -> None:
    session = client(fake)
    await call(session.place_order, **market("Buy", "0.01", orderLinkId="open-1"))
    fake.set_price("BTCUSDT", "51000")
    opened = await call(session.get_positions, category="linear", symbol="BTCUSDT")
    await call(session.place_order, **market("Sell", "0.01", reduceOnly=True))
    closed = await call(session.get_positions, category="linear", symbol="BTCUSDT")
    fills = await call(session.get_executions, category="linear", symbol="BTCUSDT")

    row = opened["result"]["list"][0]
    assert (row["side"], row["size"], row["avgPrice"], row["unrealisedPnl"]) == (
        "Buy", "0.01", "50000", "10")
    flat = closed["result"]["list"][0]
    fees = Decimal("0.01") * (50000 + 51000) * Decimal("0.00055")
    assert (flat["side"], flat["size"]) == ("", "0")
    assert Decimal(flat["cumRealisedPnl"]) == 10 - fees
    assert fake.account(KEY).usdt == 10000 + 10 - fees
    assert [f["execFee"] for f in fills["result"]["list"]] == ["0.2805", "0.275"]


async def test_one_way_order_against_the_position_flips_it(fake: FakeBybit) -> None:
    session = client(fake)
    await call(session.place_order, **market("Buy", "0.01"))
    await call(session.place_order, **market("Sell", "0.03"))
    position = fake.account(KEY).position("BTCUSDT")
    assert (position.side, position.size) == ("Sell", Decimal("0.02"))


async def test_reduce_only_larger_than_position_is_capped(fake: FakeBybit) -> None:
    session = client(fake)
    await call(session.place_order, **market("Buy", "0.01"))
    await call(session.place_order, **market("Sell", "0.05", reduceOnly=True,
                                             orderLinkId="close-1"))
    order = await call(session.get_open_orders, category="linear", symbol="BTCUSDT",
                       orderLinkId="close-1")
    item = order["result"]["list"][0]
    assert (item["orderStatus"], item["cumExecQty"], item["reduceOnly"]) == ("Filled", "0.01",
                                                                             True)
    assert not fake.account(KEY).position("BTCUSDT").is_open


async def test_reduce_only_without_position_gets_110017(fake: FakeBybit) -> None:
    error = await rejected(client(fake).place_order, **market("Sell", "0.01", reduceOnly=True))
    assert error.status_code == 110017
    assert fake.order_log == []


async def test_hedge_mode_lists_the_empty_row_first(fake: FakeBybit) -> None:
    session = client(fake, key=HEDGE_KEY)
    await call(session.place_order, **market("Buy", "0.01", positionIdx=1))
    rows = await call(session.get_positions, category="linear", symbol="BTCUSDT")
    assert [(r["positionIdx"], r["side"], r["size"]) for r in rows["result"]["list"]] == [
        (2, "", "0"), (1, "Buy", "0.01")]
    assert fake.account(HEDGE_KEY).env == "demo"


async def test_hedge_mode_closes_a_side_with_its_own_position_idx(fake: FakeBybit) -> None:
    session = client(fake, key=HEDGE_KEY)
    await call(session.place_order, **market("Buy", "0.02", positionIdx=1))
    await call(session.place_order, **market("Sell", "0.01", positionIdx=2))
    await call(session.place_order, **market("Sell", "0.02", positionIdx=1, reduceOnly=True))
    account = fake.account(HEDGE_KEY)
    assert not account.position("BTCUSDT", 1).is_open
    assert account.position("BTCUSDT", 2).size == Decimal("0.01")


@pytest.mark.parametrize(("key", "position_idx"), [(HEDGE_KEY, None), (HEDGE_KEY, 0),
                                                   (KEY, 1), (KEY, 2)])
async def test_position_idx_must_match_the_mode(fake: FakeBybit, key: str,
                                                position_idx: int | None) -> None:
    error = await rejected(client(fake, key=key).place_order,
                           **market("Buy", "0.01", positionIdx=position_idx))
    assert (error.status_code, error.message) == (10001, "position idx not match position mode")


async def test_positions_by_settle_coin_list_only_open_rows(fake: FakeBybit) -> None:
    session = client(fake)
    await call(session.place_order, **market("Buy", "1", symbol="SOLUSDT"))
    await call(session.get_positions, category="linear", symbol="BTCUSDT")
    rows = await call(session.get_positions, category="linear", settleCoin="USDT")
    error = await rejected(session.get_positions, category="linear")
    assert [r["symbol"] for r in rows["result"]["list"]] == ["SOLUSDT"]
    assert error.status_code == 10001


@pytest.mark.parametrize(("symbol", "qty", "code", "message"), [
    ("BTCUSDT", "0.0015", 10001, "Qty invalid"),
    ("ETHUSDT", str(0.1 + 0.2), 10001, "Qty invalid"),
    ("BTCUSDT", "1e-2", 10001, "Qty invalid"),
    ("BTCUSDT", "501", 10001, "The number of contracts exceeds maximum limit allowed: too large"),
    ("XRPUSDT", "1", 110094, None),
    ("NOPEUSDT", "1", 10001, "params error: symbol invalid"),
])
async def test_linear_qty_rules(fake: FakeBybit, symbol: str, qty: str, code: int,
                                message: str | None) -> None:
    error = await rejected(client(fake).place_order, **market("Buy", qty, symbol=symbol))
    assert error.status_code == code
    assert message is None or error.message == message


async def test_qty_below_minimum_is_rejected(fake: FakeBybit) -> None:
    fake.set_instrument("linear", "BTCUSDT", min_order_qty="0.005")
    error = await rejected(client(fake).place_order, **market("Buy", "0.002"))
    assert error.message == "The number of contracts exceeds minimum limit allowed"


async def test_side_must_be_buy_or_sell(fake: FakeBybit) -> None:
    error = await rejected(client(fake).place_order, **market("buy", "0.01"))
    assert (error.status_code, error.message) == (10001, "params error: side invalid")


async def test_opening_without_margin_gets_110007(fake: FakeBybit) -> None:
    error = await rejected(client(fake, key=POOR_KEY).place_order, **market("Buy", "0.03"))
    assert (error.status_code, error.message) == (110007, "ab not enough for new order")


async def test_take_profit_is_checked_and_refused_on_reduce_only(fake: FakeBybit) -> None:
    session = client(fake)
    wrong_side = await rejected(session.place_order,
                                **market("Buy", "0.01", takeProfit="49000"))
    await call(session.place_order, **market("Buy", "0.01", takeProfit="55000",
                                             stopLoss="45000"))
    on_close = await rejected(session.place_order,
                              **market("Sell", "0.01", reduceOnly=True, stopLoss="45000"))
    position = fake.account(KEY).position("BTCUSDT")
    assert wrong_side.status_code == on_close.status_code == 10001
    assert (position.take_profit, position.stop_loss) == (Decimal("55000"), Decimal("45000"))


async def test_duplicate_order_link_id_gets_110072(fake: FakeBybit) -> None:
    session = client(fake)
    await call(session.place_order, **market("Buy", "0.01", orderLinkId="sig-42"))
    error = await rejected(session.place_order, **market("Buy", "0.01", orderLinkId="sig-42"))
    assert (error.status_code, error.message) == (110072, "OrderLinkedID is duplicate")
    assert [o.order_link_id for o in fake.order_log] == ["sig-42"]
    assert fake.duplicate_link_ids() == []


async def test_set_leverage_repeat_gets_110043(fake: FakeBybit) -> None:
    session = client(fake)
    await call(session.set_leverage, category="linear", symbol="BTCUSDT",
               buyLeverage="20", sellLeverage="20")
    error = await rejected(session.set_leverage, category="linear", symbol="BTCUSDT",
                           buyLeverage="20", sellLeverage="20")
    too_high = await rejected(session.set_leverage, category="linear", symbol="SOLUSDT",
                              buyLeverage="100", sellLeverage="100")
    ignored = await call(client(fake, ignore_codes={110043}).set_leverage, category="linear",
                         symbol="BTCUSDT", buyLeverage="20", sellLeverage="20")
    assert (error.status_code, error.message) == (110043, "Set leverage not modified")
    assert too_high.status_code == 10001
    assert ignored["retCode"] == 110043


async def test_switch_mode_refuses_open_positions_and_no_ops(fake: FakeBybit) -> None:
    session = client(fake)
    unchanged = await rejected(session.switch_position_mode, category="linear", coin="USDT",
                               mode=0)
    await call(session.place_order, **market("Buy", "0.01"))
    blocked = await rejected(session.switch_position_mode, category="linear", coin="USDT",
                             mode=3)
    await call(session.place_order, **market("Sell", "0.01", reduceOnly=True))
    await call(session.switch_position_mode, category="linear", coin="USDT", mode=3)
    assert (unchanged.status_code, blocked.status_code) == (110025, 110024)
    assert fake.account(KEY).position_mode == "hedge"


# -------------------------------------------------------------------- spot


def spot(side: str, qty: str, **extra: Any) -> dict[str, Any]:
    return {"category": "spot", "symbol": "BTCUSDT", "side": side, "orderType": "Market",
            "qty": qty, **extra}


async def test_spot_market_buy_spends_quote_and_pays_fee_in_base(fake: FakeBybit) -> None:
    session = client(fake, key=SPOT_KEY)
    await call(session.place_order, **spot("Buy", "100", orderLinkId="spot-buy"))
    order = await call(session.get_order_history, category="spot", orderLinkId="spot-buy")
    item = order["result"]["list"][0]
    account = fake.account(SPOT_KEY)
    assert (item["marketUnit"], item["qty"], item["cumExecQty"]) == ("quoteCoin", "100", "0.002")
    assert account.balance("BTC") == Decimal("0.01") + Decimal("0.002") * Decimal("0.999")
    assert account.usdt == Decimal("9900")


async def test_spot_market_sell_is_in_base_and_pays_fee_in_usdt(fake: FakeBybit) -> None:
    await call(client(fake, key=SPOT_KEY).place_order, **spot("Sell", "0.01"))
    account = fake.account(SPOT_KEY)
    assert account.balance("BTC") == 0
    assert account.usdt == 10000 + Decimal("500") * Decimal("0.999")


async def test_spot_buy_in_base_units(fake: FakeBybit) -> None:
    await call(client(fake, key=SPOT_KEY).place_order,
               **spot("Buy", "0.001", marketUnit="baseCoin"))
    assert fake.account(SPOT_KEY).usdt == Decimal("9950")


@pytest.mark.parametrize(("side", "qty", "code"), [
    ("Buy", "100.00000001", 170148),
    ("Sell", "0.0000001", 170137),
    ("Buy", "4.99", 170140),
    ("Sell", "0.00009", 170140),
    ("Sell", "0.02", 170131),
    ("Buy", "20000", 170131),
])
async def test_spot_precision_and_balance_errors(fake: FakeBybit, side: str, qty: str,
                                                 code: int) -> None:
    error = await rejected(client(fake, key=SPOT_KEY).place_order, **spot(side, qty))
    assert error.status_code == code


async def test_wallet_omits_zero_coins_unless_asked(fake: FakeBybit) -> None:
    session = client(fake)
    everything = await call(session.get_wallet_balance, accountType="UNIFIED")
    asked = await call(session.get_wallet_balance, accountType="UNIFIED", coin="USDT,BTC")
    account = everything["result"]["list"][0]
    assert [c["coin"] for c in account["coin"]] == ["USDT"]
    assert account["totalEquity"] == account["totalAvailableBalance"] == "10000"
    assert [c["coin"] for c in asked["result"]["list"][0]["coin"]] == ["USDT", "BTC"]


# ----------------------------------------------------------- fault injection


async def test_injected_ret_code_is_answered_once(fake: FakeBybit) -> None:
    fake.inject("/v5/order/create", ret_code=10016)
    session = client(fake)
    error = await rejected(session.place_order, **market("Buy", "0.01"))
    await call(session.place_order, **market("Buy", "0.01"))
    assert error.status_code == 10016
    assert len(fake.order_log) == 1


async def test_injected_http_500_is_a_failed_request(fake: FakeBybit) -> None:
    fake.inject("/v5/order/create", http_status=500)
    with pytest.raises(FailedRequestError) as caught:
        await call(client(fake).place_order, **market("Buy", "0.01"))
    assert caught.value.status_code == 500
    assert fake.order_log == []


async def test_injected_garbage_body_cannot_be_decoded(fake: FakeBybit) -> None:
    fake.inject("/v5/position/list", garbage=True)
    with pytest.raises(FailedRequestError) as caught:
        await call(client(fake).get_positions, category="linear", symbol="BTCUSDT")
    assert caught.value.status_code == 409
    assert "Could not decode JSON" in caught.value.message


async def test_injected_close_drops_the_connection(fake: FakeBybit) -> None:
    fake.inject("/v5/order/create", close=True)
    with pytest.raises(requests.exceptions.ConnectionError):
        await call(client(fake).place_order, **market("Buy", "0.01"))
    assert fake.order_log == []


async def test_lost_answer_leaves_an_order_found_by_link_id(fake: FakeBybit) -> None:
    fake.inject("/v5/order/create", close=True, after=True)
    session = client(fake)
    with pytest.raises(requests.exceptions.ConnectionError):
        await call(session.place_order, **market("Buy", "0.01", orderLinkId="lost-1"))
    found = await call(session.get_open_orders, category="linear", symbol="BTCUSDT",
                       orderLinkId="lost-1")
    resent = await rejected(session.place_order, **market("Buy", "0.01", orderLinkId="lost-1"))
    assert [(o["orderLinkId"], o["orderStatus"]) for o in found["result"]["list"]] == [
        ("lost-1", "Filled")]
    assert resent.status_code == 110072
    assert fake.account(KEY).position("BTCUSDT").size == Decimal("0.01")


async def test_slow_exchange_still_places_the_order_after_a_client_timeout(
        fake: FakeBybit) -> None:
    fake.inject("/v5/order/create", delay=1.0)
    with pytest.raises(requests.exceptions.ReadTimeout):
        await call(client(fake, timeout=0.2).place_order, **market("Buy", "0.01"))
    orders = await fake.wait_for_orders(1, timeout=5)
    assert orders[0].symbol == "BTCUSDT"


async def test_latency_applies_to_every_request(fake: FakeBybit) -> None:
    fake.set_latency(1.0)
    with pytest.raises(requests.exceptions.ReadTimeout):
        await call(client(fake, timeout=0.2).get_server_time)
    fake.clear_faults()
    assert (await call(client(fake).get_server_time))["retCode"] == 0


async def test_held_request_is_placed_only_when_released(fake: FakeBybit) -> None:
    held = fake.hold("/v5/order/create")
    placing = asyncio.create_task(call(client(fake).place_order, **market("Buy", "0.01")))
    await held.arrived()
    assert fake.order_log == []
    held.release()
    answer = await placing
    assert answer["result"]["orderId"] == fake.order_log[0].order_id


async def test_wait_for_orders_times_out_with_the_log(fake: FakeBybit) -> None:
    with pytest.raises(TimeoutError, match="expected 1 accepted orders"):
        await fake.wait_for_orders(1, timeout=0.05)


async def test_requests_record_the_decoded_body(fake: FakeBybit) -> None:
    await call(client(fake).place_order, **market("Buy", "0.01", positionIdx=0))
    method, path, params, api_key = fake.requests[-1]
    assert (method, path, api_key) == ("POST", "/v5/order/create", KEY)
    assert params["qty"] == "0.01" and params["positionIdx"] == 0
    assert fake.order_log[0].qty == Decimal("0.01")


async def test_api_key_info_reports_read_only_keys(fake: FakeBybit) -> None:
    trader = await call(client(fake).get_api_key_information)
    reader = await call(client(fake, key=READ_KEY).get_api_key_information)
    assert (trader["result"]["readOnly"], reader["result"]["readOnly"]) == (0, 1)


async def test_limit_order_rests_until_cancelled(fake: FakeBybit) -> None:
    session = client(fake)
    placed = await call(session.place_order, category="linear", symbol="BTCUSDT", side="Buy",
                        orderType="Limit", qty="0.01", price="40000.1")
    resting = await call(session.get_open_orders, category="linear", symbol="BTCUSDT")
    await call(session.cancel_order, category="linear", symbol="BTCUSDT",
               orderId=placed["result"]["orderId"])
    after = await call(session.get_open_orders, category="linear", symbol="BTCUSDT")
    history = await call(session.get_order_history, category="linear", symbol="BTCUSDT")
    assert [o["orderStatus"] for o in resting["result"]["list"]] == ["New"]
    assert after["result"]["list"] == []
    assert [o["orderStatus"] for o in history["result"]["list"]] == ["Cancelled"]
    assert not fake.account(KEY).position("BTCUSDT").is_open
