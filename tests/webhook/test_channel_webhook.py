"""`POST /channel/{code}/webhook` through real HTTP: what a provider sees, what the journal
keeps, and how one alert becomes each subscriber's own signal."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from bot.app import Service
from bot.db.channel_expansion import Expansion
from bot.db.channels import Channel
from bot.models import User
from tests.conftest import free_port
from tests.webhook.conftest import Client

BUY = {"symbol": "BTCUSDT.P", "action": "buy", "price": 50000}
AddUser = Callable[..., Awaitable[User]]


async def new_channel(service: Service, owner: User, *subscribers: User) -> tuple[Channel, str]:
    """A channel and its token, as /channel new makes them; the users subscribed."""
    channel, token = await service.channels.create(owner.id, "Test channel")
    for user in subscribers:
        await service.channels.subscribe(channel.id, user.id)
    return channel, token


async def post(client: Client, channel: Channel, body: Any = BUY, *, token: str | None = None,
               raw: bytes | None = None, code: str | None = None
               ) -> tuple[int, dict[str, Any], Any]:
    params = {"token": token} if token is not None else {}
    return await client.post(f"/channel/{code or channel.code}/webhook", body, raw=raw,
                             params=params)


def channel_rows(service: Service, sql: str, *params: Any) -> Awaitable[list[Any]]:
    return service.db.read(lambda conn: conn.execute(sql, params).fetchall())


async def test_an_alert_is_journaled_once_and_expanded_to_every_subscriber(
        client: Client, add_user: AddUser, webhook_service: Service) -> None:
    owner, *users = [await add_user(n) for n in (300, 301, 302, 303)]
    channel, token = await new_channel(webhook_service, owner, *users)
    status, answer, _ = await post(client, channel, token=token)
    assert status == 200
    assert answer == {"ok": True, "channel_alert_id": answer["channel_alert_id"],
                      "status": "queued", "subscribers": 3}
    await webhook_service.fanout.join()
    await webhook_service.dispatcher.join()
    signals = await channel_rows(
        webhook_service, "SELECT user_id, status, route FROM signals WHERE channel_alert_id = ?"
        " ORDER BY user_id", answer["channel_alert_id"])
    assert [tuple(row) for row in signals] == [(301, "done", "channel"), (302, "done", "channel"),
                                               (303, "done", "channel")]
    # The same alert again (no id: an identical body within the window) is a duplicate.
    status, again, _ = await post(client, channel, token=token)
    assert (status, again["status"], again["duplicate_of"]) == (
        200, "duplicate", answer["channel_alert_id"])
    await webhook_service.fanout.join()
    assert len(await channel_rows(webhook_service, "SELECT id FROM signals")) == 3


async def test_the_token_may_come_in_the_body_and_is_masked(
        client: Client, add_user: AddUser, webhook_service: Service) -> None:
    owner = await add_user(310)
    channel, token = await new_channel(webhook_service, owner)
    status, answer, _ = await post(client, channel, {**BUY, "token": token})
    assert (status, answer["status"], answer["subscribers"]) == (200, "queued", 0)
    # The URL's token, quoted in a field of another name, is masked as well.
    status, answer, _ = await post(client, channel, {**BUY, "note": token}, token=token)
    assert (status, answer["status"]) == (200, "queued")
    kept = await channel_rows(webhook_service, "SELECT raw_body FROM channel_alerts")
    assert len(kept) == 2
    for (raw,) in kept:
        assert token not in raw and "***" in raw


@pytest.mark.parametrize(("case", "status", "error"), [
    ("unknown code", 404, "unknown_channel"),
    ("odd code", 404, "unknown_channel"),
    ("no token", 401, "unauthorized"),
    ("wrong token", 401, "unauthorized"),
    ("paused", 403, "channel_paused"),
    ("bad body", 400, "not_json"),
    ("unknown action", 400, "unknown_action"),
    ("stale", 400, "stale_signal"),
    ("too large", 413, "body_too_large"),
])
async def test_refusals_answer_like_a_personal_url_and_trade_nothing(
        client: Client, add_user: AddUser, webhook_service: Service, case: str, status: int,
        error: str) -> None:
    owner, follower = await add_user(320), await add_user(321)
    channel, token = await new_channel(webhook_service, owner, follower)
    if case == "paused":
        await webhook_service.channels.set_paused(channel.id, True)
    given = {"no token": None, "wrong token": token[:-2] + "xy"}.get(case, token)
    code = {"unknown code": "zzzz99", "odd code": "No-Such.Code"}.get(case)
    body = {"stale": {**BUY, "timestamp": 1_000_000_000},
            "unknown action": {**BUY, "action": "moon"}}.get(case, BUY)
    raw = {"bad body": b"BUY BTCUSDT now!", "too large": b"{" + b" " * 20000 + b"}"}.get(case)
    got, answer, _ = await post(client, channel, body, token=given, raw=raw, code=code)
    assert (got, answer["ok"], answer["error"]) == (status, False, error)
    assert answer["message"] and token not in json.dumps(answer)
    await webhook_service.fanout.join()
    assert await channel_rows(webhook_service, "SELECT id FROM signals") == []
    kept = await channel_rows(webhook_service, "SELECT status, error_code FROM channel_alerts")
    # What an authenticated provider sent is journaled as refused; nothing expands from it.
    assert [tuple(row) for row in kept] == ([("rejected", error)] if case in (
        "paused", "bad body", "unknown action", "stale") else [])


async def test_a_channel_has_its_own_rate_limit(
        make_config: Callable[..., Any], start_service: Callable[..., Any],
        http: Any) -> None:
    config = make_config(limits={"per_user_per_minute": 2, "per_ip_per_minute": 0})
    service = await start_service(config)
    owner, _ = await service.users.create_user(330, defaults=_defaults(service), is_active=True)
    channel, token = await new_channel(service, owner)
    client = Client(http, f"http://127.0.0.1:{service.port}")
    answers = [await post(client, channel, {**BUY, "id": f"a{n}"}, token=token)
               for n in range(3)]
    assert [status for status, _, _ in answers] == [200, 200, 429]
    assert answers[2][2]["Retry-After"]


def _defaults(service: Service) -> Any:
    from bot.app import default_settings

    return default_settings(service.config)


async def test_who_cannot_trade_is_refused_in_their_row_and_the_rest_trade(
        client: Client, add_user: AddUser, webhook_service: Service,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Keys missing, paused, or deactivated while the alert is being expanded: each gets a
    `rejected` row saying why, nobody else is held up."""
    owner = await add_user(340)
    ready = await add_user(341)
    no_keys = await add_user(342, account_type="demo")
    paused = await add_user(343, paused=True)
    later = await add_user(344)  # deactivated after the first step of the expansion
    last = await add_user(345)
    channel, token = await new_channel(webhook_service, owner, ready, no_keys, paused, later,
                                       last)
    # One subscriber per step, and the expansion held after its first step.
    webhook_service.fanout.batch = 1
    expand = webhook_service.channel_alerts.expand
    first_step: asyncio.Queue[Expansion] = asyncio.Queue()
    go_on = asyncio.Event()

    async def held_after_the_first_step(alert_id: int, limit: int) -> Expansion:
        step = await expand(alert_id, limit)
        if first_step.empty():
            first_step.put_nowait(step)
            await go_on.wait()
        return step

    monkeypatch.setattr(webhook_service.channel_alerts, "expand", held_after_the_first_step)
    status, answer, _ = await post(client, channel, token=token)
    assert (status, answer["subscribers"]) == (200, 5)
    step = await first_step.get()
    assert [row.user_id for row in step.rows] == [ready.id]
    await webhook_service.users.toggle_user_active(later.id, False)
    go_on.set()
    await webhook_service.fanout.join()
    await webhook_service.dispatcher.join()
    found = await channel_rows(
        webhook_service, "SELECT user_id, status, error_code FROM signals"
        " WHERE channel_alert_id = ? ORDER BY user_id", answer["channel_alert_id"])
    assert [tuple(row) for row in found] == [
        (ready.id, "done", None), (no_keys.id, "rejected", "no_keys"),
        (paused.id, "rejected", "paused"), (later.id, "rejected", "inactive"),
        (last.id, "done", None)]
    orders = await channel_rows(webhook_service, "SELECT user_id FROM orders ORDER BY user_id")
    assert [row[0] for row in orders] == [ready.id, last.id]
    [(cursor, expanded, state)] = await channel_rows(
        webhook_service, "SELECT cursor, expanded, status FROM channel_alerts")
    assert (cursor, expanded, state) == (last.id, 5, "expanded")


