"""English messages (HTML). The reference catalog: every other language has the same keys."""

MESSAGES: dict[str, str] = {
    # --- command descriptions: /help and Telegram's command menu (plain text, ≤ 256) ----------
    "cmd.start": "Register and ask for access",
    "cmd.help": "What the bot can do",
    "cmd.language": "Choose the language (Arabic or English)",
    "cmd.webhook": "Your personal webhook URL and TradingView messages",
    "cmd.settings": "Your trading settings, with buttons to change them",
    "cmd.set": "Change one setting, e.g. /set amount 100",
    "cmd.keys": "Store your Bybit API keys (private chat only)",
    "cmd.positions": "Open positions and coins held",
    "cmd.close": "Close a position, or 25, 50 or 75 % of it (asks to confirm)",
    "cmd.sl": "Set a position's stop-loss, or move it to break-even",
    "cmd.trail": "Set a trailing stop on a position",
    "cmd.profit": "Realised PnL after fees (closing fills' gains minus every futures fee, "
                  "opening fees included), win rate, best and worst symbol",
    "cmd.balance": "USDT balance of the account in use",
    "cmd.trades": "Your last signals and what became of them",
    "cmd.pause": "Stop trading new signals",
    "cmd.resume": "Trade signals again",
    "cmd.rotate": "New webhook URL; the old one stops working",
    "cmd.dashboard": "A read-only link to your live dashboard; /dashboard revoke ends the "
                     "links sent before",
    "cmd.chart": "Your PnL chart as a picture",
    "cmd.cancel": "Stop the current step",
    "cmd.users": "List users and their status",
    "cmd.activate": "Approve a user",
    "cmd.deactivate": "Block a user",
    "cmd.stats": "Users, today's signals, queue",

    # --- /help ------------------------------------------------------------------------------
    "help.title": "🤖 <b>BotByBit</b> turns your TradingView alerts into Bybit orders.",
    "help.user": "<b>Commands</b>",
    "help.admin": "<b>Admin</b>",
    "help.line": "{command}{usage} — {description}",
    "help.inactive": "⏳ Your account is waiting for an admin's approval; the other "
                     "commands work once you are approved.",
    "help.unregistered": "Send /start to register.",

    # --- access -----------------------------------------------------------------------------
    "auth.admin_only": "⛔ This is for admins only.",
    "auth.waiting": "⏳ Your account is waiting for approval by an admin. You will get a "
                    "message here as soon as it is approved. Meanwhile /help and /language "
                    "work.",
    "auth.register_first": "Send /start first to register.",
    "auth.private_only": "🔒 The answer holds a secret (a link that trades for you or opens "
                         "your dashboard), so I only send it in a private chat with me. Open "
                         "the chat with the bot and ask there.",

    # --- registration -----------------------------------------------------------------------
    "start.registered": "👋 Welcome, {name}! You are registered (id <code>{id}</code>).\n"
                        "An admin has been asked to approve your account; you will get a "
                        "message here when it is active. Until then nothing is traded.",
    "start.waiting": "⏳ Your registration (id <code>{id}</code>) is waiting for an admin's "
                     "approval. You will get a message here when it is active.",
    "start.active": "👋 Welcome back, {name}! Your account is active.\n"
                    "/webhook gives your TradingView URL, /settings your trading settings, "
                    "/help everything else.",
    "start.admin": "👋 Welcome, {name}! You are an admin, so your account is active at once.\n"
                   "/webhook gives your TradingView URL; /users and /stats are for admins.",
    "user.approved": "✅ Your account is active: your TradingView alerts now trade.\n"
                     "Settings: {account} account, {market}, {amount} USDT per trade, "
                     "leverage {leverage}x — /settings changes them. (The paper account is "
                     "simulated and needs no keys.)",
    "user.deactivated": "⛔ Your account is not active: an admin declined or blocked it. "
                        "Alerts are refused until an admin activates it again.",

    # --- admin ------------------------------------------------------------------------------
    "admin.request": "🆕 <b>Access request</b>\n{name}\nid <code>{id}</code>",
    "admin.approve": "✅ Approve",
    "admin.reject": "❌ Reject",
    "admin.approved": "✅ {name} (id <code>{id}</code>) approved by {admin}.",
    "admin.rejected": "❌ {name} (id <code>{id}</code>) rejected by {admin}.",
    "admin.already_active": "{name} (id <code>{id}</code>) was approved already and is "
                            "active; to block them: <code>{command}</code>",
    "admin.no_user": "There is no user with id {id}. /users lists them.",
    "admin.usage": "Send the user's Telegram id: <code>/{command} 123456789</code> "
                   "(/users lists them).",
    "admin.activated": "✅ {name} (id <code>{id}</code>) is active.",
    "admin.deactivated": "⛔ {name} (id <code>{id}</code>) is deactivated; their alerts are "
                         "refused.",
    "admin.users_title": "👥 <b>Users {first}–{last} of {total}</b>",
    "admin.users_empty": "No users yet.",
    "admin.user_line": "{mark} <code>{id}</code> {name} — {status} · {extras}",
    "stats.text": "📊 <b>Statistics</b>\n"
                  "Users: {total} ({active} active, {waiting} waiting or blocked, "
                  "{admins} admins)\n"
                  "Signals today (UTC): {signals} — {outcomes}\n"
                  "Queue: {depth} waiting, {running} executing; {backlog} notifications "
                  "to send",
    "stats.outcome": "{status} {count}",
    "stats.none": "none",

    # --- language ---------------------------------------------------------------------------
    "language.choose": "Choose the language:",
    "language.set": "✅ Language: {name}.",
    "language.bad": "“{given}” is not a language I speak. Allowed: {allowed} — for example "
                    "<code>/language ar</code>.",

    # --- webhook ----------------------------------------------------------------------------
    "webhook.text": "🔗 <b>Your personal webhook URL</b> (tap to copy):\n"
                    "<code>{url}</code>\n"
                    "Keep it private: whoever has it can trade on your account. /rotate "
                    "replaces it.\n\n"
                    "In TradingView: Create alert → Notifications → Webhook URL: paste the URL. "
                    "Then put one of these in the alert's Message:\n\n"
                    "<b>Indicator alert</b> (for a sell alert, change buy to sell):\n"
                    "<pre>{indicator}</pre>\n"
                    "<b>Strategy alert</b> (orders and exits follow the strategy):\n"
                    "<pre>{strategy}</pre>",
    "rotate.done": "🔄 New webhook URL — the old one stopped working, and so did the dashboard "
                   "links sent before. Update your alerts:\n<code>{url}</code>",
    "dashboard.link": "📈 <b>Your live dashboard</b>, read-only: it shows your trades and "
                      "cannot place any. The link works for {lifetime}; keep it private. "
                      "/dashboard revoke ends every link sent before.",
    "dashboard.link_text": "📈 <b>Your live dashboard</b>, read-only. The link works for "
                           "{lifetime}; keep it private:\n<code>{url}</code>\n"
                           "/dashboard revoke ends every link sent before.",
    "dashboard.revoked": "🔒 Every dashboard link sent before now stopped working; pages open "
                         "with one close within seconds. Send /dashboard for a new link.",
    "dashboard.usage": "Send /dashboard for a link to your dashboard, or "
                       "<code>/dashboard revoke</code> to end every link sent before.",
    "lifetime.day.one": "1 day",
    "lifetime.day.two": "2 days",
    "lifetime.day.few": "{n} days",
    "lifetime.day.many": "{n} days",
    "lifetime.hour.one": "1 hour",
    "lifetime.hour.two": "2 hours",
    "lifetime.hour.few": "{n} hours",
    "lifetime.hour.many": "{n} hours",
    "lifetime.minute.one": "1 minute",
    "lifetime.minute.two": "2 minutes",
    "lifetime.minute.few": "{n} minutes",
    "lifetime.minute.many": "{n} minutes",
    "chart.caption": "📊 Realised PnL (and the chosen symbol's trades). Live version: /dashboard",

    # --- pause / resume ---------------------------------------------------------------------
    "pause.done": "⏸ Trading paused: new alerts are refused (and listed in /trades). "
                  "/resume turns it back on.",
    "pause.already": "Trading is already paused. /resume turns it back on.",
    "resume.done": "▶️ Trading resumed: new alerts are traded again.",
    "resume.already": "Trading is already on.",

    # --- settings ---------------------------------------------------------------------------
    "settings.text": "⚙️ <b>Your settings</b>\n"
                     "Market: <b>{market}</b>\n"
                     "Account: <b>{account}</b>\n"
                     "Amount per trade: <b>{amount} USDT</b> (margin)\n"
                     "Leverage: <b>{leverage}x</b> (futures)\n"
                     "Pyramiding: <b>{pyramiding}</b>\n"
                     "Trading: <b>{trading}</b>\n"
                     "API keys stored: demo {demo_keys} · real {real_keys}\n\n"
                     "Tap a button, or send for example <code>/set amount 50</code>.",
    "settings.trading": "on",
    "settings.paused": "paused (/resume)",
    "settings.pyramiding_on": "Pyramiding: turn on",
    "settings.pyramiding_off": "Pyramiding: turn off",
    "set.usage": "Send one setting and its value:\n"
                 "<code>/set market spot</code> or <code>futures</code>\n"
                 "<code>/set account paper</code>, <code>demo</code> or <code>real</code>\n"
                 "<code>/set amount 100</code> (USDT per trade)\n"
                 "<code>/set leverage 10</code>\n"
                 "<code>/set pyramiding on</code> or <code>off</code>\n"
                 "Or use the buttons of /settings.",
    "set.bad_market": "“{given}” is not a market. Allowed: <code>spot</code> or "
                      "<code>futures</code>, e.g. <code>/set market futures</code>.",
    "set.bad_account": "“{given}” is not an account. Allowed: <code>paper</code> (simulated), "
                       "<code>demo</code> (Bybit demo trading) or <code>real</code>, e.g. "
                       "<code>/set account paper</code>.",
    "set.bad_amount": "“{given}” is not an amount I can use. Send a number of USDT above 0 "
                      "and at most {cap}, e.g. <code>/set amount 100</code>.",
    "set.bad_leverage": "“{given}” is not a leverage I can use. Send a whole number from 1 to "
                        "{cap}, e.g. <code>/set leverage 10</code>.",
    "set.bad_pyramiding": "“{given}” is not on or off. Send <code>/set pyramiding on</code> "
                          "or <code>/set pyramiding off</code>.",
    "set.need_keys": "No {name} API keys are stored, so the {name} account cannot be "
                     "used yet. Send <code>/keys {account} &lt;api_key&gt; &lt;api_secret&gt;"
                     "</code> here (private chat), or keep <code>/set account paper</code> to "
                     "practise without keys.",
    "set.confirm_real": "⚠️ <b>Switch to the real account?</b>\n"
                        "From then on your alerts place orders with <b>real money</b> on "
                        "Bybit. Check your amount and leverage in /settings first.",
    "set.confirm_real_yes": "Yes, trade with real money",
    "set.done_market": "Market set to {value}.",
    "set.done_account": "Account set to {value}.",
    "set.done_amount": "Amount set to {value} USDT per trade.",
    "set.done_leverage": "Leverage set to {value}x.",
    "set.done_pyramiding": "Pyramiding turned {value}.",

    # --- default exits (/set sl|tp|trailing|be; the 🎯 button of /settings) ----------------
    "settings.exits": "Default exits: <b>{exits}</b>",
    "settings.exits_button": "🎯 Default exits",
    "settings.exits_help": "🎯 <b>Default exits</b>\n"
                           "Used when an alert opens a position and brings no exits of its "
                           "own; an alert with any ({fields}) uses only its own. Levels are "
                           "percents of the entry price, so they fit every symbol.\n"
                           "Stop-loss: <code>{sl}</code> — that far from the entry (below a "
                           "long, above a short)\n"
                           "Take-profit: <code>{tp}</code> — up to {max} targets, each closing "
                           "an equal share; a single value closes the whole position there\n"
                           "Trailing stop: <code>{trailing}</code> — that percent of the price "
                           "behind it, or <code>{distance}</code> for a distance in price\n"
                           "Break-even: <code>{be}</code> — the stop moves to the entry once "
                           "that target has filled (needs two targets or more)\n"
                           "Turn one off with <code>{off}</code> (likewise {others}).\n\n"
                           "Now: <b>{exits}</b>",
    "settings.back": "◀️ Back to settings",
    "exits.stop": "stop {level}",
    "exits.take": "take-profit {level}",
    "exits.targets": "targets {levels}",
    "exits.trailing": "trailing {level}",
    "exits.be": "break-even after {n}",
    "exits.none": "none",
    "set.usage_exits": "Default exits, in percent of the entry (the 🎯 button of {menu} "
                       "explains them):\n"
                       "for example <code>{sl}</code> · <code>{tp}</code> · "
                       "<code>{trailing}</code> · <code>{be}</code>, or <code>{off}</code>",
    "set.done_sl": "Default stop-loss set to {level} from the entry (below a long, above a "
                   "short).",
    "set.done_sl_off": "Default stop-loss turned off.",
    "set.done_tp": "Default take-profit set to {level} from the entry, for the whole position.",
    "set.done_tp_ladder": "Default take-profit ladder set to {levels} from the entry, each "
                          "target closing its share of the position ({shares}).",
    "set.done_tp_off": "Default take-profit turned off.",
    "set.done_trailing_percent": "Default trailing stop set to {level} of the price behind it.",
    "set.done_trailing_distance": "Default trailing stop set to a distance of {level} in price.",
    "set.done_trailing_off": "Default trailing stop turned off.",
    "set.done_be": "By default the stop now moves to break-even once target {n} has filled.",
    "set.done_be_off": "By default the stop no longer moves to break-even.",
    "set.exits_note": "Default exits now: <b>{exits}</b>. They apply when an alert opens a "
                      "position without exits of its own.",
    "set.bad_sl": "“{given}” is not a stop-loss I can use. Send a percent of the entry above 0 "
                  "and below 100, e.g. <code>{example}</code>, or <code>{off}</code>.",
    "set.bad_tp": "“{given}” is not a take-profit I can use. Send a percent of the entry above "
                  "0 and below 100, or up to {max} of them separated by commas, e.g. "
                  "<code>{one}</code> or <code>{ladder}</code>, or <code>{off}</code>.",
    "set.bad_trailing": "“{given}” is not a trailing distance. Send a percent of the price "
                        "above 0 and below 100 such as <code>{percent}</code>, a distance in "
                        "price above 0 such as <code>{distance}</code>, or <code>{off}</code>.",
    "set.bad_be": "“{given}” is not a target number. Send the number of the target after which "
                  "the stop moves to break-even, e.g. <code>{example}</code>, or "
                  "<code>{off}</code>.",
    "set.price_not_default": "“{given}” is a price, and a default applies to every symbol, "
                             "where no one price fits: send a percent of the entry instead, "
                             "e.g. <code>{example}</code>.",
    "set.tp_too_many": "That is {count} targets, and a ladder holds at most {max}: send fewer, "
                       "e.g. <code>{example}</code>.",
    "set.tp_order": "“{given}”: the targets go from the nearest to the farthest, each beyond "
                    "the one before, e.g. <code>{example}</code>.",
    "set.be_no_ladder": "Break-even needs a default ladder of two targets or more (after the "
                        "last target nothing is left to protect). Set one first, e.g. "
                        "<code>{example}</code>, then <code>{be}</code>.",
    "set.be_beyond": "Your default ladder has {count} targets, so the stop can move to "
                     "break-even after target {range} only (after the last one nothing is "
                     "left): send e.g. <code>{example}</code>.",
    "set.tp_leaves_be": "The stop is set to move to break-even after target {n}, which needs "
                        "at least {need} targets: send <code>{be_off}</code> first, or a ladder "
                        "that long, e.g. <code>{example}</code>.",

    # --- API keys ---------------------------------------------------------------------------
    "keys.private_only": "🔒 API keys are only accepted in a private chat with me. Open the "
                         "chat with the bot and send /keys there.",
    "keys.revoke": "🔒 API keys are only accepted in a private chat with me. I tried to "
                   "delete your message; if others saw it, delete that key in Bybit's API "
                   "management and make a new one.",
    "keys.choose": "🔑 Which account are these keys for?\n"
                   "Stored now: demo {demo} · real {real}\n"
                   "(Or in one message: <code>/keys demo &lt;api_key&gt; "
                   "&lt;api_secret&gt;</code>.)",
    "keys.choose_first": "🔑 I deleted that message in case it held a key. First choose the "
                         "account these keys are for:",
    "keys.send_key": "Send the <b>API key</b> of your {account} account. I delete the "
                     "message right after reading it.",
    "keys.send_secret": "Now send the <b>API secret</b>. I delete that message at once too.",
    "keys.usage": "Send <code>/keys demo &lt;api_key&gt; &lt;api_secret&gt;</code> or "
                  "<code>/keys real &lt;api_key&gt; &lt;api_secret&gt;</code> — or just /keys "
                  "to be guided. I deleted your message in case it held a secret.",
    "keys.checking": "🔍 Checking the {account} keys with Bybit (read-only)…",
    "keys.stored": "✅ The {account} keys work (key {masked}, balance {usdt} USDT). They are "
                   "stored encrypted.",
    "keys.switch_hint": "To trade with them: <code>/set account {account}</code>.",
    "keys.wrong_environment": "❌ Bybit does not know these keys on the {account} "
                              "environment. Demo keys work only for demo and real keys only "
                              "for real — check which ones you created. Nothing was stored.",
    "keys.no_permission": "❌ These keys may not trade. In Bybit's API management give the key "
                          "permission for Orders and Positions (Contract and Spot), then send "
                          "them again. Nothing was stored.",
    "keys.invalid": "❌ Bybit rejected this API key. Copy it again and resend it. Nothing was "
                    "stored.",
    "keys.bad_signature": "❌ The API secret does not belong to this key. Copy both again and "
                          "resend them. Nothing was stored.",
    "keys.ip_not_allowed": "❌ This key is restricted to other IP addresses. Remove the "
                           "restriction in Bybit (or add this server's address), then resend. "
                           "Nothing was stored.",
    "keys.unreachable": "⚠️ Bybit could not be reached to check the keys. Nothing was "
                        "stored; please send them again in a minute.",
    "keys.failed": "❌ Bybit refused the keys: {reason}\nNothing was stored.",
    "keys.cancelled": "Cancelled. Nothing was stored.",
    "keys.nothing_to_cancel": "There is nothing to cancel.",

    # --- words ------------------------------------------------------------------------------
    "market.spot": "spot",
    "market.futures": "futures",
    "account.paper": "paper",
    "account.demo": "demo",
    "account.real": "real",
    "side.long": "long",
    "side.short": "short",
    "action.buy": "buy",
    "action.long": "long",
    "action.sell": "sell",
    "action.short": "short",
    "action.close": "close",
    "action.exit": "exit",
    "action.stop": "stop",
    "action.close_long": "close long",
    "action.close_short": "close short",
    "action.partial_close": "partial close",
    "action.close_partial": "partial close",
    "action.set_stop": "set stop",
    "action.break_even": "break-even",
    "action.set_trailing": "trailing stop",
    "pnl.profit": "profit",
    "pnl.loss": "loss",
    "switch.on": "on",
    "switch.off": "off",
    "status.active": "active",
    "status.waiting": "waiting",
    "status.admin": "admin",
    "status.paused": "paused",
    "status.queued": "queued",
    "status.processing": "executing",
    "status.done": "done",
    "status.failed": "failed",
    "status.rejected": "refused",
    "status.expired": "expired",
    "status.duplicate": "duplicate",
    "button.prev": "◀️ Previous",
    "button.next": "Next ▶️",
    "button.cancel": "Cancel",
    "button.expired": "This button has expired; send the command again.",
    "button.open_dashboard": "📈 Open the dashboard · {lifetime}",
    "button.revoke_dashboard": "🔒 Revoke dashboard links",
    "button.close_share": "Close {share}%",
    "button.share": "{share}%",
    "button.break_even": "🛡 SL → break-even",
    "button.trailing": "〽️ Trailing",
    "button.refresh": "🔄 Refresh",
    "button.confirm": "✅ Confirm",
    "button.close": "❌ Close",
    "button.positions": "📂 Positions",

    # --- everything else --------------------------------------------------------------------
    "unknown.command": "I don't know {command}. /help lists what I can do.",
    "text.hint": "I work with commands — /help lists them.",
    "error.reason": "⚠️ {reason}",
    "error.generic": "😕 Sorry, something went wrong on our side. Please try again in a "
                     "moment.",

}

# Some areas' messages live apart, a catalog file each.
from bot.i18n.channels_en import MESSAGES as _CHANNELS  # noqa: E402
from bot.i18n.guidance_en import MESSAGES as _GUIDANCE  # noqa: E402
from bot.i18n.positions_en import MESSAGES as _POSITIONS  # noqa: E402

for _area in (_POSITIONS, _GUIDANCE, _CHANNELS):
    MESSAGES.update(_area)
