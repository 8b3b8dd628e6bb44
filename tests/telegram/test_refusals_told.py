"""A refused alert is told to its owner in Telegram — TradingView shows nobody the 4xx — at
most once per reason per `limits.refusal_notice_s`; rate limiting at most once a minute."""

from __future__ import annotations

import re
import time
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any

import aiohttp

from bot.app import Service
from bot.config import Config
from bot.handlers.refusals import render_refusal
from bot.i18n import LRI, PDI
from bot.models import User
from bot.refusals import RefusalNotice, RefusalThrottle
from tests.conftest import ADMIN_ID, base_url
from tests.fakes.telegram import FakeTelegram, SentMessage
from tests.telegram.conftest import ARABIC, Person, post_signal, register, webhook_url

Approve = Callable[[Person], Awaitable[User]]
PLACEHOLDER = {"symbol": "{{ticker}}", "action": "buy", "price": 50000}
BUY = {"symbol": "BTCUSDT", "action": "buy", "price": 50000}
CLOSE = {"symbol": "BTCUSDT", "action": "close", "price": 50100}
ARABIC_START = re.compile(r"^[\u200f\u0600-\u06FF]")


async def told(service: Service, fake: FakeTelegram, chat: int, since: int) -> list[str]:
    """Every refusal notice sent to `chat` since `since`, once the notifier has sent all."""
    assert service.bot is not None
    await service.bot.notifier.join()
    return [m.text or "" for m in fake.sent_messages(chat, since)
            if "Alert refused" in (m.text or "") or "رُفض تنبيه" in (m.text or "")]


def later(service: Service, seconds: float) -> None:
    """Move the refusal throttle's clock forward (the rate limits keep real time)."""
    service.intake.refusal_throttle.clock = lambda: time.monotonic() + seconds


async def test_a_refused_alert_is_told_once_per_reason_in_the_window_and_again_after(
        service: Service, fake_telegram: FakeTelegram, http: aiohttp.ClientSession,
        trader: Person, approved: Approve) -> None:
    user = await approved(trader)
    url = webhook_url(service, user)
    mark = fake_telegram.mark()
    status, answer = await post_signal(http, service, url, PLACEHOLDER)
    assert (status, answer["error"]) == (400, "bad_symbol")
    notice = await fake_telegram.wait_for_message(trader.id, "Alert refused", since=mark)
    text = notice.text or ""
    assert "signal #1" in text and "placeholder that was not filled in" in text
    assert "not told again for 5 minutes" in text and "/trades" in text
    assert notice.buttons() == []
    for _ in range(3):  # the same reason within the window: journaled, not told
        status, _ = await post_signal(http, service, url, PLACEHOLDER)
        assert status == 400
    status, _ = await post_signal(http, service, url, {"symbol": "BTCUSDT", "action": "hold"})
    assert status == 400  # another reason: told
    notices = await told(service, fake_telegram, trader.id, mark)
    assert len(notices) == 2
    assert "signal #5" in notices[1] and "hold" in notices[1]
    records = await service.journal.recent(trader.id, 10)
    assert [r.status for r in records] == ["rejected"] * 5  # every one in /trades
    later(service, 301)
    mark = fake_telegram.mark()
    status, _ = await post_signal(http, service, url, PLACEHOLDER)
    assert status == 400
    notices = await told(service, fake_telegram, trader.id, mark)
    assert len(notices) == 1 and "signal #6" in notices[0]


async def test_zero_tells_every_refusal(
        telegram_config: Callable[..., Config], start_service: Callable[..., Awaitable[Service]],
        fake_telegram: FakeTelegram, http: aiohttp.ClientSession, admin: Person,
        trader: Person) -> None:
    service = await start_service(telegram_config(limits={"refusal_notice_s": 0}))
    await fake_telegram.wait_for_call("getUpdates")
    await register(trader, admin)
    user = await service.users.get_user(trader.id)
    assert user is not None
    mark = fake_telegram.mark()
    for _ in range(3):
        await post_signal(http, service, webhook_url(service, user), PLACEHOLDER)
    notices = await told(service, fake_telegram, trader.id, mark)
    assert len(notices) == 3 and all("not told again" not in text for text in notices)


