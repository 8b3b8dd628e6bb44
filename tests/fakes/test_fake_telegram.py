"""Tests of FakeTelegram, driven by the real python-telegram-bot over HTTP on 127.0.0.1."""

from __future__ import annotations

import asyncio
import struct
import time
import zlib
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from telegram import (
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.error import BadRequest, EndPointNotFound, InvalidToken, NetworkError, RetryAfter
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from tests.fakes.telegram import FakeTelegram

USER = 4242


def make_png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\x00\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


async def start_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None and update.effective_user is not None
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Go ▶", callback_data="go")]])
    await update.effective_message.reply_text(
        f"Welcome, {update.effective_user.first_name}! args={context.args}",
        reply_markup=keyboard, parse_mode="HTML",
    )


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.edit_message_text(f"You chose {query.data}")


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, "127.0.0.1,localhost")
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram(token="123456:TEST-TOKEN", bot_username="botbybit_test_bot")
    await server.start()
    yield server
    await server.stop()


def build_app(fake: FakeTelegram, token: str | None = None) -> Application:
    app = Application.builder().token(token or fake.token).base_url(fake.base_url).build()
    app.add_handler(CommandHandler("start", start_command))
    app.add_handler(CallbackQueryHandler(on_button))
    return app


@pytest.fixture
async def app(fake: FakeTelegram) -> AsyncIterator[Application]:
    application = build_app(fake)
    await application.initialize()
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling()
    yield application
    await application.updater.stop()
    await application.stop()
    await application.shutdown()


async def test_startup_calls_get_me_delete_webhook_and_polls(
    fake: FakeTelegram, app: Application
) -> None:
    poll = await fake.wait_for_call("getUpdates")
    methods = [c.method for c in fake.calls]
    assert methods[:3] == ["getMe", "deleteWebhook", "getUpdates"]
    assert poll.params["offset"] == 0 and poll.params["timeout"] == 10  # decoded to ints
    assert app.bot.username == "botbybit_test_bot"
    assert app.bot.id == 123456


async def test_command_gets_reply(fake: FakeTelegram, app: Application) -> None:
    message_id = fake.send_message(USER, "/start@botbybit_test_bot now", first_name="Ann")
    reply = await fake.wait_for_message(USER, r"Welcome, Ann! args=\['now'\]")
    assert reply.method == "sendMessage" and reply.chat_id == USER
    assert reply.buttons() == [("Go ▶", "go")]
    assert reply.parse_mode == "HTML"
    assert reply.message_id == message_id + 1  # ids are shared per chat, like Telegram's
    await fake.wait_until_idle()
    # a second message in another chat starts its own numbering
    assert fake.send_message(USER + 1, "/start") == 1


async def test_button_press_answers_and_edits(fake: FakeTelegram, app: Application) -> None:
    fake.send_command(USER, "/start")
    menu = await fake.wait_for_message(USER, "Welcome")
    mark = fake.mark()
    query_id = fake.click(USER, menu, "Go")
    answer = await fake.wait_for_call(
        "answerCallbackQuery", lambda c: c.params["callback_query_id"] == query_id
    )
    assert answer.ok
    edited = await fake.wait_for_message(USER, "^You chose go$", since=mark)
    assert edited.method == "editMessageText"
    assert edited.message_id == menu.message_id
    assert edited.buttons() == []  # editing without reply_markup drops the keyboard


async def test_retry_after_and_other_faults(fake: FakeTelegram, app: Application) -> None:
    fake.fail_next("sendMessage", times=2, retry_after=3)
    for _ in range(2):
        with pytest.raises(RetryAfter) as caught:
            await app.bot.send_message(USER, "hi")
        assert caught.value.retry_after == timedelta(seconds=3)
    fake.fail_next("SENDMESSAGE", status=500, description="Internal Server Error: boom")
    with pytest.raises(NetworkError, match="boom"):
        await app.bot.send_message(USER, "hi")
    sent = await app.bot.send_message(USER, "finally")
    assert sent.text == "finally"
    assert [c.status for c in fake.calls_to("sendMessage")] == [429, 429, 500, 200]
    assert [m.text for m in fake.sent_messages(USER)] == ["finally"]


async def test_down_gives_network_error_and_polling_recovers(
    fake: FakeTelegram, app: Application
) -> None:
    await fake.wait_for_call("getUpdates")
    mark = fake.mark()
    fake.set_down(True)
    with pytest.raises(NetworkError) as caught:
        await app.bot.send_message(USER, "hi")
    assert not isinstance(caught.value, (RetryAfter, BadRequest))
    # the poll held when the fake went down is released with 502 at once
    failed_poll = await fake.wait_for_call("getUpdates", lambda c: c.status == 502)
    assert failed_poll.index < mark
    fake.set_down(False)
    fake.send_message(USER, "/start")
    await fake.wait_for_message(USER, "Welcome", timeout=10, since=mark)


async def test_wrong_token_is_rejected(fake: FakeTelegram) -> None:
    application = build_app(fake, token="999:WRONG")
    with pytest.raises(InvalidToken):
        await application.initialize()
    # PTB leaves its httpx client open after a failed initialize; close it ourselves
    await application.bot.request.shutdown()
    assert fake.calls == []


