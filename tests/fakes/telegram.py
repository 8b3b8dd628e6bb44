"""An in-process fake of the Telegram Bot API for driving the real python-telegram-bot.

Speaks the wire format PTB 22.8 uses (its `telegram.request.RequestParameter` encoding): form
bodies with JSON-encoded structured fields, ``{"ok": true, "result": ...}`` answers, and HTTP status
codes that PTB maps to exceptions. Tests inject updates (``send_message``, ``press_button``),
then observe what the bot did (``calls``, ``sent_messages``, ``wait_for_message``).

The records (``Call``, ``SentMessage``, ``UploadedFile``) live in ``telegram_records.py``, the
decoding of request params and the error answers in ``telegram_wire.py``.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import struct
import time
from collections import defaultdict, deque
from collections.abc import Callable
from typing import Any, TypeVar

from aiohttp import web

from tests.fakes.telegram_records import JSON, Call, SentMessage, UploadedFile, as_read
from tests.fakes.telegram_wire import ApiError, error_response, read_params

__all__ = ["ApiError", "Call", "FakeTelegram", "SentMessage", "UploadedFile"]

T = TypeVar("T")

_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request", 403: "Forbidden: bot was blocked by the user", 404: "Not Found",
    409: "Conflict", 500: "Internal Server Error", 502: "Bad Gateway",
}


class FakeTelegram:
    """Fake Bot API server on 127.0.0.1. Use ``base_url`` with ``ApplicationBuilder.base_url``."""

    def __init__(
        self, token: str = "123456:TEST-TOKEN", bot_username: str = "botbybit_test_bot"
    ) -> None:
        self.token = token
        self.bot_username = bot_username
        self.bot_id = int(token.split(":", 1)[0])
        self.calls: list[Call] = []
        self.down_hold = 0.25  # seconds getUpdates is held before answering 502 while down
        self._down = False
        self._stopping = False
        self._cond = asyncio.Condition()
        self._updates: list[JSON] = []  # queued, not yet confirmed via offset
        self._update_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._next_message_id: defaultdict[int | str, int] = defaultdict(lambda: 1)
        self._messages: dict[tuple[int | str, int], JSON] = {}
        self._chats: dict[int | str, JSON] = {}
        self._commands: dict[tuple[str, str], list[JSON]] = {}
        self._faults: defaultdict[str, deque[ApiError]] = defaultdict(deque)
        self._tasks: set[asyncio.Task[None]] = set()
        self._runner: web.AppRunner | None = None
        self.port = 0
        handlers: dict[str, Callable[[JSON], Any]] = {
            "getMe": lambda p: self.bot_user(), "deleteWebhook": self._delete_webhook,
            "setWebhook": lambda p: True, "sendMessage": self._send_message,
            "editMessageText": self._edit_message, "editMessageReplyMarkup": self._edit_message,
            "answerCallbackQuery": lambda p: True, "deleteMessage": self._delete_message,
            "setMyCommands": self._set_my_commands, "sendChatAction": lambda p: True,
            "getMyCommands": lambda p: self.commands(p.get("scope"), p.get("language_code") or ""),
            "sendPhoto": self._send_photo,
        }
        self._handlers = {name.lower(): (name, fn) for name, fn in handlers.items()}

    # ----------------------------------------------------------------- lifecycle
    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        self._stopping = True
        await self._notify()  # release held getUpdates at once
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        for task in list(self._tasks):
            task.cancel()

    # ----------------------------------------------------------------- faults
    def fail_next(
        self, method: str, *, times: int = 1, status: int = 429, retry_after: int = 1,
        description: str | None = None,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` with an error (429 → RetryAfter)."""
        if status == 429:
            error = ApiError(429, description or f"Too Many Requests: retry after {retry_after}",
                             {"retry_after": retry_after})
        else:
            error = ApiError(status, description or _DEFAULT_DESCRIPTIONS.get(status, "Error"))
        self._faults[method.lower()].extend([error] * times)

    def set_down(self, down: bool = True) -> None:
        """While down every request gets HTTP 502 (getUpdates after ``down_hold`` seconds)."""
        self._down = down
        self._poke()

    # ----------------------------------------------------------------- driving
    def user(self, user_id: int, *, first_name: str = "Trader", last_name: str | None = None,
             username: str | None = None, language_code: str | None = "en") -> JSON:
        user = {"id": user_id, "is_bot": False, "first_name": first_name, "last_name": last_name,
                "username": username, "language_code": language_code}
        return {k: v for k, v in user.items() if v is not None}

    def bot_user(self) -> JSON:
        return {"id": self.bot_id, "is_bot": True, "first_name": "BotByBit Test",
                "username": self.bot_username}

    def send_message(
        self, user_id: int, text: str, *, chat_id: int | None = None, chat_type: str = "private",
        first_name: str = "Trader", last_name: str | None = None, username: str | None = None,
        language_code: str | None = "en",
    ) -> int:
        """Queue a user's message (commands get a bot_command entity); returns its message_id."""
        chat_id = user_id if chat_id is None else chat_id
        sender = self.user(user_id, first_name=first_name, last_name=last_name,
                           username=username, language_code=language_code)
        chat: JSON = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat.update({k: v for k, v in sender.items() if k in ("first_name", "username")})
        else:
            chat["title"] = f"Chat {chat_id}"
        self._chats[chat_id] = chat
        message = self._new_message(chat_id, sender, text=text)
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        self._queue({"message": message})
        return message["message_id"]

    send_command = send_message

    def press_button(
        self, user_id: int, data: str, *, message_id: int, chat_id: int | None = None,
        language_code: str | None = "en", first_name: str = "Trader", username: str | None = None,
    ) -> str:
        """Queue a callback_query for a button on ``message_id``; returns the query id."""
        chat_id = user_id if chat_id is None else chat_id
        message = self._messages.get((chat_id, message_id))
        if message is None:  # a bot message the fake never saw: make it known
            message = {"message_id": message_id, "date": int(time.time()),
                       "chat": self._chat(chat_id), "from": self.bot_user(), "text": ""}
            self._messages[(chat_id, message_id)] = message
        query_id = f"{user_id}{next(self._callback_ids):08d}"
        self._queue({"callback_query": {
            "id": query_id, "chat_instance": f"ci{chat_id}", "data": data, "message": dict(message),
            "from": self.user(user_id, first_name=first_name, username=username,
                              language_code=language_code),
        }})
        return query_id

    def click(self, user_id: int, record: SentMessage, label: str) -> str:
        """Press the button labelled ``label`` (substring) on a message the bot sent."""
        assert record.message_id is not None, f"message has no id: {record}"
        data = record.button_data(label)
        chat_id = record.chat_id if isinstance(record.chat_id, int) else None
        return self.press_button(user_id, data, message_id=record.message_id, chat_id=chat_id)

    # ----------------------------------------------------------------- observing
    def mark(self) -> int:
        """Index for ``since=``: later waits only consider calls recorded after this point."""
        return len(self.calls)

    def calls_to(self, method: str, since: int = 0) -> list[Call]:
        return [c for c in self.calls[since:] if c.method.lower() == method.lower()]

    def sent_messages(self, chat_id: int | str | None = None, since: int = 0) -> list[SentMessage]:
        records = []
        for call in self.calls[since:]:
            if not call.ok or not isinstance(call.result, dict) or "message_id" not in call.result:
                continue
            p = call.params
            records.append(SentMessage(
                call.method, call.result["chat"]["id"], call.result["message_id"],
                p.get("text", p.get("caption")), p.get("reply_markup"), p.get("parse_mode"), call,
            ))
        return [r for r in records if chat_id is None or r.chat_id == chat_id]

    def commands(self, scope: JSON | None = None, language_code: str = "") -> list[JSON]:
        """Commands last set with setMyCommands for this scope and language."""
        return self._commands.get(self._commands_key(scope, language_code), [])

    async def wait_for_call(
        self, method: str, predicate: Callable[[Call], bool] | None = None, *,
        timeout: float = 5, since: int = 0,
    ) -> Call:
        def find() -> Call | None:
            return next((c for c in self.calls_to(method, since) if not predicate or predicate(c)),
                        None)

        found = await self._wait(find, timeout)
        if found is None:
            seen = [(c.method, c.params, c.status) for c in self.calls[since:]
                    if c.method != "getUpdates"][-20:]
            raise AssertionError(f"no matching {method} call within {timeout}s; calls: {seen}")
        return found

    async def wait_for_message(
        self, chat_id: int | str | None, pattern: str | re.Pattern[str], *,
        timeout: float = 5, since: int = 0,
    ) -> SentMessage:
        """First message sent/edited in ``chat_id`` whose text or caption matches ``pattern``,
        as sent or as read (without the bidi marks of an Arabic message)."""
        regex = re.compile(pattern)

        def find() -> SentMessage | None:
            return next((m for m in self.sent_messages(chat_id, since) if m.text is not None
                         and (regex.search(m.text) or regex.search(as_read(m.text)))), None)

        found = await self._wait(find, timeout)
        if found is None:
            sent = "\n".join(f"  {m.method} #{m.message_id}: {m.text!r} buttons={m.buttons()}"
                             for m in self.sent_messages(chat_id, since)) or "  (nothing)"
            raise AssertionError(f"no message matching {regex.pattern!r} to chat {chat_id} "
                                 f"within {timeout}s; sent there:\n{sent}")
        return found

    async def wait_until_idle(self, timeout: float = 5) -> None:
        """Return once every queued update was confirmed by a later getUpdates offset, i.e. PTB
        has put it on its update_queue (not necessarily processed it yet)."""
        if await self._wait(lambda: not self._updates or None, timeout) is None:
            raise AssertionError(f"updates not fetched within {timeout}s: {self._updates}")

    # ----------------------------------------------------------------- internals
    def _poke(self) -> None:
        """Notify waiters from synchronous code."""
        try:
            task = asyncio.get_running_loop().create_task(self._notify())
        except RuntimeError:  # no loop running: nobody can be waiting
            return
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _notify(self) -> None:
        async with self._cond:
            self._cond.notify_all()

    async def _wait(self, find: Callable[[], T | None], within: float) -> T | None:
        """Wait (on the condition, no polling) up to ``within`` seconds until find() is not None."""
        found: T | None = find()
        if found is not None or self._stopping or within <= 0:
            return found

        def check() -> bool:
            nonlocal found
            found = find()
            return found is not None or self._stopping

        async with self._cond:
            try:
                await asyncio.wait_for(self._cond.wait_for(check), within)
            except TimeoutError:
                return None
        return found

    def _queue(self, update: JSON) -> None:
        self._updates.append({"update_id": next(self._update_ids), **update})
        self._poke()

    def _chat(self, chat_id: int | str) -> JSON:
        return self._chats.get(chat_id, {"id": chat_id, "type": "private"})

    def _new_message(self, chat_id: int | str, sender: JSON, **content: Any) -> JSON:
        message_id = self._next_message_id[chat_id]
        self._next_message_id[chat_id] += 1
        message = {"message_id": message_id, "date": int(time.time()),
                   "chat": self._chat(chat_id), "from": sender, **content}
        self._messages[(chat_id, message_id)] = message
        return message

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return error_response(ApiError(401, "Unauthorized"))
        params = await read_params(request)
        requested = request.match_info["method"]
        name, handler = self._handlers.get(requested.lower(), (requested, None))
        call = Call(name, params, time.monotonic(), len(self.calls))
        self.calls.append(call)
        try:
            if name == "getUpdates":
                await self._notify()  # PTB is polling: visible before the long poll ends
                call.result = await self._get_updates(params)
            elif self._down:
                raise ApiError(502, "Bad Gateway")
            elif self._faults[name.lower()]:
                raise self._faults[name.lower()].popleft()
            elif handler is None:
                raise ApiError(404, "Not Found")
            else:
                call.result = handler(params)
            call.status = 200
            response = web.json_response({"ok": True, "result": call.result})
        except KeyError as missing:  # a required parameter was not sent
            call.status, response = 400, error_response(
                ApiError(400, f"Bad Request: {missing} missing"))
        except ApiError as error:
            call.status, response = error.status, error_response(error)
        await self._notify()
        return response

    async def _get_updates(self, params: JSON) -> list[JSON]:
        if self._down:
            await self._wait(lambda: None, min(self.down_hold, float(params.get("timeout", 0))))
            raise ApiError(502, "Bad Gateway")
        if self._faults["getupdates"]:
            raise self._faults["getupdates"].popleft()
        offset, limit = int(params.get("offset", 0)), int(params.get("limit", 100))
        if offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            await self._notify()  # for wait_until_idle
        pending = await self._wait(  # ends early (with []) when the fake goes down or stops
            lambda: [u for u in self._updates if u["update_id"] >= offset][:limit]
            or ([] if self._down else None),
            float(params.get("timeout", 0)),
        )
        if self._down:
            raise ApiError(502, "Bad Gateway")
        return pending or []

    def _delete_webhook(self, params: JSON) -> bool:
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _send_message(self, params: JSON) -> JSON:
        content = {"text": params["text"]} | _inline_markup(params)
        return self._new_message(params["chat_id"], self.bot_user(), **content)

    def _send_photo(self, params: JSON) -> JSON:
        upload, width, height = params["photo"], 1, 1
        if isinstance(upload, UploadedFile):
            file_id, size = f"photo-{len(self.calls)}", upload.size
            if upload.is_png and size >= 24:  # width and height from the IHDR chunk
                width, height = struct.unpack(">II", upload.data[16:24])
        else:
            file_id, size = str(upload), 0
        photo = {"file_id": file_id, "file_unique_id": file_id, "file_size": size,
                 "width": width, "height": height}
        caption = {"caption": params["caption"]} if "caption" in params else {}
        content = {"photo": [photo]} | caption | _inline_markup(params)
        return self._new_message(params["chat_id"], self.bot_user(), **content)

    def _edit_message(self, params: JSON) -> JSON | bool:
        if "inline_message_id" in params:
            return True
        message = self._messages.get((params.get("chat_id"), params.get("message_id")))
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        if message["from"]["id"] != self.bot_id:
            raise ApiError(400, "Bad Request: message can't be edited")
        changes = _inline_markup(params) | ({"text": params["text"]} if "text" in params else {})
        if message | changes == message and _inline_markup(message) == _inline_markup(params):
            raise ApiError(400, _NOT_MODIFIED)
        message.pop("reply_markup", None)  # an edit without reply_markup drops the keyboard
        message.update(changes, edit_date=int(time.time()))
        return dict(message)

    def _delete_message(self, params: JSON) -> bool:
        if self._messages.pop((params.get("chat_id"), params.get("message_id")), None) is None:
            raise ApiError(400, "Bad Request: message to delete not found")
        return True

    @staticmethod
    def _commands_key(scope: JSON | None, language_code: str | None) -> tuple[str, str]:
        return json.dumps(scope or {"type": "default"}, sort_keys=True), language_code or ""

    def _set_my_commands(self, params: JSON) -> bool:
        key = self._commands_key(params.get("scope"), params.get("language_code"))
        self._commands[key] = list(params["commands"])
        return True


def _inline_markup(params: JSON) -> JSON:
    """Only inline keyboards show up in a Message (PTB would choke on a reply keyboard)."""
    markup = params.get("reply_markup")
    return {"reply_markup": markup} if isinstance(markup, dict) and "inline_keyboard" in markup \
        else {}
