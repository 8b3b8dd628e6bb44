"""Property-based fuzzing of bodies and query strings: never a 500, never an invalid trade."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import aiohttp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import Service, default_settings
from bot.config import Config
from bot.errors import BadSignal
from bot.signals import parse_body, parse_signal

VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(max_size=30) | st.sampled_from(["BTCUSDT", "buy", "sell", "close", "50000",
                                              "{{close}}", "BYBIT:ETHUSDT.P", "flat"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=3),
    max_leaves=8)
FIELDS = st.sampled_from(["symbol", "action", "price", "qty", "take_profit", "stop_loss", "id",
                          "timestamp", "position", "token", "secret", "extra"])
ALERTS = st.dictionaries(FIELDS, VALUES, max_size=8).map(lambda d: json.dumps(d).encode())
NEAR_VALID = st.fixed_dictionaries(
    {"symbol": st.sampled_from(["BTCUSDT", "BYBIT:BTCUSDT.P", "eth/usdt", "{{ticker}}", ""]),
     "action": st.sampled_from(["buy", "SELL", "close", "exit", "hodl"])},
    optional={"price": st.one_of(st.integers(-5, 100000), st.text(max_size=8)),
              "qty": st.decimals(allow_nan=False, allow_infinity=False).map(str),
              "position": st.sampled_from(["long", "short", "flat", "up"]),
              "id": st.text(max_size=12)},
).map(lambda d: json.dumps(d).encode())
BODIES = st.one_of(ALERTS, NEAR_VALID, NEAR_VALID, st.binary(max_size=300),
                   st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")
                                             if "\ud800" not in t else b"x"))
QUERIES = st.dictionaries(st.sampled_from(["token", "secret", "x", "tok en", ""]),
                          st.text(max_size=40), max_size=3)


def is_valid(body: bytes) -> bool:
    try:
        parse_signal(parse_body(body))
    except BadSignal:
        return False
    return True


def test_no_body_or_query_ever_gets_a_500_or_trades_when_invalid(
        make_config: Callable[..., Config], tmp_path: Any) -> None:
    config = make_config(bybit={"base_url": "http://127.0.0.1:9"},  # nothing listens: offline
                         limits={"per_user_per_minute": 0, "per_ip_per_minute": 0,
                                 "duplicate_window_s": 0})
    loop = asyncio.new_event_loop()
    service = Service(config)
    loop.run_until_complete(service.start())
    session = loop.run_until_complete(_session())
    user, _ = loop.run_until_complete(service.users.create_user(
        7, defaults=default_settings(config), is_active=True))
    token = service.users.webhook_token(user)
    url = f"http://127.0.0.1:{service.port}"
    accepted: list[tuple[int, bytes]] = []

    async def post(path: str, body: bytes, params: dict[str, str]) -> tuple[int, Any]:
        async with session.post(url + path, data=body, params=params) as response:
            return response.status, await response.json(content_type=None)

    @settings(max_examples=150, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
    @given(body=BODIES, query=QUERIES, personal=st.booleans(), real_token=st.booleans())
    def check(body: bytes, query: dict[str, str], personal: bool, real_token: bool) -> None:
        params = dict(query)
        if personal and real_token:
            params["token"] = token
        path = f"/personal/{user.id}/webhook" if personal else "/webhook"
        status, answer = loop.run_until_complete(post(path, body, params))
        assert status in (200, 400, 401, 403, 404, 413, 429), (status, answer)
        assert isinstance(answer, dict) and answer["ok"] is (status == 200)
        if status == 200:
            assert is_valid(body), body
            assert answer["status"] in ("queued", "duplicate")
            if answer["status"] == "queued":
                accepted.append((answer["signal_id"], body))
        else:
            assert answer["message"] and answer["error"]

    try:
        check()
        loop.run_until_complete(service.dispatcher.join())
        # Nothing the journal executed was invalid: every queued/done row came from a 200.
        assert accepted, "the fuzzer never produced a valid alert"
        executed = loop.run_until_complete(service.db.read(lambda conn: [
            row[0] for row in conn.execute(
                "SELECT id FROM signals WHERE status NOT IN ('rejected', 'duplicate')")]))
        assert sorted(executed) == sorted(signal_id for signal_id, _ in accepted)
    finally:
        loop.run_until_complete(session.close())
        loop.run_until_complete(service.stop())
        loop.close()


async def _session() -> aiohttp.ClientSession:
    return aiohttp.ClientSession()
