"""The dashboard's words in English and Arabic, and which language a visitor gets.

Kept beside the page rather than in the Telegram catalog: these are labels of a web page (and of
the /chart picture). The page is `dir="rtl"` in Arabic and puts every value in an LTR span; a
command written in an Arabic string sits in an isolate (U+2066 … U+2069), as in messages.
A signal's reason is written in the page's language from the journal's data
(bot/i18n/results.py); a row from before that was kept has only its English line.
"""

from __future__ import annotations

from bot.models import User

RTL = frozenset({"ar"})

CATALOG: dict[str, dict[str, str]] = {
    "en": {
        "title": "Trading dashboard",
        "connecting": "Connecting…",
        "live": "Live",
        "reconnecting": "Reconnecting…",
        "link_invalid": ("This dashboard link does not work (it was revoked, or is not "
                         "complete): send /dashboard to the bot for a new one."),
        "link_expired": ("This dashboard link has expired: send /dashboard to the bot for a "
                         "new one."),
        "link_missing": "This address needs its link's key: send /dashboard to the bot for a link.",
        "link_old": ("The dashboard no longer opens with your webhook token (that token can "
                     "trade): send /dashboard to the bot for a new, read-only link."),
        "denied_title": "Dashboard link",
        "settings": "Settings",
        "market": "Market",
        "account": "Account",
        "amount": "Amount (USDT)",
        "leverage": "Leverage",
        "trading": "Trading",
        "running": "On",
        "paused": "Paused (/resume)",
        "inactive": "Waiting for an admin's approval",
        "balance": "Paper balance (USDT)",
        "futures": "Futures",
        "spot": "Spot",
        "paper": "Paper",
        "demo": "Bybit demo",
        "real": "Bybit real",
        "positions": "Open positions",
        "no_positions": "No open positions.",
        "positions_loading": "Reading positions from Bybit…",
        "positions_unavailable": "Bybit could not be reached, so positions are not shown now.",
        "symbol": "Symbol",
        "side": "Side",
        "size": "Size",
        "entry_price": "Entry price",
        "mark_price": "Mark price",
        "upnl": "Unrealised PnL (USDT)",
        "pnl_chart": "Realised PnL after fees (USDT)",
        "price_chart": "Price and trades",
        "no_trades": "No trades yet.",
        "no_prices": "No prices for this symbol yet.",
        "pnl": "PnL after fees",
        "price": "Price",
        "entry": "Entry",
        "exit": "Exit",
        "signals": "Last signals",
        "orders": "Recent orders",
        "no_signals": "No signals yet: send an alert to your webhook URL (/webhook).",
        "no_orders": "No orders yet.",
        "time": "Time",
        "action": "Action",
        "status": "Status",
        "reason": "What happened",
        "qty": "Qty",
        "fee": "Fee",
        "action_buy": "Buy",
        "action_long": "Long",
        "action_sell": "Sell",
        "action_short": "Short",
        "action_close": "Close",
        "action_exit": "Exit",
        "action_stop": "Close",
        "action_flat": "Flat",
        "action_close_long": "Close long",
        "action_close_short": "Close short",
        "action_partial_close": "Partial close",
        "action_close_partial": "Partial close",
        "action_set_stop": "Set stop",
        "action_break_even": "Break-even",
        "action_set_trailing": "Trailing stop",
        "Buy": "Buy",
        "Sell": "Sell",
        "long": "Long",
        "short": "Short",
        "status_queued": "Queued",
        "status_processing": "Executing",
        "status_done": "Done",
        "status_failed": "Failed",
        "status_rejected": "Rejected",
        "status_expired": "Expired",
        "status_duplicate": "Duplicate",
        "status_awaiting": "Waiting for your confirmation",
        "status_skipped": "Skipped",
        "order_filled": "Filled",
        "order_partial": "Partly filled",
        "order_placed": "Placed",
        "order_failed": "Failed",
        "plan": "Plan",
        "plan_stop": "Stop {price}",
        "plan_stop_moved": "Stop at break-even {price}",
        "plan_take_profit": "Take-profit {price}",
        "plan_target": "TP {n} of {of}: {qty} at {price}",
        "plan_filled": "filled",
        "plan_trailing": "Trailing stop {distance}",
        "plan_trailing_from": "Trailing stop {distance} from {price}",
        "plan_be_after": "Break-even after TP {n}",
        "plan_be_moved": "Moved to break-even after TP {n}",
        "chart_target": "TP",
        "chart_take_profit": "TP",
        "chart_stop": "SL",
        "chart_break_even": "SL at break-even",
        "position_events": "Position events",
        "event_target_filled": "TP {n} of {of} filled: {qty} at {price}",
        "event_pnl": "PnL {pnl} after fees",
        "event_stop_moved": "stop moved to {price}",
        # the /chart picture (bot/web/charts.py)
        "chart_pnl_title": "Realised PnL after fees — {account}",
        "chart_pnl_total": "Realised PnL after fees — {account}: {total}",
        "chart_time": "Time (UTC)",
        "chart_price_title": "{symbol}: price and trades",
        "chart_entry_long": "Entry long",
        "chart_entry_short": "Entry short",
        "chart_target_filled": "TP filled",
    },
    "ar": {
        "title": "لوحة التداول",
        "connecting": "جارٍ الاتصال…",
        "live": "مباشر",
        "reconnecting": "جارٍ إعادة الاتصال…",
        "link_invalid": ("رابط لوحة المتابعة هذا لا يعمل (أُلغي أو أنه غير كامل): أرسل "
                         "\u2066/dashboard\u2069 إلى البوت لتحصل على رابط جديد."),
        "link_expired": ("انتهت صلاحية رابط لوحة المتابعة هذا: أرسل \u2066/dashboard\u2069 "
                         "إلى البوت لتحصل على رابط جديد."),
        "link_missing": ("هذا العنوان يحتاج إلى مفتاح الرابط: أرسل \u2066/dashboard\u2069 "
                         "إلى البوت لتحصل على رابط."),
        "link_old": ("لم تعد لوحة المتابعة تُفتح برمز الويب هوك (فهذا الرمز يستطيع التداول): "
                     "أرسل \u2066/dashboard\u2069 إلى البوت لتحصل على رابط جديد للقراءة فقط."),
        "denied_title": "رابط لوحة المتابعة",
        "settings": "الإعدادات",
        "market": "السوق",
        "account": "الحساب",
        "amount": "المبلغ (USDT)",
        "leverage": "الرافعة",
        "trading": "التداول",
        "running": "يعمل",
        "paused": "متوقف مؤقتًا (\u2066/resume\u2069)",
        "inactive": "بانتظار موافقة المشرف",
        "balance": "رصيد المحاكاة (USDT)",
        "futures": "العقود الآجلة",
        "spot": "التداول الفوري",
        "paper": "محاكاة",
        "demo": "تجريبي على Bybit",
        "real": "حقيقي على Bybit",
        "positions": "المراكز المفتوحة",
        "no_positions": "لا توجد مراكز مفتوحة.",
        "positions_loading": "جارٍ قراءة المراكز من Bybit…",
        "positions_unavailable": "تعذّر الوصول إلى Bybit، لذلك لا تظهر المراكز الآن.",
        "symbol": "الرمز",
        "side": "الاتجاه",
        "size": "الحجم",
        "entry_price": "سعر الدخول",
        "mark_price": "سعر العلامة",
        "upnl": "النتيجة غير المحققة (USDT)",
        "pnl_chart": "الربح والخسارة المحققة بعد الرسوم (USDT)",
        "price_chart": "السعر والصفقات",
        "no_trades": "لا توجد صفقات بعد.",
        "no_prices": "لا توجد أسعار لهذا الرمز بعد.",
        "pnl": "الربح/الخسارة بعد الرسوم",
        "price": "السعر",
        "entry": "دخول",
        "exit": "خروج",
        "signals": "آخر الإشارات",
        "orders": "آخر الأوامر",
        "no_signals": ("لا توجد إشارات بعد: أرسل تنبيهًا إلى رابط الويب هوك الخاص بك "
                       "(\u2066/webhook\u2069)."),
        "no_orders": "لا توجد أوامر بعد.",
        "time": "الوقت",
        "action": "الإجراء",
        "status": "الحالة",
        "reason": "ما حدث",
        "qty": "الكمية",
        "fee": "الرسوم",
        "action_buy": "شراء",
        "action_long": "شراء",
        "action_sell": "بيع",
        "action_short": "بيع",
        "action_close": "إغلاق",
        "action_exit": "إغلاق",
        "action_stop": "إغلاق",
        "action_flat": "بلا مركز",
        "action_close_long": "إغلاق مركز الشراء",
        "action_close_short": "إغلاق مركز البيع",
        "action_partial_close": "إغلاق جزئي",
        "action_close_partial": "إغلاق جزئي",
        "action_set_stop": "ضبط وقف الخسارة",
        "action_break_even": "نقل الوقف إلى التعادل",
        "action_set_trailing": "وقف متحرك",
        "Buy": "شراء",
        "Sell": "بيع",
        "long": "شراء",
        "short": "بيع",
        "status_queued": "في الانتظار",
        "status_processing": "قيد التنفيذ",
        "status_done": "نُفّذت",
        "status_failed": "فشلت",
        "status_rejected": "مرفوضة",
        "status_expired": "منتهية",
        "status_duplicate": "مكررة",
        "status_awaiting": "بانتظار تأكيدك",
        "status_skipped": "تم تخطيها",
        "order_filled": "منفّذ",
        "order_partial": "منفّذ جزئيًا",
        "order_placed": "مُرسل",
        "order_failed": "فشل",
        "plan": "الخطة",
        "plan_stop": "وقف الخسارة {price}",
        "plan_stop_moved": "وقف الخسارة عند التعادل {price}",
        "plan_take_profit": "جني الأرباح {price}",
        "plan_target": "الهدف {n} من {of}: {qty} عند {price}",
        "plan_filled": "نُفّذ",
        "plan_trailing": "وقف متحرك {distance}",
        "plan_trailing_from": "وقف متحرك {distance} يبدأ عند {price}",
        "plan_be_after": "نقل الوقف إلى التعادل بعد الهدف {n}",
        "plan_be_moved": "نُقل الوقف إلى التعادل بعد الهدف {n}",
        "chart_target": "هدف",
        "chart_take_profit": "جني الأرباح",
        "chart_stop": "وقف الخسارة",
        "chart_break_even": "وقف عند التعادل",
        "position_events": "أحداث المراكز",
        "event_target_filled": "نُفّذ الهدف {n} من {of}: {qty} عند {price}",
        "event_pnl": "الربح/الخسارة بعد الرسوم {pnl}",
        "event_stop_moved": "نُقل وقف الخسارة إلى {price}",
        "chart_pnl_title": "الربح والخسارة المحققة بعد الرسوم — {account}",
        "chart_pnl_total": "الربح والخسارة المحققة بعد الرسوم — {account}: {total}",
        "chart_time": "الوقت (UTC)",
        "chart_price_title": "السعر والصفقات: {symbol}",
        "chart_entry_long": "دخول شراء",
        "chart_entry_short": "دخول بيع",
        "chart_target_filled": "هدف منفّذ",
    },
}

