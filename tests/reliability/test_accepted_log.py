"""An accepted alert is one log line that tells its whole intake, with secrets masked at the
source (the line skips the redaction pass every other line takes)."""

from __future__ import annotations

import re
from pathlib import Path

import aiohttp

from tests.fakes.bybit import FakeBybit
from tests.reliability.harness import Deployment

LEGACY_SECRET = "legacy-shared-secret-7f3a"


async def test_an_accepted_alert_is_one_line_with_received_settings_and_queued(
        tmp_path: Path, fake_bybit: FakeBybit, http: aiohttp.ClientSession) -> None:
    # A registered secret (the legacy route's, registered at start like the bot token).
    deployment = Deployment(tmp_path, fake_bybit, None,
                            legacy_webhook={"enabled": False, "secret": LEGACY_SECRET})
    token = await deployment.add_trader(4242)
    await deployment.start()
    assert deployment.process is not None
    try:
        first = await deployment.post(http, 4242, token, {
            "symbol": "BTCUSDT", "action": "buy", "price": 50000, "qty": "0.01",
            "id": "entry-1"})
        # An `id` quoting the webhook token or a registered secret is masked in the line.
        leaky = await deployment.post(http, 4242, token, {
            "symbol": "BTCUSDT", "action": "close", "id": f"oops-{token}-{LEGACY_SECRET}"})
        repeat = await deployment.post(http, 4242, token, {
            "symbol": "BTCUSDT", "action": "buy", "price": 50000, "qty": "0.01",
            "id": "entry-1"})
        for answer in (first, leaky):
            await deployment.wait_final(answer["signal_id"])
    finally:
        assert await deployment.stop() == 0
    log = deployment.process.log
    [line] = [x for x in log.splitlines()
              if f"signal={first['signal_id']} user=4242 received " in x]
    assert re.search(
        rf"signal={first['signal_id']} user=4242 received route=personal ip=127\.0\.0\.1 "
        r"symbol=BTCUSDT action=buy position=None price=50000 qty=0\.01 amount=None "
        r"leverage=None qty_percent=None id=entry-1; user active; settings market=futures "
        r"account=demo amount=\d+ leverage=\d+; queued$", line), line
    # Execution keeps its own lines, each with signal= user= for grep.
    story = [x for x in log.splitlines() if f"signal={first['signal_id']} " in x]
    assert len(story) >= 2 and any(" executed" in x for x in story), story
    [leaked] = [x for x in log.splitlines()
                if f"signal={leaky['signal_id']} user=4242 received " in x]
    assert "id=oops-***-***; user active" in leaked, leaked
    assert token not in log and LEGACY_SECRET not in log
    [duplicate] = [x for x in log.splitlines()
                   if f"signal={repeat['signal_id']} user=4242 received " in x]
    assert (f"id=entry-1; duplicate of signal={first['signal_id']}" in duplicate
            and "not executed again" in duplicate), duplicate