async def test_a_subscriber_with_new_entries_paused_still_gets_the_channels_closes(
        client: Client, add_user: AddUser, webhook_service: Service) -> None:
    owner, trading = await add_user(360), await add_user(361)
    holding = await add_user(362)
    channel, token = await new_channel(webhook_service, owner, trading, holding)
    status, _, _ = await post(client, channel, token=token)
    assert status == 200
    await webhook_service.fanout.join()
    await webhook_service.dispatcher.join()
    await webhook_service.users.update_user_settings(holding.id, entries_paused=True)
    status, again, _ = await post(client, channel, {**BUY, "price": 50100}, token=token)
    assert status == 200
    status, closed, _ = await post(client, channel,
                                   {"symbol": "BTCUSDT", "action": "close", "price": 50200},
                                   token=token)
    assert status == 200
    await webhook_service.fanout.join()
    await webhook_service.dispatcher.join()
    found = await channel_rows(
        webhook_service, "SELECT channel_alert_id, user_id, status, error_code, error"
        " FROM signals WHERE channel_alert_id IN (?, ?) ORDER BY channel_alert_id, user_id",
        again["channel_alert_id"], closed["channel_alert_id"])
    rows = [tuple(row) for row in found]
    assert [row[1:4] for row in rows] == [
        (trading.id, "done", None), (holding.id, "rejected", "entries_paused"),
        (trading.id, "done", None), (holding.id, "done", None)]
    assert "new entries are paused" in rows[1][4] and "/resume" in rows[1][4]
    positions = await webhook_service.registry.paper(holding.id).open_positions()
    assert positions == []  # the close ran for them: flat


