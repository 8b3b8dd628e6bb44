"""Hostile input: config fuzzing, injection-shaped values, and tokens from the wrong hands."""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable
from typing import Any

import aiohttp
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.app import Service, default_settings
from bot.config import Config, ConfigError, parse_config
from tests.conftest import base_url

SECTIONS = ["server", "telegram", "database", "bybit", "defaults", "limits", "legacy_webhook",
            "paper", "log_level", "other"]
KEYS = ["host", "port", "public_url", "token", "base_url", "admin_ids", "path", "market_type",
        "trade_amount", "leverage", "account_type", "per_user_per_minute", "max_body_bytes",
        "enabled", "user_id", "secret", "start_balance", "taker_fee", "allowed_ips", "bogus"]
SCALARS = (st.none() | st.booleans() | st.integers(-10**12, 10**12) | st.floats()
           | st.text(max_size=20) | st.sampled_from(["futures", "spot", "paper", "demo",
                                                      "https://x.example", "0", "-1"]))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.sampled_from(KEYS), inner, max_size=4), max_leaves=10)
CONFIGS = st.dictionaries(st.sampled_from(SECTIONS), VALUES, max_size=5)
ENVS = st.dictionaries(st.sampled_from(["PORT", "TELEGRAM_BOT_TOKEN", "LOG_LEVEL"]),
                       st.text(max_size=10), max_size=2)


@settings(max_examples=400, deadline=None)
@given(raw=CONFIGS | VALUES, env=ENVS)
def test_any_config_is_either_valid_or_one_error_naming_a_key(raw: Any,
                                                              env: dict[str, str]) -> None:
    try:
        config = parse_config(raw, env)
    except ConfigError as exc:
        message = str(exc)
        assert ":" in message and "\n" not in message
        key = message.split(":", 1)[0]
        assert key.split(".")[0].split("[")[0].split(" ")[0] in {*SECTIONS, "config", "PORT",
                                                                 "LOG_LEVEL", *KEYS}
    else:
        assert isinstance(config, Config)
        assert 1 <= config.defaults.leverage <= config.limits.max_leverage
        assert config.defaults.trade_amount > 0


INJECTIONS = ["'; DROP TABLE users;--", "BTC\x00USDT", "x" * 5000, "ビットコイン", "<script>",
              "{{ticker}}", "BTCUSDT\" OR 1=1 --", "\u202eTDSUCTB",
              "BTCUSDT\n.P"]  # the newline is inside: strip() leaves it, a suffix bares it


@pytest.mark.parametrize("symbol", INJECTIONS)
async def test_injection_shaped_symbols_are_refused_stored_safely_and_never_traded(
        make_config: Callable[..., Config], start_service: Callable[..., Any],
        http: aiohttp.ClientSession, symbol: str) -> None:
    service: Service = await start_service(make_config(bybit={"base_url": "http://127.0.0.1:9"}))
    user, _ = await service.users.create_user(61, defaults=default_settings(service.config),
                                              is_active=True)
    async with http.post(f"{base_url(service)}/personal/61/webhook",
                         params={"token": service.users.webhook_token(user)},
                         json={"symbol": symbol, "action": "buy", "note": symbol}) as response:
        answer = await response.json()
    assert response.status == 400 and answer["error"] == "bad_symbol"
    assert len(answer["message"]) < 400  # oversized values are shortened, not echoed whole
    rows = await service.db.read(lambda c: c.execute(
        "SELECT status, raw_body FROM signals WHERE user_id = 61").fetchall())
    assert [row[0] for row in rows] == ["rejected"]
    assert json.loads(rows[0][1])["symbol"] == symbol  # kept exactly, as data
    assert await service.orders.recent(61) == []
    tables = await service.db.read(lambda c: c.execute(
        "SELECT COUNT(*) FROM users WHERE id = 61").fetchone()[0])
    assert tables == 1


