"""Arabic and English: one catalog per language, one command registry for /help and the menus."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

import aiohttp

from bot.app import Service
from bot.handlers.registry import COMMANDS
from bot.i18n import CATALOGS, pick, placeholders, t
from bot.models import User
from tests.conftest import ADMIN_ID
from tests.fakes.telegram import FakeTelegram
from tests.fakes.telegram_records import as_read
from tests.telegram.conftest import Person, post_signal, register, webhook_url

Approve = Callable[[Person], Awaitable[User]]
ARABIC = re.compile(r"[\u0600-\u06FF]")


def test_every_language_has_every_message_with_the_same_placeholders() -> None:
    english = CATALOGS["en"]
    for lang, catalog in CATALOGS.items():
        assert set(catalog) == set(english), lang
        for key, template in catalog.items():
            assert placeholders(template) == placeholders(english[key]), (lang, key)
            if lang == "ar" and not key.startswith(("help.line", "stats.outcome",
                                                    "report.summary", "error.reason",
                                                    "positions.futures", "trades.line",
                                                    "admin.user_line", "report.done",
                                                    "report.pnl")):
                assert ARABIC.search(template), f"ar {key} is not translated"


def test_language_follows_the_choice_then_telegram_then_english() -> None:
    assert pick(["ar", "en"]) == "ar"
    assert pick([None, "ar-SA"]) == "ar"
    assert pick([None, "fr", None]) == "en"
    assert t("ar", "set.done_leverage", value=5) == "تم ضبط الرافعة على \u20665x\u2069."


async def test_an_arabic_speaker_gets_arabic_replies_and_notifications(
        service: Service, fake_telegram: FakeTelegram, http: aiohttp.ClientSession,
        admin: Person) -> None:
    layla = Person(fake_telegram, 6001, first_name="ليلى", language_code="ar")
    welcome = await layla.ask("/start", "أهلًا بك يا ليلى")
    assert "المشرفين" in (welcome.text or "")
    await layla.ask("/settings", "بانتظار موافقة")
    approval = await register_arabic(layla, admin)
    assert "تم تفعيل حسابك" in (approval.text or "")
    await layla.ask("/set leverage 500", "أرسل عددًا صحيحًا من 1 إلى 100")
    await layla.ask("/set amount ١٠٠", "تم ضبط المبلغ على 100 USDT")
    menu = await layla.ask("/settings", "إعداداتك")
    assert "عقود آجلة" in " ".join(label for label, _ in menu.buttons())
    user = await service.users.get_user(layla.id)
    assert user is not None
    mark = fake_telegram.mark()
    await post_signal(http, service, webhook_url(service, user),
                      {"symbol": "BTCUSDT", "action": "buy", "price": 50000})
    report = await fake_telegram.wait_for_message(layla.id, "الإشارة #", since=mark)
    assert "فُتح مركز شراء بكمية 0.02 BTCUSDT بسعر 50,000" in as_read(report.text or "")


async def register_arabic(person: Person, admin: Person):  # type: ignore[no-untyped-def]
    request = await admin.fake.wait_for_message(ADMIN_ID, f"<code>{person.id}</code>")
    mark = person.fake.mark()
    await admin.press(request, "Approve", "approved")
    return await person.fake.wait_for_message(person.id, "تم تفعيل", since=mark)


async def test_language_command_switches_and_explains_bad_values(
        service: Service, fake_telegram: FakeTelegram, trader: Person,
        approved: Approve) -> None:
    await approved(trader)
    await trader.ask("/language fr", r"Allowed: en, ar")
    chooser = await trader.ask("/language", "Choose the language")
    await trader.press(chooser, "العربية", "اللغة: العربية")
    await trader.ask("/help", "الأوامر")  # Telegram still says English: the choice wins
    mark = fake_telegram.mark()
    await trader.ask("/language en", "Language: English")
    menus = fake_telegram.calls_to("setMyCommands", mark)
    assert menus and all(c.params["scope"] == {"type": "chat", "chat_id": trader.id}
                         for c in menus)
    assert menus[0].params["commands"][0]["description"] == "Register and ask for access"


async def test_help_and_the_menus_come_from_one_registry(
        service: Service, fake_telegram: FakeTelegram, trader: Person, admin: Person,
        approved: Approve) -> None:
    await approved(trader)
    shown = [c for c in COMMANDS if c.menu]
    user_commands = [c.name for c in shown if c.access.value != "admin"]
    english = fake_telegram.commands()
    arabic = fake_telegram.commands(language_code="ar")
    assert [c["command"] for c in english] == user_commands
    assert [c["command"] for c in arabic] == user_commands
    assert arabic[0]["description"] == CATALOGS["ar"]["cmd.start"]
    admin_menu = fake_telegram.commands({"type": "chat", "chat_id": ADMIN_ID})
    assert [c["command"] for c in admin_menu] == [c.name for c in shown]
    trader_help = (await trader.ask("/help", "Commands")).text or ""
    assert all(f"/{name}" in trader_help for name in user_commands)
    assert "/stats" not in trader_help and "/cancel" in trader_help
    # /rotate breaks every alert: /help names it, the menu does not
    assert "/rotate" in trader_help and "rotate" not in [c["command"] for c in english]
    await admin.ask("/start", "You are an admin, so your account is active at once")
    admin_help = (await admin.ask("/help", "Admin")).text or ""
    assert all(f"/{c.name}" in admin_help for c in shown)


async def test_an_unknown_command_and_plain_text_point_to_help(
        service: Service, trader: Person, approved: Approve) -> None:
    await approved(trader)
    await trader.ask("/frobnicate now", r"I don't know /frobnicate\. /help")
    await trader.ask("hello there", "/help lists them")


async def test_register_helper_is_english_for_english_speakers(
        service: Service, trader: Person, admin: Person) -> None:
    approval = await register(trader, admin)
    assert not ARABIC.search(approval.text or "")