async def test_a_subscriber_with_new_entries_paused_keeps_a_partial_exit_opens_nothing(
        client: Client, add_user: AddUser, webhook_service: Service) -> None:
    """A sell that leaves the strategy long opens nothing on a long account: not refused at
    the fan-out; on a flat account it would open, and the planner refuses it."""
    owner, trading = await add_user(363), await add_user(364)
    holding = await add_user(365)
    channel, token = await new_channel(webhook_service, owner, trading, holding)
    assert (await post(client, channel, token=token))[0] == 200
    await webhook_service.fanout.join()
    await webhook_service.dispatcher.join()
    await webhook_service.users.update_user_settings(holding.id, entries_paused=True)
    partial_exit = {**BUY, "action": "sell", "position": "long"}
    answers = []
    for body in ({**partial_exit, "price": 50100},
                 {"symbol": "BTCUSDT", "action": "close", "price": 50200},
                 {**partial_exit, "price": 50300}):
        status, answer, _ = await post(client, channel, body, token=token)
        assert status == 200
        answers.append(answer["channel_alert_id"])
        await webhook_service.fanout.join()
        await webhook_service.dispatcher.join()
    found = await channel_rows(
        webhook_service, "SELECT channel_alert_id, user_id, status, error_code"
        " FROM signals WHERE channel_alert_id IN (?, ?) ORDER BY channel_alert_id, user_id",
        answers[0], answers[2])
    assert [tuple(row)[1:] for row in found] == [
        (trading.id, "done", None), (holding.id, "done", None),  # both long: kept
        (trading.id, "done", None), (holding.id, "failed", "entries_paused")]
    assert await webhook_service.registry.paper(holding.id).open_positions() == []
    [long] = await webhook_service.registry.paper(trading.id).open_positions()
    assert long.side == "Buy"


