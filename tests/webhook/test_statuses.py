"""Every answer of DESIGN §2 through real HTTP: what a sender sees, and what the journal keeps."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import pytest

from bot.app import Service, default_settings
from tests.conftest import base_url
from tests.webhook.conftest import Client

BUY = {"symbol": "BTCUSDT.P", "action": "buy", "price": 50000}


async def test_valid_alert_is_journaled_and_acknowledged(client: Client, add_user,
                                                         webhook_service: Service,
                                                         watcher_factory) -> None:
    user = await add_user(101)
    watcher = watcher_factory(webhook_service, [user.id])
    status, answer, _ = await client.personal(user, BUY)
    assert status == 200
    assert answer["ok"] is True and answer["status"] == "queued"
    record = await webhook_service.journal.get(answer["signal_id"])
    assert record is not None and record.user_id == user.id
    assert record.signal is not None and record.signal.symbol == "BTCUSDT"
    final = await watcher.wait_final([answer["signal_id"]])
    assert final[answer["signal_id"]] == "done"


async def test_text_plain_json_is_parsed(client: Client, add_user) -> None:
    user = await add_user(102)
    status, answer, _ = await client.personal(
        user, raw=b'{"symbol":"ETHUSDT.P","action":"sell","price":"3012.45"}',
        headers={"Content-Type": "text/plain; charset=utf-8"})
    assert (status, answer["status"]) == (200, "queued")


async def test_token_in_the_body_works_and_is_not_kept(client: Client, add_user,
                                                       webhook_service: Service) -> None:
    user = await add_user(103)
    status, answer, _ = await client.personal(
        user, {**BUY, "token": client.token(user)}, params={})
    assert status == 200
    record = await webhook_service.db.read(
        lambda conn: conn.execute("SELECT raw_body FROM signals WHERE id = ?",
                                  (answer["signal_id"],)).fetchone()[0])
    assert client.token(user) not in record and "***" in record


@pytest.mark.parametrize(("body", "code", "words"), [
    (b"", "empty_body", "empty"),
    (b"BUY BTCUSDT now!", "not_json", "not valid JSON"),
    (b'{"action": "buy"}', "missing_field", '"symbol" is missing'),
    (b'{"symbol": "BTCUSDT"}', "missing_field", '"action" is missing'),
    (b'{"symbol": "BTCUSDT", "action": "buy_now"}', "unknown_action", "buy, long, sell"),
    (b'{"symbol": "BTCUSDT", "action": "buy", "price": "abc"}', "bad_number", "price"),
    # Half of a UTF-16 pair, escaped: valid JSON grammar, but no text to store or quote.
    (b'{"symbol": "BTCUSDT", "action": "buy", "id": "\\ud800"}', "not_json", "not UTF-8"),
    (b'{"symbol": "\\udfff", "action": "buy"}', "not_json", "not UTF-8"),
    # A field twice: which one the sender meant is theirs to say, not the last one's to win.
    (b'{"symbol": "BTCUSDT", "action": "buy", "qty": 1, "qty": 100}', "bad_field",
     '"qty" appears more than once'),
    (b'{"symbol": "BTCUSDT", "action": "buy", "tps": [{"price": 51000, "price": 52000}]}',
     "bad_field", '"price" appears more than once'),
])
async def test_bad_bodies_are_400_with_a_sentence_and_journaled_as_rejected(
        client: Client, add_user, webhook_service: Service, body: bytes, code: str,
        words: str) -> None:
    user = await add_user(104)
    status, answer, _ = await client.personal(user, raw=body)
    assert status == 400
    assert answer == {"ok": False, "error": code, "message": answer["message"]}
    assert words in answer["message"]
    recent = await webhook_service.journal.recent(user.id, 1)
    assert recent[0].status == "rejected" and recent[0].error_code == code
    assert recent[0].error == answer["message"]


async def test_missing_and_wrong_tokens_are_401(client: Client, add_user) -> None:
    user = await add_user(105)
    other = await add_user(106)
    for params in ({}, {"token": "wrong"}, {"token": client.token(user)[:-1]},
                   {"token": client.token(other)}):
        status, answer, _ = await client.personal(user, BUY, params=params)
        assert status == 401, params
        assert answer["error"] == "unauthorized"
        assert "/webhook" in answer["message"]


async def test_token_is_checked_before_revealing_that_a_user_is_inactive(
        client: Client, add_user, webhook_service: Service) -> None:
    user = await add_user(107, active=False)
    status, _, _ = await client.personal(user, BUY, params={"token": "guess"})
    assert status == 401
    status, answer, _ = await client.personal(user, BUY)
    assert status == 403 and answer["error"] == "inactive"
    assert "admin" in answer["message"]
    assert (await webhook_service.journal.recent(user.id, 1))[0].status == "rejected"


async def test_paused_trading_is_403_and_journaled(client: Client, add_user,
                                                   webhook_service: Service) -> None:
    user = await add_user(108, paused=True)
    status, answer, _ = await client.personal(user, BUY)
    assert (status, answer["error"]) == (403, "paused")
    assert "/resume" in answer["message"]
    row = (await webhook_service.journal.recent(user.id, 1))[0]
    assert (row.status, row.error_code) == ("rejected", "paused")
    assert row.signal is not None and row.signal.symbol == "BTCUSDT"


async def test_unknown_users_are_404(client: Client) -> None:
    for path in ("/personal/999999/webhook", "/personal/abc/webhook",
                 "/personal/0/webhook", "/personal/-1/webhook"):
        status, answer, _ = await client.post(path, BUY, params={"token": "x"})
        assert status == 404, path
        assert answer["ok"] is False


async def test_bodies_over_the_limit_are_413(client: Client, add_user) -> None:
    user = await add_user(109)
    status, answer, _ = await client.personal(user, raw=b"{" + b" " * 20000 + b"}")
    assert status == 413
    assert "16384 bytes" in answer["message"]


async def test_a_body_limit_of_0_lets_any_body_through(make_config, start_service, http,
                                                       fake_bybit) -> None:
    """`limits.max_body_bytes: 0` turns the limit off, as every limit's 0 does: a long alert is
    taken, not refused by some smaller limit of the server's own."""
    service = await start_service(make_config(bybit={"base_url": fake_bybit.url},
                                              limits={"max_body_bytes": 0}))
    user, _ = await service.users.create_user(113, defaults=default_settings(service.config),
                                              is_active=True)
    client = Client(http, base_url(service), service.users)
    status, answer, _ = await client.personal(user, {**BUY, "note": "x" * 20000})
    assert (status, answer["ok"], answer.get("status")) == (200, True, "queued")


