"""A signal's result is data until it is written for one reader: the report rebuilt from the
journal after a restart, `/trades`' line and the dashboard's row say what the live report and
the live event said — in English and in Arabic."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from decimal import Decimal

import aiohttp

from bot.app import Service
from bot.config import Config
from bot.handlers.reports import render, report_from_record
from bot.i18n.errors import for_page
from bot.i18n.numbers import pnl_text, usdt
from bot.i18n.results import record_line, result_line
from bot.outcomes import PositionEvent, Reporter, SignalFinished
from bot.web.dashboard import signal_row
from bot.web.feed import finished_frame
from tests.fakes.telegram import FakeTelegram
from tests.fakes.telegram_records import as_read
from tests.telegram.conftest import Person, post_signal, register, webhook_url

ALERTS = [
    # an opening with a ladder whose first target is too small: placed merged, with a note
    {"symbol": "BTCUSDT", "action": "buy", "price": 50000, "stop_loss": "2%",
     "tps": [{"price": 51000, "qty_percent": 1}, {"price": 52000}]},
    {"symbol": "BTCUSDT", "action": "close", "price": 50100},  # a PnL after fees
    {"symbol": "DOGEUSDT", "action": "buy", "price": 0.1},  # not traded on Bybit futures
    {"symbol": "BTCUSDT", "action": "buy", "price": 50000, "amount": 1},  # below the minimum
]


class Tap:
    """The notifier, with a copy of every report handed to it."""

    def __init__(self, reporter: Reporter) -> None:
        self.reporter = reporter
        self.reports: list[SignalFinished] = []

    def report(self, report: SignalFinished) -> None:
        self.reports.append(report)
        self.reporter.report(report)

    def report_event(self, event: PositionEvent) -> None:
        self.reporter.report_event(event)


async def test_a_report_rebuilt_after_a_restart_reads_as_the_live_one(
        telegram_config: Callable[..., Config],
        start_service: Callable[[Config], Awaitable[Service]], fake_telegram: FakeTelegram,
        http: aiohttp.ClientSession, trader: Person, admin: Person) -> None:
    config = telegram_config()
    first = Service(config)
    await first.start()
    try:
        await fake_telegram.wait_for_call("getUpdates")
        await register(trader, admin)
        user = await first.users.get_user(trader.id)
        assert user is not None
        tap = Tap(first.processor.reporter)
        first.processor.reporter = tap
        mark = fake_telegram.mark()
        before = (await first.handlers_facade.balance(user.id, "paper")).total
        ids = []
        for alert in ALERTS:
            status, answer = await post_signal(http, first, webhook_url(first, user), alert)
            assert status == 200, answer
            ids.append(answer["signal_id"])
            await fake_telegram.wait_for_message(trader.id, f"signal #{ids[-1]}\\b", since=mark)
        assert first.bot is not None
        await first.bot.notifier.join()
        sent = {signal_id: (await fake_telegram.wait_for_message(
            trader.id, f"signal #{signal_id}\\b", since=mark)).text for signal_id in ids}
        gained = (await first.handlers_facade.balance(user.id, "paper")).total - before
    finally:
        await first.stop()

    live = {report.signal_id: report for report in tap.reports}
    assert sorted(live) == ids
    assert [live[i].status for i in ids] == ["done", "done", "failed", "failed"]
    assert [live[i].outcome.failure.key if live[i].outcome.failure else None
            for i in ids] == [None, None, "unknown_symbol.market", "below_minimum.alert_amount"]
    assert live[ids[0]].outcome.exit_notes  # the merged targets are said
    # The close says what the balance gained over the trade: its PnL after both fees.
    [closing] = live[ids[1]].outcome.legs
    assert closing.pnl_after_fee is not None and closing.fees > 0
    assert abs(closing.pnl_after_fee - gained) < Decimal("0.000001")
    assert f"PnL after fees: {pnl_text('en', gained)} (fees {usdt(closing.fees)})" in \
        render(live[ids[1]], "en")

    again = await start_service(config)
    for signal_id in ids:
        record = await again.journal.get(signal_id)
        assert record is not None and record.outcome_json is not None
        rebuilt = report_from_record(record)
        assert render(rebuilt, "en") == render(live[signal_id], "en") == sent[signal_id]
        assert render(rebuilt, "ar") == render(live[signal_id], "ar")
        for lang in ("en", "ar"):
            line = result_line(lang, live[signal_id].outcome)
            assert record_line(lang, record) == line  # /trades
            shown = for_page(lang, line)
            assert signal_row(record, lang)["reason"] == shown  # the dashboard's table
            assert finished_frame(live[signal_id], lang)["reason"] == shown  # its live frame
    record = await again.journal.get(ids[3])
    assert record is not None
    arabic = as_read(render(report_from_record(record), "ar"))
    assert "السبب:" in arabic and "أقل من الحد الأدنى لدى Bybit" in arabic
    assert '("amount": 5 في التنبيه)' in arabic  # the fix, as typed