async def test_the_personal_webhook_keeps_working_beside_channels(
        client: Client, add_user: AddUser, webhook_service: Service) -> None:
    owner, follower = await add_user(350), await add_user(351)
    channel, token = await new_channel(webhook_service, owner, follower)
    second, second_token = await new_channel(webhook_service, owner, follower)
    mine, _, _ = await client.personal(follower, {**BUY, "id": "mine"})
    one, _, _ = await post(client, channel, {**BUY, "id": "mine"}, token=token)
    two, _, _ = await post(client, second, {**BUY, "action": "close", "id": "mine"},
                           token=second_token)
    assert (mine, one, two) == (200, 200, 200)
    await webhook_service.fanout.join()
    await webhook_service.dispatcher.join()
    found = await channel_rows(webhook_service, "SELECT route, status, client_id FROM signals"
                                                " WHERE user_id = ? ORDER BY id", follower.id)
    # The channel's `id` stays with the channel: it never makes a personal alert a duplicate.
    assert [tuple(row) for row in found] == [("personal", "done", "mine"),
                                             ("channel", "done", None),
                                             ("channel", "done", None)]
    assert free_port()  # the service still answers on its own port


async def test_a_resend_after_every_subscriber_failed_before_any_order_is_traded(
        client: Client, add_user: AddUser, webhook_service: Service) -> None:
    """DESIGN §3, as on a personal URL: a signal that failed before any order reached the
    exchange does not make its corrected resend (the same `id`) a duplicate; once one went
    through, the repeat is one."""
    owner, first, second = await add_user(370), await add_user(371), await add_user(372)
    channel, token = await new_channel(webhook_service, owner, first, second)
    tiny = {**BUY, "id": "L-1", "qty": "0.0001"}  # below BTCUSDT's 0.001: no order placed
    status, failed, _ = await post(client, channel, tiny, token=token)
    assert (status, failed["status"]) == (200, "queued")
    await webhook_service.fanout.join()
    await webhook_service.dispatcher.join()
    assert set(dict(await channel_rows(
        webhook_service, "SELECT user_id, status FROM signals WHERE channel_alert_id = ?",
        failed["channel_alert_id"])).values()) == {"failed"}

    status, fixed, _ = await post(client, channel, {**tiny, "qty": "0.002"}, token=token)
    assert (status, fixed["status"]) == (200, "queued")
    await webhook_service.fanout.join()
    await webhook_service.dispatcher.join()
    status, again, _ = await post(client, channel, {**tiny, "qty": "0.002"}, token=token)
    assert (status, again["status"], again["duplicate_of"]) == (
        200, "duplicate", fixed["channel_alert_id"])
    await webhook_service.fanout.join()
    await webhook_service.dispatcher.join()
    orders = await channel_rows(webhook_service, "SELECT user_id, qty FROM orders"
                                                 " ORDER BY user_id")
    assert [tuple(row) for row in orders] == [(first.id, "0.002"), (second.id, "0.002")]


async def test_a_partial_exit_reaches_each_subscriber_as_one(
        client: Client, add_user: AddUser, webhook_service: Service) -> None:
    """`"position": "long"` on a sell: each subscriber's row keeps the mark (the alert is stored
    once, as JSON), so a long they hold is kept as it is, not added to, pyramiding or not."""
    owner, user = await add_user(370), await add_user(371, pyramiding=True)
    channel, token = await new_channel(webhook_service, owner, user)
    for body in (BUY, {**BUY, "action": "sell", "position": "long"}):
        status, answer, _ = await post(client, channel, body, token=token)
        assert status == 200, answer
        await webhook_service.fanout.join()
        await webhook_service.dispatcher.join()
    rows = await channel_rows(webhook_service, "SELECT position_turned, status, outcome"
                              " FROM signals WHERE user_id = ? ORDER BY id", user.id)
    assert [(row[0], row[1], json.loads(row[2])["kind"], json.loads(row[2])["kept"])
            for row in rows] == [(0, "done", "opened", False), (1, "done", "skipped", True)]
    [position] = await webhook_service.registry.paper(user.id).open_positions()
    assert [leg["qty"] for leg in json.loads(rows[0][2])["legs"]] == [str(position.size)]
