"""DESIGN §3's `position` (TradingView's `{{strategy.market_position}}`) against Bybit (the fake,
through pybit, one-way and hedge) and the paper exchange: where the strategy stands after the
order wins over `action`, "as needed".

A sell that leaves the strategy long is a partial exit of its long: an account already long
needs nothing (whatever pyramiding says) and the trader is told why; a flat account opens the
long, a short one reverses to it. The mirror for a buy that leaves the strategy short.

Amount 100 USDT at 10x on BTCUSDT at 50,000 is 0.02 BTC; a prior position is 0.05 BTC.
"""

from __future__ import annotations

import time
from decimal import Decimal
from typing import Any

import pytest

from bot.db.journal import JournalEntry
from bot.signals import parse_signal
from bot.trading.summary import describe
from tests.trading.conftest import USER, Placed, Rig, RigFactory

D = Decimal
OPEN_QTY, PRIOR = D("0.02"), D("0.05")
BACKENDS = [("bybit", "oneway"), ("bybit", "hedge"), ("paper", "oneway")]
BACKEND_IDS = ["bybit-oneway", "bybit-hedge", "paper"]
OPPOSITE = {"Buy": "Sell", "Sell": "Buy"}


def idx(mode: str, side: str) -> int:
    return 0 if mode == "oneway" else (1 if side == "Buy" else 2)


async def journal(rig: Rig, body: dict[str, Any]) -> int:
    """Journal an alert body as the webhook would: parsed, then written."""
    signal = parse_signal({"symbol": "BTCUSDT", **body})
    entry = JournalEntry(USER, "personal", None, "{}", signal, None, time.time())
    signal_id = (await rig.journal_repo.record(entry)).signal_id
    rig.signal_ids.append(signal_id)
    return signal_id


async def alert(rig: Rig, body: dict[str, Any], *, replay: bool = False) -> Any:
    """Run a journaled alert as read back from its row (as a replay after a restart is)."""
    signal_id = await journal(rig, body)
    record = await rig.journal_repo.get(signal_id)
    assert record is not None and record.signal is not None
    return await rig.run(signal_id, record.signal, replay=replay)


@pytest.mark.parametrize("pyramiding", [False, True], ids=["single", "pyramiding"])
@pytest.mark.parametrize(("kind", "mode"), BACKENDS, ids=BACKEND_IDS)
@pytest.mark.parametrize(("action", "position", "held"), [
    ("sell", "long", "Buy"), ("short", "long", "Buy"), ("close", "long", "Buy"),
    ("buy", "short", "Sell"), ("long", "short", "Sell")])
async def test_a_partial_exit_keeps_the_side_already_held(
        make_rig: RigFactory, kind: str, mode: str, pyramiding: bool, action: str,
        position: str, held: str) -> None:
    rig = await make_rig(kind, mode=mode, pyramiding=pyramiding)
    await rig.seed_position(held, str(PRIOR))

    outcome = await alert(rig, {"action": action, "position": position})

    assert (outcome.status, outcome.kind, outcome.kept) == ("done", "skipped", True)
    assert await rig.placed() == []
    assert await rig.position() == {held: PRIOR}
    line = describe(outcome)
    assert f"still {position}" in line and "pyramiding" not in line, line


@pytest.mark.parametrize("pyramiding", [False, True], ids=["single", "pyramiding"])
@pytest.mark.parametrize(("kind", "mode"), BACKENDS, ids=BACKEND_IDS)
@pytest.mark.parametrize(("action", "position", "side"), [
    ("sell", "long", "Buy"), ("buy", "short", "Sell")])
@pytest.mark.parametrize("prior", ["flat", "other"])
async def test_a_partial_exit_the_bot_missed_the_entry_of_opens_or_reverses(
        make_rig: RigFactory, kind: str, mode: str, pyramiding: bool, action: str,
        position: str, side: str, prior: str) -> None:
    rig = await make_rig(kind, mode=mode, pyramiding=pyramiding)
    if prior == "other":
        await rig.seed_position(OPPOSITE[side], str(PRIOR))

    outcome = await alert(rig, {"action": action, "position": position})

    opening = Placed(side, OPEN_QTY, False, idx(mode, side))
    if prior == "flat":
        assert (outcome.kind, await rig.placed()) == ("opened", [opening]), describe(outcome)
    else:
        closing = Placed(side, PRIOR, True, idx(mode, OPPOSITE[side]))
        assert (outcome.kind, await rig.placed()) == ("reversed", [closing, opening]), \
            describe(outcome)
    assert await rig.position() == {side: OPEN_QTY}


