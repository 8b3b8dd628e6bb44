"""The dashboard link's key: made and checked by HMAC, read-only, and its open feed ends with it."""

from __future__ import annotations

import hmac
import json
import time
from typing import Any

import aiohttp
import pytest

from bot.web import routes
from bot.web.links import DashboardLinks, LinkState
from bot.web.routes import CLOSE_LINK_ENDED
from tests.web.conftest import Trader, receive

SECRET = b"k" * 32
NOW = 1_800_000_000


def links(now: float = NOW, ttl: int = 3600) -> DashboardLinks:
    return DashboardLinks(SECRET, ttl, clock=lambda: now)


def test_a_key_is_an_issue_time_and_an_hmac_and_checks_only_for_its_user_and_epoch() -> None:
    link = links().issue(42, epoch=3)
    issued, mac = link.key.split(".")
    assert issued == str(NOW) and len(mac) == 43 and link.expires_at == NOW + 3600
    assert links().issue(42, epoch=3).key == link.key  # nothing random: nothing stored
    assert links().check(42, 3, link.key).state is LinkState.VALID
    assert links().check(43, 3, link.key).state is LinkState.INVALID  # another user
    assert links().check(42, 4, link.key).state is LinkState.INVALID  # revoked
    other_secret = DashboardLinks(b"j" * 32, 3600, clock=lambda: NOW)
    assert other_secret.check(42, 3, link.key).state is LinkState.INVALID  # another server
    for i, char in enumerate(link.key):  # any one character changed
        changed = link.key[:i] + ("1" if char != "1" else "2") + link.key[i + 1:]
        assert links().check(42, 3, changed).state is LinkState.INVALID, i
    for broken in ("", None, link.key + "\n", " " + link.key, link.key[:-1], "0" + link.key):
        assert links().check(42, 3, broken).state is LinkState.INVALID, broken


def test_a_key_works_from_its_issue_to_its_lifetimes_end() -> None:
    key = links().issue(42, 0).key
    assert links(now=NOW + 3599).check(42, 0, key).valid
    ended = links(now=NOW + 3600).check(42, 0, key)
    assert ended.state is LinkState.EXPIRED and ended.expires_at == NOW + 3600
    assert links(now=NOW - 30).check(42, 0, key).valid  # a clock that stepped back a little
    assert not links(now=NOW - 3600).check(42, 0, key).valid  # "issued" in an hour: forged


def test_the_whole_key_is_compared_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    compared: list[bytes] = []
    real = hmac.compare_digest

    def recording(a: Any, b: Any) -> bool:
        compared.append(b)
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", recording)
    key = links().issue(42, 0).key
    assert not links().check(42, 0, key[:-2] + "xx").valid
    assert links().check(42, 0, key).valid
    assert compared == [(key[:-2] + "xx").encode(), key.encode()]


async def test_the_links_key_opens_no_webhook(trader: Trader) -> None:
    webhook = f"{trader.base}/personal/{trader.user.id}/webhook"
    buy = {"symbol": "BTCUSDT", "action": "buy", "price": 50000}
    for params, body in (({"token": trader.key}, buy), ({}, {**buy, "token": trader.key}),
                         ({"key": trader.key}, buy)):
        async with trader.http.post(webhook, params=params, data=json.dumps(body)) as r:
            answer = await r.json()
            assert r.status == 401 and answer["error"] == "unauthorized", params
    assert await trader.service.journal.recent(trader.user.id) == []
    assert await trader.service.orders.recent(trader.user.id, 10) == []


async def close_of(ws: aiohttp.ClientWebSocketResponse) -> aiohttp.WSMessage:
    """Frames until the server closes the socket; the close."""
    while True:
        message = await ws.receive(timeout=20)
        if message.type != aiohttp.WSMsgType.TEXT:
            return message


async def test_an_open_feed_ends_when_its_links_are_revoked(
        trader: Trader, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(routes, "LINK_CHECK_S", 0.2)  # looked at every 2 s in production
    async with trader.http.ws_connect(trader.url("ws")) as ws:
        assert (await receive(ws))["type"] == "snapshot"
        await trader.service.users.revoke_dashboard_links(trader.user.id)
        closed = await close_of(ws)
    assert (closed.type, closed.data, closed.extra) == (aiohttp.WSMsgType.CLOSE,
                                                       CLOSE_LINK_ENDED, "link revoked")
    await trader.dashboard.wait_connected(trader.user.id, 0)
    assert trader.service.events.subscribers(trader.user.id) == 0


async def test_an_open_feed_ends_when_its_link_expires(trader: Trader) -> None:
    ttl = trader.service.config.server.dashboard_link_ttl_s
    key = await trader.link_key(issued_at=int(time.time()) - ttl + 2)  # two seconds left
    async with trader.http.ws_connect(trader.url("ws", key)) as ws:
        assert (await receive(ws))["type"] == "snapshot"
        closed = await close_of(ws)
    assert (closed.data, closed.extra) == (CLOSE_LINK_ENDED, "link expired")
    async with trader.http.get(trader.url("ws", key)) as response:
        assert response.status == 401 and (await response.json())["error"] == "link_expired"