async def test_legacy_refusals_go_to_the_admins(
        service: Service, fake_telegram: FakeTelegram, http: aiohttp.ClientSession,
        trader: Person, approved: Approve) -> None:
    await approved(trader)
    mark = fake_telegram.mark()
    async with http.post(base_url(service) + "/webhook", data="not json at all") as response:
        assert response.status == 400
    notice = await fake_telegram.wait_for_message(ADMIN_ID, "Alert refused", since=mark)
    text = notice.text or ""
    assert text.startswith("📡 <b>Legacy /webhook</b>\n⛔ <b>Alert refused</b>")
    assert "not valid JSON" in text or "JSON" in text
    assert await told(service, fake_telegram, trader.id, mark) == []  # the owner is not them


async def test_a_wrong_legacy_secret_is_told_to_the_admins(
        telegram_config: Callable[..., Config], start_service: Callable[..., Awaitable[Service]],
        fake_telegram: FakeTelegram, http: aiohttp.ClientSession, admin: Person) -> None:
    secret = "legacy-secret-4f9a1c77"
    service = await start_service(telegram_config(legacy_webhook={"secret": secret}))
    await fake_telegram.wait_for_call("getUpdates")
    mark = fake_telegram.mark()
    wrong = secret[:-1] + "x"
    async with http.post(base_url(service) + f"/webhook?secret={wrong}", json=BUY) as response:
        assert response.status == 401
    notice = await fake_telegram.wait_for_message(ADMIN_ID, "Alert refused", since=mark)
    text = notice.text or ""
    assert text.startswith("📡 <b>Legacy /webhook</b>") and "secret is missing or wrong" in text
    assert wrong not in text and secret not in text
    async with http.post(base_url(service) + "/webhook", json=BUY) as response:
        assert response.status == 401  # the same reason again within the window: not told
    assert len(await told(service, fake_telegram, ADMIN_ID, mark)) == 1


async def test_rate_limiting_is_told_once_a_minute_whatever_the_count(
        telegram_config: Callable[..., Config], start_service: Callable[..., Awaitable[Service]],
        fake_telegram: FakeTelegram, http: aiohttp.ClientSession, admin: Person,
        trader: Person) -> None:
    config = telegram_config(limits={"per_user_per_minute": 2, "refusal_notice_s": 0})
    service = await start_service(config)
    await fake_telegram.wait_for_call("getUpdates")
    await register(trader, admin)
    user = await service.users.get_user(trader.id)
    assert user is not None
    url = webhook_url(service, user)
    mark = fake_telegram.mark()
    statuses = [(await post_signal(http, service, url, {**BUY, "id": f"a{n}"}))[0]
                for n in range(6)]
    assert statuses == [200, 200, 429, 429, 429, 429]
    notices = await told(service, fake_telegram, trader.id, mark)
    limited = [text for text in notices if "more than 2 alerts a minute" in text]
    assert len(limited) == 1 and "signal #" not in limited[0]  # not journaled: no number
    assert "not told again for 1 minute" in limited[0]
    later(service, 61)
    mark = fake_telegram.mark()
    status, _ = await post_signal(http, service, url, {**BUY, "id": "again"})
    assert status == 429
    assert len(await told(service, fake_telegram, trader.id, mark)) == 1


async def test_new_entries_paused_refuses_opens_and_runs_closes(
        service: Service, fake_telegram: FakeTelegram, http: aiohttp.ClientSession,
        trader: Person, approved: Approve) -> None:
    user = await approved(trader)
    url = webhook_url(service, user)
    assert (await post_signal(http, service, url, BUY))[0] == 200
    await fake_telegram.wait_for_message(trader.id, "Opened long", since=0)
    # /pause alone is the kill switch: everything stops; its buttons offer the lighter pause.
    chooser = await trader.ask("/pause", "Trading paused")
    assert [data for _, data in chooser.buttons()] == ["pause:entries", "pause:resume"]
    assert (await service.users.get_settings(trader.id)).paused
    await trader.press(chooser, "New entries only", "New entries paused")
    settings = await service.users.get_settings(trader.id)
    assert (settings.entries_paused, settings.paused) == (True, False)
    mark = fake_telegram.mark()
    status, answer = await post_signal(http, service, url, {**BUY, "action": "sell"})
    assert (status, answer["error"]) == (403, "entries_paused")
    notice = await fake_telegram.wait_for_message(trader.id, "Alert refused", since=mark)
    assert "new entries are paused" in (notice.text or "")
    assert notice.buttons() == [("▶️ Resume trading", "pause:resume")]
    status, answer = await post_signal(http, service, url, CLOSE)
    assert status == 200  # a close still runs
    closed = await fake_telegram.wait_for_message(trader.id, f"signal #{answer['signal_id']}",
                                                  since=mark)
    assert "Closed long 0.02 BTCUSDT" in (closed.text or "")
    await trader.press(notice, "Resume trading", "Trading resumed")
    settings = await service.users.get_settings(trader.id)
    assert settings.pause is None
    assert (await post_signal(http, service, url, BUY))[0] == 200


