"""A refused alert — its error raised as a key with values, at the webhook's door (pause, age,
rate) or by the body's parser and the exits' rules — is told, and kept in the journal, as data:
the notice and /trades say it in the reader's language, fix included, and TradingView's 4xx is
the English catalog's sentence. A value quoting a secret keeps only its masked English
sentence."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import aiohttp

from bot.app import Service
from bot.handlers.refusals import render_refusal
from bot.i18n.results import record_line
from bot.models import User
from bot.refusals import RefusalNotice
from tests.fakes.telegram import FakeTelegram
from tests.fakes.telegram_records import as_read
from tests.telegram.conftest import ARABIC, Person, post_signal, webhook_url
from tests.telegram.test_arabic_rendering import assert_right_to_left

PLACEHOLDER = {"symbol": "{{ticker}}", "action": "buy", "price": 50000}


def test_a_notice_with_a_key_is_written_in_the_readers_language() -> None:
    notice = RefusalNotice(5001, "personal", "bad_symbol", "symbol '{{ticker}}' is a …",
                           params={"given": "'{{ticker}}'"}, signal_id=3,
                           key="bad_symbol.placeholder")
    arabic = render_refusal(notice, "ar", 300)
    assert_right_to_left(arabic, "refusal")
    assert "متغيّر من TradingView لم يُملأ" in as_read(arabic)
    assert "(مثل {{ticker}})" in as_read(arabic)  # the fix
    english = render_refusal(notice, "en", 300)
    assert "is a TradingView placeholder that was not filled in: check its spelling" in english
    paused = RefusalNotice(5001, "personal", "entries_paused", "new entries are paused …",
                           params={"action": "buy"}, key="entries_paused")
    arabic = as_read(render_refusal(paused, "ar", 300))
    assert "فتح المراكز الجديدة موقوف لهذا الحساب، فلم يُنفَّذ هذا التنبيه (شراء)" in arabic
    assert "أرسل /resume إلى البوت" in arabic
    written = RefusalNotice(5001, "personal", "paused", "trading is paused: send /resume")
    assert "trading is paused: send /resume" in as_read(render_refusal(written, "ar", 300))


async def test_an_arabic_traders_refused_alert_is_told_and_listed_in_arabic(
        service: Service, fake_telegram: FakeTelegram, http: aiohttp.ClientSession,
        approved: Callable[..., Awaitable[User]]) -> None:
    layla = Person(fake_telegram, 6002, first_name="ليلى", language_code="ar")
    user = await approved(layla, **ARABIC)
    mark = fake_telegram.mark()
    status, answer = await post_signal(http, service, webhook_url(service, user), PLACEHOLDER)
    assert status == 400 and "placeholder that was not filled in" in answer["message"]
    notice = await fake_telegram.wait_for_message(layla.id, "رُفض تنبيه", since=mark)
    text = notice.text or ""
    assert_right_to_left(text, "notice")
    assert "متغيّر من TradingView لم يُملأ" in as_read(text)
    [record] = await service.journal.recent(layla.id, 1)
    assert record.failure is not None and record.failure.key == "bad_symbol.placeholder"
    line = record_line("ar", record)  # /trades' line, from the row's data
    assert "متغيّر من TradingView لم يُملأ" in line
    assert record_line("en", record) == answer["message"]  # the 4xx said the same


async def test_a_value_quoting_the_token_keeps_only_the_masked_english(
        service: Service, http: aiohttp.ClientSession, trader: Person,
        approved: Callable[[Person], Awaitable[User]]) -> None:
    user = await approved(trader)
    url = webhook_url(service, user)
    token = url.split("token=", 1)[1]
    status, answer = await post_signal(http, service, url,
                                       {"symbol": f"! {token}", "action": "buy"})
    assert status == 400 and token not in answer["message"]
    [record] = await service.journal.recent(trader.id, 1)
    assert record.failure is None and token not in (record.error or "")
    assert token not in record_line("ar", record)
