"""The facades, answered from the service's parts.

`bot.web.facade.DashboardFacade` says what the dashboard may read; it is declared by the layer
that uses it. The class here answers it from the repositories, the exchange registry and the
event hub — parts the dashboard never holds. `bot.app` builds it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from bot.db import Journal, SignalRecord, UserRepo
from bot.db.orders import OrderRecord, OrderRepo
from bot.events import EventHub, Subscription
from bot.models import User, UserSettings
from bot.trading.exchanges.paper import PaperExchange
from bot.trading.exchanges.registry import ExchangeRegistry
from bot.web.facade import OpenPosition, PaperAccount


class ServiceDashboardFacade:
    """`DashboardFacade` from the user repository, journal, orders, exchanges and event hub."""

    def __init__(self, *, users: UserRepo, journal: Journal, orders: OrderRepo,
                 registry: ExchangeRegistry, events: EventHub) -> None:
        self._users = users
        self._journal = journal
        self._orders = orders
        self._registry = registry
        self._events = events

    async def account(self, user_id: int) -> tuple[User, UserSettings] | None:
        return await self._users.get_account(user_id)

    async def recent_signals(self, user_id: int, limit: int) -> list[SignalRecord]:
        return await self._journal.recent(user_id, limit)

    async def recent_orders(self, user_id: int, limit: int) -> list[OrderRecord]:
        return await self._orders.recent(user_id, limit)

    def is_paper(self, account_type: str) -> bool:
        return account_type == PaperExchange.account_type

    async def paper_account(self, user_id: int) -> PaperAccount:
        exchange = self._registry.paper(user_id)
        rows = await exchange.all_positions()
        balance = await exchange.balance("USDT")
        return PaperAccount(rows, balance.total)

    async def exchange_positions(self, user_id: int, account_type: str,
                                 symbols: Sequence[str]) -> list[OpenPosition]:
        exchange = await self._registry.get(user_id, account_type)
        books = await asyncio.gather(*(exchange.positions(symbol) for symbol in symbols))
        return [row for book in books for row in book.rows if row.size > 0]

    def subscribe(self, user_id: int) -> Subscription:
        return self._events.subscribe(user_id)

    def unsubscribe(self, subscription: Subscription) -> None:
        self._events.unsubscribe(subscription)