async def test_new_entries_paused_keeps_a_partial_exit_and_refuses_only_an_opening(
        service: Service, fake_telegram: FakeTelegram, http: aiohttp.ClientSession,
        trader: Person, approved: Approve) -> None:
    """A sell that leaves the strategy long (`position`) opens nothing on a long account: the
    pause lets it through; on a flat one it would open a long, and that is refused."""
    user = await approved(trader)
    url = webhook_url(service, user)
    assert (await post_signal(http, service, url, BUY))[0] == 200
    await fake_telegram.wait_for_message(trader.id, "Opened long", since=0)
    await trader.ask("/pause entries", "New entries paused")
    partial_exit = {**BUY, "action": "sell", "position": "long"}
    mark = fake_telegram.mark()
    status, answer = await post_signal(http, service, url, partial_exit)
    assert status == 200, answer
    kept = await fake_telegram.wait_for_message(trader.id, f"signal #{answer['signal_id']}",
                                                since=mark)
    assert "still long, so your long 0.02 is kept as it is" in (kept.text or "")
    paper = service.registry.paper(trader.id)
    [long] = await paper.open_positions()
    assert (long.side, long.size) == ("Buy", Decimal("0.02"))

    assert (await post_signal(http, service, url, CLOSE))[0] == 200
    await fake_telegram.wait_for_message(trader.id, "Closed long 0.02 BTCUSDT", since=mark)
    mark = fake_telegram.mark()
    status, answer = await post_signal(http, service, url, {**partial_exit, "price": 50200})
    assert status == 200, answer  # the intake cannot know the account is flat now
    refused = await fake_telegram.wait_for_message(
        trader.id, f"signal #{answer['signal_id']}", since=mark)
    assert "new entries are paused for this account, so this buy was not traded" in (
        refused.text or "")
    assert await paper.open_positions() == []
    record = await service.journal.get(answer["signal_id"])
    assert record is not None and record.error_code == "entries_paused"


async def test_everything_paused_tells_every_refused_close(
        service: Service, fake_telegram: FakeTelegram, http: aiohttp.ClientSession,
        trader: Person, approved: Approve) -> None:
    user = await approved(trader)
    url = webhook_url(service, user)
    assert (await post_signal(http, service, url, BUY))[0] == 200
    await fake_telegram.wait_for_message(trader.id, "Opened long", since=0)
    await trader.ask("/pause all", "Trading paused")
    await trader.ask("/pause entries", "New entries paused")  # one pause replaces the other
    await trader.ask("/pause all", "Trading paused")
    await trader.ask("/pause everything", r"Send .*/pause entries.* or .*/pause all")
    mark = fake_telegram.mark()
    for body in (CLOSE, {**CLOSE, "price": 50200}, BUY, {**BUY, "price": 50300}):
        status, answer = await post_signal(http, service, url, body)
        assert (status, answer["error"]) == (403, "paused")
    notices = await told(service, fake_telegram, trader.id, mark)
    closes = [text for text in notices if "It was a close" in text]
    assert len(closes) == 2  # a refused close: every time
    assert all("/close BTCUSDT" in text and "not told again" not in text for text in closes)
    assert len(notices) == 3  # the two buys: once in the window
    positions = await service.registry.paper(trader.id).open_positions()
    assert len(positions) == 1  # the refused closes closed nothing
    await trader.ask("/resume", "Trading resumed")
    await trader.ask("/resume", "already on")


async def test_a_refused_close_is_told_every_time_whatever_the_reason(
        service: Service, fake_telegram: FakeTelegram, http: aiohttp.ClientSession,
        trader: Person, approved: Approve) -> None:
    user = await approved(trader)
    url = webhook_url(service, user)
    stale = time.time() - 3600
    mark = fake_telegram.mark()
    for n in range(2):
        status, answer = await post_signal(http, service, url,
                                           {**CLOSE, "timestamp": stale, "id": f"c{n}"})
        assert (status, answer["error"]) == (400, "stale_signal")
    for n in range(2):
        status, answer = await post_signal(http, service, url,
                                           {**BUY, "timestamp": stale, "id": f"b{n}"})
        assert (status, answer["error"]) == (400, "stale_signal")
    notices = await told(service, fake_telegram, trader.id, mark)
    closes = [text for text in notices if "It was a close" in text]
    assert len(closes) == 2 and all("fix the alert" in text and "/close BTCUSDT" in text
                                    for text in closes)
    assert len(notices) == 3  # the two stale buys: once in the window


