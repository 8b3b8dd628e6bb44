"""The fake Bybit's private WebSocket stream: auth, subscribe, ping, and the order, execution,
position and wallet messages that orders placed with the real pybit client produce. Driven by
a bare aiohttp WebSocket client over real sockets on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal

import aiohttp
import pytest
import requests

from tests.fakes.bybit import FakeBybit
from tests.fakes.bybit_stream_helpers import (
    ask,
    assert_nothing_queued,
    auth,
    connect_private,
    receive,
    stream_session,
    topics,
)
from tests.fakes.bybit_streams import BAD_SIGN, EXPIRED, NOT_AUTHORIZED, UNKNOWN_KEY
from tests.fakes.conftest import HEDGE_KEY, KEY, SECRET, SPOT_KEY, call, client, market


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with stream_session() as session:
        yield session


# --------------------------------------------------------------------- auth and ops


async def test_auth_succeeds_with_conn_id_and_req_id(fake: FakeBybit,
                                                     http: aiohttp.ClientSession) -> None:
    ws = await http.ws_connect(f"{fake.stream_url}/v5/private")
    answer = await ask(ws, auth(fake, req_id="a-1"))
    assert set(answer) == {"success", "ret_msg", "op", "conn_id", "req_id"}
    assert (answer["success"], answer["ret_msg"], answer["op"], answer["req_id"]) == (
        True, "", "auth", "a-1")
    assert answer["conn_id"]
    assert (fake.stream_connects[KEY], fake.private_streams(KEY), fake.private_streams()) == (
        1, 1, 1)
    assert fake.stream_url == fake.url.replace("http", "ws")


@pytest.mark.parametrize(("key", "secret", "expired", "ret_msg"), [
    ("nobody", SECRET, False, UNKNOWN_KEY),
    (KEY, "wrong-secret", False, BAD_SIGN),
    (KEY, SECRET, True, EXPIRED),
])
async def test_failed_auth_is_answered_and_the_socket_stays_open(
        fake: FakeBybit, http: aiohttp.ClientSession, key: str, secret: str, expired: bool,
        ret_msg: str) -> None:
    ws = await http.ws_connect(f"{fake.stream_url}/v5/private")
    expires = fake.server_ms() - 1 if expired else None
    answer = await ask(ws, auth(fake, key, secret, expires=expires, req_id=None))
    assert answer == {"success": False, "ret_msg": ret_msg, "op": "auth",
                      "conn_id": answer["conn_id"]}
    assert (fake.stream_auth_failures, fake.stream_connects[KEY], fake.private_streams()) == (
        1, 0, 0)
    pong = await ask(ws, {"op": "ping"})
    assert pong["op"] == "pong"
    assert (await ask(ws, auth(fake)))["success"] is True


async def test_expiry_follows_the_fakes_clock(fake: FakeBybit,
                                              http: aiohttp.ClientSession) -> None:
    ws = await http.ws_connect(f"{fake.stream_url}/v5/private")
    request = auth(fake)  # valid for 10 s of the fake's clock...
    fake.set_clock_offset(60)  # ...which now runs a minute ahead
    answer = await ask(ws, request)
    assert (answer["success"], answer["ret_msg"]) == (False, EXPIRED)


async def test_subscribe_needs_auth_and_known_topics(fake: FakeBybit,
                                                     http: aiohttp.ClientSession) -> None:
    ws = await http.ws_connect(f"{fake.stream_url}/v5/private")
    early = await ask(ws, {"req_id": "s-1", "op": "subscribe", "args": ["order"]})
    await ask(ws, auth(fake))
    unknown = await ask(ws, {"op": "subscribe", "args": ["order", "greeks"]})
    mixed = await ask(ws, {"op": "subscribe", "args": ["order", "execution.linear"]})
    fine = await ask(ws, {"req_id": "s-2", "op": "subscribe", "args": ["order", "wallet"]})
    assert early == {"success": False, "ret_msg": NOT_AUTHORIZED, "op": "subscribe",
                     "conn_id": early["conn_id"], "req_id": "s-1"}
    assert (unknown["success"], mixed["success"]) == (False, False)
    assert "greeks" in unknown["ret_msg"]
    assert fine == {"success": True, "ret_msg": "", "op": "subscribe",
                    "conn_id": early["conn_id"], "req_id": "s-2"}
    assert (fake.private_streams(KEY, topic="order"), fake.private_streams(KEY, topic="execution"),
            fake.private_streams(KEY, topic="wallet")) == (1, 0, 1)
    await ask(ws, {"op": "unsubscribe", "args": ["order"]})
    assert fake.private_streams(KEY, topic="order") == 0


async def test_private_ping_is_answered_with_bybits_pong(fake: FakeBybit,
                                                         http: aiohttp.ClientSession) -> None:
    ws = await connect_private(http, fake, topics=())
    before = fake.server_ms()
    pong = await ask(ws, {"req_id": "p-1", "op": "ping"})
    assert set(pong) == {"req_id", "op", "args", "conn_id"}
    assert (pong["req_id"], pong["op"]) == ("p-1", "pong")
    assert before <= int(pong["args"][0]) <= fake.server_ms()


async def test_protocol_pings_are_answered(fake: FakeBybit, http: aiohttp.ClientSession) -> None:
    ws = await connect_private(http, fake, autoping=False)
    await ws.ping(b"beat")
    message = await ws.receive(5)
    assert (message.type, message.data) == (aiohttp.WSMsgType.PONG, b"beat")


# ------------------------------------------------------------------- topic messages


async def test_linear_market_order_pushes_order_execution_position_wallet(
        fake: FakeBybit, http: aiohttp.ClientSession) -> None:
    ws = await connect_private(http, fake)
    await call(client(fake).place_order, **market("Buy", "0.01", orderLinkId="sig-1"))
    order, fill, position, wallet = await topics(ws, 4)

    assert [m["topic"] for m in (order, fill, position, wallet)] == [
        "order", "execution", "position", "wallet"]
    assert all(set(m) == {"id", "topic", "creationTime", "data"} for m in (order, wallet))
    item = order["data"][0]
    assert (item["category"], item["orderLinkId"], item["orderStatus"], item["cumExecQty"],
            item["avgPrice"], item["side"], item["qty"], item["reduceOnly"]) == (
        "linear", "sig-1", "Filled", "0.01", "50000", "Buy", "0.01", False)
    assert (item["cumExecFee"], item["cumFeeDetail"], item["feeCurrency"]) == (
        "0.275", {"USDT": "0.275"}, "")
    execution = fill["data"][0]
    assert (execution["category"], execution["orderId"], execution["orderLinkId"],
            execution["execPrice"], execution["execQty"], execution["execFee"],
            execution["feeCurrency"], execution["execPnl"], execution["closedSize"],
            execution["execType"], execution["leavesQty"]) == (
        "linear", item["orderId"], "sig-1", "50000", "0.01", "0.275", "USDT", "0", "0",
        "Trade", "0")
    row = position["data"][0]
    assert (row["category"], row["symbol"], row["side"], row["size"], row["entryPrice"],
            row["markPrice"], row["unrealisedPnl"], row["positionIdx"]) == (
        "linear", "BTCUSDT", "Buy", "0.01", "50000", "50000", "0", 0)
    assert "avgPrice" not in row and row["seq"] == execution["seq"]
    coins = {c["coin"]: c for c in wallet["data"][0]["coin"]}
    assert (wallet["data"][0]["accountType"], coins["USDT"]["walletBalance"]) == (
        "UNIFIED", "9999.725")
    assert [(m.target, m.topic) for m in fake.stream_log] == [
        (KEY, "order"), (KEY, "execution"), (KEY, "position"), (KEY, "wallet")]
    assert fake.stream_log[0].data == order["data"]


async def test_a_closing_fill_carries_its_pnl(fake: FakeBybit,
                                              http: aiohttp.ClientSession) -> None:
    session = client(fake)
    await call(session.place_order, **market("Buy", "0.01"))
    fake.set_price("BTCUSDT", "51000")
    ws = await connect_private(http, fake, topics=("execution",))
    await call(session.place_order, **market("Sell", "0.01", reduceOnly=True,
                                             orderLinkId="close-1"))
    fill = (await receive(ws))["data"][0]
    assert (fill["orderLinkId"], fill["execPnl"], fill["closedSize"], fill["execPrice"]) == (
        "close-1", "10", "0.01", "51000")


async def test_spot_market_buy_pushes_order_execution_wallet_and_no_position(
        fake: FakeBybit, http: aiohttp.ClientSession) -> None:
    ws = await connect_private(http, fake, SPOT_KEY)
    await call(client(fake, key=SPOT_KEY).place_order, category="spot", symbol="BTCUSDT",
               side="Buy", orderType="Market", qty="100", orderLinkId="spot-1")
    order, fill, wallet = await topics(ws, 3)
    await assert_nothing_queued(ws)  # no position message: spot has none

    item = order["data"][0]
    assert (order["topic"], item["category"], item["orderLinkId"], item["orderStatus"],
            item["cumExecQty"], item["avgPrice"], item["feeCurrency"], item["marketUnit"]) == (
        "order", "spot", "spot-1", "Filled", "0.002", "50000", "BTC", "quoteCoin")
    assert "createType" not in item
    assert (fill["topic"], fill["data"][0]["execQty"], fill["data"][0]["feeCurrency"],
            fill["data"][0]["isLeverage"]) == ("execution", "0.002", "BTC", "0")
    coins = {c["coin"]: c["walletBalance"] for c in wallet["data"][0]["coin"]}
    assert (wallet["topic"], coins["USDT"], coins["BTC"]) == ("wallet", "9900", "0.011998")


async def test_limit_order_create_and_cancel_push_order_and_position(
        fake: FakeBybit, http: aiohttp.ClientSession) -> None:
    ws = await connect_private(http, fake)
    session = client(fake)
    await call(session.place_order, category="linear", symbol="BTCUSDT", side="Buy",
               orderType="Limit", qty="0.01", price="40000", orderLinkId="lim-1")
    await call(session.cancel_order, category="linear", symbol="BTCUSDT", orderLinkId="lim-1")
    created, position, cancelled, position_again = await topics(ws, 4)
    await assert_nothing_queued(ws)  # no execution, no wallet

    assert [m["topic"] for m in (created, position, cancelled, position_again)] == [
        "order", "position", "order", "position"]
    assert [(m["data"][0]["orderLinkId"], m["data"][0]["orderStatus"], m["data"][0]["avgPrice"])
            for m in (created, cancelled)] == [("lim-1", "New", ""), ("lim-1", "Cancelled", "")]
    assert position["data"][0]["size"] == position_again["data"][0]["size"] == "0"


async def test_categorised_topics_filter_by_category(fake: FakeBybit,
                                                     http: aiohttp.ClientSession) -> None:
    ws = await connect_private(http, fake, SPOT_KEY, topics=("order.spot",))
    session = client(fake, key=SPOT_KEY)
    await call(session.place_order, **market("Buy", "0.01"))
    await call(session.place_order, category="spot", symbol="BTCUSDT", side="Buy",
               orderType="Market", qty="10")
    message = await receive(ws)
    await assert_nothing_queued(ws)
    assert (message["topic"], message["data"][0]["category"]) == ("order.spot", "spot")


async def test_set_leverage_pushes_every_row_of_the_symbol(fake: FakeBybit,
                                                           http: aiohttp.ClientSession) -> None:
    ws = await connect_private(http, fake, HEDGE_KEY, topics=("position",))
    await call(client(fake, key=HEDGE_KEY).set_leverage, category="linear", symbol="ETHUSDT",
               buyLeverage="20", sellLeverage="20")
    message = await receive(ws)
    assert [(r["symbol"], r["positionIdx"], r["leverage"]) for r in message["data"]] == [
        ("ETHUSDT", 1, "20"), ("ETHUSDT", 2, "20")]


async def test_set_price_pushes_the_position_to_its_holder_only(
        fake: FakeBybit, http: aiohttp.ClientSession) -> None:
    await call(client(fake).place_order, **market("Buy", "0.01"))
    holder = await connect_private(http, fake, topics=("position",))
    flat = await connect_private(http, fake, HEDGE_KEY, topics=("position",))
    fake.set_price("BTCUSDT", "51000")
    fake.set_price("ETHUSDT", "3100")  # nobody holds ETH
    row = (await receive(holder))["data"][0]
    await assert_nothing_queued(holder)
    await assert_nothing_queued(flat)
    assert (row["symbol"], row["markPrice"], row["unrealisedPnl"], row["entryPrice"]) == (
        "BTCUSDT", "51000", "10", "50000")


async def test_a_connection_hears_only_its_own_account(fake: FakeBybit,
                                                       http: aiohttp.ClientSession) -> None:
    mine = await connect_private(http, fake, KEY)
    other = await connect_private(http, fake, HEDGE_KEY)
    anonymous = await http.ws_connect(f"{fake.stream_url}/v5/private")
    await call(client(fake).place_order, **market("Buy", "0.01", orderLinkId="mine-1"))
    await call(client(fake, key=HEDGE_KEY).place_order,
               **market("Sell", "0.02", positionIdx=2, orderLinkId="other-1"))
    mine_order = (await topics(mine, 4))[0]["data"][0]
    other_order = (await topics(other, 4))[0]["data"][0]
    await assert_nothing_queued(mine)
    await assert_nothing_queued(other)
    await assert_nothing_queued(anonymous)
    assert (mine_order["orderLinkId"], other_order["orderLinkId"]) == ("mine-1", "other-1")
    assert {m.target for m in fake.stream_log} == {KEY, HEDGE_KEY}
    assert (fake.private_streams(KEY), fake.private_streams(HEDGE_KEY),
            fake.private_streams()) == (1, 1, 2)


async def test_an_order_whose_rest_answer_was_lost_still_shows_on_the_stream(
        fake: FakeBybit, http: aiohttp.ClientSession) -> None:
    ws = await connect_private(http, fake, topics=("order",))
    fake.inject("/v5/order/create", close=True, after=True)
    with pytest.raises(requests.exceptions.ConnectionError):
        await call(client(fake).place_order, **market("Buy", "0.01", orderLinkId="lost-1"))
    item = (await receive(ws))["data"][0]
    assert (item["orderLinkId"], item["orderStatus"]) == ("lost-1", "Filled")


async def test_websocket_upgrades_are_not_rest_requests(fake: FakeBybit,
                                                        http: aiohttp.ClientSession) -> None:
    private = await connect_private(http, fake)
    public = await http.ws_connect(f"{fake.stream_url}/v5/public/linear")
    await call(client(fake).place_order, **market("Buy", "0.01"))
    assert [r.path for r in fake.requests] == ["/v5/order/create"]
    assert fake.account(KEY).position("BTCUSDT").size == Decimal("0.01")
    await private.close()
    await public.close()
