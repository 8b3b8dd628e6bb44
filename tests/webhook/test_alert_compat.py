"""Alerts written for other bots, over HTTP: what `id` means, the earlier bot's field and
action names, an alert's own amount and leverage, and `/health`.

The service runs in-process on the paper exchange (prices from the fake Bybit), so each
signal really executes and the tests look at the paper ledger and the journal.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import aiohttp

from bot.app import Service
from bot.db.paper import PaperBook
from bot.vocabulary import AccountType
from tests.conftest import base_url
from tests.fakes.bybit import FakeBybit
from tests.webhook.conftest import Client

D = Decimal


async def position(service: Service, user_id: int) -> dict[str, Decimal]:
    """Open paper positions of a user: {"Buy": size}."""
    start = service.config.paper.start_balance
    rows = await service.db.read(lambda conn: PaperBook(conn, user_id, start).positions())
    return {p.side: p.size for p in rows if p.size > 0}


async def post_and_finish(client: Client, watcher: Any, user: Any,
                          body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    status, answer, _ = await client.personal(user, body)
    if answer.get("status") == "queued":
        await watcher.wait_final([answer["signal_id"]])
    return status, answer


async def test_one_id_from_entry_to_exit_executes_both(
        client: Client, add_user, webhook_service: Service, watcher_factory) -> None:
    user = await add_user(1201)
    watcher = watcher_factory(webhook_service, [user.id])

    _, opened = await post_and_finish(client, watcher, user, {
        "symbol": "BTCUSDT", "action": "buy", "price": 50000, "id": "STRAT_001"})
    _, closed = await post_and_finish(client, watcher, user, {
        "symbol": "BTCUSDT", "action": "close", "id": "STRAT_001"})

    assert (opened["status"], closed["status"]) == ("queued", "queued")
    assert watcher.final[closed["signal_id"]]["kind"] == "closed"
    assert await position(webhook_service, user.id) == {}


async def test_a_strategys_reused_order_id_enters_and_exits(
        client: Client, add_user, webhook_service: Service, watcher_factory) -> None:
    user = await add_user(1202)
    watcher = watcher_factory(webhook_service, [user.id])
    entry = {"symbol": "BYBIT:BTCUSDT.P", "action": "buy", "position": "long",
             "price": 50000, "id": "Long"}
    exit_ = {"symbol": "BYBIT:BTCUSDT.P", "action": "sell", "position": "flat",
             "price": 50100, "id": "Long"}

    _, first = await post_and_finish(client, watcher, user, entry)
    _, out = await post_and_finish(client, watcher, user, exit_)
    _, again = await post_and_finish(client, watcher, user, entry)  # the same entry, again

    assert (first["status"], out["status"]) == ("queued", "queued")
    assert watcher.final[out["signal_id"]]["kind"] == "closed"
    # Same id, action and symbol within limits.id_window_s: TradingView's retry, not a trade.
    assert again["status"] == "duplicate" and again["duplicate_of"] == first["signal_id"]
    assert again["duplicate_status"] == "done"
    assert f"signal {first['signal_id']}; it was executed (opened long" in again["message"]
    assert await position(webhook_service, user.id) == {}


async def test_the_same_id_on_another_symbol_is_a_new_alert(
        client: Client, add_user, webhook_service: Service, watcher_factory) -> None:
    user = await add_user(1203)
    watcher = watcher_factory(webhook_service, [user.id])
    _, btc = await post_and_finish(client, watcher, user, {
        "symbol": "BTCUSDT", "action": "buy", "price": 50000, "id": "Long"})
    _, eth = await post_and_finish(client, watcher, user, {
        "symbol": "ETHUSDT", "action": "buy", "price": 3000, "id": "Long"})
    assert (btc["status"], eth["status"]) == ("queued", "queued")
    assert set(await position(webhook_service, user.id)) == {"Buy"}
    assert [o.symbol for o in await webhook_service.orders.recent(user.id)] == [
        "ETHUSDT", "BTCUSDT"]


async def test_a_resend_after_a_failure_before_any_order_is_executed(
        client: Client, add_user, webhook_service: Service, watcher_factory) -> None:
    user = await add_user(1204, account_type="demo")  # demo without keys: fails before orders
    watcher = watcher_factory(webhook_service, [user.id])
    body = {"symbol": "BTCUSDT", "action": "buy", "price": 50000, "id": "retry-me"}

    _, failed = await post_and_finish(client, watcher, user, body)
    assert watcher.final[failed["signal_id"]]["status"] == "failed"
    await webhook_service.users.update_user_settings(user.id, account_type="paper")
    _, resent = await post_and_finish(client, watcher, user, body)  # same id: the fix
    _, identical = await post_and_finish(client, watcher, user, {
        k: v for k, v in body.items() if k != "id"})
    _, again = await post_and_finish(client, watcher, user, {
        k: v for k, v in body.items() if k != "id"})  # within 10 s of a success: a repeat

    assert resent["status"] == "queued"
    assert watcher.final[resent["signal_id"]]["status"] == "done"
    assert identical["status"] == "queued"  # no earlier success to repeat (the id differed)
    assert again["status"] == "duplicate" and again["duplicate_of"] == identical["signal_id"]


async def test_an_identical_body_after_an_early_failure_is_not_swallowed(
        client: Client, add_user, webhook_service: Service, watcher_factory) -> None:
    user = await add_user(1205, account_type="demo")
    watcher = watcher_factory(webhook_service, [user.id])
    body = {"symbol": "BTCUSDT", "action": "buy", "price": 50000}
    _, failed = await post_and_finish(client, watcher, user, body)
    _, resent = await post_and_finish(client, watcher, user, body)
    assert watcher.final[failed["signal_id"]]["status"] == "failed"
    assert resent["status"] == "queued"


async def test_a_repeat_while_the_first_still_runs_is_a_duplicate(
        client: Client, add_user, webhook_service: Service) -> None:
    user = await add_user(1206)
    body = {"symbol": "BTCUSDT", "action": "buy", "price": 50000, "id": "A-1"}
    _, first, _ = await client.personal(user, body)
    _, second, _ = await client.personal(user, body)
    assert second["status"] == "duplicate" and second["duplicate_of"] == first["signal_id"]
    assert second["duplicate_status"] in ("queued", "processing", "done")


async def test_the_earlier_bots_format_trades(
        client: Client, add_user, webhook_service: Service, watcher_factory) -> None:
    user = await add_user(1207)
    watcher = watcher_factory(webhook_service, [user.id])
    _, opened = await post_and_finish(client, watcher, user, {
        "symbol": "BTCUSDT", "signal": "buy", "price": 50000, "amount": 200, "leverage": 5})
    _, half = await post_and_finish(client, watcher, user, {
        "symbol": "BTCUSDT", "signal": "partial_close", "percentage": 50, "price": 50000})
    _, rest = await post_and_finish(client, watcher, user, {
        "symbol": "BTCUSDT", "signal": "close_long", "price": 50000})

    assert [watcher.final[a["signal_id"]]["kind"] for a in (opened, half, rest)] == [
        "opened", "closed", "closed"]
    orders = list(reversed(await webhook_service.orders.recent(user.id)))
    assert [(o.side, o.qty, o.reduce_only) for o in orders] == [
        ("Buy", D("0.020"), False), ("Sell", D("0.010"), True), ("Sell", D("0.010"), True)]
    assert orders[0].leverage == 5  # 200 USDT × 5 / 50,000 = 0.02
    assert await position(webhook_service, user.id) == {}


async def test_amount_and_leverage_beyond_the_limits_are_400_and_trade_nothing(
        client: Client, add_user, webhook_service: Service) -> None:
    user = await add_user(1208)
    limits = webhook_service.config.limits
    too_much = await client.personal(user, {"symbol": "BTCUSDT", "action": "buy",
                                            "amount": str(limits.max_trade_amount + 1)})
    too_high = await client.personal(user, {"symbol": "BTCUSDT", "action": "buy",
                                            "leverage": limits.max_leverage + 1})
    share_on_buy = await client.personal(user, {"symbol": "BTCUSDT", "action": "buy",
                                                "qty_percent": 50})
    assert [r[0] for r in (too_much, too_high, share_on_buy)] == [400, 400, 400]
    assert too_much[1]["error"] == "above_limit" and "limits.max_trade_amount" in too_much[1][
        "message"]
    assert too_high[1]["error"] == "above_limit" and "limits.max_leverage" in too_high[1][
        "message"]
    assert share_on_buy[1]["error"] == "bad_field"
    rows = await webhook_service.journal.recent(user.id)
    assert [r.status for r in rows] == ["rejected"] * 3  # journaled as refused, never queued
    assert await webhook_service.orders.recent(user.id) == []


async def test_health_is_an_alias_of_healthz(http: aiohttp.ClientSession,
                                             webhook_service: Service) -> None:
    url = base_url(webhook_service)
    async with http.get(url + "/health") as alias, http.get(url + "/healthz") as healthz:
        assert alias.status == healthz.status == 200
        one, two = await alias.json(), await healthz.json()
    assert one["ok"] is True and one.keys() == two.keys()


async def test_health_reports_the_streams(
        http: aiohttp.ClientSession, client: Client, add_user, webhook_service: Service,
        fake_bybit: FakeBybit, watcher_factory) -> None:
    user = await add_user(1209, account_type="demo")
    fake_bybit.add_account("HEALTHKEY", "HEALTHSECRET", env="demo")
    await webhook_service.users.set_api_keys(user.id, "demo", "HEALTHKEY", "HEALTHSECRET")
    watcher = watcher_factory(webhook_service, [user.id])
    await post_and_finish(client, watcher, user, {"symbol": "BTCUSDT", "action": "buy",
                                                  "price": 50000})
    stream = webhook_service.streams.private((user.id, AccountType.DEMO))
    assert stream is not None and await stream.state.wait_synced(5)
    await fake_bybit.wait_for_public_subscription("linear", "BTCUSDT")

    async with http.get(base_url(webhook_service) + "/healthz") as response:
        health = await response.json()

    private = health["streams"]["private"]
    assert (private["open"], private["connected"], private["synced"]) == (1, 1, 1)
    assert private["max"] == webhook_service.config.bybit.max_private_streams
    assert (private["held"], private["refused"]) == (0, 0)
    assert health["streams"]["public"]["linear"]["symbols"] == 1
    assert health["streams"]["public"]["linear"]["held"] is False
    openings = health["streams"]["openings"]  # Bybit's limit per domain, and our use of it
    assert (openings["limit"], openings["window_s"], openings["held_back"]) == (300, 300, 0)
    [domain] = openings["domains"].values()
    assert domain["opened"] >= 2 and domain["waiting"] == 0


async def test_a_qty_whose_margin_is_above_the_limit_is_400_at_the_limit_accepted(
        client: Client, add_user, webhook_service: Service) -> None:
    limit = webhook_service.config.limits.max_trade_amount
    futures = await add_user(1209, leverage=5)
    spot = await add_user(1210, market_type="spot")
    step = D("0.001")

    async def post(user: Any, qty: Decimal, **fields: Any) -> tuple[int, dict[str, Any]]:
        status, answer, _ = await client.personal(user, {
            "symbol": "BTCUSDT", "action": "buy", "price": 50000, "qty": str(qty), **fields})
        return status, answer

    # Margin is qty × price ÷ leverage (the alert's, else the user's); spot pays qty × price.
    at_alerts = await post(futures, limit * 10 / 50000, leverage=10)
    above_alerts = await post(futures, limit * 10 / 50000 + step, leverage=10)
    at_users = await post(futures, limit * 5 / 50000)
    above_users = await post(futures, limit * 5 / 50000 + step)
    at_spot = await post(spot, limit / 50000)
    above_spot = await post(spot, limit / 50000 + step)
    close = await post(futures, D(1000), action="close")  # a close sizes by the position

    assert [r[0] for r in (at_alerts, at_users, at_spot, close)] == [200] * 4
    assert [r[0] for r in (above_alerts, above_users, above_spot)] == [400] * 3
    for (_, answer), margin in ((above_alerts, limit + 5), (above_users, limit + 10),
                                (above_spot, limit + 50)):
        assert answer["error"] == "above_limit"
        assert "limits.max_trade_amount" in answer["message"], answer
        assert f"{margin:,}" in answer["message"], answer
    assert "10x" in above_alerts[1]["message"] and "5x" in above_users[1]["message"]
    for user, refused in ((futures, 2), (spot, 1)):
        rows = await webhook_service.journal.recent(user.id)
        assert [r.error_code for r in rows if r.status == "rejected"] == ["above_limit"] * refused
