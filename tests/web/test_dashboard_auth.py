"""Only the owner's token opens a dashboard or its WebSocket; anything else is a JSON 401/404."""

from __future__ import annotations

import aiohttp
import pytest

from tests.web.conftest import Trader, receive


def bad_tokens(trader: Trader) -> dict[str, str]:
    token = trader.user.webhook_token
    return {"missing": "", "wrong": "x" * len(token), "truncated": token[:-1],
            "longer": token + "A", "other user's": trader.other.webhook_token,
            "case changed": token.swapcase()}


@pytest.mark.parametrize("route", ["dashboard", "ws"])
async def test_a_bad_token_is_refused_with_401_and_nothing_else(trader: Trader,
                                                                route: str) -> None:
    for label, token in bad_tokens(trader).items():
        async with trader.http.get(trader.url(route, token)) as response:
            body = await response.json()
            assert response.status == 401, label
            assert response.content_type == "application/json", label
            assert body["ok"] is False and body["error"] == "unauthorized", label
            assert set(body) == {"ok", "error", "message"}, label
            assert "/dashboard" in body["message"]
            assert trader.user.webhook_token not in await response.text()


async def test_the_websocket_does_not_upgrade_without_the_token(trader: Trader) -> None:
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await trader.http.ws_connect(trader.url("ws", "not-the-token"))
    assert refused.value.status == 401
    assert trader.service.events.subscribers(trader.user.id) == 0
    assert trader.dashboard.connected(trader.user.id) == 0


@pytest.mark.parametrize("route", ["dashboard", "ws"])
async def test_an_unknown_user_is_404_like_the_webhook(trader: Trader, route: str) -> None:
    for user_id in ("999999", "0", "abc", "٣", "1" * 25):
        async with trader.http.get(f"{trader.base}/personal/{user_id}/{route}?token="
                                   f"{trader.user.webhook_token}") as response:
            body = await response.json()
        assert response.status == 404, user_id
        assert body["error"] == "unknown_user", user_id


async def test_another_users_dashboard_needs_that_users_token(trader: Trader) -> None:
    async with trader.http.get(trader.url("dashboard", user_id=trader.other.id)) as response:
        assert response.status == 401
    async with trader.http.get(trader.url("dashboard", token=trader.other.webhook_token,
                                          user_id=trader.other.id)) as response:
        assert response.status == 200


async def test_the_right_token_opens_the_page_and_the_socket(trader: Trader) -> None:
    async with trader.http.get(trader.url("dashboard")) as response:
        page = await response.text()
        assert response.status == 200
        assert response.content_type == "text/html"
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert "connect-src 'self'" in response.headers["Content-Security-Policy"]
    assert '<meta name="viewport"' in page
    async with trader.http.ws_connect(trader.url("ws")) as ws:
        assert (await receive(ws))["type"] == "snapshot"


async def test_a_rotated_token_stops_opening_the_dashboard(trader: Trader) -> None:
    old = trader.user.webhook_token
    new = await trader.service.users.rotate_token(trader.user.id)
    async with trader.http.get(trader.url("dashboard", old)) as response:
        assert response.status == 401
    async with trader.http.get(trader.url("dashboard", new)) as response:
        assert response.status == 200
