"""Wire the service together and run its lifecycle: one event loop for bot, server and trading.

Start: database (migrations) → exchanges → dispatcher (held) → HTTP server → Telegram bot →
recovery of signals a previous run left open → the dispatcher starts, oldest signal first.
Stop, in reverse: stop accepting HTTP, let running executions finish (bounded), stop the bot,
close exchanges and the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import secrets
import sqlite3
import string
import time
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.channels.desk import ChannelDesk
from bot.channels.fanout import ChannelFanout
from bot.channels.intake import ChannelIntake
from bot.config import Config
from bot.crypto import SecretBox
from bot.db import Database, Journal, UserRepo
from bot.db.channel_alerts import ChannelAlertRepo
from bot.db.channels import ChannelRepo
from bot.db.orders import OrderRepo
from bot.db.plans import PlanRepo
from bot.defaults import default_settings
from bot.errors import TradeError
from bot.events import EventHub
from bot.facades import ServiceDashboardFacade, ServiceHandlerFacade
from bot.handlers.facade import HandlerFacade
from bot.intake import SignalIntake
from bot.logging_setup import HANDLER, REDACTOR
from bot.models import LEGACY_USER_ID, ApiKeys
from bot.outcomes import NullReporter
from bot.signals import SignalLimits
from bot.telegram_bot import TelegramBot
from bot.trading.dispatcher import Dispatcher
from bot.trading.exchanges.gate import BybitGate
from bot.trading.exchanges.registry import ExchangeRegistry
from bot.trading.executor import Executor
from bot.trading.keeper import ExitKeeper
from bot.trading.market import MarketData
from bot.trading.paper_triggers import PaperTriggers
from bot.trading.processor import SignalProcessor
from bot.trading.streams.manager import StreamManager
from bot.web.facade import DashboardFacade
from bot.web.links import DashboardLinks
from bot.web.routes import add_dashboard_routes
from bot.webhook_server import create_app

# default_settings lives in bot.defaults; it is still importable from here, as it always was.
__all__ = ["Service", "default_settings", "link_prefix", "serve"]

log = logging.getLogger(__name__)

EXTERNAL_CHANGE_POLL_S = 1.0
UNREPORTED_LOOKBACK_S = 24 * 3600
LIVE_ACCOUNT_S = 6 * 3600  # an account that traded this recently gets its stream at start


async def link_prefix(db: Database) -> str:
    """This installation's orderLinkId prefix: random once, then fixed in the database.

    A fresh database restarts signal ids at 1; the prefix keeps its orderLinkIds from ever
    colliding with an earlier installation's orders on the same Bybit account.
    """
    candidate = "bb" + "".join(secrets.choice(string.ascii_lowercase + string.digits)
                               for _ in range(4))

    def ensure(conn: sqlite3.Connection) -> str:
        conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('link_prefix', ?)",
                     (candidate,))
        return conn.execute("SELECT value FROM meta WHERE key = 'link_prefix'").fetchone()[0]

    return await db.write(ensure)


class Service:
    """Everything the process runs, built from one `Config` and passed down explicitly."""

    def __init__(self, config: Config, *, events: EventHub | None = None) -> None:
        self.config = config
        self.events = events or EventHub()
        self.started_at = time.time()
        self.bot_state = "off"
        self.bot: TelegramBot | None = None
        self._runner: web.AppRunner | None = None
        self._site: web.TCPSite | None = None
        self._tasks: list[asyncio.Task[Any]] = []
        self.port: int | None = None

    async def start(self) -> None:
        config = self.config
        REDACTOR.add(config.telegram.token)
        REDACTOR.add(config.legacy_webhook.api_secret)
        REDACTOR.add(config.legacy_webhook.secret)
        data_dir = Path(config.database.path).parent
        self.box = SecretBox.from_config(config.master_key, data_dir)
        self.db = Database(config.database.path)
        await self.db.open()
        self.users = UserRepo(self.db, self.box)
        try:
            sealed = await self.users.seal_tokens()  # before anything reads a user
        except BaseException:  # another master key: nothing else has started yet
            await self.db.close()
            raise
        if sealed:
            log.info("sealed %d webhook token(s) left in the clear by an earlier version",
                     sealed)
        self.links = DashboardLinks(self.box.derive_key("dashboard-link"),
                                    config.server.dashboard_link_ttl_s)
        self.journal = Journal(self.db, duplicate_window_s=config.limits.duplicate_window_s,
                               id_window_s=config.limits.id_window_s)
        self.orders = OrderRepo(self.db)
        await self._ensure_legacy_account()
        self.gate = BybitGate(config.bybit.max_workers, per_5s=config.bybit.requests_per_5s)
        self.market = MarketData(self.gate, base_url=config.bybit.base_url,
                                 timeout=config.bybit.timeout_s,
                                 instrument_ttl_s=config.bybit.instrument_ttl_s)
        self.streams = StreamManager(stream_url=config.bybit.stream_url,
                                     max_private=config.bybit.max_private_streams)
        await self.streams.start()
        self.market.feed = self.streams.tickers
        legacy = config.legacy_webhook
        self.registry = ExchangeRegistry(
            db=self.db, users=self.users, gate=self.gate, market=self.market,
            base_url=config.bybit.base_url, timeout=config.bybit.timeout_s,
            paper_start=config.paper.start_balance, paper_fee=config.paper.taker_fee,
            legacy_keys=ApiKeys(config.defaults.account_type, legacy.api_key, legacy.api_secret)
            if legacy.api_key and legacy.api_secret else None, streams=self.streams,
            fill_wait_s=config.bybit.fill_wait_s)
        prefix = await link_prefix(self.db)
        self.plans = PlanRepo(self.db)
        self.keeper = ExitKeeper(self.plans, self.orders, link_prefix=prefix,
                                 events=self.events, journal=self.journal)
        self.registry.keeper = self.keeper
        self.executor = Executor(self.orders, link_prefix=prefix, keeper=self.keeper,
                                 limits=SignalLimits(config.limits.max_trade_amount,
                                                     config.limits.max_leverage))
        self.processor = SignalProcessor(
            journal=self.journal, users=self.users, orders=self.orders,
            registry=self.registry, executor=self.executor, events=self.events,
            reporter=NullReporter(), max_signal_age_s=config.limits.max_signal_age_s)
        # Held until the recovery below: what a previous run left open goes first.
        self.dispatcher = Dispatcher(self.processor.run, held=True,
                                     max_parallel=config.limits.max_parallel_executions)
        self.intake = SignalIntake(config, self.users, self.journal, self.dispatcher,
                                   events=self.events)
        self.channels = ChannelRepo(self.db, self.users.tokens)
        self.channel_alerts = ChannelAlertRepo(
            self.db, duplicate_window_s=config.limits.duplicate_window_s,
            id_window_s=config.limits.id_window_s)
        self.fanout = ChannelFanout(self.channel_alerts, self.journal, self.dispatcher,
                                    max_signal_age_s=config.limits.max_signal_age_s,
                                    events=self.events)
        self.channel_intake = ChannelIntake(config, self.channels, self.channel_alerts,
                                            self.fanout, self.intake)
        self.paper_triggers = PaperTriggers(
            self.db, self.users, self.journal, self.streams.tickers, self.dispatcher.submit,
            self.events, start_usdt=config.paper.start_balance, keeper=self.keeper,
            paper=self.registry.paper)
        self.registry.paper_changed = self.paper_triggers.changed
        await self.paper_triggers.start()
        # What the dashboard and the Telegram handlers may use; they get nothing else.
        self.dashboard_facade: DashboardFacade = ServiceDashboardFacade(
            users=self.users, journal=self.journal, orders=self.orders, plans=self.plans,
            registry=self.registry, events=self.events)
        self.handlers_facade: HandlerFacade = ServiceHandlerFacade(
            config, users=self.users, journal=self.journal, orders=self.orders,
            plans=self.plans, registry=self.registry, dispatcher=self.dispatcher,
            dashboard=self.dashboard_facade, links=self.links,
            channels=ChannelDesk(config, channels=self.channels, alerts=self.channel_alerts,
                                 journal=self.journal, dispatcher=self.dispatcher))
        await self._start_http()
        await self._start_bot()
        if self.bot is not None:
            # Before the recovery: a signal it finishes (or expires) is told by its own report;
            # read after, it would look "never told" until that report is delivered.
            await self.bot.report_unreported(time.time() - UNREPORTED_LOOKBACK_S)
        # Channel alerts a crash left half expanded first: their new rows are queued for the
        # recovery below, which submits every queued row in order.
        resumed = await self.fanout.resume()
        if resumed:
            log.info("recovery: %d channel alert(s) expanded to the end", resumed)
        replayed, expired = await self.processor.recover(self.dispatcher.submit)
        if replayed or expired:
            log.info("recovery: %d signal(s) picked up again, %d expired", replayed, expired)
        self.dispatcher.release()
        await self._open_live_streams()
        self._tasks.append(asyncio.create_task(self._watch_external_changes(),
                                               name="db-watch"))

    async def _open_live_streams(self) -> None:
        """Give the accounts that traded in the last hours their private streams at once."""
        accounts = await self.orders.live_accounts(time.time() - LIVE_ACCOUNT_S,
                                                   self.config.bybit.max_private_streams)
        for user_id, account_type in accounts:
            try:
                await self.registry.get(user_id, account_type)
            except TradeError as exc:  # their keys are gone; their next alert will say so
                log.info("user=%s %s: no private stream (%s)", user_id, account_type,
                         exc.message)

    async def _ensure_legacy_account(self) -> None:
        """The legacy /webhook's default account: user 0, with config.yaml's defaults."""
        settings = default_settings(self.config)
        await self.users.create_user(LEGACY_USER_ID, defaults=settings, first_name="legacy",
                                     is_active=True)
        await self.users.update_user_settings(
            LEGACY_USER_ID, market_type=settings.market_type,
            trade_amount=settings.trade_amount, leverage=settings.leverage,
            account_type=settings.account_type)

    def build_web_app(self) -> web.Application:
        app = create_app(self.intake, self.health,
                         max_body_bytes=self.config.limits.max_body_bytes,
                         trust_forwarded_for=self.config.server.trust_forwarded_for,
                         channels=self.channel_intake)
        add_dashboard_routes(app, self.dashboard_facade, self.links)
        return app

    async def _start_http(self) -> None:
        server = self.config.server
        self._runner = web.AppRunner(self.build_web_app(), handle_signals=False,
                                     access_log=None, shutdown_timeout=server.shutdown_timeout_s)
        await self._runner.setup()
        self._site = web.TCPSite(self._runner, server.host, server.port, reuse_address=True)
        await self._site.start()
        sockets = getattr(self._site._server, "sockets", None) or []
        self.port = sockets[0].getsockname()[1] if sockets else server.port
        log.info("webhook server listening on http://%s:%s (public URL %s)", server.host,
                 self.port, server.public_url)

    async def _start_bot(self) -> None:
        if not self.config.telegram.token:
            log.warning("Telegram bot is off: TELEGRAM_BOT_TOKEN is not set. Webhooks are still "
                        "served; set TELEGRAM_BOT_TOKEN (from @BotFather) and restart to turn "
                        "the bot on")
            return
        self.bot = TelegramBot(self.config.telegram, self.handlers_facade,
                               delivered=self.journal.mark_notified,
                               unreported=self.processor.unreported)
        self.processor.reporter = self.keeper.reporter = self.bot.notifier
        self.intake.refusals = self.bot.notifier
        self.fanout.reporter = self.bot.notifier
        await self.bot.start()

    async def _watch_external_changes(self) -> None:
        """Forget cached users when another process (the CLI) changed the database."""
        last = await self.db.data_version()
        while True:
            await asyncio.sleep(EXTERNAL_CHANGE_POLL_S)
            try:
                current = await self.db.data_version()
            except Exception:  # the database is closing or unavailable; try again later
                continue
            if current != last:
                last = current
                self.users.invalidate()
                self.channels.invalidate()

    async def health(self) -> dict[str, Any]:
        """Database, bot and queue state for /healthz."""
        db_ok = await self.db.ping()
        return {
            "ok": db_ok,
            "database": "ok" if db_ok else "unavailable",
            "bot": self.bot.state if self.bot is not None else self.bot_state,
            "queue": {"depth": self.dispatcher.depth, "lanes": self.dispatcher.lanes,
                      "running": self.dispatcher.running,
                      "completed": self.dispatcher.completed,
                      "pending_writes": self.db.pending_writes},
            "streams": self.streams.status(),
            "uptime_s": round(time.time() - self.started_at, 1),
        }

    async def stop(self) -> None:
        """Shut down in reverse order; in-flight work gets a bounded time to finish."""
        timeout = self.config.server.shutdown_timeout_s
        deadline = time.monotonic() + timeout
        if self._site is not None:
            await self._site.stop()  # no new connections
        if self._runner is not None:
            await self._runner.cleanup()  # in-flight requests finish (bounded)
        await self.fanout.close(max(0.5, deadline - time.monotonic()))
        await self.dispatcher.drain(max(0.5, deadline - time.monotonic()))
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self.bot is not None:
            await self.bot.stop(max(1.0, deadline - time.monotonic()))
        await self.paper_triggers.close()
        await self.keeper.close()
        await self.streams.close()
        await self.registry.close()
        self.gate.close()
        await self.db.close()
        log.info("stopped cleanly")


async def serve(config: Config, stop: asyncio.Event) -> None:
    """Run the service until `stop` is set."""
    service = Service(config)
    try:
        await service.start()
    except BaseException:
        with contextlib.suppress(Exception):
            await service.stop()
        raise
    # Everything built at start-up lives as long as the process: keep it out of the cyclic
    # collector's full passes, which otherwise scan it all (~50 ms here, and every alert in
    # flight waits that out). In tests, Services come and go in one process: not there.
    gc.collect()
    gc.freeze()
    HANDLER.attach(asyncio.get_running_loop())  # the log's lines written once a turn
    try:
        await stop.wait()
        log.info("stop requested: finishing in-flight work")
        await service.stop()
    finally:
        HANDLER.detach()
