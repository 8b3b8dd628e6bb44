"""The fake Bybit's faults and logs: injected errors, holds, latency, and what it recorded,
driven by the real pybit client over real HTTP on 127.0.0.1."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest
import requests
from pybit.exceptions import FailedRequestError

from tests.fakes.bybit import FakeBybit
from tests.fakes.conftest import KEY, POOR_KEY, call, client, market, rejected

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


async def test_a_key_hold_parks_one_account_while_the_others_are_served(
        fake: FakeBybit) -> None:
    held = fake.hold_key(POOR_KEY)
    stuck = asyncio.create_task(call(client(fake, POOR_KEY).place_order,
                                     **market("Buy", "0.01")))
    await held.arrived()
    await call(client(fake).place_order, **market("Buy", "0.01"))
    assert [order.api_key for order in fake.order_log] == [KEY]
    held.release()
    await stuck
    assert [order.api_key for order in fake.order_log] == [KEY, POOR_KEY]


async def test_wait_for_orders_times_out_with_the_log(fake: FakeBybit) -> None:
    with pytest.raises(TimeoutError, match="expected 1 accepted orders"):
        await fake.wait_for_orders(1, timeout=0.05)


async def test_requests_record_the_decoded_body(fake: FakeBybit) -> None:
    await call(client(fake).place_order, **market("Buy", "0.01", positionIdx=0))
    method, path, params, api_key = fake.requests[-1]
    assert (method, path, api_key) == ("POST", "/v5/order/create", KEY)
    assert params["qty"] == "0.01" and params["positionIdx"] == 0
    assert fake.order_log[0].qty == Decimal("0.01")
