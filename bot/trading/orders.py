"""Place one order leg safely: idempotent by orderLinkId, bounded retries, fill read back.

A retry after a timeout first looks the order up by its orderLinkId, so an order whose answer
was lost is never placed a second time; Bybit's 110072 (duplicate orderLinkId) means the same.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from bot.errors import ExchangeError, ExchangeUnreachable
from bot.trading.exchanges.base import DuplicateOrder, Exchange
from bot.trading.models import OrderRequest, OrderResult

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 3
    base_delay_s: float = 0.5
    max_delay_s: float = 4.0

    def delay(self, attempt: int) -> float:
        return min(self.max_delay_s, self.base_delay_s * (2 ** attempt))


def link_id(prefix: str, signal_id: int, leg: str) -> str:
    """The orderLinkId of one leg of one signal: the same on every attempt and replay."""
    return f"{prefix}-{signal_id}-{leg}"


async def find_with_retry(exchange: Exchange, request: OrderRequest, policy: RetryPolicy,
                          tag: str) -> OrderResult | None:
    """Look an order up, retrying transient failures; None means it does not exist."""
    for attempt in range(policy.attempts):
        try:
            return await exchange.find_order(request.category, request.symbol,
                                             request.order_link_id)
        except ExchangeError as exc:
            if not exc.retryable or attempt == policy.attempts - 1:
                raise
            log.warning("%s lookup of %s failed (%s); retrying", tag, request.order_link_id,
                        exc.message)
            await asyncio.sleep(policy.delay(attempt))
    return None


async def place_leg(exchange: Exchange, request: OrderRequest, policy: RetryPolicy,
                    tag: str, *, look_first: bool = False) -> OrderResult:
    """Place `request` at most once and return what the exchange reports for it."""
    if look_first:
        found = await find_with_retry(exchange, request, policy, tag)
        if found is not None:
            log.info("%s order %s was placed before the restart; not placing it again", tag,
                     request.order_link_id)
            return found
    for attempt in range(policy.attempts):
        try:
            order_id = await exchange.place_order(request)
            log.info("%s placed %s %s %s qty=%s reduce_only=%s link=%s", tag, request.category,
                     request.side, request.symbol, request.qty, request.reduce_only,
                     request.order_link_id)
            break
        except DuplicateOrder:
            log.info("%s order %s already exists at the exchange", tag, request.order_link_id)
            order_id = ""
            break
        except ExchangeUnreachable as exc:
            log.warning("%s no answer placing %s (%s); looking it up before any retry", tag,
                        request.order_link_id, exc.message)
            found = await find_with_retry(exchange, request, policy, tag)
            if found is not None:
                return found
            if attempt == policy.attempts - 1:
                raise
        except ExchangeError as exc:
            if not exc.retryable or attempt == policy.attempts - 1:
                raise
            log.warning("%s placing %s failed (%s); retrying", tag, request.order_link_id,
                        exc.message)
        await asyncio.sleep(policy.delay(attempt))
    found = await find_with_retry(exchange, request, policy, tag)
    if found is None:
        # Accepted but not visible yet: record it as placed, never place it again.
        return OrderResult(request.order_link_id, order_id, "New", request.qty * 0, None,
                           side=request.side, qty=request.qty, reduce_only=request.reduce_only)
    return found