DEFAULT_LANGUAGE = "en"


def _code(value: str | None) -> str | None:
    if not value:
        return None
    return value.strip().lower().replace("_", "-").split("-")[0] or None


def pick_language(requested: str | None, user: User) -> str:
    """The page's language: `?lang=`, else the one chosen with /language, else Telegram's."""
    for candidate in (requested, user.language, user.telegram_language):
        code = _code(candidate)
        if code in CATALOG:
            return code
    return DEFAULT_LANGUAGE


def visitor_language(requested: str | None, accept_language: str | None) -> str:
    """A stranger's language (a refused link): `?lang=`, else the browser's Accept-Language,
    else English — never the account's own, which a refusal must not reveal."""
    candidates: list[str | None] = [requested]
    for part in (accept_language or "").split(",")[:10]:
        tag, _, quality = part.strip().partition(";q=")
        if quality.strip() not in ("0", "0.0", "0.00", "0.000"):
            candidates.append(tag)
    for candidate in candidates:
        found = _code(candidate)
        if found in CATALOG:
            return found
    return DEFAULT_LANGUAGE


def strings(language: str) -> dict[str, str]:
    return CATALOG.get(language, CATALOG[DEFAULT_LANGUAGE])


def direction(language: str) -> str:
    return "rtl" if language in RTL else "ltr"
