"""رسائل المراكز والرصيد والصفقات والإشعارات العربية (HTML)، تُدمج في `ar.MESSAGES`."""

MESSAGES: dict[str, str] = {
    # --- المراكز والرصيد والصفقات -----------------------------------------------------------
    "positions.title": "📂 <b>المراكز</b> — حساب {account}",
    "positions.spot": "• اشترى البوت {qty} {symbol} (فوري)",
    "positions.none": "لا توجد مراكز مفتوحة.",
    "positions.count": "مراكز العقود الآجلة: {count}، كل منها أدناه مع أزراره.",
    "positions.buttons_on_futures": "تظهر أزرارها عندما يكون السوق لديك العقود الآجلة: "
                                    "<code>{command}</code>.",
    "position.head": "📈 مركز {side} على <b>{symbol}</b> · الرافعة {leverage}",
    "position.size": "الحجم {size} · القيمة {value}",
    "position.prices": "سعر الدخول {entry} · سعر العلامة {mark}",
    "position.pnl": "النتيجة غير المحققة: {pnl} ({pct})",
    "position.pnl_unknown": "النتيجة غير المحققة: — (لا يوجد سعر علامة مباشر بعد)",
    "position.exits": "سعر التصفية {liq} · جني الأرباح {tp} · وقف الخسارة {sl}",
    "position.held": "مفتوح منذ {held}",
    "position.closed": "ℹ️ مركز {side} على {symbol} مغلق الآن.",
    "position.other_account": "ℹ️ مركز {side} على {symbol} هذا في حسابك {account}، وأنت تستخدم "
                              "الحساب {now} الآن: لم يُنفَّذ شيء. للعودة إليه أرسل "
                              "<code>{command}</code>.",
    "position.changed": "ℹ️ تغيّر هذا المركز (أو أُغلق): هذه حاله الآن. لم يُنفَّذ شيء.",
    "position.spot_market": "السوق المختار لديك هو الفوري، وإدارة المراكز تكون في العقود الآجلة. "
                            "للتبديل أرسل <code>{command}</code>.",
    "position.bad_symbol": "الرمز «{given}» غير صالح. أرسله بهذا الشكل: <code>{example}</code>.",
    "position.none_for": "لا يوجد مركز عقود آجلة مفتوح على {symbol} في حساب {account}. يعرض الأمر "
                         "/positions مراكزك.",
    "held.pair": "{first} و{second}",
    "plan.head": "📋 خطة الإشارة {signal}",
    "plan.target": "🎯 الهدف {n} من {of}: {qty} عند {price}{filled}",
    "plan.filled": " ✓ نُفّذ",
    "plan.be_after": "🛡 نقل وقف الخسارة إلى التعادل بعد الهدف {n}",
    "plan.be_moved": "🛡 نُقل وقف الخسارة إلى التعادل (بعد الهدف {n}) ✓",
    "plan.trailing": "〽️ وقف متحرك بمسافة {distance}",
    "plan.trailing_from": "〽️ وقف متحرك بمسافة {distance}، يبدأ عند {price}",
    "close.ask": "⚠️ <b>هل تريد إغلاق {share} من مركز {side} على {symbol}؟</b>",
    "close.qty": "الكمية: {qty} من {size}",
    "close.widened": "الباقي سيكون أقل من الحد الأدنى للأمر لدى Bybit وهو {minimum}، لذلك "
                     "يُغلق المركز كله.",
    "close.below_minimum": "هذا يساوي {qty}، وهو أقل من الحد الأدنى للأمر لدى Bybit وهو "
                           "{minimum}: أغلق حصة أكبر.",
    "close.pnl": "النتيجة المتوقعة عند سعر العلامة {mark}: {pnl} (قبل الرسوم)",
    "close.pnl_unknown": "النتيجة المتوقعة: غير معروفة (لا يوجد سعر علامة مباشر بعد).",
    "close.when": "يُرسل أمر سوق عند التأكيد؛ وتنتهي صلاحية هذا السؤال بعد {minutes}.",
    "close.sent": "📤 جارٍ إغلاق {share} من مركز {side} على {symbol}: الإشارة {id}. تصلك "
                  "النتيجة بعد قليل.",
    "close.cancelled": "تم الإلغاء: لم يُرسل شيء.",
    "close.expired": "⌛ انتهت صلاحية هذا التأكيد (بعد {minutes}): لم يُرسل شيء. اضغط زر الإغلاق "
                     "من جديد إن كنت ما زلت تريد ذلك.",
    "close.usage": "أرسل <code>{whole}</code> لإغلاق المركز كله، أو <code>{part}</code> "
                   "لإغلاق حصة منه ({shares}).",
    "close.bad_share": "الحصة «{given}» لا يمكن إغلاقها. أرسل {shares}، مثلًا "
                       "<code>{example}</code>.",
    "sl.usage": "أرسل <code>{price}</code> لوضع وقف الخسارة عند سعر، أو <code>{be}</code> "
                "لنقله إلى سعر الدخول (التعادل).",
    "sl.bad_price": "القيمة «{given}» ليست سعرًا صالحًا لوقف الخسارة. أرسل سعرًا أكبر من "
                    "الصفر، مثلًا <code>{price}</code>، أو <code>{be}</code> للتعادل.",
    "sl.wrong_side_long": "وقف الخسارة لمركز الشراء يجب أن يكون أقل من سعر العلامة {mark}، "
                          "والسعر {price} ليس كذلك: أرسل سعرًا أقل.",
    "sl.wrong_side_short": "وقف الخسارة لمركز البيع يجب أن يكون أعلى من سعر العلامة {mark}، "
                           "والسعر {price} ليس كذلك: أرسل سعرًا أعلى.",
    "sl.sent": "📤 جارٍ وضع وقف الخسارة لـ {symbol} عند {price}: الإشارة {id}. تصلك النتيجة "
               "بعد قليل.",
    "be.sent": "📤 جارٍ نقل وقف الخسارة لـ {symbol} إلى سعر الدخول (التعادل): الإشارة {id}. "
               "تصلك النتيجة بعد قليل.",
    "trail.usage": "أرسل <code>{percent}</code> لوقف متحرك يبعد عن السعر نسبة مئوية منه، أو "
                   "<code>{distance}</code> لمسافة بالسعر.",
    "trail.bad_distance": "القيمة «{given}» ليست مسافة صالحة للوقف المتحرك. أرسل مسافة أكبر "
                          "من الصفر مثل <code>{distance}</code>، أو نسبة مئوية بين الصفر "
                          "والمئة مثل <code>{percent}</code>.",
    "trail.sent": "📤 جارٍ وضع وقف متحرك بمسافة {distance} على {symbol}: الإشارة {id}. تصلك "
                  "النتيجة بعد قليل.",
    "trail.ask": "ما مسافة الوقف المتحرك؟ مثلًا <code>{example}</code>",
    "protect.which_side": "لديك مركز شراء ومركز بيع مفتوحان على {symbol}: حدّد أيهما، "
                          "<code>{long}</code> للشراء أو <code>{short}</code> للبيع.",
    "protect.bad_side": "القيمة «{given}» ليست جهة مركز. اختم الأمر بـ long للشراء أو short "
                        "للبيع، مثلًا <code>{example}</code>.",
    "profit.title": "💹 <b>الأرباح والخسائر المحققة</b> — حساب {account}، العقود الآجلة",
    "profit.none": "لا توجد صفقات عقود آجلة على هذا الحساب بعد.",
    "profit.all_time": "كل الفترة",
    "profit.last_days": "آخر {days}",
    "profit.net": "<b>{period}</b>: {net} بعد رسوم قدرها {fees}",
    "profit.no_closing": "لا توجد صفقات إغلاق.",
    "profit.trades": "صفقات الإغلاق: {count}، الرابحة منها: {wins} ({rate})",
    "profit.best": "أفضل رمز: {symbol} ({pnl})",
    "profit.worst": "أسوأ رمز: {symbol} ({pnl})",
    "profit.rule": "<i>الربح المحقق: مكاسب السعر في صفقات إغلاق العقود الآجلة (تقليل المركز "
                   "فقط) مطروحًا منها كل رسوم العقود الآجلة المدفوعة، ومنها رسوم الفتح، بعملة "
                   "USDT. صفقة الإغلاق هي تنفيذ إغلاق واحد، وتُعد رابحة إذا زاد ربحها على "
                   "رسومها.</i>",
    "balance.text": "💰 <b>حساب {account}</b>\n"
                    "الرصيد: {total} USDT\nالمتاح: {available} USDT",
    "trades.title": "🧾 <b>آخر الإشارات: {count}</b>",
    "trades.line": "{mark} #{id} · {when} UTC · <b>{what}</b> — {status}{detail}",
    "trades.none": "لا توجد إشارات بعد. يوضح /webhook كيف ترسلها من TradingView.",
    "trades.unreadable": "(تنبيه غير مقروء)",

    # --- الإشعارات ---------------------------------------------------------------------------
    "report.done": "✅ <b>{symbol}</b> · {action} · الإشارة #{id}",
    "report.leg_opened": "فُتح مركز {side} بكمية {qty} {symbol} بسعر {price} · الرافعة "
                         "{leverage}x",
    "report.leg_opened_bare": "فُتح مركز {side} بكمية {qty} {symbol} بسعر {price}",
    "report.leg_closed": "أُغلق مركز {side} بكمية {qty} {symbol} بسعر {price}{pnl}",
    "report.leg_bought": "تم شراء {qty} {symbol} بسعر {price}",
    "report.leg_sold": "تم بيع {qty} {symbol} بسعر {price}",
    "report.all_of_it": "كله: كانت {share}٪ ستترك أقل من الحد الأدنى للأمر لدى Bybit",
    "report.account": "الحساب: {account} · {market}",
    "report.summary": "{summary}",
    "report.skipped": "⏭ <b>{symbol}</b> · {action} · الإشارة #{id}: تم التخطي — لديك مركز "
                      "{side} بحجم {size} بالفعل. التعزيز متوقف، فلا تضيف التنبيهات المتكررة "
                      "إلى المركز؛ يغيّر ذلك الأمر <code>/set pyramiding on</code>.",
    "report.kept": "⏭ <b>{symbol}</b> · {action} · الإشارة #{id}: لم يُنفَّذ شيء — خفّضت "
                   "الاستراتيجية مركز {side} لديها وما زالت في مركز {side}، فيبقى مركز {side} "
                   "لديك بحجم {size} كما هو.",
    "report.nothing": "ℹ️ <b>{symbol}</b> · {action} · الإشارة #{id}: {reason}.",
    "report.failed": "❌ <b>{symbol}</b> · {action} · الإشارة #{id}: لم تُنفَّذ",
    "report.expired": "⌛ <b>{symbol}</b> · {action} · الإشارة #{id}: انتهت صلاحيتها ولم تُنفَّذ",
    "report.reason": "السبب: {reason}",
    "report.legacy": "📡 <b>الويب هوك القديم /webhook</b>",
    "report.exit_stop": "🛡 وقف الخسارة {price}",
    "report.exit_take": "🎯 جني الأرباح {price}",
    "report.exit_target": "🎯 الهدف {n}: {qty} عند {price}",
    "report.exit_trailing": "📉 وقف متحرك بمسافة {distance}{start}",
    "report.exit_from": " يبدأ من {price}",
    "report.exit_be": "➡️ نقل الوقف إلى نقطة التعادل بعد الهدف {n}",
    "report.exit_note": "⚠️ ملاحظة: {note}",
    "event.break_even": "🛡 نُقل وقف الخسارة إلى نقطة التعادل: {price}",
    "report.take_profit": "🎯 <b>تحقق جني الأرباح</b> عند السعر {price}",
    "report.stop_loss": "🛑 <b>تفعّل وقف الخسارة</b> عند السعر {price}",
    "report.telegram": "📱 <b>من تيليجرام</b>",
    "report.trailing_stop": "📉 <b>تفعّل الوقف المتحرك</b> عند السعر {price}",
}
