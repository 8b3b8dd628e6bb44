"""The fake Bybit's public ticker streams and the stream controls tests use to misbehave:
drop, refuse, mute, drop a topic, and stop with sockets open. Driven by a bare aiohttp
WebSocket client over real sockets on 127.0.0.1."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import aiohttp
import pytest

from tests.fakes.bybit import FakeBybit
from tests.fakes.bybit_stream_helpers import (
    BOUND,
    ask,
    assert_nothing_queued,
    auth,
    connect_private,
    connect_public,
    receive,
    stream_session,
    topics,
)
from tests.fakes.bybit_streams import REFUSED
from tests.fakes.conftest import HEDGE_KEY, KEY, SECRET, call, client, market


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with stream_session() as session:
        yield session


# ------------------------------------------------------------------- public tickers


async def test_linear_tickers_are_a_snapshot_then_deltas(fake: FakeBybit,
                                                         http: aiohttp.ClientSession) -> None:
    ws = await http.ws_connect(f"{fake.stream_url}/v5/public/linear")
    answer = await ask(ws, {"req_id": "t-1", "op": "subscribe", "args": ["tickers.BTCUSDT"]})
    snapshot = await receive(ws)
    fake.set_price("BTCUSDT", "51000")
    delta = await receive(ws)

    assert answer == {"success": True, "ret_msg": "", "conn_id": answer["conn_id"],
                      "req_id": "t-1", "op": "subscribe"}
    assert (snapshot["topic"], snapshot["type"]) == ("tickers.BTCUSDT", "snapshot")
    assert {k: snapshot["data"][k] for k in ("symbol", "lastPrice", "markPrice", "indexPrice",
                                             "bid1Price", "ask1Price")} == {
        "symbol": "BTCUSDT", "lastPrice": "50000", "markPrice": "50000",
        "indexPrice": "50000", "bid1Price": "50000", "ask1Price": "50000"}
    assert (delta["topic"], delta["type"], delta["data"]) == (
        "tickers.BTCUSDT", "delta",
        {"symbol": "BTCUSDT", "lastPrice": "51000", "markPrice": "51000"})
    assert delta["cs"] > snapshot["cs"] and delta["ts"] >= snapshot["ts"]
    assert [(m.target, m.topic) for m in fake.stream_log] == [
        ("linear", "tickers.BTCUSDT"), ("linear", "tickers.BTCUSDT")]


async def test_spot_tickers_are_snapshots_only(fake: FakeBybit,
                                               http: aiohttp.ClientSession) -> None:
    ws = await http.ws_connect(f"{fake.stream_url}/v5/public/spot")
    answer = await ask(ws, {"op": "subscribe", "args": ["tickers.ETHUSDT"]})
    await receive(ws)
    fake.set_price("ETHUSDT", "3100")
    moved = await receive(ws)
    assert answer == {"success": True, "ret_msg": "subscribe", "conn_id": answer["conn_id"],
                      "op": "subscribe"}
    assert (moved["type"], moved["data"]["lastPrice"], moved["data"]["symbol"]) == (
        "snapshot", "3100", "ETHUSDT")
    assert "markPrice" not in moved["data"]


async def test_public_ping_shapes(fake: FakeBybit, http: aiohttp.ClientSession) -> None:
    linear = await http.ws_connect(f"{fake.stream_url}/v5/public/linear")
    spot = await http.ws_connect(f"{fake.stream_url}/v5/public/spot")
    linear_pong = await ask(linear, {"op": "ping"})
    spot_pong = await ask(spot, {"op": "ping"})
    assert linear_pong == {"success": True, "ret_msg": "pong",
                           "conn_id": linear_pong["conn_id"], "req_id": "", "op": "ping"}
    assert spot_pong == {"success": True, "ret_msg": "pong", "conn_id": spot_pong["conn_id"],
                         "op": "ping"}


async def test_an_unknown_symbol_is_refused_by_name(fake: FakeBybit,
                                                    http: aiohttp.ClientSession) -> None:
    ws = await http.ws_connect(f"{fake.stream_url}/v5/public/linear")
    answer = await ask(ws, {"op": "subscribe", "args": ["tickers.BTCUSDT", "tickers.NOPEUSDT"]})
    await assert_nothing_queued(ws)  # no snapshot either
    assert answer["success"] is False and "NOPEUSDT" in answer["ret_msg"]
    assert fake.public_subscriptions("linear") == set()


async def test_subscriptions_follow_subscribe_unsubscribe_and_disconnect(
        fake: FakeBybit, http: aiohttp.ClientSession) -> None:
    ws = await connect_public(http, fake, "linear", "BTCUSDT", "ETHUSDT")
    other = await connect_public(http, fake, "spot", "BTCUSDT")
    assert fake.public_subscriptions("linear") == {"BTCUSDT", "ETHUSDT"}
    answer = await ask(ws, {"req_id": "u-1", "op": "unsubscribe", "args": ["tickers.ETHUSDT"]})
    assert (answer["success"], answer["op"]) == (True, "unsubscribe")
    fake.set_price("ETHUSDT", "3100")
    await assert_nothing_queued(ws)
    await fake.wait_for_public_subscription("linear", "ETHUSDT", present=False)
    await ws.close()
    await fake.wait_for_public_subscription("linear", "BTCUSDT", present=False)
    assert (fake.public_subscriptions("linear"), fake.public_subscriptions("spot")) == (
        set(), {"BTCUSDT"})
    await other.close()


# ------------------------------------------------------------------------- drop


async def test_clean_drop_sends_close_1000_after_what_was_queued(
        fake: FakeBybit, http: aiohttp.ClientSession) -> None:
    ws = await connect_private(http, fake)
    await call(client(fake).place_order, **market("Buy", "0.01"))
    dropped = await fake.drop_streams(KEY)
    assert (dropped, fake.private_streams(KEY)) == (1, 0)
    assert [m["topic"] for m in await topics(ws, 4)] == [
        "order", "execution", "position", "wallet"]
    message = await ws.receive(5)
    assert (message.type, message.data) == (aiohttp.WSMsgType.CLOSE, 1000)
    assert (await ws.receive(5)).type is aiohttp.WSMsgType.CLOSED
    assert ws.close_code == 1000


async def test_abrupt_drop_ends_the_socket_without_a_close_frame(
        fake: FakeBybit, http: aiohttp.ClientSession) -> None:
    ws = await connect_private(http, fake)
    await fake.drop_streams(clean=False)
    message = await ws.receive(5)
    # aiohttp reports the lost TCP connection as CLOSED with the abnormal code 1006
    assert message.type is aiohttp.WSMsgType.CLOSED
    assert ws.close_code == 1006
    await fake.wait_for_private_streams(KEY, 0)


async def test_drop_is_per_key_and_public_only_on_request(
        fake: FakeBybit, http: aiohttp.ClientSession) -> None:
    mine = await connect_private(http, fake, KEY)
    hedge = await connect_private(http, fake, HEDGE_KEY)
    ticker = await connect_public(http, fake, "linear", "BTCUSDT")
    assert await fake.drop_streams(KEY) == 1
    assert (await mine.receive(5)).data == 1000
    assert (fake.private_streams(KEY), fake.private_streams(HEDGE_KEY)) == (0, 1)
    await assert_nothing_queued(hedge)
    await assert_nothing_queued(ticker)
    assert await fake.drop_streams(public=True) == 2
    assert (fake.private_streams(), fake.public_subscriptions("linear")) == (0, set())
    assert (await ticker.receive(5)).data == 1000


async def test_a_client_reconnects_after_a_drop(fake: FakeBybit,
                                                http: aiohttp.ClientSession) -> None:
    first = await connect_private(http, fake)
    assert await fake.drop_streams(KEY) == 1
    await fake.wait_for_private_streams(KEY, 0)
    ws = await connect_private(http, fake)
    await fake.wait_for_private_streams(KEY, 1, topic="order")
    assert fake.stream_connects[KEY] == 2
    await call(client(fake).place_order, **market("Buy", "0.01", orderLinkId="again-1"))
    assert (await receive(ws))["data"][0]["orderLinkId"] == "again-1"
    assert (await first.receive(5)).type is aiohttp.WSMsgType.CLOSE


async def test_waiting_for_streams_times_out_with_what_was_awaited(fake: FakeBybit) -> None:
    with pytest.raises(TimeoutError, match="private streams"):
        await fake.wait_for_private_streams(KEY, 1, timeout=0.05)


# ------------------------------------------------------------ refuse, mute, drop topic


async def test_refused_key_cannot_authenticate_until_allowed_again(
        fake: FakeBybit, http: aiohttp.ClientSession) -> None:
    fake.refuse_streams(KEY)
    ws = await http.ws_connect(f"{fake.stream_url}/v5/private")
    refused = await ask(ws, auth(fake))
    assert (refused["success"], refused["ret_msg"]) == (False, REFUSED)
    assert (fake.stream_auth_failures, fake.stream_connects[KEY], fake.private_streams()) == (
        1, 0, 0)
    other = await connect_private(http, fake, HEDGE_KEY)  # other keys are not refused
    fake.refuse_streams(KEY, refuse=False)
    assert (await ask(ws, auth(fake)))["success"] is True
    assert fake.private_streams() == 2
    assert (fake.stream_auths[KEY], fake.stream_auths[HEDGE_KEY]) == (2, 1)
    assert fake.stream_opens == {"private": 2}  # two upgrades, whatever their auths
    await other.close()


async def test_muted_connection_stays_open_and_sends_nothing(
        fake: FakeBybit, http: aiohttp.ClientSession) -> None:
    ws = await connect_private(http, fake, autoping=False)
    fake.mute_streams(KEY)
    await ws.send_json({"req_id": "p-1", "op": "ping"})
    await ws.ping(b"beat")
    await call(client(fake).place_order, **market("Buy", "0.01"))
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(ws.receive(), BOUND)
    assert (ws.closed, fake.private_streams(KEY), fake.stream_log) == (False, 1, [])
    fake.mute_streams(KEY, mute=False)
    await assert_nothing_queued(ws)  # what was muted is gone, not delayed


async def test_muted_public_connection_gets_no_ticks(fake: FakeBybit,
                                                     http: aiohttp.ClientSession) -> None:
    ws = await connect_public(http, fake, "linear", "BTCUSDT")
    fake.mute_streams("linear")
    fake.set_price("BTCUSDT", "51000")
    await ws.send_json({"op": "ping"})
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(ws.receive(), BOUND)


async def test_dropped_topics_are_discarded_for_that_key(fake: FakeBybit,
                                                         http: aiohttp.ClientSession) -> None:
    ws = await connect_private(http, fake)
    fake.drop_topic(KEY, "order")
    fake.drop_topic(KEY, "execution")
    await call(client(fake).place_order, **market("Buy", "0.01"))
    position, wallet = await topics(ws, 2)
    await assert_nothing_queued(ws)
    assert (position["topic"], wallet["topic"]) == ("position", "wallet")
    assert [m.topic for m in fake.stream_log] == ["position", "wallet"]
    fake.drop_topic(KEY, "order", drop=False)
    await call(client(fake).place_order, **market("Buy", "0.01", orderLinkId="back-1"))
    assert (await receive(ws))["data"][0]["orderLinkId"] == "back-1"


# ------------------------------------------------------------------------- stop


async def test_stop_closes_open_websockets_promptly(http: aiohttp.ClientSession) -> None:
    fake = FakeBybit()
    await fake.start()
    fake.add_account(KEY, SECRET)
    private = await connect_private(http, fake)
    public = await connect_public(http, fake, "spot", "BTCUSDT")
    muted = await connect_private(http, fake)
    fake.mute_streams(KEY)
    started = time.monotonic()
    await fake.stop()
    elapsed = time.monotonic() - started
    assert elapsed < 1.0, elapsed
    for ws in (private, public, muted):
        message = await ws.receive(5)
        assert (message.type, message.data) == (aiohttp.WSMsgType.CLOSE, 1001)
