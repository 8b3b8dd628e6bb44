"""A trading rig: a real Database, OrderRepo and Executor, in front of an exchange that is either
a `BybitExchange` (real pybit over HTTP to the fake Bybit) or a `PaperExchange`.

Tests speak to the rig in the trader's terms (`await rig.send("buy")`) and check what the
exchange itself holds afterwards: the fake's accounts, or the paper ledger's tables.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from bot.crypto import SecretBox
from bot.db import Database, Journal, UserRepo
from bot.db.journal import JournalEntry
from bot.db.orders import OrderRepo
from bot.db.paper import PaperBook, PaperPosition
from bot.models import UserSettings
from bot.plans import ExitPlan, Level
from bot.signals import Signal
from bot.trading.exchanges.bybit import BybitExchange
from bot.trading.exchanges.gate import BybitGate
from bot.trading.exchanges.paper import PaperExchange
from bot.trading.executor import Execution, Executor, Outcome
from bot.trading.market import MarketData
from bot.trading.orders import RetryPolicy
from tests.conftest import MASTER_KEY
from tests.fakes.bybit import FakeBybit

KEY, SECRET = "trader-key", "trader-secret"
USER = 4242
PAPER_START = Decimal("10000")
PAPER_FEE = Decimal("0.00055")
D = Decimal


@dataclass(frozen=True)
class RecordingRetry(RetryPolicy):
    """The real policy, minus the waiting: the pauses it asks for are recorded instead."""

    pauses: list[float] = field(default_factory=list, compare=False)

    async def pause(self, attempt: int) -> None:
        self.pauses.append(self.delay(attempt))


@dataclass(frozen=True)
class Placed:
    """One order as the exchange saw it."""

    side: str
    qty: Decimal
    reduce_only: bool = False
    position_idx: int = 0


@dataclass
class Rig:
    kind: str  # bybit | paper
    mode: str  # oneway | hedge (the fake account's position mode; paper is one-way)
    fake: FakeBybit
    db: Database
    users: UserRepo
    journal_repo: Journal
    orders: OrderRepo
    executor: Executor
    exchange: Any
    settings: UserSettings
    retry: RecordingRetry
    key: str = KEY
    signal_ids: list[int] = field(default_factory=list)

    async def journal(self, action: str, symbol: str = "BTCUSDT",
                      **fields: Any) -> tuple[int, Signal]:
        """Journal a signal as the webhook would; return its id and the signal."""
        exits = {k: Level(D(str(fields.pop(k)))) for k in ("take_profit", "stop_loss",
                                                             "trailing")
                 if fields.get(k) is not None}
        numbers: dict[str, Any] = {k: int(v) if k == "leverage" else D(str(v))
                                   for k, v in fields.items() if v is not None}
        if exits:
            numbers["exits"] = ExitPlan(**exits)
        signal = Signal(symbol=symbol, action=action, **numbers)
        entry = JournalEntry(USER, "personal", None, "{}", signal, None, time.time())
        signal_id = (await self.journal_repo.record(entry)).signal_id
        self.signal_ids.append(signal_id)
        return signal_id, signal

    async def run(self, signal_id: int, signal: Signal, *, replay: bool = False) -> Outcome:
        """Execute a journaled signal, as the processor would."""
        return await self.executor.execute(self.exchange, Execution(
            signal_id, USER, signal, self.settings, replay=replay))

    async def send(self, action: str, symbol: str = "BTCUSDT", **fields: Any) -> Outcome:
        """Journal a signal and execute it."""
        signal_id, signal = await self.journal(action, symbol, **fields)
        return await self.run(signal_id, signal)

    def configure(self, **changes: Any) -> None:
        self.settings = replace(self.settings, **changes)

    # --- what the exchange holds ---------------------------------------------------------

    async def placed(self) -> list[Placed]:
        """Every order the exchange accepted for this account, in order."""
        if self.kind == "bybit":
            return [Placed(o.side, o.qty, o.reduce_only, o.position_idx)
                    for o in self.fake.orders_for(self.key)]
        return [Placed(f.side, f.qty, f.reduce_only, 0) for f in await self.exchange.fills()]

    async def position(self, symbol: str = "BTCUSDT") -> dict[str, Decimal]:
        """Open sides and sizes, e.g. {"Buy": Decimal("0.02")}; {} when flat."""
        if self.kind == "bybit":
            return {p.side: p.size for p in self.fake.account(self.key).open_positions()
                    if p.symbol == symbol}

        def read(conn: Any) -> dict[str, Decimal]:
            rows = conn.execute("SELECT side, size FROM paper_positions WHERE user_id = ? AND"
                                " symbol = ?", (USER, symbol)).fetchall()
            return {row["side"]: D(row["size"]) for row in rows if D(row["size"]) > 0}

        return await self.db.read(read)

    async def coin(self, coin: str) -> Decimal:
        """The account's wallet balance of one coin."""
        if self.kind == "bybit":
            return self.fake.account(self.key).balance(coin)
        return await self.db.read(lambda conn: PaperBook(conn, USER, PAPER_START).balance(coin))

    async def leverage_on_exchange(self, symbol: str = "BTCUSDT") -> Decimal | None:
        if self.kind == "bybit":
            return self.fake.account(self.key).leverage_for(symbol)
        value = await self.db.read(lambda conn: PaperBook(conn, USER, PAPER_START)
                                   .leverage(symbol))
        return None if value is None else D(value)

    # --- arranging a starting point ------------------------------------------------------

    async def seed_position(self, side: str, size: str, price: str = "48000",
                            symbol: str = "BTCUSDT") -> None:
        """Put an open futures position on the exchange, as if opened by hand earlier."""
        if self.kind == "bybit":
            account = self.fake.account(self.key)
            idx = 0 if self.mode == "oneway" else (1 if side == "Buy" else 2)
            row = account.position(symbol, idx)
            row.side, row.size, row.avg_price = side, D(size), D(price)
            return
        position = PaperPosition(symbol, side, D(size), D(price), 10)
        await self.db.write(lambda conn: PaperBook(conn, USER, PAPER_START)
                            .save_position(position))

    async def give_coin(self, coin: str, amount: str) -> None:
        """Coins the trader holds that this bot did not buy."""
        if self.kind == "bybit":
            self.fake.account(self.key).balances[coin] = D(amount)
            return
        await self.db.write(lambda conn: PaperBook(conn, USER, PAPER_START)
                            .set_balance(coin, D(amount)))

    def requests(self, path: str | None = None) -> list[str]:
        """Paths the fake saw, in order (optionally only those of one path)."""
        return [r.path for r in self.fake.requests if path is None or r.path == path]


