"""رسائل التنبيهات المرفوضة ونوعي الإيقاف والأزرار وصفحات /trades العربية (HTML)، تُدمج في
`ar.MESSAGES`."""

MESSAGES: dict[str, str] = {
    # --- إبلاغ التنبيهات المرفوضة، نوعا الإيقاف، لا طرق مسدودة، صفحات /trades ومنطقتها الزمنية --
    "refusal.head": "\u200f⛔ <b>رُفض تنبيه</b>{what}{signal}: لم يُنفَّذ أي تداول.",
    "refusal.what": " · الرمز <b>{symbol}</b> · {action}",
    "refusal.signal": " · الإشارة #{id}",
    "refusal.legacy": "\u200f📡 <b>الويب هوك القديم {webhook}</b>",
    "refusal.channel": "\u200f📡 قناتك <b>{name}</b> ({code})",
    "refusal.alert": " · تنبيه القناة #{id}",
    "refusal.reason": "السبب وما العمل: {reason}",
    "refusal.close_paused": "\u200f⚠️ كان التنبيه إغلاقًا، لذا ما زال ذلك المركز مفتوحًا. أغلقه "
                            "بالأمر {close}، أو أرسل {resume} لتُنفَّذ التنبيهات من جديد.",
    "refusal.close_open": "\u200f⚠️ كان التنبيه إغلاقًا، لذا ما زال ذلك المركز مفتوحًا: أصلح "
                          "التنبيه، أو أغلقه بالأمر {close}.",
    "refusal.quiet": "لن نُبلغك بالتنبيهات المرفوضة للسبب نفسه مرة أخرى قبل {lifetime}؛ "
                     "ويعرضها {trades} جميعًا.",
    "refusal.quiet_channel": "لن نُبلغك بتنبيهات هذه القناة المرفوضة للسبب نفسه مرة أخرى قبل "
                             "{lifetime}.",
    "button.resume": "▶️ استئناف التداول",
    "button.pause_entries": "⏸ الدخول الجديد فقط",
    "pause.usage": "أرسل {entries} (لا مراكز جديدة، والإغلاق يعمل) أو {all} (يُرفض كل "
                   "تنبيه)، أو الأمر \u2066/pause\u2069 وحده لتظهر الأزرار.",
    "pause.done_entries": "\u200f⏸ تم إيقاف الدخول الجديد: تُرفض التنبيهات التي تفتح مركزًا "
                          "ونُبلغك بها هنا، وتبقى عمليات الإغلاق والخروج وأوامرك في تيليجرام "
                          "تعمل. الأمر {resume} يُنهي الإيقاف.",
    "pause.done_all": "\u200f⏹ تم إيقاف التداول: يُرفض كل تنبيه ونُبلغك به هنا، والإغلاق "
                      "المرفوض نُبلغك به في كل مرة. أوامرك في تيليجرام (\u2066/close\u2069) "
                      "تبقى تعمل. الأمر {resume} يُنهي الإيقاف.",
    "pause.already_entries": "الدخول الجديد موقوف بالفعل. الأمر {resume} يُنهي الإيقاف، "
                             "و<code>\u2066/pause all\u2069</code> يوقف كل شيء.",
    "settings.paused_entries": "الدخول الجديد موقوف (\u2066/resume\u2069)",
    "status.entries_paused": "الدخول موقوف",
    "settings.text_spot": "\u200f⚙️ <b>إعداداتك</b>\n"
                          "السوق: <b>{market}</b>\n"
                          "الحساب: <b>{account}</b>\n"
                          "مبلغ كل صفقة: <b>{amount} USDT</b>\n"
                          "التعزيز (الإضافة إلى مركز مفتوح): <b>{pyramiding}</b>\n"
                          "التداول: <b>{trading}</b>\n"
                          "مفاتيح API المحفوظة: الحساب التجريبي {demo_keys} · الحساب الحقيقي "
                          "{real_keys}\n\n"
                          "اضغط زرًّا، أو أرسل مثلًا <code>/set amount 50</code>.",
    "settings.tz": "المنطقة الزمنية: <b>{tz}</b> ({example})",
    "settings.custom_amount": "مبلغ آخر…",
    "settings.ask_amount": "\u200f💵 أرسل مبلغ كل صفقة بالـ USDT، مثلًا {example} (أكبر من 0 "
                           "ولا يتجاوز {cap}).\n"
                           "الأمر {cancel} يُلغي.",
    "settings.amount_again": "أرسل مبلغًا آخر، أو {cancel}.",
    "settings.tz_button": "🕒 المنطقة الزمنية",
    "settings.ask_tz": "\u200f🕒 <b>منطقتك الزمنية</b> للأوقات التي يعرضها \u2066/trades\u2069: "
                       "الآن {now}.\n"
                       "اضغط إحداها، أو أرسل فرقًا عن UTC مثل {offset} أو اسمًا مثل {named}.\n"
                       "الأمر {cancel} يُلغي.",
    "settings.tz_again": "أرسل منطقة زمنية أخرى، أو {cancel}.",
    "set.bad_tz": "«{given}» ليست منطقة زمنية. أرسل فرقًا عن UTC مثل "
                  "<code>\u2066/set tz +3\u2069</code>، أو اسمًا مثل "
                  "<code>\u2066/set tz Asia/Riyadh\u2069</code>، أو "
                  "<code>\u2066/set tz UTC\u2069</code>.",
    "set.done_tz": "تم ضبط المنطقة الزمنية على {value}: يعرض \u2066/trades\u2069 الأوقات بها.",
    "set.usage_tz": "المنطقة الزمنية لـ \u2066/trades\u2069: {example} أو {named}",
    "button.add_keys": "🔑 إضافة مفاتيح {account}",
    "button.try_again": "🔁 حاول مرة أخرى",
    "keys.or_cancel": "الأمر {cancel} يُلغي.",
    "prompt.cancelled": "تم الإلغاء. لم يتغير شيء.",
    "button.settings": "⚙️ الإعدادات",
    "button.tradingview": "📈 إعداد TradingView",
    "button.rotate": "🔄 تغيير الرابط",
    "rotate.ask": "\u200f⚠️ <b>هل تريد رابط ويب هوك جديدًا؟</b>\n"
                  "سيتوقف فورًا كل تنبيه يرسل إلى الرابط القديم، حتى تلصق الرابط الجديد في "
                  "كل تنبيه في TradingView. وتتوقف كذلك روابط لوحة المتابعة السابقة.",
    "rotate.cancelled": "تم الإلغاء: رابط الويب هوك لم يتغير.",
    "trades.page_title": "\u200f🧾 <b>الإشارات {first}–{last}</b>، الأحدث أولًا · الأوقات "
                         "بتوقيت {tz}",
    "trades.entry": "\u200f{mark} الإشارة #{id} · {when} · <b>{what}</b> — {status}{detail}",
    "trades.detail": "النتيجة: {detail}",
    "trades.skipped": "تم تخطيها",
    "trades.nothing": "لا شيء لفعله",
    "trades.no_more": "لا توجد إشارات أقدم.",
    "button.newer": "◀ الأحدث",
    "button.older": "الأقدم ▶",
}
