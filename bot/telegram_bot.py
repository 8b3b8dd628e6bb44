"""The python-telegram-bot Application, started by hand beside the aiohttp server.

`run_polling` would own the event loop; here the loop is shared, so the documented manual
sequence is used: initialize → start → updater.start_polling, and in reverse to stop. When
Telegram cannot be reached at start, webhooks keep being served and the bot retries.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import AIORateLimiter, Application, ContextTypes

from bot.config import TelegramConfig
from bot.db import SignalRecord
from bot.handlers import HandlerFacade, register_handlers, set_command_menus
from bot.handlers.common import BotContext
from bot.handlers.position_events import format_position_event
from bot.handlers.refusals import format_refusal
from bot.handlers.reports import format_report, report_from_record
from bot.notify import Delivered, Notifier

log = logging.getLogger(__name__)

RETRY_START_MAX_S = 60.0

Unreported = Callable[[float], Awaitable[list[SignalRecord]]]


class TelegramBot:
    """Own the PTB Application and the notifier; report `state` for /healthz.

    It gets what it needs and no more: the `telegram` config section, the handlers' facade,
    `delivered` (mark a signal's report as sent) and `unreported` (finished signals whose
    owner was never told, since a time).
    """

    def __init__(self, telegram: TelegramConfig, facade: HandlerFacade, *,
                 delivered: Delivered, unreported: Unreported) -> None:
        self.facade = facade
        self._unreported = unreported
        base = telegram.base_url.rstrip("/")
        # PTB logs whole updates (an API secret sent with /keys) and request parameters at
        # DEBUG: never let those through, whatever the service's log level.
        ptb_logger = logging.getLogger("telegram")
        ptb_logger.setLevel(max(ptb_logger.getEffectiveLevel(), logging.INFO))
        self.application = (
            Application.builder()
            .token(telegram.token)
            .base_url(base)
            .base_file_url(base.removesuffix("/bot") + "/file/bot")
            # The global 30 messages/s. On a 429 PTB pauses every request for `retry_after`
            # and retries once; a second 429 reaches the notifier, which waits again.
            .rate_limiter(AIORateLimiter(max_retries=1))
            .context_types(ContextTypes(context=BotContext))
            .build()
        )
        self.notifier = Notifier(
            self.application.bot,
            format_report=lambda report: format_report(facade, report),
            format_event=lambda event: format_position_event(facade, event),
            format_refusal=lambda notice: format_refusal(facade, notice),
            delivered=delivered,
            interval_s=telegram.per_chat_interval_s)
        register_handlers(self.application, facade, self.notifier)
        self.state = "starting"
        self._retry: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Start polling; if Telegram is unreachable, keep retrying in the background."""
        try:
            await self._start_once()
        except InvalidToken:
            self.state = "error: token rejected"
            log.error("Telegram rejected TELEGRAM_BOT_TOKEN; the bot is off until the token is "
                      "fixed (webhooks are still served)")
            await self._shutdown_quietly()
        except (NetworkError, TelegramError) as exc:
            self.state = "retrying"
            log.warning("Telegram is unreachable (%s); webhooks are served, the bot keeps "
                        "trying to connect", exc)
            await self._shutdown_quietly()
            self._retry = asyncio.create_task(self._retry_start(), name="telegram-retry")

    async def _start_once(self) -> None:
        app = self.application
        await app.initialize()  # getMe
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(allowed_updates=["message", "callback_query"],
                                        error_callback=self._polling_error)
        self.state = "running"
        log.info("Telegram bot @%s is running", app.bot.username)
        try:
            await set_command_menus(app.bot, admin_ids=await self.facade.admin_ids())
        except TelegramError as exc:
            log.warning("could not set the command menu: %s", exc)

    @staticmethod
    def _polling_error(exc: TelegramError) -> None:
        log.warning("Telegram polling error: %s", exc)

    async def _retry_start(self) -> None:
        delay = 2.0
        while True:
            await asyncio.sleep(delay)
            try:
                await self._start_once()
                return
            except InvalidToken:
                self.state = "error: token rejected"
                await self._shutdown_quietly()
                return
            except TelegramError as exc:
                log.warning("Telegram still unreachable (%s); next try in %.0f s", exc, delay)
                await self._shutdown_quietly()
                delay = min(RETRY_START_MAX_S, delay * 2)

    async def _shutdown_quietly(self) -> None:
        app = self.application
        with contextlib.suppress(Exception):
            if app.updater is not None and app.updater.running:
                await app.updater.stop()
            if app.running:
                await app.stop()
            await app.shutdown()

    async def report_unreported(self, since: float) -> None:
        """Tell owners about signals that finished while nobody could tell them."""
        for record in await self._unreported(since):
            self.notifier.report(report_from_record(record))

    async def stop(self, timeout: float) -> None:
        if self._retry is not None:
            self._retry.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._retry
        await self.notifier.stop(timeout)
        if self.state == "running":
            await self._shutdown_quietly()
        self.state = "stopped"
