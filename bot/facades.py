"""The two facades, answered from the service's parts.

`bot.handlers.facade.HandlerFacade` says what the Telegram handlers may read and do, and
`bot.web.facade.DashboardFacade` what the dashboard may read; each is declared by the layer
that uses it. The classes here answer them from the repositories, the exchange registry, the
dispatcher and the event hub — parts neither layer ever holds. `bot.app` builds one of each.

Kept in one module, beside `bot.app` rather than inside either layer: this is the only code
that knows both a layer's vocabulary and the service's parts, and the two facades share most
of those parts (the dashboard's reads also serve `/chart`).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable
from decimal import Decimal

from bot.config import Config, LimitsConfig
from bot.db import Journal, JournalEntry, SignalRecord, UserNotFound, UserRepo
from bot.db.orders import OrderRecord, OrderRepo
from bot.db.plans import PlanRepo, PositionPlan
from bot.defaults import default_settings
from bot.events import EventHub, Subscription
from bot.handlers.channel_facade import ChannelFacade
from bot.handlers.facade import DashboardLink, Profit, QueueState
from bot.models import ApiKeys, User, UserSettings
from bot.signals import Signal
from bot.trading.dispatcher import Dispatcher, Job
from bot.trading.exchanges.bybit import BybitExchange
from bot.trading.exchanges.registry import ExchangeRegistry
from bot.trading.models import Balance, InstrumentRules, KeyCheck, Position
from bot.urls import dashboard_url, personal_url
from bot.vocabulary import AccountType, Category, SignalStatus
from bot.web.charts import pnl_png
from bot.web.facade import DashboardFacade, OpenPosition, PaperAccount
from bot.web.links import DashboardLinks

log = logging.getLogger(__name__)

HOLDINGS_LOOKBACK = 500  # orders scanned for the spot symbols this bot traded
TELEGRAM_ROUTE = "telegram"  # the journal's route for an action a trader took in Telegram


def summarise_profit(fills: Iterable[OrderRecord]) -> Profit:
    """/profit's numbers from an account's filled futures legs (see `Profit`).

    Net = Σ realised PnL of the closing (reduce-only) fills − Σ every fill's USDT fee, the
    opening fills' fees included; per symbol the same. A closing fill is won when its realised
    PnL is above the trade's fees (its own and its entry's, `OrderRecord.entry_fee`). Best
    and worst rank the symbols that had a closing fill.
    """
    net, fees, closing, wins = Decimal(0), Decimal(0), 0, 0
    by_symbol: dict[str, Decimal] = {}
    closed: set[str] = set()
    for fill in fills:
        in_usdt = fill.fee_currency in (None, "", "USDT")
        fee = (fill.fee or Decimal(0)) if in_usdt else Decimal(0)
        change = -fee
        if fill.reduce_only:
            realised = fill.realised_pnl or Decimal(0)
            change += realised
            closing += 1
            wins += realised > fee + fill.entry_fee  # won after the trade's fees
            closed.add(fill.symbol)
        net += change
        fees += fee
        by_symbol[fill.symbol] = by_symbol.get(fill.symbol, Decimal(0)) + change
    ranked = tuple(sorted(((symbol, pnl) for symbol, pnl in by_symbol.items()
                          if symbol in closed), key=lambda item: (-item[1], item[0])))
    return Profit(net, fees, closing, wins, ranked)


def _action_body(signal: Signal) -> str:
    """The journal's raw body for an action from Telegram: what was asked, as JSON."""
    body: dict[str, object] = {"source": TELEGRAM_ROUTE, "symbol": signal.symbol,
                               "action": signal.action}
    if signal.qty_percent is not None:
        body["qty_percent"] = str(signal.qty_percent)
    if signal.exits is not None:
        body["exits"] = json.loads(signal.exits.to_json())
    if signal.client_id is not None:
        body["id"] = signal.client_id
    return json.dumps(body, separators=(",", ":"))


