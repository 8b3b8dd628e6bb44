"""الجمل العربية لرموز الأخطاء (أسطر النتائج والكلمات: results_ar.py).

Plain text with the same keys and placeholders as `errors_en.py`. Commands, JSON fields and
other Latin text written here sit in left-to-right isolates (`_c`), so a right-to-left line
keeps them whole; `t` isolates the values and the rest of the Latin runs (bot/i18n/bidi.py).
"""


def _c(text: str) -> str:
    """Latin text (a command, a field, a name) in a left-to-right isolate."""
    return f"\u2066{text}\u2069"


_KEYS = _c("/keys {account:plain} <api_key> <api_secret>")
_EXAMPLE = _c('{{"symbol": "BTCUSDT", "action": "buy", "price": 50000}}')
_EXAMPLE_TPS = _c('[{{"price": 51000, "qty_percent": 50}}, {{"percent": "3%"}}]')
_AMOUNT = _c("/set amount …")
_LEVERAGE = _c("/set leverage …")
_POSITIONS = _c("/positions")
_WEBHOOK = _c("/webhook")
_CLOSE_ACTIONS = _c("close, close_long, close_short, partial_close")

ERRORS: dict[str, str] = {
    # --- العائلات: ما يقوله الرمز وحده ---------------------------------------------------------
    "error": "حدث خطأ ({code})؛ إن تكرر فأخبر مشغّل البوت",
    "bad_request": "تعذّرت قراءة التنبيه؛ أرسل JSON مثل " + _EXAMPLE,
    "bad_symbol": "الرمز ليس زوج تداول: استخدم حروفًا وأرقامًا مثل " + _c('"BTCUSDT"'),
    "not_json": "المحتوى ليس كائن JSON؛ أرسل JSON مثل " + _EXAMPLE,
    "missing_field": "ينقص التنبيهَ حقل: أرسل " + _c('"symbol"') + " و" + _c('"action"'),
    "bad_field": "حقلان في التنبيه لا يجتمعان: أرسل أحدهما فقط",
    "bad_number": "رقم في التنبيه غير صالح: أرسل رقمًا موجبًا مثل " + _c("50000"),
    "above_limit": "يطلب التنبيه أكثر مما يسمح به هذا الخادم: أرسل قيمة أصغر",
    "bad_id": "معرّف التنبيه غير صالح: أرسل نصًا أو رقمًا لا يتجاوز 128 حرفًا",
    "bad_exit": "مخارج التنبيه لا تتوافق معًا: راجع المخارج في دليل الويب هوك (" + _WEBHOOK
                + ")",
    "no_balance": "الرصيد المتاح لا يكفي لهذه الصفقة: أضف رصيدًا، أو تداول بمبلغ ثابت",
    "bad_take_profit": "جني الأرباح في الجهة الخطأ من السعر: أرسله فوق السعر للشراء وتحته "
                       "للبيع",
    "bad_stop_loss": "وقف الخسارة في الجهة الخطأ من السعر: أرسله تحت السعر للشراء وفوقه "
                     "للبيع",
    "unknown_user": "لا يوجد مستخدم كهذا: استخدم الرابط الذي أرسله لك البوت",
    "unauthorized": "الرمز السري مفقود أو خاطئ: انسخ الرابط من جديد عبر " + _WEBHOOK,
    "forbidden": "لا يُقبل هذا التنبيه لهذا الحساب",
    "trade_failed": "تعذّر تنفيذ الإشارة؛ راجع " + _POSITIONS + " ثم أرسلها من جديد",
    "exchange_error": "رفضت Bybit الطلب؛ راجع " + _POSITIONS + " ثم أرسله من جديد",
    "below_minimum": "الأمر أقل من الحد الأدنى لدى Bybit: ارفع مبلغ التداول (" + _AMOUNT
                     + ") أو الرافعة",
    "above_maximum": "الأمر أكبر من أكبر أمر سوق تقبله Bybit: خفّض مبلغ التداول (" + _AMOUNT
                     + ") أو الرافعة",
    "insufficient_balance": "الرصيد المتاح لا يكفي لهذا الأمر: خفّض المبلغ (" + _AMOUNT
                            + ") أو الرافعة، أو أضف رصيدًا",
    "no_price": "لا يوجد سعر صالح: أضف " + _c('"price" ({{{{close}}}})') + " إلى التنبيه",
    "no_position": "لا يوجد مركز مفتوح لإغلاقه؛ يعرض " + _POSITIONS + " ما هو مفتوح",
    "unknown_symbol": "الرمز غير متداول في Bybit في هذا السوق: تحقق من رمز التنبيه، أو غيّر "
                      "السوق عبر " + _c("/set market"),
    "rate_limited": "طلبات كثيرة في وقت واحد: أرسل التنبيه من جديد بعد دقيقة",
    "unavailable": "لا يستطيع الخادم فعل ذلك الآن: أعد المحاولة بعد ثوانٍ",
    "exchange_unreachable": "لم تردّ Bybit: راجع " + _POSITIONS + " قبل إعادة إرسال التنبيه",
    "exits": "تعذّر وضع أحد المخارج كما طُلب؛ يعرض " + _POSITIONS + " خطة المركز",
    "internal": "أوقف خطأ داخلي هذه الإشارة؛ يستطيع المشغّل رؤية السبب في السجل",
    "duplicate": "وصل التنبيه نفسه من قبل؛ لم يُنفَّذ هذا مرة أخرى",

    # --- محتوى التنبيه --------------------------------------------------------------------------
    "bad_symbol.not_text": "يجب أن يكون الرمز " + _c("symbol") + " نصًا مثل "
                           + _c('"BTCUSDT"') + "، ووصل {given}",
    "bad_symbol.placeholder": "الرمز {given} متغيّر من TradingView لم يُملأ: تحقق من كتابته في "
                              "رسالة التنبيه (مثل " + _c("{{{{ticker}}}}") + ")",
    "bad_symbol.not_pair": "الرمز {given} ليس زوج تداول: استخدم حروفًا وأرقامًا مثل "
                           + _c('"BTCUSDT"') + " (يصلح أيضًا " + _c('"BYBIT:BTCUSDT.P"')
                           + " و" + _c('"BTC/USDT"') + ")",
    "unknown_action": "الإجراء {given} غير معروف: استخدم أحد هذه: " + _c("{actions}"),
    "not_json.encoding": "المحتوى ليس نصًا بترميز UTF-8؛ أرسل JSON مثل {example}",
    "empty_body": "المحتوى فارغ؛ أرسل JSON مثل {example}",
    "not_json.invalid": "المحتوى ليس JSON صالحًا؛ أرسل JSON مثل {example}",
    "not_json.placeholder": "المحتوى ليس JSON صالحًا (بقي متغيّر من TradingView دون أن يُملأ: "
                            "تحقق من كتابته)؛ أرسل JSON مثل {example}",
    "not_json.not_object": "يجب أن يكون المحتوى كائن JSON مثل {example}",
    "missing_field.symbol": "الحقل " + _c('"symbol"') + " مفقود؛ أرسل JSON مثل {example}",
    "missing_field.action": "الحقل " + _c('"action"') + " مفقود (يصلح " + _c('"signal"')
                            + " أيضًا)؛ أرسل JSON مثل {example}",
    "bad_field.percent": "يغلق " + _c("qty_percent") + " جزءًا من مركز، لكن هذا التنبيه "
                         "{action}: أرسله مع أحد الإجراءات " + _CLOSE_ACTIONS,
    "bad_field.percent_position": "يغلق " + _c("qty_percent") + " جزءًا من مركز، لكن هذا "
                                  "التنبيه {action} (جعله " + _c('"position": "{position}"')
                                  + " {action}): أرسله مع أحد الإجراءات " + _CLOSE_ACTIONS,
    "bad_field.repeated": "الحقل " + _c("{field}") + " مكرر في التنبيه: أرسله مرة واحدة",
    "bad_field.alias": "الحقلان " + _c('"{field}"') + " و" + _c('"{alias}"') + " حقل واحد "
                       "وقيمتاهما مختلفتان: أرسل أحدهما فقط",
    "bad_position": "قيمة الحقل " + _c("position") + " {given} غير معروفة: استخدم "
                    + _c("long, short, flat") + " (" + _c("{{{{strategy.market_position}}}}")
                    + " في TradingView)",
    "bad_number.number": "يجب أن يكون {field} رقمًا موجبًا مثل {example}، ووصل {given}",
    "bad_number.placeholder": "يجب أن يكون {field} رقمًا موجبًا مثل {example}، ووصل {given} "
                              "(بقي متغيّر من TradingView دون أن يُملأ)",
    "bad_number.leverage": "يجب أن تكون الرافعة " + _c("leverage") + " عددًا صحيحًا مثل "
                           + _c("10") + "، ووصل {given}",
    "bad_number.percent": "يجب أن يكون " + _c("qty_percent") + " نسبة أكبر من 0 ولا تتجاوز "
                          "100، مثل " + _c("50") + "، ووصل {given}",
    "above_limit.amount": "المبلغ {amount} أكبر من حد هذا الخادم وهو {limit} " + _c("USDT")
                          + " للصفقة (" + _c("limits.max_trade_amount") + "): أرسل مبلغًا "
                          "أصغر",
    "above_limit.leverage": "الرافعة {leverage} أكبر من أقصى ما يسمح به هذا الخادم وهو {limit} "
                            "(" + _c("limits.max_leverage") + "): أرسل رافعة أقل",
    "above_limit.qty": "الكمية {qty} عند {price} برافعة {leverage}x تحتاج هامشًا قدره {margin} "
                       + _c("USDT") + "، وهذا أكبر من حد هذا الخادم وهو {limit} " + _c("USDT")
                       + " للصفقة (" + _c("limits.max_trade_amount") + "): أرسل كمية أصغر",
    "above_limit.spot_qty": "الكمية {qty} عند {price} تكلّف {margin} " + _c("USDT") + "، وهذا "
                            "أكبر من حد هذا الخادم وهو {limit} " + _c("USDT") + " للصفقة ("
                            + _c("limits.max_trade_amount") + "): أرسل كمية أصغر",
    "bad_id.type": "يجب أن يكون المعرّف " + _c("id") + " نصًا أو رقمًا، ووصل {given}",
    "bad_id.length": "المعرّف " + _c("id") + " أطول من {limit} حرفًا: أرسل معرّفًا أقصر",
    "bad_timestamp": "الوقت " + _c("timestamp") + " {given} ليس وقتًا: استخدم "
                     + _c("{{{{timenow}}}}") + " من TradingView (مثل "
                     + _c("2026-11-28T00:00:00Z") + ") أو ثواني يونكس",

    # --- المخارج كما طُلبت -----------------------------------------------------------------------
    "bad_number.level": "يجب أن يكون {field} سعرًا مثل " + _c("51000") + " أو نسبة من سعر "
                        "الدخول مثل " + _c('"2%"') + " (أكبر من 0 وأقل من 100٪)، ووصل {given}",
    "bad_number.target_level": "يجب أن يكون {field} للهدف {n} في " + _c("tps") + " سعرًا مثل "
                               + _c("51000") + " أو نسبة من سعر الدخول مثل " + _c('"2%"')
                               + " (أكبر من 0 وأقل من 100٪)، ووصل {given}",
    "bad_exit.both": "أرسل إما " + _c("take_profit") + " (هدف واحد للمركز كله) وإما سلّم أهداف ("
                     + _c("tps") + " أو " + _c("tp1…tp10") + ")، لا الاثنين",
    "bad_exit.shares": "أعطِ " + _c("qty_percent") + " لكل هدف عدا الأخير (فهو يأخذ الباقي)، "
                       "أو لا تعطِه لأي هدف (تقسيم متساوٍ)",
    "bad_exit.shares_total": "مجموع " + _c("qty_percent") + " للأهداف قبل الأخير {total}٪: "
                             "يجب أن يبقى مجموعها أقل من 100٪",
    "bad_exit.last_share": "يأخذ الهدف الأخير ما تتركه الأهداف الأخرى ({rest}٪) لا {last}٪: "
                           "احذف " + _c("qty_percent") + " منه أو اجعل المجموع 100",
    "bad_exit.be_after_beyond": "قيمة " + _c("be_after") + " {be_after} خارج سلّم الأهداف "
                                "(عددها {targets}): أرسل " + _c("be_after") + " من 1 إلى "
                                "{last} (بعد الهدف الأخير لا يبقى ما يُحمى)",
    "bad_exit.activation": "يحتاج " + _c("trailing_activation") + " إلى مسافة وقف متحرك: أضف "
                           + _c('"trailing"') + " (مسافة سعرية مثل " + _c("200") + " أو "
                           + _c('"1%"') + ")",
    "bad_exit.ladder_twice": "أرسل سلّم الأهداف مرة واحدة: " + _c("tps") + " أو "
                             + _c("tp1…tp10") + "، لا الاثنين",
    "bad_exit.gaps": "يجب ترقيم الأهداف من " + _c("tp1") + " دون فجوات، ووصل {given}",
    "bad_exit.tps": "يجب أن يكون " + _c("tps") + " قائمة من {limit} أهداف على الأكثر مثل "
                    + _EXAMPLE_TPS,
    "bad_exit.rung": "يحتاج الهدف {n} في " + _c("tps") + " إلى " + _c('"price"') + " أو "
                     + _c('"percent"') + " (أحدهما فقط)",
    "bad_exit.be_after": "يجب أن يكون " + _c("be_after") + " رقم هدف مثل " + _c("1")
                         + "، ووصل {given}",
    "bad_take_profit.long": "{field} {level} في الجهة الخطأ من سعر الدخول {entry}: هدف مركز "
                            "الشراء يجب أن يكون فوق سعر دخوله",
    "bad_take_profit.short": "{field} {level} في الجهة الخطأ من سعر الدخول {entry}: هدف مركز "
                             "البيع يجب أن يكون تحت سعر دخوله",
    "bad_stop_loss.long": "{field} {level} في الجهة الخطأ من سعر الدخول {entry}: وقف مركز "
                          "الشراء يجب أن يكون تحت سعر دخوله",
    "bad_stop_loss.short": "{field} {level} في الجهة الخطأ من سعر الدخول {entry}: وقف مركز "
                           "البيع يجب أن يكون فوق سعر دخوله",

    # --- الحجم والتخطيط -------------------------------------------------------------------------
    "no_balance.percent": "{percent}٪ من الرصيد المتاح لا شيء: المتاح {available} USDT؛ أضف "
                          "رصيدًا، أو انسخ بمبلغ ثابت عبر " + _c("/copy <code> amount=<usdt>"),
    "no_price.signal": "لا يوجد سعر صالح لـ {symbol}: أضف " + _c('"price" ({{{{close}}}})')
                       + " إلى التنبيه",
    "no_price.bybit": "لا يوجد لدى Bybit سعر لـ {symbol}؛ أضف " + _c('"price"')
                      + " إلى التنبيه",
    "no_price.paper": "تعذّر الوصول إلى سعر السوق لـ {symbol}: أضف "
                      + _c('"price" ({{{{close}}}})') + " إلى التنبيه",
    "untradeable": "عند السعر {price} أصغر أمر على {symbol} لدى Bybit ({minimum} {coin}) أكبر "
                   "من أكبر أمر سوق ({maximum} {coin}): لا يمكن تداول هذا الرمز بأمر سوق عند "
                   "هذا السعر",
    "below_minimum.qty": "الكمية {qty} أقل من الحد الأدنى لدى Bybit وهو {minimum} {coin} لـ "
                         "{symbol} عند {price}: أرسل كمية لا تقل عن {minimum}",
    "below_minimum.amount": "{amount} " + _c("USDT") + " برافعة {leverage}x تشتري {qty} {coin}، "
                            "وهذا أقل من الحد الأدنى لدى Bybit وهو {minimum} {coin} لـ "
                            "{symbol}؛ استخدم مبلغ تداول لا يقل عن {needed} " + _c("USDT")
                            + " (" + _c("/set amount {needed:plain}") + ") أو رافعة أعلى",
    "below_minimum.alert_amount": "{amount} " + _c("USDT") + " برافعة {leverage}x تشتري {qty} "
                                  "{coin}، وهذا أقل من الحد الأدنى لدى Bybit وهو {minimum} "
                                  "{coin} لـ {symbol}؛ استخدم مبلغ تداول لا يقل عن {needed} "
                                  + _c("USDT") + " (" + _c('"amount": {needed:plain}')
                                  + " في التنبيه) أو رافعة أعلى",
    "above_maximum.qty": "الكمية {qty} أكبر من أكبر أمر سوق لدى Bybit وهو {maximum} {coin} لـ "
                         "{symbol}: أرسل كمية لا تتجاوز {maximum}",
    "above_maximum.amount": "{qty} {coin} أكبر من أكبر أمر سوق لدى Bybit وهو {maximum} {coin} "
                            "لـ {symbol}؛ استخدم مبلغ تداول لا يتجاوز {allowed} " + _c("USDT")
                            + " (" + _c("/set amount {allowed:plain}") + ") أو رافعة أقل",
    "above_maximum.alert_amount": "{qty} {coin} أكبر من أكبر أمر سوق لدى Bybit وهو {maximum} "
                                  "{coin} لـ {symbol}؛ استخدم مبلغ تداول لا يتجاوز {allowed} "
                                  + _c("USDT") + " (" + _c('"amount": {allowed:plain}')
                                  + " في التنبيه) أو رافعة أقل",
    "below_minimum.spot_amount": "{amount} {quote} أقل من الحد الأدنى لأمر فوري لدى Bybit وهو "
                                 "{minimum} {quote} لـ {symbol}؛ استخدم مبلغ تداول لا يقل عن "
                                 "{least} (" + _c("/set amount {least:plain}") + ")",
    "below_minimum.spot_alert_amount": "{amount} {quote} أقل من الحد الأدنى لأمر فوري لدى "
                                       "Bybit وهو {minimum} {quote} لـ {symbol}؛ استخدم مبلغ "
                                       "تداول لا يقل عن {least} ("
                                       + _c('"amount": {least:plain}') + " في التنبيه)",
    "below_minimum.spot_qty": "{qty} {coin} (نحو {worth} {quote}) أقل من الحد الأدنى لأمر "
                              "فوري لدى Bybit وهو {minimum} {quote} لـ {symbol}: عند السعر "
                              "{price} أرسل كمية لا تقل عن {least} {coin}",
    "above_maximum.spot_qty": "{qty} {coin} أكبر من أكبر أمر سوق فوري لدى Bybit وهو {maximum} "
                              "{coin}: أرسل كمية أصغر",
    "below_minimum.share": "{share}٪ من مركز {side} بحجم {size} {coin} تساوي {qty} {coin}، وهذا "
                           "أقل من الحد الأدنى للأمر لدى Bybit وهو {minimum} {coin} لـ {symbol}: "
                           "أغلق نسبة أكبر، أو المركز كله",
    "leverage_too_high": "الرافعة {leverage}x أكبر من أقصى رافعة لـ {symbol} وهي {maximum}x؛ "
                         "أرسل " + _c("/set leverage {most:plain}"),
    "leverage_too_high.alert": "الرافعة {leverage}x أكبر من أقصى رافعة لـ {symbol} وهي "
                               "{maximum}x؛ أرسل " + _c('"leverage": {most:plain}')
                               + " أو أقل في التنبيه",
    "leverage_on_spot": "يطلب التنبيه رافعة {leverage}x، لكن هذا الحساب يتداول الفوري الذي لا "
                        "رافعة فيه: احذف " + _c('"leverage"') + " من التنبيه، أو أرسل "
                        + _c("/set market futures"),
    "ambiguous_side": "جهتا {symbol} مفتوحتان (وضع التحوط): ضع الوقف في Bybit، أو أغلق إحدى "
                      "الجهتين أولًا",
    "bad_trailing": "مسافة الوقف المتحرك {distance} أقل من وحدة سعر واحدة ({tick}) لـ "
                    "{symbol}: أرسل مسافة أكبر",
    "bad_protection": "يحتاج {action} إلى مستواه: أرسل معه سعرًا، مثل "
                      + _c("/sl {symbol} 50000"),
    "unknown_symbol.market": "{symbol} غير متداول في سوق {market} لدى Bybit: تحقق من رمز "
                             "التنبيه، أو غيّر السوق عبر " + _c("/set market {other:plain}"),
    "not_trading": "{symbol} غير متاح للتداول في Bybit الآن (الحالة {status_text}): أرسل "
                   "التنبيه من جديد حين يُتداول",
    "not_filled": "لم تنفّذ Bybit أمر {order_side} على {symbol} (رُفض أو أُلغي)؛ لم يُتداول شيء "
                  "في هذه الخطوة: راجع " + _POSITIONS + " ثم أرسل التنبيه من جديد",

    # --- ردود Bybit -----------------------------------------------------------------------------
    "invalid_key": "رفضت Bybit مفتاح API لحساب {account} (" + _c("HTTP 401") + ")؛ احفظه من "
                   "جديد عبر " + _KEYS,
    "ip_blocked": "رفضت Bybit عنوان هذا الخادم (حد الطلبات لعنوان IP أو منطقة محظورة)؛ على "
                  "المشغّل الانتظار 10 دقائق، ثم أرسل التنبيه من جديد",
    "rate_limited.bybit": "طلبت Bybit منا الإبطاء (" + _c("HTTP 429") + ")",
    "rate_limited.account": "بلغ هذا الحساب حد الطلبات لدى Bybit (طلبات كثيرة في وقت واحد)",
    "not_found": "لا تقدّم Bybit هذا الطلب لهذا الحساب (" + _c("HTTP 404") + "): راجع الحساب "
                 "عبر " + _c("/settings"),
    "exchange_unreachable.page": "ردّت Bybit بصفحة خطأ (" + _c("HTTP {status_code}")
                                 + ") بدل النتيجة",
    "exchange_unreachable.timeout": "لم تردّ Bybit في الوقت المحدد",
    "exchange_unreachable.failed": "فشل الاتصال بـ Bybit ({problem})",
    "no_keys": "لا توجد مفاتيح API محفوظة لحساب {account}: أرسل " + _KEYS + " إلى البوت، أو "
               + _c("/set account paper") + " للتدرّب دون مفاتيح",
    "no_keys.legacy": "الحساب القديم مضبوط على {account} لكن " + _c("BYBIT_API_KEY") + " و"
                      + _c("BYBIT_API_SECRET") + " غير مضبوطين؛ اضبطهما، أو "
                      + _c("defaults.account_type: paper"),
    "position_mode": "لا يطابق الأمر وضع المراكز في الحساب (تحوط أو اتجاه واحد)؛ تغيّر في Bybit "
                     "أثناء إرسال الأمر — أرسل التنبيه من جديد",
    "above_maximum.bybit": "الأمر أكبر مما تسمح به Bybit لأمر سوق واحد على {symbol}: خفّض "
                           "مبلغ التداول (" + _AMOUNT + ") أو الرافعة",
    "below_minimum.bybit": "الأمر أصغر من الحد الأدنى لدى Bybit لـ {symbol}: ارفع مبلغ التداول "
                           "(" + _AMOUNT + ") أو الرافعة",
    "below_minimum.value": "قيمة الأمر أقل من الحد الأدنى لدى Bybit لـ {symbol}: ارفع مبلغ "
                           "التداول (" + _AMOUNT + ")",
    "bad_take_profit.bybit": "رفضت Bybit جني الأرباح " + _c("take_profit") + ": تجاوزه السعر "
                             "بالفعل. أرسل " + _c("take_profit") + " فوق السعر الحالي لمركز "
                             "الشراء (وتحته لمركز البيع)",
    "bad_stop_loss.bybit": "رفضت Bybit وقف الخسارة " + _c("stop_loss") + ": تجاوزه السعر "
                           "بالفعل. أرسل " + _c("stop_loss") + " تحت السعر الحالي لمركز "
                           "الشراء (وفوقه لمركز البيع)",
    "bad_qty": "رفضت Bybit حجم أمر {symbol} ({reply})؛ لم يُتداول شيء — أخبر مشغّل البوت من "
               "فضلك",
    "bad_request.bybit": "رفضت Bybit الأمر لأنه غير سليم ({reply})؛ لم يُتداول شيء — أخبر "
                         "مشغّل البوت من فضلك",
    "wrong_environment": "لا تعرف Bybit مفتاح API هذا في بيئة {account}: مفاتيح التجريبي تعمل "
                         "في التجريبي فقط ومفاتيح الحقيقي في الحقيقي فقط. تحقق منه، أو احفظه "
                         "من جديد عبر " + _KEYS,
    "bad_signature": "السر لا يطابق مفتاح API؛ احفظ الاثنين من جديد عبر " + _KEYS,
    "no_permission": "لا يملك مفتاح API هذا صلاحية التداول: امنحه في إدارة API لدى Bybit "
                     "صلاحية الأوامر والمراكز (العقود والفوري)",
    "no_permission.read_only": "مفتاح API هذا للقراءة فقط: امنحه في إدارة API لدى Bybit "
                               "صلاحية القراءة والكتابة للأوامر والمراكز (العقود والفوري)، أو "
                               "أنشئ مفتاحًا كهذا، وأرسله عبر " + _KEYS,
    "ip_not_allowed": "مفتاح API هذا مقيّد بعناوين IP أخرى: أضف عنوان هذا الخادم إلى المفتاح "
                      "في Bybit، أو ألغِ التقييد",
    "insufficient_balance.spot": "الرصيد المتاح في حساب Bybit {account} لا يكفي لهذا الأمر "
                                 "الفوري: خفّض المبلغ (" + _AMOUNT + ") أو أضف رصيدًا",
    "insufficient_balance.margin": "الهامش المتاح في حساب Bybit {account} لا يكفي لهذا الأمر: "
                                   "خفّض المبلغ (" + _AMOUNT + ") أو الرافعة (" + _LEVERAGE
                                   + ")، أو أضف رصيدًا",
    "unknown_symbol.unnamed": "هذا الرمز غير متداول في Bybit في هذا السوق: تحقق من رمز "
                              "التنبيه، أو غيّر السوق عبر " + _c("/set market"),
    "unknown_symbol.bybit": "{symbol} غير متداول في Bybit في هذا السوق: تحقق من رمز التنبيه، أو "
                            "غيّر السوق عبر " + _c("/set market"),
    "no_position.bybit": "لا يوجد مركز مفتوح يغلقه أمر تقليل فقط؛ يعرض " + _POSITIONS
                         + " ما هو مفتوح",
    "position_limit": "سيتجاوز المركز حد Bybit لهذه الرافعة: خفّض الرافعة (" + _LEVERAGE
                      + ") أو المبلغ",
    "demo_unsupported": "لا يمكن تداول {symbol} في حساب Bybit التجريبي: تدرّب عليه في حساب "
                        "المحاكاة (" + _c("/set account paper") + ")",
    "clock_drift": "ساعة هذا الخادم لا تتوافق مع ساعة Bybit: على المشغّل مزامنتها ("
                   + _c("NTP") + ")",
    "exchange_busy": "واجهت Bybit مشكلة مؤقتة: {reply}",
    "exchange_refused": "رفضت Bybit الطلب: {reply} (الرمز {bybit_code})؛ إن تكرر فأخبر مشغّل "
                        "البوت",

    # --- بعد إعادة المحاولة ----------------------------------------------------------------------
    "retry": "استمر فشل Bybit بعد عدة محاولات: راجع " + _POSITIONS + " قبل إعادة إرسال التنبيه",
    "retry.read": "{cause}؛ جرّبنا {attempts} مرات: أرسل التنبيه من جديد بعد دقيقة",
    "retry.not_placed": "{cause}؛ جرّبنا {attempts} مرات ولم يُرسل أي أمر: أرسل التنبيه من "
                        "جديد بعد دقيقة",
    "retry.maybe_placed": "{cause}؛ جرّبنا {attempts} مرات والأمر ليس في Bybit، لكن ردًا "
                          "متأخرًا قد يضعه: راجع مراكزك في Bybit قبل إعادة إرسال التنبيه",
    "order_unknown": "توقفت Bybit عن الرد أثناء إرسال أمر {symbol}، فلا يُعرف إن كان قد نُفّذ: "
                     "راجع مراكزك في Bybit قبل إعادة إرسال التنبيه",

    # --- حساب المحاكاة --------------------------------------------------------------------------
    "bad_take_profit.paper": "تجاوز السعر جني الأرباح {level}: السعر الآن {price}. أرسل جني "
                             "الأرباح فوق السعر لمركز الشراء (وتحته لمركز البيع)",
    "bad_stop_loss.paper": "تجاوز السعر وقف الخسارة {level}: السعر الآن {price}. أرسل وقف "
                           "الخسارة تحت السعر لمركز الشراء (وفوقه لمركز البيع)",
    "no_position.paper": "لا يوجد مركز مفتوح يغلقه أمر تقليل فقط؛ يعرض " + _POSITIONS
                         + " ما هو مفتوح",
    "no_position.paper_symbol": "لا يوجد مركز {symbol} مفتوح في حساب المحاكاة؛ يعرض "
                                + _POSITIONS + " ما هو مفتوح",
    "insufficient_balance.paper": "الرصيد المتاح في حساب المحاكاة لا يكفي لهذا الأمر: خفّض "
                                  "المبلغ (" + _AMOUNT + ") أو الرافعة",
    "insufficient_balance.paper_buy": "لا يكفي {coin} في حساب المحاكاة لهذا الأمر: خفّض المبلغ "
                                      "(" + _AMOUNT + ")",
    "insufficient_balance.paper_sell": "لا يكفي {coin} في حساب المحاكاة للبيع؛ يعرض "
                                       + _POSITIONS + " ما يملكه",

    # --- حياة الإشارة ---------------------------------------------------------------------------
    "internal.unreadable": "تعذّرت قراءة الإشارة المحفوظة؛ أرسل التنبيه من جديد",
    "expired": "انتهت صلاحيتها: انتظرت أكثر من {max_age} ثانية (كان الخادم متوقفًا أو مشغولًا)، "
               "فلم تُنفَّذ متأخرة؛ أرسلها من جديد إن كانت لا تزال صالحة",
    "expired.unchecked": "انتهت صلاحيتها: انتظرت أكثر من {max_age} ثانية (كان الخادم متوقفًا أو "
                         "مشغولًا)، فلم تُنفَّذ متأخرة؛ وتعذّر التحقق إن كان أمر منها قد أُرسل "
                         "قبل ذلك ({cause}): راجع مراكزك",
    "duplicate.of": "التنبيه نفسه كالإشارة {original}؛ لم يُنفَّذ مرة أخرى",
    "duplicate.status": "التنبيه نفسه كالإشارة {original} ({status})؛ لم يُنفَّذ مرة أخرى",
    "duplicate.running": "وصل التنبيه نفسه من قبل كالإشارة {original}؛ وهي قيد التنفيذ؛ لم "
                         "يُنفَّذ هذا مرة أخرى",
    "duplicate.executed": "وصل التنبيه نفسه من قبل كالإشارة {original}؛ ونُفّذت ({result})؛ لم "
                          "يُنفَّذ هذا مرة أخرى",
    "duplicate.done": "وصل التنبيه نفسه من قبل كالإشارة {original}؛ ونُفّذت؛ لم يُنفَّذ هذا مرة "
                      "أخرى",
    "duplicate.ended": "وصل التنبيه نفسه من قبل كالإشارة {original}؛ وانتهت بحالة {status} "
                       "({result})؛ لم يُنفَّذ هذا مرة أخرى",
    "duplicate.ended_bare": "وصل التنبيه نفسه من قبل كالإشارة {original}؛ وانتهت بحالة "
                            "{status}؛ لم يُنفَّذ هذا مرة أخرى",

    # --- مخارج لم توضع (كلها) ------------------------------------------------------------------
    "exits.no_fill": "تنفيذ أمر الفتح غير معروف بعد: لم توضع المخارج؛ ضعها عبر " + _c("/sl")
                     + " و" + _c("/trail"),
    "exits.target_refused": "رُفض الهدف {n}: {reply}",
    "exits.not_placed": "لم توضع المخارج: {cause}",
    "exits.not_beyond_profit": "{field} {level} ليس أبعد من سعر الدخول {entry} في جهة الربح؛ "
                               "لم يوضع",
    "exits.not_beyond_loss": "{field} {level} ليس أبعد من سعر الدخول {entry} في جهة الخسارة؛ "
                             "لم يوضع",
    "exits.trailing_tick": "الوقف المتحرك {distance} أقل من وحدة سعر واحدة ({tick})؛ لم يوضع",
    "exits.be_last": "التعادل بعد الهدف {n}: هذا الهدف يغلق الآن ما تبقى؛ لا حاجة لنقل الوقف",
    "exits.too_small": "المركز أصغر من أن يُقسم على سلّم أهداف (أقل من الحد الأدنى للأمر وهو "
                       "{minimum})؛ لم توضع أهداف",
    "exits.merged": "كان كل من الأهداف {targets} أقل من الحد الأدنى للأمر وهو {minimum}: وُضعت "
                    "هدفًا واحدًا بكمية {qty} عند {price}",
    "exits.spot": "لا توضع مخارج في الفوري: لا يوفر فوري Bybit وقف خسارة أو جني أرباح أو وقفًا "
                  "متحركًا للمركز؛ تم الشراء دونها",

    # --- باب الويب هوك --------------------------------------------------------------------------
    "stale_signal": "عمر التنبيه {age} ثانية، وهو أقدم من {max_age} ثانية يقبلها هذا الحساب؛ "
                    "لم يُنفَّذ",
    "address_not_allowed": "لا يقبل هذا الخادم الطلبات من {ip} (" + _c("server.allowed_ips")
                           + ")",
    "rate_limited.address": "طلبات كثيرة من هذا العنوان؛ أعد المحاولة بعد {wait} ثانية",
    "rate_limited.user": "تجاوز هذا الحساب حدّه من التنبيهات في الدقيقة ({limit})؛ أعد المحاولة "
                         "بعد {wait} ثانية",
    "inactive": "هذا الحساب غير مفعّل بعد: يجب أن يوافق عليه مشرف",
    "paused": "التداول موقوف مؤقتًا لهذا الحساب: أرسل " + _c("/resume") + " إلى البوت",
    "entries_paused": "فتح المراكز الجديدة موقوف لهذا الحساب، فلم يُنفَّذ هذا التنبيه ({action})، "
                      "أما الإغلاق فما زال يُنفَّذ: أرسل " + _c("/resume") + " إلى البوت",
    "unknown_user.webhook": "لا يوجد مستخدم {user}: تحقق من رابط الويب هوك (أرسل " + _WEBHOOK
                            + " إلى البوت لتحصل على رابطك)",
    "unknown_user.url": "لا يوجد مستخدم {user}: يجب أن يحمل الرابط رقم معرّفك (أرسل " + _WEBHOOK
                        + " إلى البوت لتحصل على رابطك)",
    "unknown_user.dashboard": "لا يوجد مستخدم {user}: افتح الرابط الذي يرسله "
                              + _c("/dashboard") + " في البوت",
    "unauthorized.missing": "الرمز السري مفقود: استخدم الرابط الكامل من " + _WEBHOOK
                            + " بما فيه " + _c("?token=…"),
    "unauthorized.wrong": "الرمز السري خاطئ: انسخ الرابط من جديد من " + _WEBHOOK + " (يتغير "
                          "بعد " + _c("/rotate") + ")",
    "unauthorized.secret": "السر مفقود أو خاطئ: أضف " + _c('"secret"') + " إلى محتوى التنبيه "
                           "أو " + _c("?secret=…") + " إلى الرابط",
    "legacy_disabled": "الويب هوك القديم " + _WEBHOOK + " متوقف على هذا الخادم؛ استخدم رابطك "
                       "الشخصي من " + _WEBHOOK,
    "legacy_misconfigured": "المستخدم {user} في " + _c("legacy_webhook.user_id") + " غير "
                            "مسجّل؛ على المشغّل إصلاح " + _c("config.yaml"),
    "unavailable.database": "لا يستطيع الخادم قراءة قاعدة بياناته الآن؛ أعد المحاولة بعد ثوانٍ",
    "unavailable.journal": "تعذّر على الخادم حفظ التنبيه فلم يُقبل؛ قد يعيد TradingView "
                           "المحاولة، أو أرسله من جديد",
    "rate_limited.channel": "تجاوزت هذه القناة حدّها من التنبيهات في الدقيقة ({limit})؛ أعد "
                            "المحاولة بعد {wait} ثانية",
    "channel_paused": "هذه القناة موقوفة مؤقتًا: يستطيع مشرفها إرسال "
                      + _c("/channel resume {channel}") + " إلى البوت",
    "unknown_channel": "لا توجد قناة {channel}: تحقق من رابط الويب هوك (يحصل عليه مشرفها عبر "
                       + _c("/channel url <code>") + ")",
    "unauthorized.channel_missing": "الرمز السري مفقود: استخدم رابط القناة الكامل بما فيه "
                                    + _c("?token=…"),
    "unauthorized.channel_wrong": "الرمز السري خاطئ: يحصل مشرف القناة على الرابط عبر "
                                  + _c("/channel url <code>") + " (يتغير بعد "
                                  + _c("/channel rotate") + ")",
    "body_too_large": "المحتوى أكبر من {limit} بايت؛ التنبيهات كائنات JSON صغيرة",
    "not_found.route": "لا شيء على هذا العنوان؛ تذهب التنبيهات إلى "
                       + _c("/personal/<your id>/webhook") + " (أرسل " + _WEBHOOK
                       + " إلى البوت)",
    "method_not_allowed": "الطريقة {method} غير مسموحة هنا؛ يرسل TradingView طلب "
                          + _c("POST"),
    "internal.server": "واجه الخادم خطأ داخليًا؛ أُبلغ المشغّل",
}
