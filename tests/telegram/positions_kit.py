"""What the position stories share: trading by alert, the futures card, Arabic line checks."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Awaitable, Callable

import aiohttp

from bot.app import Service
from bot.models import User
from tests.conftest import move_price
from tests.fakes.bybit import FakeBybit
from tests.fakes.telegram import FakeTelegram, SentMessage
from tests.telegram.conftest import Person, post_signal, webhook_url

Approve = Callable[[Person], Awaitable[User]]
LRI, PDI, RLM = "\u2066", "\u2069", "\u200f"
DEMO_KEY, DEMO_SECRET = "DEMOkeyPositions1", "DEMOsecretPositions1"


async def trade(service: Service, http: aiohttp.ClientSession, fake: FakeTelegram,
                user: User, body: dict[str, object], *, report: str = "signal #") -> SentMessage:
    """Post an alert and return its report (in English, unless `report` says otherwise)."""
    mark = fake.mark()
    status, answer = await post_signal(http, service, webhook_url(service, user), body)
    assert status == 200, answer
    return await fake.wait_for_message(user.id, f"{report}{answer['signal_id']}\\b",
                                       since=mark)


async def open_paper_long(service: Service, http: aiohttp.ClientSession,
                          fake_telegram: FakeTelegram, fake_bybit: FakeBybit, user: User, *,
                          mark: int = 50500, report: str = "signal #") -> SentMessage:
    """A paper long of 0.02 BTCUSDT at 50,000, then the live price moved to `mark`."""
    opened = await trade(service, http, fake_telegram, user,
                         {"symbol": "BTCUSDT", "action": "buy", "price": 50000}, report=report)
    await fake_bybit.wait_for_public_subscription("linear", "BTCUSDT")
    await move_price(service, fake_bybit, "BTCUSDT", mark)
    return opened


async def demo_account(service: Service, trader: Person, fake_bybit: FakeBybit) -> None:
    """Keys of a demo account at the fake Bybit, stored and in use."""
    fake_bybit.add_account(DEMO_KEY, DEMO_SECRET, env="demo", usdt="5000")
    await service.users.set_api_keys(trader.id, "demo", DEMO_KEY, DEMO_SECRET)
    await trader.ask("/set account demo", "Account set to demo")


async def demo_long(service: Service, http: aiohttp.ClientSession, fake: FakeTelegram,
                    fake_bybit: FakeBybit, trader: Person, approve: Approve) -> User:
    """An approved trader on a demo account at the fake Bybit, long 0.02 BTCUSDT at 50,000."""
    user = await approve(trader)
    await demo_account(service, trader, fake_bybit)
    await trade(service, http, fake, user, {"symbol": "BTCUSDT", "action": "buy", "price": 50000})
    return user


async def position_card(person: Person, symbol: str = "BTCUSDT") -> SentMessage:
    """/positions, and the card of `symbol` under its header."""
    mark = person.fake.mark()
    await person.ask("/positions", "📂")
    return await person.fake.wait_for_message(person.chat, f"<b>{LRI}?{symbol}{PDI}?</b>",
                                              since=mark)


async def press(person: Person, message: SentMessage, data: str, expect: str) -> SentMessage:
    """Press the button with this exact callback data; the reply or edit matching `expect`."""
    assert data in [d for _, d in message.buttons()], message.buttons()
    return await person.press_data(message, data, expect)


def reports(fake: FakeTelegram, chat: int, signal_id: int, since: int) -> list[SentMessage]:
    """Messages sent (not edits) that report signal `signal_id`."""
    pattern = re.compile(rf"(signal|الإشارة) #{signal_id}\b")
    return [m for m in fake.sent_messages(chat, since=since)
            if m.method == "sendMessage" and pattern.search(m.text or "")]


async def telegram_report(fake: FakeTelegram, chat: int, signal_id: int,
                          since: int) -> SentMessage:
    """The report of an action from Telegram (its first line says so), not the edit that
    told the trader it was sent."""
    return await fake.wait_for_message(chat, f"(?s)^📱.*#{signal_id}\\b", since=since)


def signal_id_in(message: SentMessage) -> int:
    """The signal number a 'sent' message names (in either language)."""
    found = re.search(r"#(\d+)", message.text or "")
    assert found, message.text
    return int(found.group(1))


def _outside_isolates(text: str) -> str:
    depth, kept = 0, []
    for char in text:
        if char == LRI:
            depth += 1
        elif char == PDI:
            depth = max(0, depth - 1)
        elif depth == 0:
            kept.append(char)
    return "".join(kept)


def assert_arabic_lines(text: str, *symbols: str) -> None:
    """DESIGN §13: each line starts with Arabic (or U+200F), and numbers and symbols sit in
    left-to-right isolates. The line's direction is its first strong letter outside the
    isolates (Unicode's rule), so that is what is checked."""
    for line in text.splitlines():
        bare = _outside_isolates(re.sub(r"<[^>]+>", "", line))
        if not bare.strip():
            continue
        strong = [c for c in bare if unicodedata.bidirectional(c) in ("L", "R", "AL")]
        assert bare.startswith(RLM) or (
            strong and unicodedata.bidirectional(strong[0]) in ("R", "AL")), line
        assert not re.search(r"[0-9]", bare), f"a number outside an isolate: {line!r}"
        for symbol in symbols:
            assert symbol not in bare, f"{symbol} outside an isolate: {line!r}"
