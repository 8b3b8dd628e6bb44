"""Only a link /dashboard sent opens a dashboard or its WebSocket; anything else is a 401 that
says what to do, with nothing of the user's in it."""

from __future__ import annotations

import time

import aiohttp
import pytest

from tests.web.conftest import Trader, receive

ROUTES = ["dashboard", "ws"]


async def bad_keys(trader: Trader) -> dict[str, tuple[str, str]]:
    """label → (key, the refusal's code)."""
    key = trader.key
    issued, mac = key.split(".")
    flipped = mac[:10] + ("A" if mac[10] != "A" else "B") + mac[11:]
    ttl = trader.service.config.server.dashboard_link_ttl_s
    now = int(time.time())
    return {
        "missing": ("", "link_missing"),
        "wrong": ("1" * len(issued) + "." + "x" * len(mac), "link_invalid"),
        "tampered": (f"{issued}.{flipped}", "link_invalid"),
        "truncated": (key[:-1], "link_invalid"),
        "longer": (key + "A", "link_invalid"),
        "case changed": (key.swapcase(), "link_invalid"),
        "another time, same mac": (f"{int(issued) - 1}.{mac}", "link_invalid"),
        "another user's": (await trader.link_key(trader.other.id), "link_invalid"),
        "expired": (await trader.link_key(issued_at=now - ttl - 1), "link_expired"),
        "from the future": (await trader.link_key(issued_at=now + 3600), "link_invalid"),
    }


def nothing_of_the_user(trader: Trader, text: str) -> None:
    for private in ("Sara", trader.token, trader.key, "paper", "futures", "signals"):
        assert private not in text, private


async def test_a_bad_key_is_refused_with_401_and_nothing_of_the_user(trader: Trader) -> None:
    for label, (key, code) in (await bad_keys(trader)).items():
        async with trader.http.get(trader.url("ws", key)) as response:
            body = await response.json()
            assert response.status == 401, label
            assert body == {"ok": False, "error": code, "message": body["message"]}, label
            assert "send /dashboard to the bot" in body["message"], label
            nothing_of_the_user(trader, await response.text())
        async with trader.http.get(trader.url("dashboard", key)) as response:
            page = await response.text()
            assert response.status == 401, label
            assert response.content_type == "text/html", label
            assert f'data-error="{code}"' in page, label
            assert "send /dashboard to the bot" in page, label
            nothing_of_the_user(trader, page)
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await trader.http.ws_connect(trader.url("ws", key))
        assert refused.value.status == 401, label
    assert trader.service.events.subscribers(trader.user.id) == 0
    assert trader.dashboard.connected(trader.user.id) == 0


async def test_an_expired_link_says_it_expired_in_the_visitors_language(
        trader: Trader) -> None:
    ttl = trader.service.config.server.dashboard_link_ttl_s
    expired = await trader.link_key(issued_at=int(time.time()) - ttl)  # its last second gone
    async with trader.http.get(trader.url("dashboard", expired)) as response:
        assert response.status == 401
        assert "This dashboard link has expired: send /dashboard to the bot for a new one." \
            in await response.text()
    async with trader.http.get(trader.url("dashboard", expired),
                               headers={"Accept-Language": "ar-SA,ar;q=0.9,en;q=0.5"}) as r:
        page = await r.text()
        assert r.status == 401 and '<html lang="ar" dir="rtl">' in page
        assert "انتهت صلاحية رابط لوحة المتابعة" in page and "/dashboard" in page
    async with trader.http.get(trader.url("ws", expired, lang="ar")) as response:
        body = await response.json()
        assert response.status == 401 and body["error"] == "link_expired"
        assert "انتهت صلاحية" in body["message"]
    # A minute before its end it still works.
    fresh = await trader.link_key(issued_at=int(time.time()) - ttl + 60)
    async with trader.http.get(trader.url("dashboard", fresh)) as response:
        assert response.status == 200


@pytest.mark.parametrize("route", ROUTES)
async def test_the_webhook_token_no_longer_opens_the_dashboard(trader: Trader,
                                                               route: str) -> None:
    async with trader.http.get(f"{trader.base}/personal/{trader.user.id}/{route}",
                               params={"token": trader.token}) as response:
        text = await response.text()
        assert response.status == 401
        assert "send /dashboard to the bot for a new, read-only link" in text
        assert ("link_old" in text) and trader.token not in text


@pytest.mark.parametrize("route", ROUTES)
async def test_an_unknown_user_is_404_like_the_webhook(trader: Trader, route: str) -> None:
    for user_id in ("999999", "0", "abc", "٣", "1" * 25):
        async with trader.http.get(f"{trader.base}/personal/{user_id}/{route}?key="
                                   f"{trader.key}") as response:
            body = await response.json()
        assert response.status == 404, user_id
        assert body["error"] == "unknown_user", user_id


