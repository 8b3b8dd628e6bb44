"""The whole service: an alert posted to a user's webhook becomes an order on that user's own
account (Bybit demo with stored keys, or paper), and the journal ends `done` or `failed` with
the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import aiohttp

from bot.app import Service, default_settings
from tests.conftest import base_url, move_price
from tests.fakes.bybit import FakeBybit
from tests.watch import SignalWatcher

D = Decimal
ALICE, BOB, CAROL = 101, 202, 303


async def start(make_config: Callable[..., Any], start_service: Callable[..., Any],
                fake: FakeBybit) -> Service:
    config = make_config(bybit={"base_url": fake.url},
                         limits={"per_user_per_minute": 0, "per_ip_per_minute": 0})
    return await start_service(config)


async def add_user(service: Service, user_id: int, **settings: Any) -> str:
    user, _ = await service.users.create_user(user_id, defaults=default_settings(
        service.config), is_active=True)
    if settings:
        await service.users.update_user_settings(user_id, **settings)
    return service.users.webhook_token(user)


async def post(http: aiohttp.ClientSession, service: Service, user_id: int, token: str,
               body: dict[str, Any]) -> int:
    async with http.post(f"{base_url(service)}/personal/{user_id}/webhook",
                         params={"token": token}, json=body) as response:
        answer = await response.json()
        assert response.status == 200, answer
        return int(answer["signal_id"])


async def run(service: Service, http: aiohttp.ClientSession, user_id: int, token: str,
              body: dict[str, Any]) -> Any:
    watcher = SignalWatcher(service.events, [user_id])
    try:
        signal_id = await post(http, service, user_id, token, body)
        await watcher.wait_final([signal_id])
    finally:
        await watcher.close()
    record = await service.journal.get(signal_id)
    assert record is not None
    return record


async def test_alert_trades_on_the_users_own_demo_account(
        make_config: Callable[..., Any], start_service: Callable[..., Any],
        fake_bybit: FakeBybit, http: aiohttp.ClientSession) -> None:
    service = await start(make_config, start_service, fake_bybit)
    fake_bybit.add_account("alice-demo-key", "alice-secret", env="demo")
    fake_bybit.add_account("bob-demo-key", "bob-secret", env="demo")
    token = await add_user(service, ALICE, account_type="demo", leverage=5)
    await add_user(service, BOB, account_type="demo")
    await service.users.set_api_keys(ALICE, "demo", "alice-demo-key", "alice-secret")
    await service.users.set_api_keys(BOB, "demo", "bob-demo-key", "bob-secret")

    record = await run(service, http, ALICE, token, {"symbol": "BYBIT:BTCUSDT.P",
                                                     "action": "buy"})

    assert record.status == "done", record.error
    assert "opened long 0.01 BTCUSDT at 50000 (5x)" in record.result  # 100 × 5 / 50,000
    [order] = fake_bybit.orders_for("alice-demo-key")
    assert fake_bybit.orders_for("bob-demo-key") == []
    assert fake_bybit.account("alice-demo-key").leverage_for("BTCUSDT") == D(5)
    [stored] = await service.orders.for_signal(record.id)
    assert (stored.status, stored.filled_qty, stored.avg_price) == ("filled", D("0.01"),
                                                                    D("50000"))
    assert stored.exchange_order_id == order.order_id
    assert stored.order_link_id == order.order_link_id
    assert order.order_link_id.endswith(f"-{record.id}-o")
    assert stored.fee == D("0.275") and stored.fee_currency == "USDT"  # 500 × 0.055 %


async def test_refusal_is_journaled_with_the_reason(
        make_config: Callable[..., Any], start_service: Callable[..., Any],
        fake_bybit: FakeBybit, http: aiohttp.ClientSession) -> None:
    service = await start(make_config, start_service, fake_bybit)
    fake_bybit.add_account("read-only", "secret", env="demo", can_trade=False)
    token = await add_user(service, ALICE, account_type="demo")
    await service.users.set_api_keys(ALICE, "demo", "read-only", "secret")

    record = await run(service, http, ALICE, token, {"symbol": "BTCUSDT", "action": "sell"})

    assert (record.status, record.error_code) == ("failed", "no_permission")
    assert "may not trade" in record.error
    assert fake_bybit.order_log == []


async def test_demo_account_without_keys_is_told_the_way_forward(
        make_config: Callable[..., Any], start_service: Callable[..., Any],
        fake_bybit: FakeBybit, http: aiohttp.ClientSession) -> None:
    service = await start(make_config, start_service, fake_bybit)
    token = await add_user(service, BOB, account_type="demo")

    record = await run(service, http, BOB, token, {"symbol": "BTCUSDT", "action": "buy"})

    assert (record.status, record.error_code) == ("failed", "no_keys")
    assert "/keys demo <api_key> <api_secret>" in record.error
    assert "/set account paper" in record.error
    assert fake_bybit.order_log == []


async def test_paper_account_trades_with_no_keys(
        make_config: Callable[..., Any], start_service: Callable[..., Any],
        fake_bybit: FakeBybit, http: aiohttp.ClientSession) -> None:
    service = await start(make_config, start_service, fake_bybit)
    token = await add_user(service, CAROL)  # paper is the default

    opened = await run(service, http, CAROL, token, {"symbol": "ETHUSDT", "action": "short",
                                                     "price": "3000"})
    await move_price(service, fake_bybit, "ETHUSDT", 2900)  # paper fills at the live price
    closed = await run(service, http, CAROL, token, {"symbol": "ETHUSDT", "action": "buy",
                                                     "position": "flat", "price": "2900"})

    assert opened.status == closed.status == "done", (opened.error, closed.error)
    assert "opened short 0.33 ETHUSDT at 3000" in opened.result  # 1000 / 3000, step 0.01
    assert "closed short 0.33 ETHUSDT at 2900 (PnL +33.00 USDT)" in closed.result
    assert fake_bybit.order_log == []  # paper never reaches Bybit's order endpoints
    paper = service.registry.paper(CAROL)
    assert (await paper.positions("ETHUSDT")).rows == ()
    fees = D("0.33") * (D(3000) + D(2900)) * D("0.00055")
    assert (await paper.balance("USDT")).total == D(10000) + D(33) - fees