class ServiceDashboardFacade:
    """`DashboardFacade` from the user repository, journal, orders, position plans, exchanges
    and event hub."""

    def __init__(self, *, users: UserRepo, journal: Journal, orders: OrderRepo,
                 plans: PlanRepo, registry: ExchangeRegistry, events: EventHub) -> None:
        self._users = users
        self._journal = journal
        self._orders = orders
        self._plans = plans
        self._registry = registry
        self._events = events

    async def account(self, user_id: int) -> tuple[User, UserSettings] | None:
        return await self._users.get_account(user_id)

    async def recent_signals(self, user_id: int, limit: int) -> list[SignalRecord]:
        return await self._journal.recent(user_id, limit)

    async def recent_orders(self, user_id: int, limit: int) -> list[OrderRecord]:
        return await self._orders.recent(user_id, limit)

    def is_paper(self, account_type: str) -> bool:
        return account_type == AccountType.PAPER

    async def paper_account(self, user_id: int) -> PaperAccount:
        exchange = self._registry.paper(user_id)
        rows = await exchange.open_positions()
        balance = await exchange.balance("USDT")
        return PaperAccount(rows, balance.total)

    async def exchange_positions(self, user_id: int,
                                 account_type: str) -> tuple[list[OpenPosition], bool]:
        exchange = await self._registry.get(user_id, account_type)
        rows: list[OpenPosition] = list(await exchange.open_positions())
        live = isinstance(exchange, BybitExchange) and exchange.synced
        return rows, live

    async def open_plans(self, user_id: int, account_type: str) -> list[PositionPlan]:
        return await self._plans.open_for(user_id, account_type)

    def subscribe(self, user_id: int) -> Subscription:
        return self._events.subscribe(user_id)

    def unsubscribe(self, subscription: Subscription) -> None:
        self._events.unsubscribe(subscription)


