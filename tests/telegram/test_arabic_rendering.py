"""DESIGN §13, enforced by `t` itself: every Arabic message — every catalog entry and every kind
of notification — has each line start with an Arabic letter or U+200F, and every run of Latin
letters, digits, `/`, `+` or `-` sits in a left-to-right isolate (U+2066 … U+2069)."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from decimal import Decimal as D
from types import SimpleNamespace
from typing import Any

import pytest

from bot.db.orders import OrderRecord
from bot.errors import Failure
from bot.handlers.common import action_text
from bot.handlers.position_events import format_position_event
from bot.handlers.reports import render
from bot.handlers.views import INDICATOR_TEMPLATE, STRATEGY_TEMPLATE
from bot.i18n import CATALOGS, Html, placeholders, t
from bot.i18n.bidi import right_to_left
from bot.i18n.numbers import duration, pnl_text
from bot.outcomes import Outcome, PositionEvent, SignalFinished
from bot.plans import ResolvedExits, TargetOrder
from bot.signals import Signal
from bot.vocabulary import (
    AccountType,
    Category,
    Leg,
    MarketType,
    OrderStatus,
    OutcomeKind,
    Side,
    SignalStatus,
)
from tests.telegram.rules import LRI, PDI, RLM, assert_right_to_left


def samples(lang: str) -> dict[str, object]:
    """A value for every placeholder of the catalogs, as the handlers pass them."""
    return {
        "account": t(lang, "account.demo"), "action": action_text(lang, "close_long"),
        "active": 3, "admin": "Sara", "admins": 1, "all": "/pause all", "allowed": "en, ar",
        "amount": "1,000", "available": "9,876.54", "backlog": 0, "be": "/set be 2",
        "be_off": "/set be off", "cancel": "/cancel",
        "cap": "100,000", "close": "/close BTCUSDT", "command": "/set market futures",
        "count": 12, "days": duration(lang, 7, "day"), "demo": "✅", "demo_keys": "✅",
        "depth": 2, "description": t(lang, "cmd.set"),
        "detail": Html("\n" + "Bybit refused: insufficient balance (110007)."),
        "distance": "500", "entries": "/pause entries", "entry": "50,000.00",
        "example": "/set tp 1%,2%", "exits": t(lang, "exits.stop", level="2%"),
        "extras": "BTCUSDT", "fees": "2.71 USDT", "fields": "sl, tp, tps, trailing, be_after",
        "filled": t(lang, "plan.filled"), "first": duration(lang, 2, "day"), "given": "abc",
        "held": duration(lang, 3, "hour"), "id": 42, "indicator": INDICATOR_TEMPLATE,
        "ladder": "/set tp 1%,2%,3%", "last": 10, "level": "2%", "levels": "1%, 2%, 3%",
        "leverage": 10, "lifetime": duration(lang, 1, "day"), "liq": "45,000.00",
        "mark": "50,500.00", "market": t(lang, "market.futures"), "masked": "KeyA…", "max": 10,
        "menu": "/settings", "minimum": "0.001 BTC", "minutes": duration(lang, 3, "minute"),
        "n": 2, "name": "Sara", "named": "/set tz Asia/Riyadh", "need": 3,
        "net": pnl_text(lang, D("20.29")), "note": "target 3 merged into target 2", "of": 3,
        "off": "/set sl off", "one": "/set tp 2%", "others": "/set tp off",
        "outcomes": "done 3", "part": "/close BTCUSDT 50", "pct": "+10.00%",
        "percent": "/trail BTCUSDT 1%", "period": t(lang, "profit.all_time"),
        "pnl": pnl_text(lang, D("-12.35")), "price": "50,000.00",
        "pyramiding": t(lang, "switch.on"), "qty": "0.02", "range": "1…2", "rate": "50%",
        "real": "—", "real_keys": "—",
        "reason": "Bybit refused the order: insufficient balance (110007)",
        "resume": "/resume", "running": 1, "second": duration(lang, 5, "minute"),
        "share": "50%", "shares": "25, 50, 75 %", "side": t(lang, "side.long"),
        "signal": "#42", "signals": 7, "size": "0.02", "sl": "/set sl 2%", "start": "",
        "status": t(lang, "status.done"), "strategy": STRATEGY_TEMPLATE,
        "summary": "opened long 0.02 BTCUSDT at 50000", "symbol": "BTCUSDT",
        "total": "10,000.00", "tp": "/set tp 1%,2%", "trades": "/trades",
        "trading": t(lang, "settings.trading"), "trailing": "/set trailing 1%", "tz": "UTC+3",
        "url": "https://bot.example/personal/5001/webhook?token=abc&x=1",
        "usage": " [demo|real <api_key> <api_secret>]", "usdt": "1,234.5", "value": "10",
        "waiting": 2, "webhook": "/webhook", "what": "buy BTCUSDT", "when": "05-01 12:00",
        "whole": "/close BTCUSDT", "wins": 2,
    }


def test_every_arabic_message_follows_the_rules_with_the_same_placeholders() -> None:
    arabic, english, values = CATALOGS["ar"], CATALOGS["en"], samples("ar")
    for key, template in arabic.items():
        assert placeholders(template) == placeholders(english[key]), key
        given = {name: values.get(name, "12.5") for name in placeholders(template)}
        text = t("ar", key, **given)
        assert_right_to_left(text, key)
        assert right_to_left(text) == text, f"{key}: the rules are not stable"
    for key, template in english.items():  # English takes the same values, and no marks
        text = t("en", key, **{name: samples("en").get(name, "12.5")
                               for name in placeholders(template)})
        assert LRI not in text and RLM not in text, key


def test_commands_in_arabic_text_are_isolated_and_code_copies_clean() -> None:
    text = t("ar", "set.need_keys", account="demo", name=t("ar", "account.demo"))
    assert f"{LRI}<code>/keys demo &lt;api_key&gt; &lt;api_secret&gt;</code>{PDI}" in text
    assert f"{LRI}API{PDI}" in text  # the literal text of the catalog, too
    url = "https://bot.example/personal/1/webhook?token=abc"
    webhook = t("ar", "webhook.text", url=url, indicator="{}", strategy="{}")
    assert f"{RLM}{LRI}<code>{url}</code>{PDI}" in webhook  # tapping it copies the bare URL
    assert t("ar", "set.done_leverage", value=5) == f"تم ضبط الرافعة على {LRI}5x{PDI}."
    assert t("ar", "admin.users_title", first=1, last=10, total=25) == (
        f"{RLM}👥 <b>المستخدمون {LRI}1–10{PDI} من {LRI}25{PDI}</b>")
    assert t("en", "set.done_leverage", value=5) == "Leverage set to 5x."


def test_help_lines_start_with_the_arabic_description_then_the_command() -> None:
    line = t("ar", "help.line", command=Html("/keys"), usage=" [demo|real <api_key>]",
             description=Html(t("ar", "cmd.keys")))
    assert line.startswith("حفظ مفاتيح")
    assert line.endswith(f" — {LRI}/keys [demo|real &lt;api_key&gt;]{PDI}")


def test_an_english_sentence_in_an_arabic_message_is_one_isolate_with_its_full_stop() -> None:
    text = t("ar", "report.reason", reason="Insufficient balance.")
    assert text == f"السبب: {LRI}Insufficient balance.{PDI}"
    detail = t("ar", "error.reason", reason="not enough margin: lower /set amount.")
    assert detail == f"{RLM}{LRI}⚠️ not enough margin: lower /set amount.{PDI}"


# --- every kind of notification -------------------------------------------------------------

def leg(**overrides: Any) -> OrderRecord:
    values: dict[str, Any] = dict(
        signal_id=7, user_id=1, leg=Leg.OPEN, order_link_id="x-7-o",
        account_type=AccountType.DEMO, category=Category.LINEAR, symbol="ETHUSDT",
        side=Side.SELL, qty=D("0.30"), reduce_only=False, status=OrderStatus.FILLED,
        leverage=3, filled_qty=D("0.300"), avg_price=D("3000.50"))
    values.update(overrides)
    return OrderRecord(**values)


EXITS = ResolvedExits(
    side=Side.SELL, entry=D("3000.5"), qty=D("0.3"), stop_loss=D("3060.5"),
    take_profit=D("2900"), targets=(TargetOrder(1, D("2950"), D("0.15"), (1,)),
                                    TargetOrder(2, D("2900"), D("0.15"), (2, 3))),
    trailing=D("30"), activation=D("2980"), be_after=1)
OPENED = Outcome(SignalStatus.DONE, OutcomeKind.OPENED, "ETHUSDT", "sell", AccountType.DEMO,
                 MarketType.FUTURES, legs=(leg(),), leverage=3, exits=EXITS,
                 exit_notes=(Failure("exits", "exits.merged", {
                     "targets": "2, 3", "minimum": D("0.1"), "qty": D("0.15"),
                     "price": D("2900")}),))
CLOSING = leg(leg=Leg.CLOSE_SHORT, side=Side.BUY, reduce_only=True, leverage=None,
              realised_pnl=D("-12.346"))
SPOT = leg(category=Category.SPOT, leg=Leg.SPOT_BUY, side=Side.BUY, leverage=None)


def report(outcome: Outcome, **overrides: Any) -> SignalFinished:
    values: dict[str, Any] = dict(
        signal_id=7, user_id=1, route="personal", signal=Signal("ETHUSDT", "sell"),
        outcome=outcome)
    values.update(overrides)
    return SignalFinished(**values)


def failed(failure: Failure, status: SignalStatus = SignalStatus.FAILED) -> SignalFinished:
    return report(Outcome(status, OutcomeKind.FAILED, "ETHUSDT", "sell", failure=failure))


REPORTS = {
    "done": report(OPENED),
    "reversed": report(replace(OPENED, kind=OutcomeKind.REVERSED, legs=(CLOSING, leg()))),
    "closed": report(replace(OPENED, kind=OutcomeKind.CLOSED, legs=(CLOSING,), exits=None,
                             exit_notes=()), signal=Signal("ETHUSDT", "close_short")),
    "bought": report(replace(OPENED, kind=OutcomeKind.BOUGHT, legs=(SPOT,), exits=None,
                             market=MarketType.SPOT), signal=Signal("ETHUSDT", "buy")),
    "sold": report(replace(OPENED, kind=OutcomeKind.SOLD, exits=None,
                           legs=(replace(SPOT, side=Side.SELL, leg=Leg.SPOT_SELL),))),
    "widened": report(replace(OPENED, kind=OutcomeKind.CLOSED, legs=(CLOSING,), exits=None,
                              exit_notes=(), close_share=D(80), closed_all_instead=True),
                      signal=Signal("ETHUSDT", "partial_close")),
    "failed": failed(Failure("insufficient_balance", "insufficient_balance.margin",
                             {"account": "demo"})),
    "failed_unknown": failed(Failure("exchange_refused", params={
        "reply": "Bybit refused: <x> & (110007).", "bybit_code": 110007})),
    "expired": failed(Failure("expired", params={"max_age": 30}), SignalStatus.EXPIRED),
    "expired_opened": report(Outcome(  # an opening found at Bybit after a restart
        SignalStatus.EXPIRED, OutcomeKind.EXPIRED, "ETHUSDT", legs=(leg(leverage=None),),
        failure=Failure("expired", params={"max_age": 30}))),
    "skipped": report(replace(OPENED, kind=OutcomeKind.SKIPPED, legs=(), held=D("0.3"),
                              held_side=Side.SELL, exits=None, exit_notes=())),
    "kept": report(replace(OPENED, kind=OutcomeKind.SKIPPED, legs=(), held=D("0.3"),
                           held_side=Side.SELL, kept=True, exits=None, exit_notes=()),
                   signal=Signal("ETHUSDT", "sell", position="short", position_turned=True)),
    "nothing": report(replace(OPENED, kind=OutcomeKind.NOTHING_TO_CLOSE, legs=(),
                              exits=None, exit_notes=()), signal=Signal("ETHUSDT", "close")),
    "protected": report(replace(OPENED, kind=OutcomeKind.PROTECTED, legs=(), exits=None,
                                exit_notes=(), stop_loss=D("3000.5"), trailing=D("25")),
                        signal=Signal("ETHUSDT", "break_even")),
    "journal": report(Outcome(SignalStatus.DONE, OutcomeKind.CLOSED, "ETHUSDT"),
                      stored_line="closed long 0.02 BTCUSDT at 50100 [paper]"),
    "legacy": report(OPENED, route="legacy"),
    "telegram": report(OPENED, route="telegram", signal=Signal("ETHUSDT", "partial_close")),
    **{route: report(replace(OPENED, kind=OutcomeKind.CLOSED, legs=(CLOSING,), exits=None,
                             exit_notes=()), route=route,
                     signal=Signal("ETHUSDT", "close", price=D("2950.25")))
       for route in ("take_profit", "stop_loss", "trailing_stop")},
}


@pytest.mark.parametrize("kind", list(REPORTS))
def test_every_report_kind_follows_the_rules_in_arabic(kind: str) -> None:
    text = render(REPORTS[kind], "ar")
    assert_right_to_left(text, kind)
    assert not re.search(r"\b(sell|buy|close|short|long)\b", html.unescape(
        re.sub(f"{LRI}[^{PDI}]*{PDI}", "", text))), f"{kind}: an English action word: {text!r}"


def test_reports_name_the_action_and_the_pnl_in_words() -> None:
    reversed_ar = render(REPORTS["reversed"], "ar")
    assert reversed_ar.splitlines()[0] == f"{RLM}✅ <b>{LRI}ETHUSDT{PDI}</b> · بيع · الإشارة " \
        f"{LRI}#7{PDI}"
    assert f"· بعد خصم الرسوم: خسارة {LRI}−12.35 USDT{PDI} (الرسوم {LRI}0.00 USDT{PDI})" \
        in reversed_ar
    assert f"بسعر {LRI}3,000.5{PDI}" in reversed_ar
    reversed_en = render(REPORTS["reversed"], "en")
    assert "Closed short 0.3 ETHUSDT at 3,000.5 · PnL after fees: loss −12.35 USDT" in reversed_en
    assert "· إغلاق مركز البيع ·" in render(REPORTS["closed"], "ar")
    assert "· close short ·" in render(REPORTS["closed"], "en")


class Readers:
    """The one thing format_position_event asks the facade: who reads, in what language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    async def user(self, user_id: int) -> SimpleNamespace:
        return SimpleNamespace(language=self.lang, telegram_language=None)


@pytest.mark.parametrize("pnl", [D("24.5"), D("-3"), D(0), None])
async def test_position_events_follow_the_rules_in_arabic(pnl: D | None) -> None:
    event = PositionEvent(1, AccountType.PAPER, "BTCUSDT", "target_filled", 7, 1, 2,
                          D("0.01"), D("50500"), pnl, stop_moved_to=D("50000"))
    [(chat, text)] = await format_position_event(Readers("ar"), event)  # type: ignore[arg-type]
    assert chat == 1
    assert_right_to_left(text, "position event")
    assert f"{LRI}50,500{PDI}" in text
    if pnl is not None and pnl > 0:
        assert f"ربح {LRI}+24.50 USDT{PDI}" in text
    [(_, english)] = await format_position_event(Readers("en"), event)  # type: ignore[arg-type]
    assert "target 1 of 2 filled — 0.01 at 50,500" in english
