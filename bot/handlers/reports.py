"""Format signal reports for Telegram."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.db import SignalRecord
from bot.notify import escape
from bot.trading.processor import SignalReport

if TYPE_CHECKING:
    from bot.app import Service


def report_from_record(record: SignalRecord) -> SignalReport:
    summary = record.result or record.error or record.status
    return SignalReport(record.id, record.user_id, record.route, record.signal, record.status,
                        record.status, summary, error_code=record.error_code)


async def format_report(service: Service, report: SignalReport) -> list[tuple[int, str]]:
    """Return (chat_id, HTML text) pairs for a report."""
    return [(report.user_id, escape(f"Signal {report.signal_id}: {report.summary}"))]