def test_the_throttle_counts_per_account_and_reason_on_its_clock() -> None:
    now = [1000.0]
    throttle = RefusalThrottle(300, clock=lambda: now[0])

    def notice(user: int, code: str, **extra: Any) -> RefusalNotice:
        return RefusalNotice(user, "personal", code, "why", **extra)

    assert throttle.allow(notice(1, "bad_request"))
    assert not throttle.allow(notice(1, "bad_request"))
    assert throttle.allow(notice(2, "bad_request"))  # another account
    assert throttle.allow(notice(1, "stale_signal"))  # another reason
    assert throttle.allow(notice(1, "paused", always=True))
    now[0] += 299.9
    assert not throttle.allow(notice(1, "bad_request"))
    now[0] += 0.2
    assert throttle.allow(notice(1, "bad_request"))
    off = RefusalThrottle(0, clock=lambda: now[0])
    assert off.allow(notice(1, "bad_request")) and off.allow(notice(1, "bad_request"))
    assert off.allow(notice(1, "rate_limited"))
    assert not off.allow(notice(1, "rate_limited"))  # a minute at least, whatever the setting
    now[0] += 60
    assert off.allow(notice(1, "rate_limited"))


def test_an_arabic_notice_starts_each_line_in_arabic_and_isolates_what_is_latin() -> None:
    notice = RefusalNotice(5001, "personal", "paused", "trading is paused for this account: "
                           "send /resume to the bot", key="paused", signal_id=12,
                           symbol="BTCUSDT", action="close", always=True)
    text = render_refusal(notice, "ar", 300)
    for line in text.splitlines():
        assert ARABIC_START.match(line), line
    assert f"{LRI}BTCUSDT{PDI}" in text and re.search(f"{LRI}#?12{PDI}", text)
    assert f"{LRI}/close BTCUSDT{PDI}" in text and f"{LRI}/resume{PDI}" in text
    assert "التداول موقوف مؤقتًا لهذا الحساب" in text and "trading is paused" not in text
    english_only = render_refusal(RefusalNotice(5001, "personal", "bad_request", "odd: x"), "ar",
                                  300)
    assert f"{LRI}odd: x{PDI}" in english_only  # a sentence with no catalog entry: isolated
    english = render_refusal(notice, "en", 300)
    assert LRI not in english and "It was a close" in english


async def test_an_arabic_trader_is_told_in_arabic(
        service: Service, fake_telegram: FakeTelegram, http: aiohttp.ClientSession,
        approved: Callable[..., Awaitable[User]]) -> None:
    layla = Person(fake_telegram, 6001, first_name="ليلى", language_code="ar")
    user = await approved(layla, **ARABIC)
    mark = fake_telegram.mark()
    await layla.ask("/pause entries", "تم إيقاف الدخول الجديد")
    status, _ = await post_signal(http, service, webhook_url(service, user), BUY)
    assert status == 403
    notice: SentMessage = await fake_telegram.wait_for_message(layla.id, "رُفض تنبيه",
                                                              since=mark)
    for line in (notice.text or "").splitlines():
        assert ARABIC_START.match(line), line
    [(label, data)] = notice.buttons()
    assert "استئناف التداول" in label and data == "pause:resume"
    assert f"{LRI}BTCUSDT{PDI}" in (notice.text or "")
    assert "فتح المراكز الجديدة موقوف" in (notice.text or "")  # the reason in Arabic too
    assert "new entries are paused" not in (notice.text or "")


async def test_the_answer_does_not_wait_for_telegram(
        service: Service, fake_telegram: FakeTelegram, http: aiohttp.ClientSession,
        trader: Person, approved: Approve) -> None:
    """Telegram down: the refused alert is answered all the same; its notice goes out once
    Telegram is back."""
    user = await approved(trader)
    mark = fake_telegram.mark()
    fake_telegram.set_down()
    status, answer = await post_signal(http, service, webhook_url(service, user), PLACEHOLDER)
    assert (status, answer["error"]) == (400, "bad_symbol")
    assert not [m for m in fake_telegram.sent_messages(trader.id, mark)
                if "Alert refused" in (m.text or "")]  # answered while it could not be told
    fake_telegram.set_down(False)
    notice = await fake_telegram.wait_for_message(trader.id, "Alert refused", since=mark,
                                                  timeout=30)
    assert "placeholder that was not filled in" in (notice.text or "")
