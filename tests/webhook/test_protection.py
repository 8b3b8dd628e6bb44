"""Duplicates, rate limits, source allowlist and the legacy route."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import aiohttp

from bot.app import Service, default_settings
from bot.models import LEGACY_USER_ID
from tests.conftest import base_url
from tests.fakes.bybit import FakeBybit
from tests.webhook.conftest import Client

BUY = {"symbol": "BTCUSDT", "action": "buy", "price": 50000}


async def test_a_repeated_id_is_a_duplicate_and_not_executed_again(
        client: Client, add_user, webhook_service: Service, watcher_factory) -> None:
    user = await add_user(201)
    watcher = watcher_factory(webhook_service, [user.id])
    body = {**BUY, "id": "Long Entry-1732752000"}
    first = await client.personal(user, body)
    second = await client.personal(user, {**body, "price": 50001})  # same id, other fields
    assert first[0] == second[0] == 200
    assert first[1]["status"] == "queued"
    assert second[1]["status"] == "duplicate"
    assert second[1]["duplicate_of"] == first[1]["signal_id"]
    assert "not executed again" in second[1]["message"]
    await watcher.wait_final([first[1]["signal_id"]])
    orders = await webhook_service.orders.recent(user.id)
    assert [o.signal_id for o in orders] == [first[1]["signal_id"]]


async def test_identical_payloads_within_the_window_are_duplicates(
        client: Client, add_user, webhook_service: Service) -> None:
    user = await add_user(202)
    other = await add_user(203)
    first = await client.personal(user, BUY)
    again = await client.personal(user, BUY)
    elsewhere = await client.personal(other, BUY)  # another user's identical alert is theirs
    different = await client.personal(user, {**BUY, "price": 50010})
    assert again[1]["status"] == "duplicate"
    assert again[1]["duplicate_of"] == first[1]["signal_id"]
    assert elsewhere[1]["status"] == "queued"
    assert different[1]["status"] == "queued"
    row = await webhook_service.journal.get(again[1]["signal_id"])
    assert row is not None and row.status == "duplicate"


async def test_per_user_rate_limit_is_429_with_retry_after(
        make_config: Callable[..., Any], start_service, http: aiohttp.ClientSession,
        fake_bybit: FakeBybit) -> None:
    service = await start_service(make_config(bybit={"base_url": fake_bybit.url},
                                              limits={"per_user_per_minute": 3}))
    user, _ = await service.users.create_user(301, defaults=default_settings(service.config),
                                              is_active=True)
    client = Client(http, base_url(service), service.users)
    answers = [await client.personal(user, {**BUY, "id": str(i)}) for i in range(4)]
    assert [a[0] for a in answers] == [200, 200, 200, 429]
    _, answer, headers = answers[-1]
    assert answer["error"] == "rate_limited"
    assert int(headers["Retry-After"]) >= 1
    assert "a minute" in answer["message"]


async def test_per_ip_limit_and_allowlist(make_config: Callable[..., Any], start_service,
                                          http: aiohttp.ClientSession) -> None:
    service = await start_service(make_config(
        limits={"per_ip_per_minute": 2},
        server={"allowed_ips": ["10.1.1.1", "127.0.0.1"], "trust_forwarded_for": True}))
    client = Client(http, base_url(service), service.users)
    headers = {"Content-Type": "application/json", "X-Forwarded-For": "52.89.214.238"}
    status, answer, _ = await client.post("/webhook", BUY, headers=headers)
    assert status == 403 and "52.89.214.238" in answer["message"]
    allowed = {"Content-Type": "application/json", "X-Forwarded-For": "10.1.1.1, 172.16.0.1"}
    codes = [(await client.post("/webhook", {**BUY, "id": str(i)}, headers=allowed))[0]
             for i in range(3)]
    assert codes == [200, 200, 429]


async def test_an_allowed_address_matches_however_the_config_writes_it(
        make_config: Callable[..., Any], start_service, http: aiohttp.ClientSession) -> None:
    service = await start_service(make_config(server={
        "allowed_ips": ["2001:DB8:0:0::1", " 10.1.1.1 "], "trust_forwarded_for": True}))
    client = Client(http, base_url(service), service.users)
    for sender in ("2001:db8::1", "10.1.1.1"):
        headers = {"Content-Type": "application/json", "X-Forwarded-For": sender}
        status, answer, _ = await client.post("/webhook", {**BUY, "id": sender}, headers=headers)
        assert status == 200, answer


async def test_legacy_route_uses_the_default_account(client: Client,
                                                     webhook_service: Service,
                                                     watcher_factory) -> None:
    watcher = watcher_factory(webhook_service, [LEGACY_USER_ID])
    status, answer, _ = await client.post("/webhook", BUY)
    assert status == 200
    record = await webhook_service.journal.get(answer["signal_id"])
    assert record is not None and (record.user_id, record.route) == (LEGACY_USER_ID, "legacy")
    assert (await watcher.wait_final([answer["signal_id"]]))[answer["signal_id"]] == "done"
    orders = await webhook_service.orders.for_signal(answer["signal_id"])
    assert orders[0].account_type == "paper" and orders[0].leverage == 10


async def test_legacy_secret_is_required_when_configured(
        make_config: Callable[..., Any], start_service, http: aiohttp.ClientSession) -> None:
    service = await start_service(make_config(legacy_webhook={"secret": "s3cret-value"}))
    client = Client(http, base_url(service), service.users)
    assert (await client.post("/webhook", BUY))[0] == 401
    assert (await client.post("/webhook", {**BUY, "secret": "nope"}))[0] == 401
    assert (await client.post("/webhook", {**BUY, "secret": "s3cret-value"}))[0] == 200
    assert (await client.post("/webhook", {**BUY, "id": "2"},
                              params={"secret": "s3cret-value"}))[0] == 200


async def test_legacy_route_can_be_turned_off(make_config: Callable[..., Any], start_service,
                                              http: aiohttp.ClientSession) -> None:
    service = await start_service(make_config(legacy_webhook={"enabled": False}))
    status, answer, _ = await Client(http, base_url(service), service.users).post("/webhook", BUY)
    assert status == 404 and "personal URL" in answer["message"]


async def test_legacy_route_can_act_as_a_user(make_config: Callable[..., Any], start_service,
                                              http: aiohttp.ClientSession) -> None:
    service = await start_service(make_config(legacy_webhook={"user_id": 777}))
    client = Client(http, base_url(service), service.users)
    status, answer, _ = await client.post("/webhook", BUY)
    assert status == 503 and "legacy_webhook.user_id" in answer["message"]
    await service.users.create_user(777, defaults=default_settings(service.config),
                                    is_active=True)
    status, answer, _ = await client.post("/webhook", BUY)
    assert status == 200
    record = await service.journal.get(answer["signal_id"])
    assert record is not None and record.user_id == 777
