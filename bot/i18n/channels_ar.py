"""رسائل قنوات الإشارات العربية (HTML)، تُدمج في `ar.MESSAGES`."""

MESSAGES: dict[str, str] = {
    # --- قنوات الإشارات: /channel للمشرفين، و /channels و /subscribe و /unsubscribe و /copy ---
    "cmd.channel": "إدارة قناة إشارات: إنشاؤها ورابطها وإيقافها وإحصاءاتها ومراسلة مشتركيها",
    "cmd.channels": "قنوات الإشارات التي تتابعها والتي تديرها",
    "cmd.subscribe": "متابعة قناة إشارات: تُنفَّذ تنبيهاتها على حسابك أنت",
    "cmd.unsubscribe": "إيقاف متابعة قناة إشارات",
    "cmd.copy": "طريقة نسخ القناة: المبلغ والرافعة، والتنفيذ فورًا أو بعد تأكيدك",
    "status.awaiting": "بانتظار تأكيدك",
    "status.skipped": "تم تخطيها",
    "channel.usage": "📡 <b>قنوات الإشارات</b>: تنبيهات مزوّد واحد يتداولها كل مشترك على "
                     "حسابه الخاص.\n"
                     "لإنشاء قناة تحصل منها على رمزها ورابط الويب هوك: "
                     "<code>/channel new &lt;name&gt;</code>\n"
                     "لعرض رابط الويب هوك مجددًا: <code>/channel url &lt;code&gt;</code>\n"
                     "لرابط جديد يُبطل القديم: <code>/channel rotate &lt;code&gt;</code>\n"
                     "لرفض تنبيهاتها مؤقتًا ثم استئنافها: <code>/channel pause &lt;code&gt;</code>"
                     " و <code>/channel resume &lt;code&gt;</code>\n"
                     "لمعرفة ما حدث لآخر تنبيهاتها: <code>/channel stats &lt;code&gt;</code>\n"
                     "لإرسال رسالة إلى كل المشتركين: "
                     "<code>/channel post &lt;code&gt; &lt;text&gt;</code>",
    "channel.usage_new": "أعطِ القناة اسمًا لا يزيد على {most} حرفًا: "
                         "<code>/channel new Gold signals</code>",
    "channel.usage_url": "أرسل رمز القناة: <code>/channel url abc234</code> (يعرض /channels "
                         "قنواتك).",
    "channel.usage_rotate": "أرسل رمز القناة: <code>/channel rotate abc234</code> (يعرض "
                            "/channels قنواتك).",
    "channel.usage_pause": "أرسل رمز القناة: <code>/channel pause abc234</code> (يعرض "
                           "/channels قنواتك).",
    "channel.usage_resume": "أرسل رمز القناة: <code>/channel resume abc234</code> (يعرض "
                            "/channels قنواتك).",
    "channel.usage_stats": "أرسل رمز القناة: <code>/channel stats abc234</code> (يعرض "
                           "/channels قنواتك).",
    "channel.usage_post": "أرسل الرمز ثم النص (بحد أقصى {most} حرف): "
                          "<code>/channel post abc234 السوق متقلب اليوم</code>",
    "channel.created": "📡 القناة <b>{name}</b> جاهزة.\n"
                       "رمزها (اضغط عليه لنسخه):\n\u200f<code>{code}</code>\n"
                       "رابط الويب هوك لتنبيهات TradingView من المزوّد (اضغط عليه لنسخه). "
                       "احتفظ به سرًّا: إنه يتداول لكل المشتركين.\n\u200f<code>{url}</code>\n"
                       "ينضم المشتركون بالأمر {command} أو بهذا الرابط: {link}\n"
                       "ويعرض <code>/channel stats {code}</code> ما فعلته تنبيهاتها.",
    "channel.url": "📡 القناة <b>{name}</b>\nرمزها (اضغط عليه لنسخه):\n"
                   "\u200f<code>{code}</code>\n"
                   "رابط الويب هوك (اضغط عليه لنسخه؛ إنه يتداول لكل المشتركين):\n"
                   "\u200f<code>{url}</code>\nينضم المشتركون بالأمر {command} أو بالرابط {link}",
    "channel.rotated": "🔄 للقناة <b>{name}</b> رابط ويب هوك جديد، وتوقف الرابط القديم. "
                       "أعطِ المزوّد الرابط الجديد.\n"
                       "رمزها (اضغط عليه لنسخه):\n\u200f<code>{code}</code>\n"
                       "رابط الويب هوك (اضغط عليه لنسخه):\n\u200f<code>{url}</code>\n"
                       "ينضم المشتركون بالأمر {command} أو بالرابط {link}",
    "channel.rotate_ask": "🔄 هل تريد رابط ويب هوك جديدًا للقناة <b>{name}</b> ({code})؟ يتوقف "
                          "الرابط الحالي فورًا، وتُرفض التنبيهات المرسلة إليه حتى يستخدم "
                          "المزوّد الرابط الجديد.",
    "channel.rotate_yes": "🔄 رابط جديد",
    "channel.rotate_no": "إبقاء الرابط الحالي",
    "channel.rotate_kept": "لم يتغير رابط الويب هوك للقناة <b>{name}</b>.",
    "channel.unknown": "لا توجد قناة بالرمز {code}. يعرض /channels قنواتك، وتُنشئ "
                       "<code>/channel new &lt;name&gt;</code> قناة جديدة.",
    "channel.not_yours": "القناة <b>{name}</b> ({code}) يديرها مشرف آخر، وهو وحده من يستطيع "
                         "إدارتها.",
    "channel.paused": "⏸ أُوقفت القناة <b>{name}</b> مؤقتًا: تُرفض تنبيهاتها (HTTP 403) ولا "
                      "يُتداول شيء حتى ترسل <code>/channel resume {code}</code>.",
    "channel.resumed": "▶️ عادت القناة <b>{name}</b> تستقبل التنبيهات، وتُتداول لمشتركيها.",
    "channel.already_paused": "القناة <b>{name}</b> موقوفة مؤقتًا بالفعل، ويُنهي "
                              "<code>/channel resume {code}</code> الإيقاف.",
    "channel.already_running": "القناة <b>{name}</b> ليست موقوفة: تنبيهاتها تُتداول.",
    "channel.stats_title": "📊 القناة <b>{name}</b> ({code})",
    "channel.stats_subscribers": "عدد المشتركين: {count}",
    "channel.stats_pnl": "الربح أو الخسارة المحققة للمشتركين بعد الرسوم: {pnl} (من صفقات "
                         "الإغلاق، وعددها {closes})",
    "channel.stats_paused": "⏸ موقوفة مؤقتًا: يعيد <code>/channel resume {code}</code> "
                            "استقبال التنبيهات.",
    "channel.stats_none": "لم يصل أي تنبيه بعد.",
    "channel.stats_alert": "التنبيه <b>#{id}</b>: {what} · {when} UTC · عدد المشتركين "
                           "{subscribers}\n"
                           "✅ نُفّذ {done} · ❌ فشل {failed} · ⏭ تُخطّي {skipped} · "
                           "⏳ بانتظار التأكيد {awaiting}",
    "channel.stats_running": "▶️ قيد التنفيذ {n}",
    "channel.stats_rejected": "⛔ تعذّر تداوله {n}",
    "channel.stats_expired": "⌛ انتهت مهلته {n}",
    "channel.stats_expanding": "ما زال يصل إلى المشتركين",
    "channel.post": "📢 رسالة من القناة <b>{name}</b>\n{text}",
    "channel.posted": "📨 رسالتك إلى مشتركي القناة <b>{name}</b> في الطريق إلى {count} "
                      "شخص، وتُرسل بالوتيرة التي تسمح بها حدود تيليجرام.",
    "channel.from": "📡 من القناة <b>{name}</b> ({code})",
    "channel.question": "الإشارة #{id}: {what}. هل تريد تنفيذها؟",
    "channel.question_sizing": "بإعداداتك: {amount} · {leverage}",
    "channel.question_deadline": "أجب خلال {seconds} ثانية من وصول التنبيه، وبعدها تنتهي "
                                 "مهلتها دون تداول.",
    "channel.question_no_deadline": "تبقى بانتظار إجابتك.",
    "channel.qty": "الكمية التي يحددها التنبيه ({qty})",
    "channel.execute": "✅ تنفيذ",
    "channel.skip": "⏭ تخطٍّ",
    "channel.not_traded": "⛔ الإشارة #{id}: لم تُتداول {what} لحسابك.",
    "channel.refused_inactive": "حسابك غير مفعّل (لم يوافق عليه مشرف بعد، أو أوقفه)، ولن "
                                "يُتداول شيء حتى يُفعَّل.",
    "channel.refused_paused": "التداول موقوف مؤقتًا في حسابك، ويعيده الأمر /resume.",
    "channel.refused_entries_paused": "فتح المراكز الجديدة موقوف في حسابك (أما الإغلاق فما زال "
                                      "يُنفَّذ)، ويعيد الأمر /resume التداول.",
    "channel.refused_no_keys": "حسابك مضبوط على {account} لكن لا توجد مفاتيح API محفوظة لـ "
                               "{account}: أرسل {keys}، أو تدرّب عبر /set account paper.",
    "confirm.executing": "✅ جارٍ تنفيذ الإشارة #{id}، وتصلك النتيجة بعد قليل.",
    "confirm.skipped": "⏭ تم التخطي: لم تُتداول الإشارة #{id}.",
    "confirm.was_skipped": "سبق تخطي الإشارة #{id}.",
    "confirm.expired": "⌛ فات الأوان: انتظرت الإشارة #{id} أكثر من {seconds} ثانية، فانتهت "
                       "مهلتها ولم تُتداول.",
    "confirm.answered": "سبقت الإجابة عن الإشارة #{id}، ولم يغيّر هذا الضغط شيئًا.",
    "channels.following": "📡 <b>القنوات التي تتابعها</b>",
    "channels.none": "لا تتابع أي قناة إشارات. للانضمام إلى قناة أرسل "
                     "<code>/subscribe &lt;code&gt;</code> (يعطيك مشرفها الرمز).",
    "channels.line": "• القناة <b>{name}</b> ({code})\n  {sizing}",
    "channels.button": "⚙️ إعدادات {name}",
    "channels.running": "📣 <b>القنوات التي تديرها</b>",
    "channels.running_none": "لا تدير أي قناة بعد، وتُنشئ "
                             "<code>/channel new &lt;name&gt;</code> قناة جديدة.",
    "channels.owned_line": "• القناة <b>{name}</b> ({code}) — عدد المشتركين: {count}{paused}",
    "channels.paused": " · ⏸ موقوفة مؤقتًا",
    "sub.usage": "أرسل رمز القناة: <code>/subscribe abc234</code> (يعطيك مشرفها الرمز).",
    "sub.unknown": "لا توجد قناة بالرمز {code}: تحقق من الرمز مع مشرف القناة.",
    "sub.joined": "✅ أصبحت تتابع القناة <b>{name}</b> ({code})، وتُتداول تنبيهاتها على حسابك "
                  "أنت.",
    "sub.already": "أنت تتابع القناة <b>{name}</b> ({code}) بالفعل.",
    "sub.not_approved": "⏳ لم يُوافَق على حسابك بعد، ولن يُتداول شيء حتى يوافق عليه مشرف.",
    "sub.no_keys": "⚠️ حسابك مضبوط على {account} لكن لا توجد مفاتيح API محفوظة لـ {account}، "
                   "فلن تُتداول تنبيهات القناة لحسابك: أرسل {keys}، أو تدرّب عبر "
                   "/set account paper.",
    "sub.how_to_change": "غيّر ذلك بالأزرار، أو بالأمر {command} amount=50 leverage=signal "
                         "mode=confirm",
    "unsub.usage": "أرسل رمز القناة: <code>/unsubscribe abc234</code> (يعرض /channels "
                   "قنواتك).",
    "unsub.done": "لم تعد تتابع القناة <b>{name}</b> ({code})، ولن تُتداول تنبيهاتها لحسابك. "
                  "تبقى المراكز المفتوحة كما هي.",
    "unsub.not_following": "أنت لا تتابع القناة <b>{name}</b> ({code}).",
    "copy.usage": "أرسل رمز القناة وما تريد تغييره:\n"
                  "هامش 50 USDT لكل صفقة: <code>/copy abc234 amount=50</code>\n"
                  "نسبة 5٪ من رصيدك المتاح: <code>/copy abc234 amount=5%</code>\n"
                  "مبلغ التنبيه، وإلا مبلغك أنت: <code>/copy abc234 amount=mine</code>\n"
                  "الرافعة: <code>/copy abc234 leverage=10</code> أو "
                  "<code>leverage=signal</code>\n"
                  "الطريقة: <code>/copy abc234 mode=confirm</code> (اسألني أولًا) أو "
                  "<code>mode=auto</code>",
    "copy.usage_short": "يغيّر ذلك {command} amount=&lt;usdt|n%|mine&gt; "
                        "leverage=&lt;signal|n&gt; mode=&lt;auto|confirm&gt;",
    "copy.current": "📡 طريقة نسخك للقناة <b>{name}</b> ({code}):",
    "copy.changed": "✅ حُفظ. طريقة نسخك للقناة <b>{name}</b> ({code}) الآن:",
    "copy.not_following": "أنت لا تتابع القناة <b>{name}</b> ({code}): أرسل "
                          "<code>/subscribe {code}</code> أولًا.",
    "copy.bad_argument": "لا أستطيع استخدام «{given}». اكتب "
                         "<code>/copy {code} amount=50 leverage=signal mode=auto</code>، "
                         "وكلٌّ من amount و leverage و mode مرة واحدة على الأكثر.",
    "copy.bad_amount": "«{given}» ليس مبلغًا صالحًا. أرسل عددًا من USDT أكبر من 0 ولا يتجاوز "
                       "{cap} (<code>/copy {code} amount=50</code>)، أو نسبة من رصيدك "
                       "(<code>/copy {code} amount=5%</code>)، أو "
                       "<code>/copy {code} amount=mine</code>.",
    "copy.bad_leverage": "«{given}» ليست رافعة صالحة. أرسل عددًا صحيحًا من 1 إلى {cap} "
                         "(<code>/copy {code} leverage=10</code>)، أو "
                         "<code>/copy {code} leverage=signal</code> لرافعة التنبيه.",
    "copy.bad_mode": "«{given}» ليست طريقة معروفة. أرسل <code>/copy {code} mode=auto</code> "
                     "(التنفيذ فورًا) أو <code>/copy {code} mode=confirm</code> (اسألني أولًا).",
    "copy.line": "المبلغ: {amount} · الرافعة: {leverage} · الطريقة: {mode}",
    "copy.amount_fixed": "مبلغ ثابت {amount}",
    "copy.amount_percent": "{percent} من الرصيد المتاح",
    "copy.amount_alert": "مبلغ التنبيه، وإلا مبلغك ({amount})",
    "copy.leverage_fixed": "ثابتة {leverage}",
    "copy.leverage_alert": "رافعة التنبيه، وإلا رافعتك ({leverage})",
    "copy.mode_auto": "التنفيذ فورًا",
    "copy.mode_confirm": "بعد تأكيدك",
    "copy.button_mine": "مبلغي",
    "copy.button_signal": "رافعة التنبيه",
    "copy.button_auto": "تلقائي",
    "copy.button_confirm": "بعد التأكيد",
    "copy.button_leave": "✖ إلغاء المتابعة",
}
