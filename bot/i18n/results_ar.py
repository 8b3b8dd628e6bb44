"""أسطر النتائج العربية التي يعرضها /trades ولوحة المتابعة، والكلمات التي تأخذها الجمل من
القيم، وأسطر تيليجرام التي تقول إن الربح أو الخسارة بعد الرسوم.

Plain text with the same keys and placeholders as `results_en.py` (HTML for `report.*` and
`event.*`); Latin text written here sits in left-to-right isolates (`_c`).
"""


def _c(text: str) -> str:
    """Latin text in a left-to-right isolate."""
    return f"\u2066{text}\u2069"


WORDS: dict[str, str] = {
    "word.buy": "الشراء",
    "word.sell": "البيع",
}

RESULTS: dict[str, str] = {
    "result.semicolon": "؛ ",
    "result.comma": "، ",
    "result.leg_opened": "فُتح مركز {side} بكمية {qty} {symbol} بسعر {price} (رافعة "
                         "{leverage}x)",
    "result.leg_opened_bare": "فُتح مركز {side} بكمية {qty} {symbol} بسعر {price}",
    "result.leg_closed": "أُغلق مركز {side} بكمية {qty} {symbol} بسعر {price}",
    "result.leg_closed_pnl": "أُغلق مركز {side} بكمية {qty} {symbol} بسعر {price}: {pnl} بعد "
                             "خصم الرسوم (الرسوم {fee:money} " + _c("USDT") + ")",
    "result.leg_bought": "شراء {qty} {coin} ({symbol}) بسعر {price}",
    "result.leg_sold": "بيع {qty} {coin} ({symbol}) بسعر {price}",
    "result.leg_done": "نُفّذ أمر {order_side} بكمية {qty} {symbol}",
    "result.failed_after": "{done}؛ لكن {reason}",
    "result.all_of_it": " (كله: كانت {share}٪ ستترك أقل من الحد الأدنى للأمر لدى Bybit)",
    "result.share": " ({share}٪ من المركز)",
    "result.account": " [حساب {account}]",
    "result.exits": "المخارج: {exits}",
    "result.exit_stop": "وقف الخسارة {price}",
    "result.exit_take": "جني الأرباح {price}",
    "result.exit_target": "{qty} عند {price}",
    "result.exit_targets": "الأهداف {targets}",
    "result.exit_trailing": "وقف متحرك {distance}",
    "result.exit_trailing_from": "وقف متحرك {distance} يبدأ من {price}",
    "result.exit_be": "نقل الوقف إلى التعادل بعد الهدف {n}",
    "result.exit_none": "لا شيء",
    "result.skipped": "لديك مركز {side} بحجم {held} {symbol} بالفعل؛ تُخطّي {action} (التعزيز "
                      "متوقف)",
    "result.skipped_spot": "تملك بالفعل {held} {coin} اشتراها هذا البوت؛ تُخطّي {action} "
                           "(التعزيز متوقف)",
    "result.kept": "لديك مركز {side} بحجم {held} {symbol} بالفعل؛ خفّضت الاستراتيجية مركز "
                   "{side} لديها وما زالت في مركز {side}، فبقي المركز كما هو (لم يُنفَّذ شيء)",
    "result.kept_spot": "تملك بالفعل {held} {coin} اشتراها هذا البوت؛ خفّضت الاستراتيجية مركز "
                        "الشراء لديها وما زالت في مركز شراء، فبقي الرصيد كما هو (لم يُنفَّذ "
                        "شيء)",
    "result.nothing_protect": "لا يوجد مركز {symbol} مفتوح لحمايته؛ لم يُنفَّذ شيء",
    "result.nothing_protect_long": "لا يوجد مركز شراء {symbol} لحمايته؛ لم يُنفَّذ شيء",
    "result.nothing_protect_short": "لا يوجد مركز بيع {symbol} لحمايته؛ لم يُنفَّذ شيء",
    "result.nothing_spot_short": "لا يكون رصيد الفوري بيعًا على المكشوف أبدًا، فلا يوجد مركز "
                                 "بيع لإغلاقه؛ لم يُنفَّذ شيء",
    "result.nothing_spot": "لا يوجد {coin} اشتراه هذا البوت لبيعه في حساب {account}؛ لم يُنفَّذ "
                           "شيء",
    "result.nothing_long": "لا يوجد مركز شراء {symbol} لإغلاقه؛ لم يُنفَّذ شيء",
    "result.nothing_short": "لا يوجد مركز بيع {symbol} لإغلاقه؛ لم يُنفَّذ شيء",
    "result.nothing_open": "لا يوجد مركز {symbol} مفتوح لإغلاقه؛ لم يُنفَّذ شيء",
    "result.protect_stop": "وقف الخسارة {price}",
    "result.protect_trailing": "وقف متحرك {distance}",
    "result.protected": "ضُبط لـ {symbol}: {what} [{account}]",
}

TELEGRAM: dict[str, str] = {
    "report.pnl_after_fees": " · بعد خصم الرسوم: {pnl} (الرسوم {fee})",
    "event.target_filled_after_fees": "🎯 تحقق الهدف {n} من {of} في <b>{symbol}</b>: {qty} عند "
                                      "{price} · بعد خصم الرسوم: {pnl} (الرسوم {fee}) · حساب "
                                      "{account}",
}