@pytest.mark.parametrize(("kind", "mode"), BACKENDS, ids=BACKEND_IDS)
async def test_a_second_entry_still_adds_when_pyramiding(make_rig: RigFactory, kind: str,
                                                         mode: str) -> None:
    rig = await make_rig(kind, mode=mode, pyramiding=True)
    await rig.seed_position("Buy", str(PRIOR))

    outcome = await alert(rig, {"action": "buy", "position": "long"})

    assert (outcome.kind, outcome.kept) == ("opened", False), describe(outcome)
    assert await rig.position() == {"Buy": PRIOR + OPEN_QTY}


@pytest.mark.parametrize(("kind", "mode"), BACKENDS, ids=BACKEND_IDS)
async def test_a_replay_after_a_restart_keeps_the_rule(make_rig: RigFactory, kind: str,
                                                       mode: str) -> None:
    """The row is all a restart has: the flag travels with it."""
    rig = await make_rig(kind, mode=mode, pyramiding=True)
    await rig.seed_position("Buy", str(PRIOR))

    outcome = await alert(rig, {"action": "sell", "position": "long"}, replay=True)

    assert (outcome.kind, outcome.kept) == ("skipped", True), describe(outcome)
    assert await rig.placed() == []
    assert await rig.position() == {"Buy": PRIOR}


@pytest.mark.parametrize("pyramiding", [False, True], ids=["single", "pyramiding"])
@pytest.mark.parametrize("kind", ["bybit", "paper"])
async def test_on_spot_a_sell_that_leaves_the_strategy_long_never_buys_more(
        make_rig: RigFactory, kind: str, pyramiding: bool) -> None:
    rig = await make_rig(kind, market_type="spot", pyramiding=pyramiding)
    assert (await rig.send("buy")).kind == "bought"
    held = await rig.orders.holding(USER, rig.settings.account_type, "BTCUSDT")

    outcome = await alert(rig, {"action": "sell", "position": "long"})

    assert (outcome.status, outcome.kind, outcome.kept) == ("done", "skipped", True)
    assert len(await rig.placed()) == 1
    assert await rig.orders.holding(USER, rig.settings.account_type, "BTCUSDT") == held
    line = describe(outcome)
    assert "still long" in line and "pyramiding" not in line, line


@pytest.mark.parametrize("kind", ["bybit", "paper"])
async def test_on_spot_a_sell_that_leaves_a_flat_account_long_buys(
        make_rig: RigFactory, kind: str) -> None:
    rig = await make_rig(kind, market_type="spot")

    outcome = await alert(rig, {"action": "sell", "position": "long"})

    assert (outcome.kind, [p.side for p in await rig.placed()]) == ("bought", ["Buy"])


@pytest.mark.parametrize(("kind", "mode"), BACKENDS, ids=BACKEND_IDS)
@pytest.mark.parametrize("prior", ["flat", "other", "long", "both"])
async def test_with_new_entries_paused_a_partial_exit_is_refused_only_if_it_would_open(
        make_rig: RigFactory, kind: str, mode: str, prior: str) -> None:
    """The intake lets a `position`-turned signal through the entries pause (it cannot see
    the account): one that would open, alone or after a close, changes nothing."""
    if prior == "both" and mode != "hedge":
        pytest.skip("both sides open only in hedge mode")
    rig = await make_rig(kind, mode=mode)
    held = {"flat": {}, "other": {"Sell": PRIOR}, "long": {"Buy": PRIOR},
            "both": {"Buy": PRIOR, "Sell": PRIOR}}[prior]
    for side, size in held.items():
        await rig.seed_position(side, str(size))
    rig.configure(entries_paused=True)

    outcome = await alert(rig, {"action": "sell", "position": "long"})

    if prior in ("flat", "other"):  # it would open a long
        assert (outcome.status, outcome.failure.code) == ("failed", "entries_paused"), \
            describe(outcome)
        assert "new entries are paused" in describe(outcome)
        assert await rig.placed() == []
        assert await rig.position() == held
    elif prior == "long":
        assert (outcome.kind, outcome.kept) == ("skipped", True), describe(outcome)
        assert await rig.placed() == []
    else:  # hedge, both sides: the short closes as a buy's does; nothing is added
        assert outcome.kind == "closed", describe(outcome)
        assert await rig.position() == {"Buy": PRIOR}


@pytest.mark.parametrize("kind", ["bybit", "paper"])
async def test_on_spot_with_new_entries_paused_a_partial_exit_buys_nothing(
        make_rig: RigFactory, kind: str) -> None:
    rig = await make_rig(kind, market_type="spot")
    rig.configure(entries_paused=True)

    outcome = await alert(rig, {"action": "sell", "position": "long"})

    assert (outcome.status, outcome.failure.code) == ("failed", "entries_paused")
    assert await rig.placed() == []