async def test_delete_message(fake: FakeTelegram, app: Application) -> None:
    secret_id = fake.send_message(USER, "my api key")
    assert await app.bot.delete_message(USER, secret_id) is True
    call = await fake.wait_for_call("deleteMessage")
    assert call.params == {"chat_id": USER, "message_id": secret_id}
    with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
        await app.bot.delete_message(USER, secret_id)  # already gone
    with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
        await app.bot.delete_message(USER, 9999)


async def test_set_and_get_my_commands(fake: FakeTelegram, app: Application) -> None:
    scope = BotCommandScopeChat(USER)
    commands = [BotCommand("start", "Начать"), BotCommand("help", "Помощь")]
    assert await app.bot.set_my_commands(commands, scope=scope, language_code="ru")
    call = await fake.wait_for_call("setMyCommands")
    assert call.params["language_code"] == "ru"
    assert call.params["scope"] == {"type": "chat", "chat_id": USER}
    assert fake.commands({"type": "chat", "chat_id": USER}, "ru")[0] == {
        "command": "start", "description": "Начать"}
    assert fake.commands() == []
    got = await app.bot.get_my_commands(scope=scope, language_code="ru")
    assert [c.command for c in got] == ["start", "help"]
    assert await app.bot.get_my_commands() == ()


async def test_send_photo_records_upload(fake: FakeTelegram, app: Application) -> None:
    png = make_png(3, 2)
    message = await app.bot.send_photo(USER, photo=png, caption="PnL chart")
    assert message.photo[-1].width == 3 and message.photo[-1].height == 2
    record = await fake.wait_for_message(USER, "PnL")
    assert record.method == "sendPhoto" and record.message_id == message.message_id
    upload = record.photo
    assert not isinstance(upload, str) and upload is not None
    assert upload.is_png and upload.size == len(png) and upload.head == png[:16]


async def test_edit_rules_and_unknown_method(fake: FakeTelegram, app: Application) -> None:
    sent = await app.bot.send_message(USER, "same")
    with pytest.raises(BadRequest, match="not modified"):
        await app.bot.edit_message_text("same", chat_id=USER, message_id=sent.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await app.bot.edit_message_text("x", chat_id=USER, message_id=777)
    await app.bot.send_chat_action(USER, "typing")
    assert fake.calls_to("sendChatAction")[0].params["action"] == "typing"
    with pytest.raises(EndPointNotFound):  # HTTP 404 → InvalidToken → EndPointNotFound
        await app.bot.do_api_request("noSuchMethod")


async def test_wait_for_message_timeout_lists_what_was_sent(
    fake: FakeTelegram, app: Application
) -> None:
    await app.bot.send_message(USER, "Balance: 10 USDT")
    with pytest.raises(AssertionError, match=r"Balance: 10 USDT") as caught:
        await fake.wait_for_message(USER, "Order placed", timeout=0.2)
    assert "Order placed" in str(caught.value)


async def test_raw_http_form_json_and_long_poll(fake: FakeTelegram) -> None:
    url = f"{fake.base_url}{fake.token}"
    async with httpx.AsyncClient() as client:
        form = await client.post(f"{url}/sendmessage", data={"chat_id": "7", "text": "123"})
        assert form.status_code == 200 and form.json()["result"]["text"] == "123"
        body = await client.post(f"{url}/sendMessage", json={"chat_id": 7, "text": "[1]"})
        assert body.json()["result"]["message_id"] == 2
        assert [(m.chat_id, m.text) for m in fake.sent_messages(7)] == [(7, "123"), (7, "[1]")]

        first = fake.send_message(USER, "a")
        assert first == 1
        got = (await client.post(f"{url}/getUpdates", data={"offset": "0"})).json()["result"]
        assert len(got) == 1
        # held until an update arrives; confirming via offset removes the old one
        poll = asyncio.create_task(client.post(
            f"{url}/getUpdates", data={"offset": str(got[0]["update_id"] + 1), "timeout": "10"}))
        mark = fake.mark()
        await fake.wait_for_call("getUpdates", since=mark)
        started = time.monotonic()
        fake.send_message(USER, "b")
        fresh = (await asyncio.wait_for(poll, 5)).json()["result"]
        assert [u["message"]["text"] for u in fresh] == ["b"]
        assert time.monotonic() - started < 2

        bad = await client.post(f"{fake.base_url}1:bad/getMe")
        assert bad.status_code == 401 and bad.json()["description"] == "Unauthorized"
        missing = await client.post(f"{url}/noSuchMethod")
        assert missing.status_code == 404 and missing.json()["ok"] is False


async def test_shutdown_is_prompt(fake: FakeTelegram) -> None:
    async def run() -> None:
        application = build_app(fake)
        await application.initialize()
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling()
        await fake.wait_for_call("getUpdates")  # a 10 s long poll is now held
        fake.send_message(USER, "/start")
        await fake.wait_for_message(USER, "Welcome")
        await application.updater.stop()
        await application.stop()
        await application.shutdown()
        await fake.stop()

    started = time.monotonic()
    await asyncio.wait_for(run(), timeout=10)
    assert time.monotonic() - started < 5
    last_poll = fake.calls_to("getUpdates")[-1]
    assert last_poll.params["timeout"] == 0  # PTB's final confirming poll
    assert last_poll.params["offset"] > 1