async def test_token_comparison_is_constant_time_on_every_route(
        make_config: Callable[..., Config], start_service: Callable[..., Any],
        http: aiohttp.ClientSession, monkeypatch: pytest.MonkeyPatch) -> None:
    service: Service = await start_service(make_config(bybit={"base_url": "http://127.0.0.1:9"}))
    user, _ = await service.users.create_user(62, defaults=default_settings(service.config),
                                              is_active=True)
    compared: list[bytes] = []
    real = hmac.compare_digest

    def recording(a: Any, b: Any) -> bool:
        compared.append(b)
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", recording)
    url = f"{base_url(service)}/personal/62"
    token = service.users.webhook_token(user)
    key = service.links.issue(user.id, user.dashboard_epoch).key
    wrong = token[:-2] + "xx"  # everything matches but the end
    async with http.post(f"{url}/webhook", params={"token": wrong}, json={}) as response:
        assert response.status == 401
    assert compared == [user.token_digest]  # the keyed hashes compared, never the token
    wrong = key[:-2] + "xx"
    async with http.get(f"{url}/dashboard", params={"key": wrong}) as response:
        assert response.status == 401
    async with http.get(f"{url}/ws", params={"key": wrong}) as response:
        assert response.status == 401
    assert len(compared) == 3  # each route decided through hmac.compare_digest
    assert compared[1:] == [wrong.encode()] * 2  # the whole key, the right length


async def test_the_webhook_never_opens_a_sealed_token_to_check_one(
        make_config: Callable[..., Config], start_service: Callable[..., Any],
        http: aiohttp.ClientSession, monkeypatch: pytest.MonkeyPatch) -> None:
    service: Service = await start_service(make_config(bybit={"base_url": "http://127.0.0.1:9"}))
    user, _ = await service.users.create_user(65, defaults=default_settings(service.config),
                                              is_active=True)
    token = service.users.webhook_token(user)
    service.users.invalidate()  # the first alert reads the user from the database again

    def refuse(*args: Any, **kwargs: Any) -> str:
        raise AssertionError("a sealed secret was opened on the webhook's path")

    monkeypatch.setattr(service.box, "decrypt", refuse)
    for n in range(5):
        async with http.post(f"{base_url(service)}/personal/65/webhook",
                             params={"token": token},
                             json={"symbol": "BTCUSDT", "action": "close", "id": str(n)}) as r:
            assert r.status == 200, await r.text()


async def test_other_users_tokens_open_nothing(make_config: Callable[..., Config],
                                               start_service: Callable[..., Any],
                                               http: aiohttp.ClientSession) -> None:
    service: Service = await start_service(make_config(bybit={"base_url": "http://127.0.0.1:9"}))
    alice, _ = await service.users.create_user(63, defaults=default_settings(service.config),
                                               is_active=True)
    bob, _ = await service.users.create_user(64, defaults=default_settings(service.config),
                                             is_active=True)
    url = f"{base_url(service)}/personal/{alice.id}"
    mine, theirs = service.users.webhook_token(alice), service.users.webhook_token(bob)
    bobs_key = service.links.issue(bob.id, bob.dashboard_epoch).key
    for token in (None, "", theirs, mine[:10], mine.upper(), mine + "x", bobs_key):
        params = {} if token is None else {"token": token}
        async with http.post(f"{url}/webhook", params=params,
                             json={"symbol": "BTCUSDT", "action": "buy"}) as response:
            assert response.status == 401, token
        for name in ("token", "key"):  # the dashboard takes neither a token nor these keys
            params = {} if token is None else {name: token}
            async with http.get(f"{url}/dashboard", params=params) as response:
                assert response.status == 401, token
            with pytest.raises(aiohttp.WSServerHandshakeError) as info:
                async with http.ws_connect(f"{url}/ws", params=params):
                    pass
            assert info.value.status == 401
    assert await service.journal.recent(alice.id) == []
