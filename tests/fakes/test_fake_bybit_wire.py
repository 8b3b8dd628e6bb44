"""The fake Bybit's wire: HMAC signing, key permissions and market data, driven by the real
pybit client over real HTTP on 127.0.0.1."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import requests
from pybit.unified_trading import HTTP

from tests.fakes.bybit import FakeBybit
from tests.fakes.conftest import KEY, NO_RETRY, READ_KEY, call, client, market, rejected

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


async def test_api_key_info_reports_read_only_keys(fake: FakeBybit) -> None:
    trader = await call(client(fake).get_api_key_information)
    reader = await call(client(fake, key=READ_KEY).get_api_key_information)
    assert (trader["result"]["readOnly"], reader["result"]["readOnly"]) == (0, 1)


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
