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
    "report.leg_closed": "أُغلق مركز {side} بكمية {qty} {symbol} بسعر {price}{pnl}",
    "report.leg_bought": "تم شراء {qty} {symbol} بسعر {price}",
    "report.leg_sold": "تم بيع {qty} {symbol} بسعر {price}",
    "report.account": "الحساب: {account} · {market}",
    "report.summary": "{summary}",
    "report.skipped": "⏭ <b>{symbol}</b> · {action} · الإشارة #{id}: تم التخطي — لديك مركز "
                      "{side} بحجم {size} بالفعل. التعزيز متوقف، فلا تضيف التنبيهات المتكررة "
                      "إلى المركز؛ يغيّر ذلك الأمر <code>/set pyramiding on</code>.",
    "report.nothing": "ℹ️ <b>{symbol}</b> · {action} · الإشارة #{id}: لا يوجد مركز مفتوح "
                      "لإغلاقه؛ لم يُنفَّذ شيء.",
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

    # --- إبلاغ التنبيهات المرفوضة، نوعا الإيقاف، لا طرق مسدودة، صفحات /trades ومنطقتها الزمنية --
    "refusal.head": "\u200f⛔ <b>رُفض تنبيه</b>{what}{signal}: لم يُنفَّذ أي تداول.",
    "refusal.what": " · الرمز <b>{symbol}</b> · {action}",
    "refusal.signal": " · الإشارة #{id}",
    "refusal.legacy": "\u200f📡 <b>الويب هوك القديم {webhook}</b>",
    "refusal.reason": "السبب وما العمل: {reason}",
    "refusal.close_paused": "\u200f⚠️ كان التنبيه إغلاقًا، لذا ما زال ذلك المركز مفتوحًا. أغلقه "
                            "بالأمر {close}، أو أرسل {resume} لتُنفَّذ التنبيهات من جديد.",
    "refusal.close_open": "\u200f⚠️ كان التنبيه إغلاقًا، لذا ما زال ذلك المركز مفتوحًا: أصلح "
                          "التنبيه، أو أغلقه بالأمر {close}.",
    "refusal.quiet": "لن نُبلغك بالتنبيهات المرفوضة للسبب نفسه مرة أخرى قبل {lifetime}؛ "
                     "ويعرضها {trades} جميعًا.",
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
