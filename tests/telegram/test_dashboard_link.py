"""/dashboard: a read-only link as a URL button that says how long it works; /dashboard revoke,
the button under it and /rotate end every link sent before."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

import aiohttp

from bot.app import Service
from bot.models import User
from tests.conftest import base_url
from tests.fakes.telegram import FakeTelegram, SentMessage
from tests.fakes.telegram_records import as_read
from tests.telegram.conftest import Person, url_in

OPEN, REVOKE = "Open the dashboard", "Revoke dashboard links"


def link_in(message: SentMessage) -> str:
    """The dashboard URL of the message's URL button."""
    urls = [target for _, target in message.buttons() if target and "://" in target]
    assert len(urls) == 1, message.buttons()
    return urls[0]


async def status_of(http: aiohttp.ClientSession, service: Service, url: str) -> int:
    """Open a dashboard URL (its public address is this test's server)."""
    path = re.sub(r"^https?://[^/]+", "", url)
    async with http.get(base_url(service) + path) as response:
        return response.status


async def test_dashboard_sends_a_url_button_that_opens_the_page_and_cannot_trade(
        service: Service, http: aiohttp.ClientSession, trader: Person,
        approved: Callable[[Person], Awaitable[User]]) -> None:
    user = await approved(trader)
    reply = await trader.ask("/dashboard", "live dashboard")
    text = reply.text or ""
    assert "read-only" in text and "works for 1 day" in text
    labels = [label for label, _ in reply.buttons()]
    assert labels == [f"📈 {OPEN} · 1 day", f"🔒 {REVOKE}"]
    assert reply.button_data(REVOKE) == "dash:revoke"
    url = link_in(reply)
    assert re.fullmatch(rf"https://bot\.example\.com/personal/{user.id}/dashboard\?key="
                        r"\d+\.[A-Za-z0-9_-]{43}", url), url
    token = service.users.webhook_token(user)
    assert token not in text and token not in url
    assert await status_of(http, service, url) == 200
    # The key opens no webhook: posted as the token, it is refused and nothing is journaled.
    key = url.split("key=")[1]
    async with http.post(f"{base_url(service)}/personal/{user.id}/webhook",
                         params={"token": key},
                         json={"symbol": "BTCUSDT", "action": "buy"}) as response:
        assert response.status == 401
    assert await service.journal.recent(user.id) == []


async def test_an_arabic_speaker_gets_the_button_in_arabic(
        service: Service, http: aiohttp.ClientSession, trader: Person,
        approved: Callable[[Person], Awaitable[User]]) -> None:
    await approved(trader)
    await trader.ask("/language ar", "العربية")
    reply = await trader.ask("/dashboard", "لوحة المتابعة")
    text = reply.text or ""
    assert "للقراءة فقط" in text and "يعمل الرابط لمدة يوم واحد" in text
    labels = [as_read(label) for label, _ in reply.buttons()]
    assert labels == ["📈 فتح لوحة المتابعة · يوم واحد", "🔒 إلغاء روابط لوحة المتابعة"]
    assert await status_of(http, service, link_in(reply)) == 200


async def test_a_shorter_lifetime_is_said_in_hours_and_minutes(
        telegram_config: Callable[..., object], start_service: Callable[..., Awaitable[Service]],
        fake_telegram: FakeTelegram, trader: Person, admin: Person) -> None:
    from tests.telegram.conftest import register

    await start_service(telegram_config(server={"dashboard_link_ttl_s": 5400}))
    await fake_telegram.wait_for_call("getUpdates")
    await register(trader, admin)
    reply = await trader.ask("/dashboard", "live dashboard")
    assert "works for 90 minutes" in (reply.text or "")
    await trader.ask("/language ar", "العربية")
    reply = await trader.ask("/dashboard", "لوحة المتابعة")
    assert "لمدة \u206690\u2069 دقيقة" in (reply.text or "")


async def test_revoke_by_command_or_button_ends_every_earlier_link(
        service: Service, http: aiohttp.ClientSession, trader: Person,
        approved: Callable[[Person], Awaitable[User]]) -> None:
    await approved(trader)
    first = await trader.ask("/dashboard", "live dashboard")
    second = await trader.ask("/dashboard", "live dashboard")
    await trader.ask("/dashboard revoke", "stopped working")
    for message in (first, second):
        assert await status_of(http, service, link_in(message)) == 401

    third = await trader.ask("/dashboard", "live dashboard")
    assert await status_of(http, service, link_in(third)) == 200
    edited = await trader.press(third, REVOKE, "stopped working")
    assert edited.buttons() == []  # the revoked link's button is gone with it
    assert await status_of(http, service, link_in(third)) == 401
    assert await status_of(http, service,
                           link_in(await trader.ask("/dashboard", "live dashboard"))) == 200
    await trader.ask("/dashboard now", "/dashboard revoke")  # anything else: how to use it


async def test_rotate_ends_the_dashboard_links_too(
        service: Service, http: aiohttp.ClientSession, trader: Person,
        approved: Callable[[Person], Awaitable[User]]) -> None:
    await approved(trader)
    link = link_in(await trader.ask("/dashboard", "live dashboard"))
    asked = await trader.ask("/rotate", "Dashboard links sent before stop too")
    rotated = await trader.press(asked, "Rotate", "New webhook URL")
    assert "dashboard links" in (rotated.text or "")
    user = await service.users.get_user(trader.id)
    assert user is not None and url_in(rotated).endswith(service.users.webhook_token(user))
    assert await status_of(http, service, link) == 401


async def test_help_lists_dashboard_revoke_in_both_languages(
        service: Service, trader: Person,
        approved: Callable[[Person], Awaitable[User]]) -> None:
    await approved(trader)
    english = (await trader.ask("/help", "BotByBit")).text or ""
    assert "/dashboard [revoke] — A read-only link to your live dashboard" in english
    assert "/dashboard revoke ends the links sent before" in english
    await trader.ask("/language ar", "العربية")
    arabic = (await trader.ask("/help", "BotByBit")).text or ""
    assert "رابط للقراءة فقط إلى لوحة المتابعة المباشرة؛ والأمر /dashboard revoke يُلغي الروابط " \
        "السابقة — /dashboard [revoke]" in as_read(arabic)


async def test_a_button_telegram_refuses_becomes_the_link_as_text(
        service: Service, http: aiohttp.ClientSession, fake_telegram: FakeTelegram,
        trader: Person, approved: Callable[[Person], Awaitable[User]]) -> None:
    await approved(trader)
    fake_telegram.fail_next("sendMessage", status=400, description=(
        "Bad Request: inline keyboard button URL 'http://localhost:8080/personal/1/dashboard"
        "?key=1.x' is invalid: Wrong HTTP URL"))
    reply = await trader.ask("/dashboard", "live dashboard")
    found = re.search(r"<code>(https://\S+?/dashboard\?key=[^<\s]+)</code>", reply.text or "")
    assert found and "works for 1 day" in (reply.text or "")
    assert [label for label, _ in reply.buttons()] == [f"🔒 {REVOKE}"]
    assert await status_of(http, service, found.group(1)) == 200
