"""Place one order leg safely: idempotent by orderLinkId, bounded retries, fill read back.

A retry after a timeout first looks the order up by its orderLinkId, so an order whose answer
was lost is never placed a second time; Bybit's 110072 (duplicate orderLinkId) means the same.
Reads are safe to repeat and are retried with the same bounded backoff.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from bot.errors import ExchangeError
from bot.trading.exchanges.base import DuplicateOrder, Exchange
from bot.trading.models import OrderRequest, OrderResult
from bot.vocabulary import Category, OrderStatus

log = logging.getLogger(__name__)

T = TypeVar("T")
# Refused before Bybit carried anything out (rate limit, timestamp outside recv_window): such
# an order is certainly not placed, so there is nothing to look up.
REFUSED_OUTRIGHT = frozenset({"rate_limited", "clock_drift"})


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 3
    base_delay_s: float = 0.5
    max_delay_s: float = 4.0

    def delay(self, attempt: int) -> float:
        """Exponential backoff: base, 2 × base, 4 × base … capped at `max_delay_s`."""
        return min(self.max_delay_s, self.base_delay_s * (2 ** attempt))

    async def pause(self, attempt: int) -> None:
        """Wait before attempt `attempt + 1`."""
        await asyncio.sleep(self.delay(attempt))


async def read_with_retry(policy: RetryPolicy, tag: str, what: str,
                          read: Callable[[], Awaitable[T]]) -> T:
    """Run a read (safe to repeat), retrying transient failures with the policy's backoff."""
    for attempt in range(policy.attempts):
        try:
            return await read()
        except ExchangeError as exc:
            if not exc.retryable:
                raise
            if attempt == policy.attempts - 1:
                raise ExchangeError("retry.read", code=exc.code, ret_code=exc.ret_code,
                                    cause=exc, attempts=policy.attempts) from exc
            log.warning("%s reading %s failed (%s); retrying", tag, what, exc)
            await policy.pause(attempt)
    raise AssertionError("unreachable: the last attempt returns or raises")


async def find_with_retry(exchange: Exchange, category: Category, symbol: str, link: str,
                          policy: RetryPolicy, tag: str) -> OrderResult | None:
    """Look an order up, retrying transient failures; None means it does not exist."""
    return await read_with_retry(policy, tag, f"order {link}",
                                 lambda: exchange.find_order(category, symbol, link))


def _gave_up(error: ExchangeError, attempts: int) -> ExchangeError:
    """The last transient failure, told as what it means for the trader."""
    if error.code in REFUSED_OUTRIGHT:  # refused outright each time: certainly not placed
        return ExchangeError("retry.not_placed", code=error.code, ret_code=error.ret_code,
                             cause=error, attempts=attempts)
    return ExchangeError("retry.maybe_placed", code=error.code, ret_code=error.ret_code,
                         cause=error, attempts=attempts)


def _placed(request: OrderRequest, order_id: str) -> OrderResult:
    """Accepted, but its fill is not visible (yet): recorded as placed, never placed again."""
    return OrderResult(request.order_link_id, order_id, OrderStatus.PLACED, Decimal(0), None,
                       request.side, qty=request.qty, reduce_only=request.reduce_only)


async def look_up(exchange: Exchange, category: Category, symbol: str, link: str,
                  policy: RetryPolicy, tag: str) -> OrderResult | None:
    """Did this order reach Bybit? Retried; if Bybit cannot say, the trader is told so."""
    try:
        return await find_with_retry(exchange, category, symbol, link, policy, tag)
    except ExchangeError as exc:
        log.error("%s cannot tell whether %s was placed: %s", tag, link, exc)
        raise ExchangeError("order_unknown", symbol=symbol) from exc


async def place_leg(exchange: Exchange, request: OrderRequest, policy: RetryPolicy,
                    tag: str, *, look_first: bool = False) -> OrderResult:
    """Place `request` at most once and return what the exchange reports for it.

    A transient failure is retried with backoff, up to `policy.attempts` in all; before each
    retry the order is looked up by its orderLinkId (unless Bybit refused it outright for the
    rate limit or our clock), because an unanswered request may still have been carried out.
    """
    def find() -> Awaitable[OrderResult | None]:
        return look_up(exchange, request.category, request.symbol, request.order_link_id,
                       policy, tag)

    if look_first:
        found = await find()
        if found is not None:
            log.info("%s order %s was placed before the restart; not placing it again", tag,
                     request.order_link_id)
            return found
    last: ExchangeError | None = None
    for attempt in range(policy.attempts):
        if attempt:
            await policy.pause(attempt - 1)
        try:
            order_id = await exchange.place_order(request)
        except DuplicateOrder:
            log.info("%s order %s already exists at the exchange", tag, request.order_link_id)
            order_id = ""
        except ExchangeError as exc:
            if not exc.retryable:
                raise
            last = exc
            log.warning("%s placing %s failed (%s)", tag, request.order_link_id, exc)
            if exc.code not in REFUSED_OUTRIGHT:
                found = await find()
                if found is not None:
                    return found
            continue
        else:
            log.info("%s placed %s %s %s qty=%s reduce_only=%s link=%s", tag, request.category,
                     request.side, request.symbol, request.qty, request.reduce_only,
                     request.order_link_id)
        try:
            found = await read_with_retry(
                policy, tag, f"the fill of {request.order_link_id}",
                lambda: exchange.wait_for_fill(request.category, request.symbol,
                                               request.order_link_id))
        except ExchangeError as exc:
            log.warning("%s %s placed, but its fill could not be read: %s", tag,
                        request.order_link_id, exc)
            found = None
        return found if found is not None else _placed(request, order_id)
    assert last is not None
    raise _gave_up(last, policy.attempts)