async def test_stale_timestamps_are_refused_and_journaled(client: Client, add_user,
                                                          webhook_service: Service) -> None:
    user = await add_user(110)
    old = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 600))
    status, answer, _ = await client.personal(user, {**BUY, "timestamp": old})
    assert (status, answer["error"]) == (400, "stale_signal")
    assert "old" in answer["message"] and "120 s" in answer["message"]
    row = (await webhook_service.journal.recent(user.id, 1))[0]
    assert (row.status, row.error_code) == ("rejected", "stale_signal")
    fresh = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    status, _, _ = await client.personal(user, {**BUY, "timestamp": fresh, "id": "fresh"})
    assert status == 200


async def test_unknown_routes_and_methods_answer_json(client: Client) -> None:
    async with client.http.get(client.url + "/personal/1/webhook") as response:
        assert response.status == 405
        assert (await response.json())["ok"] is False
    async with client.http.get(client.url + "/nothing") as response:
        assert response.status == 404
        assert "/personal/" in (await response.json())["message"]


async def test_healthz_reports_database_bot_and_queue(client: Client) -> None:
    async with client.http.get(client.url + "/healthz") as response:
        health = await response.json()
    assert response.status == 200
    assert health["database"] == "ok" and health["bot"] == "off"
    assert set(health["queue"]) >= {"depth", "lanes", "running"}