async def test_another_users_dashboard_needs_a_link_of_that_user(trader: Trader) -> None:
    async with trader.http.get(trader.url("dashboard", user_id=trader.other.id)) as response:
        assert response.status == 401
    other = await trader.link_key(trader.other.id)
    async with trader.http.get(trader.url("dashboard", other, user_id=trader.other.id)) as r:
        assert r.status == 200


async def test_the_link_opens_the_page_and_the_socket_and_a_reconnect_works(
        trader: Trader) -> None:
    async with trader.http.get(trader.url("dashboard")) as response:
        page = await response.text()
        assert response.status == 200
        assert response.content_type == "text/html"
        assert response.headers["Cache-Control"] == "no-store"
        assert "connect-src 'self'" in response.headers["Content-Security-Policy"]
    assert '<meta name="viewport"' in page and trader.key not in page
    # The page's probe before a reconnect: the feed's address without the upgrade says the link
    # still works, and until when; it opens nothing.
    async with trader.http.get(trader.url("ws")) as response:
        probe = await response.json()
    issued = int(trader.key.split(".")[0])
    ttl = trader.service.config.server.dashboard_link_ttl_s
    assert response.status == 200 and probe == {"ok": True, "expires_at": issued + ttl}
    assert trader.service.events.subscribers(trader.user.id) == 0
    for _ in range(2):  # a network blip: the page opens the socket again with the same link
        async with trader.http.ws_connect(trader.url("ws")) as ws:
            assert (await receive(ws))["type"] == "snapshot"
    async with trader.http.ws_connect(trader.url("ws")) as ws:  # the server restarted it
        await receive(ws)
        await trader.dashboard.close_all()
        assert (await ws.receive()).type == aiohttp.WSMsgType.CLOSE
    async with trader.http.ws_connect(trader.url("ws")) as ws:
        assert (await receive(ws))["type"] == "snapshot"


async def test_revoking_or_rotating_ends_every_earlier_link(trader: Trader) -> None:
    users = trader.service.users
    before = trader.key
    await users.revoke_dashboard_links(trader.user.id)
    for route in ROUTES:
        async with trader.http.get(trader.url(route, before)) as response:
            assert response.status == 401 and "link_invalid" in await response.text()
    after_revoke = await trader.link_key()
    async with trader.http.get(trader.url("dashboard", after_revoke)) as response:
        assert response.status == 200

    old_token = trader.token
    await users.rotate_token(trader.user.id)
    for key in (before, after_revoke):
        async with trader.http.get(trader.url("dashboard", key)) as response:
            assert response.status == 401
    async with trader.http.get(trader.url("dashboard", await trader.link_key())) as response:
        assert response.status == 200
    async with trader.http.get(trader.url("dashboard", ""), params={"token": old_token}) as r:
        assert r.status == 401


async def test_every_dashboard_response_sends_no_referrer(trader: Trader) -> None:
    urls = [trader.url("dashboard"), trader.url("dashboard", "bad"), trader.url("ws", "bad"),
            trader.url("ws"),  # a valid key without the upgrade: the page's probe, 200
            f"{trader.base}/personal/999999/dashboard?key={trader.key}",
            f"{trader.base}/static/nothing.js"]
    urls += [f"{trader.base}/static/{name}"
             for name in ("dashboard.js", "plans.js", "dashboard.css", "plotly.min.js")]
    statuses = []
    for url in urls:
        async with trader.http.get(url) as response:
            statuses.append(response.status)
            assert response.headers.get("Referrer-Policy") == "no-referrer", url
    assert statuses == [200, 401, 401, 200, 404, 404, 200, 200, 200, 200]
    async with trader.http.ws_connect(trader.url("ws")) as ws:
        assert ws._response.headers.get("Referrer-Policy") == "no-referrer"


async def test_the_page_asks_nothing_of_another_site(trader: Trader) -> None:
    async with trader.http.get(trader.url("dashboard")) as response:
        page = await response.text()
        policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "connect-src 'self'" in policy
    assert "http:" not in policy and "https:" not in policy and "*" not in policy
    sources = [part.split('"')[1] for part in page.split(' src=')[1:]]
    sources += [part.split('"')[1] for part in page.split(' href=')[1:]]
    # Beside the page (../../static/ from /personal/<id>/dashboard), so a proxy's prefix holds.
    assert sources and all(s.startswith(("../../static/", "data:")) for s in sources), sources
    async with trader.http.get(f"{trader.base}/static/dashboard.js") as response:
        script = await response.text()
    # The socket's address is built from this page's own host and path; no other address.
    assert "//${location.host}${feed}" in script
    assert "http://" not in script and "https://" not in script and "wss://" not in script