RigFactory = Callable[..., Awaitable[Rig]]


@pytest.fixture
async def fake() -> AsyncIterator[FakeBybit]:
    async with FakeBybit() as exchange:
        yield exchange


@pytest.fixture
async def make_rig(fake: FakeBybit, tmp_path: Path) -> AsyncIterator[RigFactory]:
    """Build rigs: `await make_rig("bybit", mode="hedge", usdt="100")` or `make_rig("paper")`.

    The fake account is always KEY/SECRET; `key`/`secret` are what the exchange is given.
    """
    closers: list[Callable[[], Awaitable[None]]] = []
    gate = BybitGate(8)
    market = MarketData(gate, base_url=fake.url, price_ttl_s=0)

    async def build(kind: str = "bybit", *, mode: str = "oneway", market_type: str = "futures",
                    amount: str = "100", leverage: int = 10, pyramiding: bool = False,
                    timeout: float = 5.0, attempts: int = 3, key: str = KEY,
                    secret: str = SECRET, **account: Any) -> Rig:
        db = Database(tmp_path / f"rig{len(closers)}.db")
        await db.open()
        closers.append(db.close)
        users = UserRepo(db, SecretBox(MASTER_KEY.encode()))
        account_type = "paper" if kind == "paper" else "demo"
        settings = UserSettings(market_type=market_type, trade_amount=D(amount),
                                leverage=leverage, account_type=account_type,
                                pyramiding=pyramiding)
        await users.create_user(USER, defaults=settings, is_active=True)
        orders = OrderRepo(db)
        retry = RecordingRetry(attempts=attempts, base_delay_s=0.01)
        executor = Executor(orders, link_prefix="bbtest", retry=retry)
        exchange: Any
        if kind == "paper":
            exchange = PaperExchange(USER, db, market, start_balance=PAPER_START,
                                     taker_fee=PAPER_FEE)
        else:
            fake.add_account(KEY, SECRET, env="demo", position_mode=mode, **account)
            exchange = BybitExchange("demo", key, secret, gate=gate, market=market,
                                     base_url=fake.url, timeout=timeout)
            closers.append(exchange.close)
        return Rig(kind, mode, fake, db, users, Journal(db), orders, executor, exchange,
                   settings, retry)

    yield build
    for close in reversed(closers):
        await close()
    gate.close()
