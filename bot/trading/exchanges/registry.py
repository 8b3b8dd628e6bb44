"""Find the `Exchange` for a user's account: paper, or Bybit demo/real with that user's keys."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from bot.db.core import Database
from bot.db.users import UserRepo
from bot.errors import TradeError
from bot.models import LEGACY_USER_ID, ApiKeys
from bot.trading.exchanges.base import Exchange
from bot.trading.exchanges.bybit import BybitExchange
from bot.trading.exchanges.gate import BybitGate
from bot.trading.exchanges.paper import PaperExchange
from bot.trading.keeper import ExitKeeper, StreamWatch
from bot.trading.market import MarketData
from bot.trading.streams.manager import StreamManager
from bot.vocabulary import AccountType


class MissingKeys(TradeError):
    code = "no_keys"


class ExchangeRegistry:
    """One exchange object per (user, account type), built on first use and kept.

    A Bybit account gets its private stream (bot/trading/streams) when it is first used, and
    again after the stream was closed to make room for busier accounts.
    """

    def __init__(self, *, db: Database, users: UserRepo, gate: BybitGate, market: MarketData,
                 base_url: str, timeout: float, paper_start: Decimal, paper_fee: Decimal,
                 legacy_keys: ApiKeys | None = None, streams: StreamManager | None = None,
                 fill_wait_s: float = 3.0) -> None:
        self._db = db
        self._users = users
        self._gate = gate
        self._market = market
        self._base_url = base_url
        self._timeout = timeout
        self._paper_start = paper_start
        self._paper_fee = paper_fee
        self._legacy_keys = legacy_keys
        self._streams = streams
        self._fill_wait = fill_wait_s
        self._cache: dict[tuple[int, str], Exchange] = {}
        self._keys_of: dict[tuple[int, str], ApiKeys] = {}
        self.paper_changed: Callable[[int, str], None] | None = None  # a paper fill, per symbol
        self.keeper: ExitKeeper | None = None  # follows plans on each account's stream

    @property
    def market(self) -> MarketData:
        return self._market

    def paper(self, user_id: int) -> PaperExchange:
        return PaperExchange(user_id, self._db, self._market, start_balance=self._paper_start,
                             taker_fee=self._paper_fee, on_change=self._paper_changed)

    def _paper_changed(self, user_id: int, symbol: str) -> None:
        if self.paper_changed is not None:
            self.paper_changed(user_id, symbol)

    def bybit(self, account_type: AccountType | str, keys: ApiKeys,
              owner: int | None = None) -> BybitExchange:
        """A Bybit account for these keys (also used to test keys before storing them);
        its calls spend `owner`'s share of the request budget."""
        return BybitExchange(AccountType(account_type), keys.api_key, keys.api_secret,
                             gate=self._gate, market=self._market, base_url=self._base_url,
                             timeout=self._timeout, fill_wait_s=self._fill_wait, owner=owner)

    async def get(self, user_id: int, account_type: str) -> Exchange:
        """Return the user's exchange; demo or real without keys is a clear error."""
        key = (user_id, account_type)
        cached = self._cache.get(key)
        if cached is not None:
            self._stream_for(key, cached)
            return cached
        exchange: Exchange
        if account_type == AccountType.PAPER:
            exchange = self.paper(user_id)
        else:
            keys = await self._keys(user_id, account_type)
            exchange = self.bybit(account_type, keys, owner=user_id)
            self._keys_of[key] = keys
        self._cache[key] = exchange
        self._stream_for(key, exchange)
        return exchange

    def _stream_for(self, key: tuple[int, str], exchange: Exchange) -> None:
        """Give a Bybit account its private stream (again), and mark it recently used."""
        if self._streams is None or not isinstance(exchange, BybitExchange):
            return
        account = (key[0], AccountType(key[1]))
        if exchange.stream is not None and not exchange.stream.closed:
            self._streams.touch(account)
            return
        keys = self._keys_of[key]
        stream = exchange.stream = self._streams.open_private(
            account, api_key=keys.api_key, api_secret=keys.api_secret, resync=exchange.resync,
            on_closed=lambda: setattr(exchange, "stream", None))
        if stream is not None and self.keeper is not None:
            stream.state.watchers.append(StreamWatch(self.keeper, exchange, key[0], key[1],
                                                     stream.state.break_even))

    async def _keys(self, user_id: int, account_type: str) -> ApiKeys:
        if user_id == LEGACY_USER_ID:
            if self._legacy_keys is None:
                raise MissingKeys("no_keys.legacy", account=account_type)
            return ApiKeys(account_type, self._legacy_keys.api_key,
                           self._legacy_keys.api_secret)
        keys = await self._users.get_api_keys(user_id, account_type)
        if keys is None:
            raise MissingKeys("no_keys", account=account_type)
        return keys

    async def forget(self, user_id: int) -> None:
        """Drop a user's cached exchanges and streams (their keys changed)."""
        for key in [k for k in self._cache if k[0] == user_id]:
            self._keys_of.pop(key, None)
            if self._streams is not None and key[1] != AccountType.PAPER:
                await self._streams.close_private((user_id, AccountType(key[1])))
            await self._cache.pop(key).close()

    async def close(self) -> None:
        for exchange in self._cache.values():
            await exchange.close()
        self._cache.clear()
