"""Find the `Exchange` for a user's account: paper, or Bybit demo/real with that user's keys."""

from __future__ import annotations

from decimal import Decimal

from bot.db.core import Database
from bot.db.users import UserRepo
from bot.errors import TradeError
from bot.models import LEGACY_USER_ID, ApiKeys
from bot.trading.exchanges.base import Exchange
from bot.trading.exchanges.bybit import BybitExchange
from bot.trading.exchanges.gate import BybitGate
from bot.trading.exchanges.paper import PaperExchange
from bot.trading.market import MarketData
from bot.vocabulary import AccountType


class MissingKeys(TradeError):
    code = "no_keys"


class ExchangeRegistry:
    """One exchange object per (user, account type), built on first use and kept."""

    def __init__(self, *, db: Database, users: UserRepo, gate: BybitGate, market: MarketData,
                 base_url: str, timeout: float, paper_start: Decimal, paper_fee: Decimal,
                 legacy_keys: ApiKeys | None = None) -> None:
        self._db = db
        self._users = users
        self._gate = gate
        self._market = market
        self._base_url = base_url
        self._timeout = timeout
        self._paper_start = paper_start
        self._paper_fee = paper_fee
        self._legacy_keys = legacy_keys
        self._cache: dict[tuple[int, str], Exchange] = {}

    @property
    def market(self) -> MarketData:
        return self._market

    def paper(self, user_id: int) -> PaperExchange:
        return PaperExchange(user_id, self._db, self._market, start_balance=self._paper_start,
                             taker_fee=self._paper_fee)

    def bybit(self, account_type: AccountType | str, keys: ApiKeys) -> BybitExchange:
        """A Bybit account for these keys (also used to test keys before storing them)."""
        return BybitExchange(AccountType(account_type), keys.api_key, keys.api_secret,
                             gate=self._gate, market=self._market, base_url=self._base_url,
                             timeout=self._timeout)

    async def get(self, user_id: int, account_type: str) -> Exchange:
        """Return the user's exchange; demo or real without keys is a clear error."""
        key = (user_id, account_type)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        if account_type == AccountType.PAPER:
            exchange: Exchange = self.paper(user_id)
        else:
            keys = await self._keys(user_id, account_type)
            exchange = self.bybit(account_type, keys)
        self._cache[key] = exchange
        return exchange

    async def _keys(self, user_id: int, account_type: str) -> ApiKeys:
        if user_id == LEGACY_USER_ID:
            if self._legacy_keys is None:
                raise MissingKeys(
                    f"the legacy account is set to {account_type} but BYBIT_API_KEY and "
                    "BYBIT_API_SECRET are not set; set them, or defaults.account_type: paper")
            return ApiKeys(account_type, self._legacy_keys.api_key,
                           self._legacy_keys.api_secret)
        keys = await self._users.get_api_keys(user_id, account_type)
        if keys is None:
            raise MissingKeys(
                f"no {account_type} API keys are stored: send /keys {account_type} <api_key> "
                "<api_secret> to the bot, or /set account paper to practise without keys")
        return keys

    async def forget(self, user_id: int) -> None:
        """Drop a user's cached exchanges (their keys changed)."""
        for key in [k for k in self._cache if k[0] == user_id]:
            await self._cache.pop(key).close()

    async def close(self) -> None:
        for exchange in self._cache.values():
            await exchange.close()
        self._cache.clear()