class ServiceHandlerFacade:
    """`HandlerFacade` from the config, repositories, exchanges and dispatcher."""

    def __init__(self, config: Config, *, users: UserRepo, journal: Journal, orders: OrderRepo,
                 plans: PlanRepo, registry: ExchangeRegistry, dispatcher: Dispatcher,
                 dashboard: DashboardFacade, links: DashboardLinks,
                 channels: ChannelFacade) -> None:
        self._config = config
        self.channels = channels
        self._links = links
        self._users = users
        self._journal = journal
        self._orders = orders
        self._plans = plans
        self._registry = registry
        self._dispatcher = dispatcher
        self._dashboard = dashboard

    @property
    def limits(self) -> LimitsConfig:
        return self._config.limits

    # --- people ---

    async def account(self, user_id: int) -> tuple[User, UserSettings] | None:
        return await self._users.get_account(user_id)

    async def user(self, user_id: int) -> User | None:
        return await self._users.get_user(user_id)

    async def settings(self, user_id: int) -> UserSettings:
        return await self._users.get_settings(user_id)

    async def admin_ids(self) -> set[int]:
        ids = set(self._config.telegram.admin_ids)
        for user_id in await self._users.admin_ids():
            user = await self._users.get_user(user_id)
            if user is not None and user.is_active:
                ids.add(user_id)
        return ids

    def is_configured_admin(self, user_id: int) -> bool:
        return user_id in self._config.telegram.admin_ids

    async def list_users(self, *, offset: int, limit: int) -> list[tuple[User, UserSettings]]:
        return await self._users.list_users(offset=offset, limit=limit)

    async def count_users(self) -> dict[str, int]:
        return await self._users.count_users()

    async def register(self, user_id: int, *, username: str | None, first_name: str | None,
                       last_name: str | None, language_code: str | None
                       ) -> tuple[User, bool]:
        return await self._users.create_user(
            user_id, defaults=default_settings(self._config), username=username,
            first_name=first_name, last_name=last_name, language_code=language_code)

    async def set_active(self, user_id: int, active: bool) -> User:
        return await self._users.toggle_user_active(user_id, active)

    async def set_language(self, user_id: int, language: str) -> None:
        await self._users.set_language(user_id, language)

    async def rotate_token(self, user_id: int) -> User:
        await self._users.rotate_token(user_id)
        user = await self._users.get_user(user_id)
        if user is None:
            raise UserNotFound(user_id)
        return user

    async def revoke_dashboard_links(self, user_id: int) -> None:
        await self._users.revoke_dashboard_links(user_id)

    async def update_settings(self, user_id: int, **changes: object) -> UserSettings:
        return await self._users.update_user_settings(user_id, **changes)

    # --- addresses ---

    def webhook_url(self, user: User) -> str:
        return personal_url(self._config, user.id, self._users.webhook_token(user))

    def dashboard_link(self, user: User) -> DashboardLink:
        link = self._links.issue(user.id, user.dashboard_epoch)
        return DashboardLink(dashboard_url(self._config, user.id, link.key),
                             link.expires_at - link.issued_at)

    # --- API keys ---

    async def key_accounts(self, user_id: int) -> set[str]:
        return await self._users.key_accounts(user_id)

    async def check_keys(self, account: str, api_key: str, api_secret: str) -> KeyCheck:
        exchange = self._registry.bybit(account, ApiKeys(account, api_key, api_secret))
        try:
            return await exchange.check_keys()
        finally:
            await exchange.close()

    async def store_keys(self, user_id: int, account: str, api_key: str,
                         api_secret: str) -> None:
        await self._users.set_api_keys(user_id, account, api_key, api_secret)
        await self._registry.forget(user_id)  # cached exchanges hold the old keys

    # --- what the trader holds and did ---

    async def open_positions(self, user_id: int, account: str) -> list[Position]:
        exchange = await self._registry.get(user_id, account)
        return await exchange.open_positions()

    async def open_plans(self, user_id: int, account: str) -> list[PositionPlan]:
        return await self._plans.open_for(user_id, account)

    async def balance(self, user_id: int, account: str) -> Balance:
        exchange = await self._registry.get(user_id, account)
        return await exchange.balance("USDT")

    async def spot_holdings(self, user_id: int, account: str) -> list[tuple[str, Decimal]]:
        orders = await self._orders.recent(user_id, HOLDINGS_LOOKBACK)
        symbols = sorted({o.symbol for o in orders
                          if o.category == Category.SPOT and o.account_type == account})
        held = [(s, await self._orders.holding(user_id, account, s)) for s in symbols]
        return [(symbol, qty) for symbol, qty in held if qty > 0]

    async def recent_signals(self, user_id: int, limit: int) -> list[SignalRecord]:
        return await self._journal.recent(user_id, limit)

    async def recent_orders(self, user_id: int, limit: int) -> list[OrderRecord]:
        return await self._orders.recent(user_id, limit)

    async def instrument(self, user_id: int, account: str, symbol: str) -> InstrumentRules:
        exchange = await self._registry.get(user_id, account)
        return await exchange.instrument(Category.LINEAR, symbol)

    async def profit(self, user_id: int, account: str, since: float = 0.0) -> Profit:
        return summarise_profit(await self._orders.futures_fills(user_id, account, since))

    async def submit_action(self, user_id: int, signal: Signal) -> int:
        received = time.time()
        entry = JournalEntry(user_id, TELEGRAM_ROUTE, None, _action_body(signal), signal, None,
                             received)
        journaled = await self._journal.record(entry)
        if journaled.status != SignalStatus.QUEUED:  # the same request again: not run twice
            log.info("signal=%s user=%s from Telegram: %s repeats signal %s; not run again",
                     journaled.signal_id, user_id, signal.describe(), journaled.duplicate_of)
            return journaled.duplicate_of or journaled.signal_id
        log.info("signal=%s user=%s from Telegram: %s queued", journaled.signal_id, user_id,
                 signal.describe())
        self._dispatcher.submit(Job(journaled.signal_id, user_id, signal, received,
                                    route=TELEGRAM_ROUTE))
        return journaled.signal_id

    async def chart_png(self, user_id: int, symbol: str | None) -> bytes:
        return await pnl_png(self._dashboard, user_id, symbol)

    # --- operations ---

    async def signal_counts_since(self, since: float) -> dict[str, int]:
        return await self._journal.counts_since(since)

    def queue(self) -> QueueState:
        return QueueState(depth=self._dispatcher.depth, running=self._dispatcher.running)