async def test_a_token_sent_in_the_wrong_field_is_never_echoed(client: Client, add_user,
                                                               webhook_service: Service) -> None:
    user = await add_user(111)
    status, answer, _ = await client.personal(
        user, {"symbol": "BTCUSDT", "action": client.token(user)})
    assert status == 400
    assert client.token(user)[:8] not in answer["message"]
    assert "***" in answer["message"]
    row = (await webhook_service.journal.recent(user.id, 1))[0]
    assert client.token(user)[:8] not in (row.error or "")


async def test_the_token_pasted_anywhere_in_the_body_is_not_kept(
        client: Client, add_user, webhook_service: Service) -> None:
    """The URL's token, pasted into the message too — in a field of its own choosing, or with
    the whole URL in a message that is not JSON — is masked in the journal's copy of the body,
    like a `token` field."""
    user = await add_user(112)
    token = client.token(user)
    status, _, _ = await client.personal(user, {**BUY, "comment": f"token {token}"})
    assert status == 200
    url = f"{client.url}/personal/{user.id}/webhook?token={token}"
    status, _, _ = await client.personal(user, raw=url.encode())
    assert status == 400
    kept = await webhook_service.db.read(lambda conn: conn.execute(
        "SELECT raw_body FROM signals WHERE user_id = ? ORDER BY id", (user.id,)).fetchall())
    assert len(kept) == 2
    for (raw,) in kept:
        assert token not in raw and "***" in raw


async def _post_in_pieces(client: Client, path: str, pieces: list[bytes], *,
                          chunked: bool) -> tuple[int, dict[str, Any]]:
    """POST over a raw socket, the body in pieces, each written once the loop has turned a
    few times (the service runs on this loop: it reads what came before the next piece)."""
    host, port = client.url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    framing = ("Transfer-Encoding: chunked" if chunked
               else f"Content-Length: {sum(map(len, pieces))}")
    writer.write(f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: text/plain\r\n"
                 f"{framing}\r\nConnection: close\r\n\r\n".encode())
    for piece in pieces:
        writer.write(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
        await writer.drain()
        for _ in range(5):
            await asyncio.sleep(0)  # a turn of the loop each, not a wait for anything
    if chunked:
        writer.write(b"0\r\n\r\n")
    answer = await reader.read()
    writer.close()
    head, _, body = answer.partition(b"\r\n\r\n")
    if b"chunked" in head.lower():  # the answer's own framing: one chunk, then the end
        body = body.split(b"\r\n", 1)[1].rsplit(b"\r\n0\r\n", 1)[0]
    return int(head.split()[1]), json.loads(body)


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
async def test_a_body_that_arrives_in_pieces_is_read_whole(client: Client, add_user,
                                                          webhook_service: Service,
                                                          chunked: bool) -> None:
    user = await add_user(112)
    body = json.dumps({**BUY, "id": f"pieces-{chunked}", "comment": "x" * 300}).encode()
    pieces = [body[:7], body[7:150], body[150:]]
    path = f"/personal/{user.id}/webhook?token={client.token(user)}"
    status, answer = await _post_in_pieces(client, path, pieces, chunked=chunked)
    assert (status, answer["status"]) == (200, "queued"), answer
    record = await webhook_service.journal.get(answer["signal_id"])
    assert record is not None and record.signal is not None
    assert record.signal.client_id == f"pieces-{chunked}"


async def test_a_chunked_body_over_the_limit_is_413(client: Client, add_user) -> None:
    user = await add_user(113)
    path = f"/personal/{user.id}/webhook?token={client.token(user)}"
    status, answer = await _post_in_pieces(client, path, [b"{" + b" " * 9000] * 2 + [b"}"],
                                           chunked=True)
    assert (status, answer["error"]) == (413, "body_too_large")


async def test_the_ack_is_json_with_its_charset(client: Client, add_user) -> None:
    user = await add_user(114)
    status, answer, headers = await client.personal(user, {**BUY, "id": "charset"})
    assert status == 200 and set(answer) == {"ok", "signal_id", "status"}
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    assert headers["Referrer-Policy"] == "no-referrer"  # like every answer of the server
