"""الرسائل العربية (HTML). المفاتيح نفسها التي في en.py، والأوامر والقيم تبقى بالحروف اللاتينية."""

MESSAGES: dict[str, str] = {
    # --- وصف الأوامر: /help وقائمة أوامر تيليجرام (نص عادي) ---------------------------------
    "cmd.start": "التسجيل وطلب الوصول",
    "cmd.help": "ما الذي يستطيع البوت فعله",
    "cmd.language": "اختيار اللغة (العربية أو الإنجليزية)",
    "cmd.webhook": "رابط الويب هوك الخاص بك ورسائل TradingView الجاهزة",
    "cmd.settings": "إعدادات التداول مع أزرار لتغييرها",
    "cmd.set": "تغيير إعداد واحد، مثل /set amount 100",
    "cmd.keys": "حفظ مفاتيح API لحسابك في Bybit (في المحادثة الخاصة فقط)",
    "cmd.positions": "المراكز المفتوحة والعملات المحتفَظ بها",
    "cmd.close": "إغلاق مركز أو ربعه أو نصفه أو ثلاثة أرباعه (بعد التأكيد)",
    "cmd.sl": "وضع وقف الخسارة لمركز أو نقله إلى سعر الدخول (التعادل)",
    "cmd.trail": "وضع وقف خسارة متحرك على مركز",
    "cmd.profit": "الأرباح المحققة بعد الرسوم (مكاسب صفقات الإغلاق مطروحًا منها كل رسوم العقود "
                  "الآجلة، ومنها رسوم الفتح)، ونسبة الصفقات الرابحة، وأفضل رمز وأسوأ رمز",
    "cmd.balance": "رصيد USDT في الحساب المستخدم",
    "cmd.trades": "آخر الإشارات وما حدث لكل منها",
    "cmd.pause": "إيقاف تنفيذ الإشارات الجديدة",
    "cmd.resume": "استئناف تنفيذ الإشارات",
    "cmd.rotate": "رابط ويب هوك جديد؛ ويتوقف القديم",
    "cmd.dashboard": "رابط للقراءة فقط إلى لوحة المتابعة المباشرة؛ والأمر /dashboard revoke يُلغي "
                     "الروابط السابقة",
    "cmd.chart": "رسم بياني لأرباحك وخسائرك في صورة",
    "cmd.cancel": "إلغاء الخطوة الحالية",
    "cmd.users": "قائمة المستخدمين وحالاتهم",
    "cmd.activate": "تفعيل مستخدم",
    "cmd.deactivate": "إيقاف مستخدم",
    "cmd.stats": "المستخدمون وإشارات اليوم وقائمة الانتظار",

    # --- /help ------------------------------------------------------------------------------
    "help.title": "🤖 <b>BotByBit</b> يحوّل تنبيهات TradingView إلى أوامر على Bybit.",
    "help.user": "<b>الأوامر</b>",
    "help.admin": "<b>للمشرفين</b>",
    "help.line": "{description} — {command}{usage}",
    "help.inactive": "⏳ حسابك بانتظار موافقة أحد المشرفين؛ تعمل بقية الأوامر بعد الموافقة.",
    "help.unregistered": "أرسل /start للتسجيل.",

    # --- الصلاحيات ---------------------------------------------------------------------------
    "auth.admin_only": "⛔ هذا الأمر للمشرفين فقط.",
    "auth.waiting": "⏳ حسابك بانتظار موافقة أحد المشرفين. ستصلك رسالة هنا فور تفعيله. حتى ذلك "
                    "الحين يعمل الأمران /help و /language.",
    "auth.register_first": "أرسل /start أولًا للتسجيل.",
    "auth.private_only": "🔒 الرد يحمل سرًّا (رابطًا يتداول باسمك أو يفتح لوحتك)، لذلك لا أرسله "
                         "إلا في محادثة خاصة معي. افتح المحادثة مع البوت واطلبه هناك.",

    # --- التسجيل -----------------------------------------------------------------------------
    "start.registered": "👋 أهلًا بك يا {name}! تم تسجيلك (المعرّف <code>{id}</code>).\n"
                        "أُرسل طلبك إلى المشرفين للموافقة، وستصلك رسالة هنا عند تفعيل حسابك. "
                        "لن يُنفَّذ أي تداول قبل ذلك.",
    "start.waiting": "⏳ تسجيلك (المعرّف <code>{id}</code>) ما زال بانتظار موافقة أحد "
                     "المشرفين. ستصلك رسالة هنا عند تفعيله.",
    "start.active": "👋 أهلًا بعودتك يا {name}! حسابك مفعّل.\n"
                    "الأمر /webhook يعطيك رابط TradingView، والأمر /settings يعرض إعدادات "
                    "التداول، والأمر /help يعرض كل ما عدا ذلك.",
    "start.admin": "👋 أهلًا بك يا {name}! أنت مشرف، لذلك فُعّل حسابك مباشرة.\n"
                   "الأمر /webhook يعطيك رابط TradingView، والأمران /users و /stats للمشرفين.",
    "user.approved": "✅ تم تفعيل حسابك: تنبيهات TradingView الخاصة بك تُنفَّذ الآن.\n"
                     "الإعدادات — الحساب: {account}، السوق: {market}، مبلغ كل صفقة: {amount} "
                     "USDT، الرافعة: {leverage}x. يمكنك تغييرها من /settings. (حساب المحاكاة لا "
                     "يحتاج إلى مفاتيح.)",
    "user.deactivated": "⛔ حسابك غير مفعّل: رفضه أحد المشرفين أو أوقفه. تُرفض تنبيهاتك حتى "
                        "يعيد مشرف تفعيله.",

    # --- المشرفون ----------------------------------------------------------------------------
    "admin.request": "🆕 <b>طلب وصول</b>\n{name}\nالمعرّف <code>{id}</code>",
    "admin.approve": "✅ موافقة",
    "admin.reject": "❌ رفض",
    "admin.approved": "✅ وافق {admin} على {name} (المعرّف <code>{id}</code>).",
    "admin.rejected": "❌ رفض {admin} طلب {name} (المعرّف <code>{id}</code>).",
    "admin.already_active": "سبقت الموافقة على {name} (المعرّف <code>{id}</code>) وحسابه مفعّل؛ "
                            "لإيقافه: <code>{command}</code>",
    "admin.no_user": "لا يوجد مستخدم بالمعرّف {id}. استخدم /users لعرض المستخدمين.",
    "admin.usage": "أرسل معرّف المستخدم في تيليجرام: <code>/{command} 123456789</code> (يعرض "
                   "الأمر /users المعرّفات).",
    "admin.activated": "✅ تم تفعيل {name} (المعرّف <code>{id}</code>).",
    "admin.deactivated": "⛔ تم إيقاف {name} (المعرّف <code>{id}</code>)؛ ستُرفض تنبيهاته.",
    "admin.users_title": "👥 <b>المستخدمون {first}–{last} من {total}</b>",
    "admin.users_empty": "لا يوجد مستخدمون بعد.",
    "admin.user_line": "{mark} <code>{id}</code> {name} — {status} · {extras}",
    "stats.text": "📊 <b>الإحصاءات</b>\n"
                  "المستخدمون: {total} (المفعّلون: {active}، بانتظار الموافقة أو موقوفون: "
                  "{waiting}، المشرفون: {admins})\n"
                  "إشارات اليوم (بتوقيت UTC): {signals} — {outcomes}\n"
                  "قائمة الانتظار: {depth} بالانتظار، {running} قيد التنفيذ؛ إشعارات لم تُرسل "
                  "بعد: {backlog}",
    "stats.outcome": "{status}: {count}",
    "stats.none": "لا شيء",

    # --- اللغة -------------------------------------------------------------------------------
    "language.choose": "اختر اللغة:",
    "language.set": "✅ اللغة: {name}.",
    "language.bad": "«{given}» ليست لغة أدعمها. المسموح: {allowed}، مثلًا "
                    "<code>/language ar</code>.",

    # --- الويب هوك ---------------------------------------------------------------------------
    "webhook.text": "🔗 <b>رابط الويب هوك الخاص بك</b> (اضغط عليه لنسخه):\n"
                    "<code>{url}</code>\n"
                    "احتفظ به لنفسك: من يملكه يستطيع التداول على حسابك. الأمر /rotate يستبدله.\n\n"
                    "في TradingView: أنشئ تنبيهًا ← الإشعارات ← Webhook URL: الصق الرابط. ثم ضع "
                    "إحدى الرسالتين التاليتين في خانة الرسالة (Message):\n\n"
                    "<b>تنبيه مؤشر</b> (لتنبيه البيع غيّر <code>buy</code> إلى "
                    "<code>sell</code>):\n"
                    "<pre>{indicator}</pre>\n"
                    "<b>تنبيه استراتيجية</b> (الدخول والخروج يتبعان الاستراتيجية):\n"
                    "<pre>{strategy}</pre>",
    "rotate.done": "🔄 هذا رابط الويب هوك الجديد، وقد توقف الرابط القديم وكذلك روابط لوحة "
                   "المتابعة السابقة. حدّث تنبيهاتك:\n<code>{url}</code>",
    "dashboard.link": "📈 <b>لوحة المتابعة المباشرة</b> للقراءة فقط: تعرض صفقاتك ولا تستطيع "
                      "تنفيذ أي صفقة. يعمل الرابط لمدة {lifetime}؛ لا تشاركه مع أحد. "
                      "الأمر /dashboard revoke يُلغي كل الروابط السابقة.",
    "dashboard.link_text": "📈 <b>لوحة المتابعة المباشرة</b> للقراءة فقط. يعمل الرابط لمدة "
                           "{lifetime}؛ لا تشاركه مع أحد:\n<code>{url}</code>\n"
                           "الأمر /dashboard revoke يُلغي كل الروابط السابقة.",
    "dashboard.revoked": "🔒 توقفت كل روابط لوحة المتابعة السابقة، وتُغلق الصفحات المفتوحة بها "
                         "خلال ثوانٍ. أرسل /dashboard لتحصل على رابط جديد.",
    "dashboard.usage": "أرسل /dashboard لتحصل على رابط لوحة المتابعة، أو "
                       "<code>/dashboard revoke</code> لإلغاء كل الروابط السابقة.",
    "lifetime.day.one": "يوم واحد",
    "lifetime.day.two": "يومين",
    "lifetime.day.few": "{n} أيام",
    "lifetime.day.many": "{n} يومًا",
    "lifetime.hour.one": "ساعة واحدة",
    "lifetime.hour.two": "ساعتين",
    "lifetime.hour.few": "{n} ساعات",
    "lifetime.hour.many": "{n} ساعة",
    "lifetime.minute.one": "دقيقة واحدة",
    "lifetime.minute.two": "دقيقتين",
    "lifetime.minute.few": "{n} دقائق",
    "lifetime.minute.many": "{n} دقيقة",
    "chart.caption": ("📊 الأرباح والخسائر المحققة (وصفقات الرمز المختار). "
                      "النسخة المباشرة: /dashboard"),

    # --- الإيقاف والاستئناف ------------------------------------------------------------------
    "pause.done": "⏸ تم إيقاف التداول مؤقتًا: ستُرفض التنبيهات الجديدة (وتظهر في /trades). "
                  "الأمر /resume يعيد التشغيل.",
    "pause.already": "التداول موقوف مؤقتًا بالفعل. الأمر /resume يعيد التشغيل.",
    "resume.done": "▶️ تم استئناف التداول: ستُنفَّذ التنبيهات الجديدة من جديد.",
    "resume.already": "التداول يعمل بالفعل.",

    # --- الإعدادات ---------------------------------------------------------------------------
    "settings.text": "⚙️ <b>إعداداتك</b>\n"
                     "السوق: <b>{market}</b>\n"
                     "الحساب: <b>{account}</b>\n"
                     "مبلغ كل صفقة: <b>{amount} USDT</b> (الهامش)\n"
                     "الرافعة المالية: <b>{leverage}x</b> (للعقود الآجلة)\n"
                     "التعزيز (الإضافة إلى مركز مفتوح): <b>{pyramiding}</b>\n"
                     "التداول: <b>{trading}</b>\n"
                     "مفاتيح API المحفوظة: الحساب التجريبي {demo_keys} · الحساب الحقيقي "
                     "{real_keys}\n\n"
                     "اضغط زرًّا، أو أرسل مثلًا <code>/set amount 50</code>.",
    "settings.trading": "يعمل",
    "settings.paused": "موقوف مؤقتًا (للاستئناف: /resume)",
    "settings.pyramiding_on": "التعزيز: تشغيل",
    "settings.pyramiding_off": "التعزيز: إيقاف",
    "set.usage": "أرسل اسم الإعداد وقيمته:\n"
                 "السوق: <code>/set market spot</code> (فوري) أو <code>futures</code> (عقود "
                 "آجلة)\n"
                 "الحساب: <code>/set account paper</code> (محاكاة) أو <code>demo</code> (تجريبي) "
                 "أو <code>real</code> (حقيقي)\n"
                 "مبلغ كل صفقة بعملة USDT: <code>/set amount 100</code>\n"
                 "الرافعة: <code>/set leverage 10</code>\n"
                 "التعزيز: <code>/set pyramiding on</code> (تشغيل) أو <code>off</code> (إيقاف)\n"
                 "أو استخدم أزرار /settings.",
    "set.bad_market": "«{given}» ليس سوقًا معروفًا. المسموح: <code>spot</code> (فوري) أو "
                      "<code>futures</code> (عقود آجلة)، مثلًا <code>/set market futures</code>.",
    "set.bad_account": "«{given}» ليس حسابًا معروفًا. المسموح: <code>paper</code> (محاكاة)، "
                       "أو <code>demo</code> (حساب Bybit التجريبي)، أو <code>real</code> "
                       "(حقيقي)، مثلًا <code>/set account paper</code>.",
    "set.bad_amount": "«{given}» ليس مبلغًا صالحًا. أرسل مبلغًا بعملة USDT أكبر من 0 ولا يتجاوز "
                      "{cap}، مثلًا <code>/set amount 100</code>.",
    "set.bad_leverage": "«{given}» ليست رافعة صالحة. أرسل عددًا صحيحًا من 1 إلى {cap}، مثلًا "
                        "<code>/set leverage 10</code>.",
    "set.bad_pyramiding": "«{given}» ليست قيمة صالحة للتعزيز. أرسل <code>/set pyramiding "
                          "on</code> للتشغيل أو <code>/set pyramiding off</code> للإيقاف.",
    "set.need_keys": "لا توجد مفاتيح API محفوظة لهذا الحساب ({name})، لذا لا يمكن استخدامه "
                     "بعد. أرسل <code>/keys {account} &lt;api_key&gt; &lt;api_secret&gt;</code> "
                     "هنا (في المحادثة الخاصة)، أو ابقَ على حساب المحاكاة <code>/set account "
                     "paper</code> للتدرّب دون مفاتيح.",
    "set.confirm_real": "⚠️ <b>هل تريد التحويل إلى الحساب الحقيقي؟</b>\n"
                        "بعد ذلك ستضع تنبيهاتك أوامر <b>بأموال حقيقية</b> على Bybit. راجع "
                        "المبلغ والرافعة في /settings أولًا.",
    "set.confirm_real_yes": "نعم، تداول بأموال حقيقية",
    "set.done_market": "تم ضبط السوق على {value}.",
    "set.done_account": "تم ضبط الحساب على {value}.",
    "set.done_amount": "تم ضبط المبلغ على {value} USDT لكل صفقة.",
    "set.done_leverage": "تم ضبط الرافعة على {value}x.",
    "set.done_pyramiding": "التعزيز الآن: {value}.",

    # --- الخروج الافتراضي (/set sl|tp|trailing|be؛ زر 🎯 في /settings) ---------------------
    "settings.exits": "الخروج الافتراضي: <b>{exits}</b>",
    "settings.exits_button": "🎯 الخروج الافتراضي",
    "settings.exits_help": "🎯 <b>الخروج الافتراضي</b>\n"
                           "يُستخدم عندما يفتح تنبيهٌ مركزًا دون أوامر خروج خاصة به؛ أما "
                           "التنبيه الذي يحمل أيًّا منها ({fields}) فيستخدم أوامره هو فقط. "
                           "المستويات نسب مئوية من سعر الدخول، لذا تناسب كل الرموز.\n"
                           "وقف الخسارة: <code>{sl}</code> — على هذه المسافة من سعر الدخول "
                           "(تحته لمركز الشراء، وفوقه لمركز البيع)\n"
                           "جني الأرباح: <code>{tp}</code> — حتى {max} أهداف، يغلق كل منها "
                           "حصة متساوية؛ والقيمة الواحدة تغلق المركز كله عندها\n"
                           "الوقف المتحرك: <code>{trailing}</code> — يتبع السعر على هذه "
                           "النسبة منه، أو <code>{distance}</code> لمسافة بالسعر\n"
                           "التعادل: <code>{be}</code> — ينتقل الوقف إلى سعر الدخول بعد تنفيذ "
                           "ذلك الهدف (يحتاج هدفين أو أكثر)\n"
                           "للإلغاء أرسل <code>{off}</code> (وبالمثل {others}).\n\n"
                           "الآن: <b>{exits}</b>",
    "settings.back": "◀️ العودة إلى الإعدادات",
    "exits.stop": "وقف الخسارة {level}",
    "exits.take": "جني الأرباح {level}",
    "exits.targets": "الأهداف {levels}",
    "exits.trailing": "الوقف المتحرك {level}",
    "exits.be": "التعادل بعد الهدف {n}",
    "exits.none": "لا يوجد",
    "set.usage_exits": "الخروج الافتراضي بنسب مئوية من سعر الدخول (يشرحه زر 🎯 في {menu}):\n"
                       "مثلًا <code>{sl}</code> · <code>{tp}</code> · "
                       "<code>{trailing}</code> · <code>{be}</code>، أو <code>{off}</code>",
    "set.done_sl": "تم ضبط وقف الخسارة الافتراضي على {level} من سعر الدخول (تحته لمركز "
                   "الشراء، وفوقه لمركز البيع).",
    "set.done_sl_off": "تم إلغاء وقف الخسارة الافتراضي.",
    "set.done_tp": "تم ضبط جني الأرباح الافتراضي على {level} من سعر الدخول، للمركز كله.",
    "set.done_tp_ladder": "تم ضبط سلّم جني الأرباح الافتراضي على {levels} من سعر الدخول، "
                          "ويغلق كل هدف حصته من المركز ({shares}).",
    "set.done_tp_off": "تم إلغاء جني الأرباح الافتراضي.",
    "set.done_trailing_percent": "تم ضبط الوقف المتحرك الافتراضي على {level} من السعر خلفه.",
    "set.done_trailing_distance": "تم ضبط الوقف المتحرك الافتراضي على مسافة {level} بالسعر.",
    "set.done_trailing_off": "تم إلغاء الوقف المتحرك الافتراضي.",
    "set.done_be": "افتراضيًا ينتقل الوقف الآن إلى نقطة التعادل بعد تنفيذ الهدف {n}.",
    "set.done_be_off": "افتراضيًا لم يعد الوقف ينتقل إلى نقطة التعادل.",
    "set.exits_note": "الخروج الافتراضي الآن: <b>{exits}</b>. يُطبَّق عندما يفتح تنبيهٌ مركزًا "
                      "دون أوامر خروج خاصة به.",
    "set.bad_sl": "القيمة «{given}» ليست وقف خسارة صالحًا. أرسل نسبة مئوية من سعر الدخول أكبر "
                  "من الصفر وأقل من المئة، مثلًا <code>{example}</code>، أو <code>{off}</code>.",
    "set.bad_tp": "القيمة «{given}» ليست جني أرباح صالحًا. أرسل نسبة مئوية من سعر الدخول أكبر "
                  "من الصفر وأقل من المئة، أو حتى {max} نسب تفصل بينها فواصل، مثلًا "
                  "<code>{one}</code> أو <code>{ladder}</code>، أو <code>{off}</code>.",
    "set.bad_trailing": "القيمة «{given}» ليست مسافة صالحة للوقف المتحرك. أرسل نسبة مئوية من "
                        "السعر أكبر من الصفر وأقل من المئة مثل <code>{percent}</code>، أو مسافة "
                        "بالسعر أكبر من الصفر مثل <code>{distance}</code>، أو <code>{off}</code>.",
    "set.bad_be": "القيمة «{given}» ليست رقم هدف. أرسل رقم الهدف الذي ينتقل الوقف بعده إلى "
                  "نقطة التعادل، مثلًا <code>{example}</code>، أو <code>{off}</code>.",
    "set.price_not_default": "القيمة «{given}» سعر، والإعداد الافتراضي يُطبَّق على كل الرموز "
                             "ولا يناسبها سعر واحد: أرسل نسبة مئوية من سعر الدخول بدلًا منه، "
                             "مثلًا <code>{example}</code>.",
    "set.tp_too_many": "عدد الأهداف هنا {count}، والسلّم لا يتسع لأكثر من {max}: أرسل عددًا أقل، "
                       "مثلًا <code>{example}</code>.",
    "set.tp_order": "القيمة «{given}»: ترتيب الأهداف من الأقرب إلى الأبعد، وكل هدف أبعد من الذي "
                    "قبله، مثلًا <code>{example}</code>.",
    "set.be_no_ladder": "نقطة التعادل تحتاج سلّمًا افتراضيًا من هدفين أو أكثر (بعد الهدف الأخير "
                        "لا يبقى ما يُحمى). اضبطه أولًا، مثلًا <code>{example}</code>، ثم "
                        "<code>{be}</code>.",
    "set.be_beyond": "عدد الأهداف في سلّمك الافتراضي {count}، لذا يمكن نقل الوقف إلى نقطة التعادل "
                     "بعد الهدف {range} فقط (بعد الأخير لا يبقى شيء): أرسل مثلًا "
                     "<code>{example}</code>.",
    "set.tp_leaves_be": "الوقف مضبوط لينتقل إلى نقطة التعادل بعد الهدف {n}، وهذا يحتاج إلى سلّم "
                        "لا يقل عدد أهدافه عن {need}: أرسل <code>{be_off}</code> أولًا، أو سلّمًا "
                        "بهذا الطول، مثلًا <code>{example}</code>.",

    # --- مفاتيح API --------------------------------------------------------------------------
    "keys.private_only": "🔒 لا أقبل مفاتيح API إلا في محادثة خاصة معي. افتح المحادثة مع "
                         "البوت وأرسل /keys هناك.",
    "keys.revoke": "🔒 لا أقبل مفاتيح API إلا في محادثة خاصة معي. حاولت حذف رسالتك؛ إن رآها "
                   "غيرك فاحذف هذا المفتاح من إدارة API في Bybit وأنشئ مفتاحًا جديدًا.",
    "keys.choose": "🔑 لأي حساب هذه المفاتيح؟\n"
                   "المحفوظ حاليًا: الحساب التجريبي {demo} · الحساب الحقيقي {real}\n"
                   "(أو في رسالة واحدة: <code>/keys demo &lt;api_key&gt; "
                   "&lt;api_secret&gt;</code>.)",
    "keys.choose_first": "🔑 حذفت تلك الرسالة احتياطًا في حال كانت تحمل مفتاحًا. اختر أولًا الحساب "
                         "الذي تخصه هذه المفاتيح:",
    "keys.send_key": "أرسل <b>مفتاح API</b> (الحساب: {account}). سأحذف الرسالة فور قراءتها.",
    "keys.send_secret": "والآن أرسل <b>الرمز السري (API secret)</b>. سأحذف تلك الرسالة فورًا "
                        "أيضًا.",
    "keys.usage": "أرسل <code>/keys demo &lt;api_key&gt; &lt;api_secret&gt;</code> أو "
                  "<code>/keys real &lt;api_key&gt; &lt;api_secret&gt;</code>، أو /keys وحده "
                  "لأرشدك خطوة بخطوة. حذفت رسالتك احتياطًا في حال احتوت على رمز سري.",
    "keys.checking": "🔍 أتحقق من المفاتيح لدى Bybit (الحساب: {account}، قراءة فقط)…",
    "keys.stored": "✅ المفاتيح تعمل (الحساب: {account}، المفتاح: {masked}، الرصيد: {usdt} USDT). "
                   "حُفظت مشفّرة.",
    "keys.switch_hint": "للتداول بها: <code>/set account {account}</code>.",
    "keys.wrong_environment": "❌ لا تعرف Bybit هذه المفاتيح في بيئة {account}. مفاتيح الحساب "
                              "التجريبي تعمل فيه وحده، ومفاتيح الحساب الحقيقي تعمل فيه وحده — "
                              "تحقق من نوع المفاتيح التي أنشأتها. لم يُحفظ شيء.",
    "keys.no_permission": "❌ هذه المفاتيح لا تملك صلاحية التداول. من إدارة API في Bybit امنح "
                          "المفتاح صلاحية الأوامر والمراكز (العقود والفوري)، ثم أرسلها مجددًا. "
                          "لم يُحفظ شيء.",
    "keys.invalid": "❌ رفضت Bybit مفتاح API هذا. انسخه من جديد وأعد إرساله. لم يُحفظ شيء.",
    "keys.bad_signature": "❌ الرمز السري لا يخص هذا المفتاح. انسخهما من جديد وأعد إرسالهما. "
                          "لم يُحفظ شيء.",
    "keys.ip_not_allowed": "❌ هذا المفتاح مقيّد بعناوين IP أخرى. أزل القيد في Bybit (أو أضف "
                           "عنوان هذا الخادم) ثم أعد الإرسال. لم يُحفظ شيء.",
    "keys.unreachable": "⚠️ تعذّر الوصول إلى Bybit للتحقق من المفاتيح. لم يُحفظ شيء؛ أرسلها "
                        "مجددًا بعد دقيقة.",
    "keys.failed": "❌ رفضت Bybit المفاتيح: {reason}\nلم يُحفظ شيء.",
    "keys.cancelled": "تم الإلغاء. لم يُحفظ شيء.",
    "keys.nothing_to_cancel": "لا يوجد ما يُلغى.",

    # --- كلمات -------------------------------------------------------------------------------
    "market.spot": "فوري",
    "market.futures": "عقود آجلة",
    "account.paper": "محاكاة",
    "account.demo": "تجريبي",
    "account.real": "حقيقي",
    "side.long": "شراء",
    "side.short": "بيع",
    "action.buy": "شراء",
    "action.long": "شراء",
    "action.sell": "بيع",
    "action.short": "بيع",
    "action.close": "إغلاق",
    "action.exit": "إغلاق",
    "action.stop": "إغلاق",
    "action.close_long": "إغلاق مركز الشراء",
    "action.close_short": "إغلاق مركز البيع",
    "action.partial_close": "إغلاق جزئي",
    "action.close_partial": "إغلاق جزئي",
    "action.set_stop": "ضبط وقف الخسارة",
    "action.break_even": "نقل الوقف إلى التعادل",
    "action.set_trailing": "وقف متحرك",
    "pnl.profit": "ربح",
    "pnl.loss": "خسارة",
    "switch.on": "مفعّل",
    "switch.off": "متوقف",
    "status.active": "مفعّل",
    "status.waiting": "بالانتظار",
    "status.admin": "مشرف",
    "status.paused": "موقوف مؤقتًا",
    "status.queued": "في الطابور",
    "status.processing": "قيد التنفيذ",
    "status.done": "نُفّذت",
    "status.failed": "فشلت",
    "status.rejected": "مرفوضة",
    "status.expired": "منتهية",
    "status.duplicate": "مكررة",
    "button.prev": "◀️ السابق",
    "button.next": "التالي ▶️",
    "button.cancel": "إلغاء",
    "button.expired": "انتهت صلاحية هذا الزر؛ أرسل الأمر من جديد.",
    "button.open_dashboard": "📈 فتح لوحة المتابعة · {lifetime}",
    "button.revoke_dashboard": "🔒 إلغاء روابط لوحة المتابعة",
    "button.close_share": "إغلاق {share}٪",
    "button.share": "{share}٪",
    "button.break_even": "🛡 وقف الخسارة ← التعادل",
    "button.trailing": "〽️ وقف متحرك",
    "button.refresh": "🔄 تحديث",
    "button.confirm": "✅ تأكيد",
    "button.close": "❌ إغلاق",
    "button.positions": "📂 المراكز",

    # --- غير ذلك -----------------------------------------------------------------------------
    "unknown.command": "لا أعرف الأمر {command}. يعرض /help ما أستطيع فعله.",
    "text.hint": "أعمل بالأوامر — يعرضها /help.",
    "error.reason": "⚠️ {reason}",
    "error.generic": "😕 عذرًا، حدث خطأ من جهتنا. حاول مرة أخرى بعد قليل.",

}

# Some areas' messages live apart, a catalog file each.
from bot.i18n.channels_ar import MESSAGES as _CHANNELS  # noqa: E402
from bot.i18n.guidance_ar import MESSAGES as _GUIDANCE  # noqa: E402
from bot.i18n.positions_ar import MESSAGES as _POSITIONS  # noqa: E402

for _area in (_POSITIONS, _GUIDANCE, _CHANNELS):
    MESSAGES.update(_area)
