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

    # --- positions, balance, trades ---------------------------------------------------------
    "positions.title": "📂 <b>Positions</b> — {account} account",
    "positions.spot": "• {qty} {symbol} bought by the bot (spot)",
    "positions.none": "No open positions.",
    "positions.count": "Futures positions: {count}, each below with its buttons.",
    "positions.buttons_on_futures": "Their buttons appear when your market is futures: "
                                    "<code>{command}</code>.",
    "position.head": "📈 <b>{symbol}</b> · {side} · {leverage}",
    "position.size": "Size {size} · value {value}",
    "position.prices": "Entry {entry} · mark {mark}",
    "position.pnl": "Unrealised PnL: {pnl} ({pct})",
    "position.pnl_unknown": "Unrealised PnL: — (no live mark price yet)",
    "position.exits": "Liq. {liq} · TP {tp} · SL {sl}",
    "position.held": "Held {held}",
    "position.closed": "ℹ️ The {side} {symbol} position is closed now.",
    "position.changed": "ℹ️ This position changed (or is closed): here it is now. Nothing "
                        "was done.",
    "position.spot_market": "Your market is spot, and positions are managed on futures. "
                            "Switch with <code>{command}</code>.",
    "position.bad_symbol": "“{given}” is not a symbol. Send it like <code>{example}</code>.",
    "position.none_for": "No open {symbol} futures position on the {account} account. "
                         "/positions lists yours.",
    "held.pair": "{first} {second}",
    "plan.head": "📋 Plan of signal {signal}",
    "plan.target": "🎯 Target {n} of {of}: {qty} at {price}{filled}",
    "plan.filled": " ✓ filled",
    "plan.be_after": "🛡 Stop to break-even after target {n}",
    "plan.be_moved": "🛡 Stop moved to break-even (after target {n}) ✓",
    "plan.trailing": "〽️ Trailing stop {distance}",
    "plan.trailing_from": "〽️ Trailing stop {distance}, active from {price}",
    "close.ask": "⚠️ <b>Close {share} of your {side} {symbol}?</b>",
    "close.qty": "Quantity: {qty} of {size}",
    "close.widened": "The rest would be below Bybit's minimum order of {minimum}, so all of "
                     "it closes.",
    "close.below_minimum": "That is {qty}, below Bybit's minimum order of {minimum}: close a "
                           "larger share.",
    "close.pnl": "Expected PnL at the mark {mark}: {pnl} (before fees)",
    "close.pnl_unknown": "Expected PnL: not known (no live mark price yet).",
    "close.when": "A market order goes out when you confirm; this question expires in {minutes}.",
    "close.sent": "📤 Closing {share} of your {side} {symbol}: signal {id}. The result "
                  "follows in a moment.",
    "close.cancelled": "Cancelled: nothing was sent.",
    "close.expired": "⌛ This confirmation expired (after {minutes}): nothing was sent. Press "
                     "Close again if you still want to.",
    "close.usage": "Send <code>{whole}</code> to close all of a position, or "
                   "<code>{part}</code> to close a share of it ({shares}).",
    "close.bad_share": "“{given}” is not a share I can close. Send {shares}, e.g. "
                       "<code>{example}</code>.",
    "sl.usage": "Send <code>{price}</code> to set the stop-loss at a price, or "
                "<code>{be}</code> to move it to the entry price (break-even).",
    "sl.bad_price": "“{given}” is not a stop-loss price. Send a price above zero, e.g. "
                    "<code>{price}</code>, or <code>{be}</code> for break-even.",
    "sl.wrong_side_long": "A long's stop-loss must be below the mark price {mark}, and {price} "
                          "is not: send a lower price.",
    "sl.wrong_side_short": "A short's stop-loss must be above the mark price {mark}, and "
                           "{price} is not: send a higher price.",
    "sl.sent": "📤 Stop-loss of {symbol} to {price}: signal {id}. The result follows in a "
               "moment.",
    "be.sent": "📤 Stop-loss of {symbol} to break-even: signal {id}. The result follows in a "
               "moment.",
    "trail.usage": "Send <code>{percent}</code> for a trailing stop a percent of the price "
                   "behind it, or <code>{distance}</code> for a distance in price.",
    "trail.bad_distance": "“{given}” is not a trailing distance. Send a distance above zero "
                          "such as <code>{distance}</code>, or a percent between zero and a "
                          "hundred such as <code>{percent}</code>.",
    "trail.sent": "📤 Trailing stop of {distance} on {symbol}: signal {id}. The result follows "
                  "in a moment.",
    "trail.ask": "Trailing distance? e.g. <code>{example}</code>",
    "profit.title": "💹 <b>Realised PnL</b> — {account} account, futures",
    "profit.none": "No futures trades on this account yet.",
    "profit.all_time": "All time",
    "profit.last_days": "Last {days}",
    "profit.net": "<b>{period}</b>: {net} after {fees} in fees",
    "profit.no_closing": "No closing trades.",
    "profit.trades": "Closing trades: {count}, won {wins} ({rate})",
    "profit.best": "Best symbol: {symbol} ({pnl})",
    "profit.worst": "Worst symbol: {symbol} ({pnl})",
    "profit.rule": "<i>Realised PnL: the price gains of closing (reduce-only) futures fills "
                   "minus every futures fee paid, opening fees included, in USDT. A closing "
                   "trade is one closing fill; it is won when its gain is above its own "
                   "fee.</i>",
    "balance.text": "💰 <b>{account} account</b>\n"
                    "Balance: {total} USDT\nAvailable: {available} USDT",
    "trades.title": "🧾 <b>Last {count} signals</b>",
    "trades.line": "{mark} #{id} · {when} UTC · <b>{what}</b> — {status}{detail}",
    "trades.none": "No signals yet. /webhook shows how to send them from TradingView.",
    "trades.unreadable": "(unreadable alert)",

    # --- notifications ----------------------------------------------------------------------
    "report.done": "✅ <b>{symbol}</b> · {action} · signal #{id}",
    "report.leg_opened": "Opened {side} {qty} {symbol} at {price} · leverage {leverage}x",
    "report.leg_closed": "Closed {side} {qty} {symbol} at {price}{pnl}",
    "report.leg_bought": "Bought {qty} {symbol} at {price}",
    "report.leg_sold": "Sold {qty} {symbol} at {price}",
    "report.account": "Account: {account} · {market}",
    "report.summary": "{summary}",
    "report.skipped": "⏭ <b>{symbol}</b> · {action} · signal #{id}: skipped — already "
                      "{side} {size}. Pyramiding is off, so repeated alerts do not add; "
                      "<code>/set pyramiding on</code> changes that.",
    "report.nothing": "ℹ️ <b>{symbol}</b> · {action} · signal #{id}: no open position to "
                      "close; nothing was done.",
    "report.failed": "❌ <b>{symbol}</b> · {action} · signal #{id}: not executed",
    "report.expired": "⌛ <b>{symbol}</b> · {action} · signal #{id}: expired, not traded",
    "report.reason": "Why: {reason}",
    "report.legacy": "📡 <b>Legacy /webhook</b>",
    "report.exit_stop": "🛡 Stop-loss {price}",
    "report.exit_take": "🎯 Take-profit {price}",
    "report.exit_target": "🎯 Target {n}: {qty} at {price}",
    "report.exit_trailing": "📉 Trailing stop {distance}{start}",
    "report.exit_from": " from {price}",
    "report.exit_be": "➡️ Stop to break-even after target {n}",
    "report.exit_note": "⚠️ Note: {note}",
    "event.break_even": "🛡 Stop-loss moved to break-even: {price}",
    "report.take_profit": "🎯 <b>Take-profit reached</b> at {price}",
    "report.stop_loss": "🛑 <b>Stop-loss reached</b> at {price}",
    "report.telegram": "📱 <b>From Telegram</b>",
    "report.trailing_stop": "📉 <b>Trailing stop reached</b> at {price}",
    # Hints: shown beside the (English) reason to readers of other languages.

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

    # --- refused alerts told, the two pauses, no dead ends, /trades by page and time zone ----
    "refusal.head": "⛔ <b>Alert refused</b>{what}{signal}: nothing was traded.",
    "refusal.what": " · <b>{symbol}</b> · {action}",
    "refusal.signal": " · signal #{id}",
    "refusal.legacy": "📡 <b>Legacy {webhook}</b>",
    "refusal.reason": "Why, and what to do: {reason}",
    "refusal.close_paused": "⚠️ It was a close, so that position is still open. Close it "
                            "with {close}, or send {resume} to trade alerts again.",
    "refusal.close_open": "⚠️ It was a close, so that position is still open: fix the alert, "
                          "or close it with {close}.",
    "refusal.quiet": "Alerts refused for the same reason are not told again for {lifetime}; "
                     "{trades} lists every one.",
    "button.resume": "▶️ Resume trading",
    "button.pause_entries": "⏸ New entries only",
    "pause.usage": "Send {entries} (no new positions; closes still run) or {all} (every "
                   "alert refused), or /pause alone for buttons.",
    "pause.done_entries": "⏸ New entries paused: alerts that would open a position are refused "
                          "and told to you here; closes, exits and your Telegram actions still "
                          "run. {resume} ends it.",
    "pause.done_all": "⏹ Trading paused: every alert is refused and told to you here — a "
                      "refused close every time. Your Telegram actions (/close) still run. "
                      "{resume} ends it.",
    "pause.already_entries": "New entries are already paused. {resume} ends it; "
                             "<code>/pause all</code> pauses everything.",
    "settings.paused_entries": "new entries paused (/resume)",
    "status.entries_paused": "entries paused",
    "settings.text_spot": "⚙️ <b>Your settings</b>\n"
                          "Market: <b>{market}</b>\n"
                          "Account: <b>{account}</b>\n"
                          "Amount per trade: <b>{amount} USDT</b>\n"
                          "Pyramiding: <b>{pyramiding}</b>\n"
                          "Trading: <b>{trading}</b>\n"
                          "API keys stored: demo {demo_keys} · real {real_keys}\n\n"
                          "Tap a button, or send for example <code>/set amount 50</code>.",
    "settings.tz": "Time zone: <b>{tz}</b> ({example})",
    "settings.custom_amount": "Custom…",
    "settings.ask_amount": "💵 Send the amount per trade in USDT, for example {example} "
                           "(above 0, at most {cap}).\n{cancel} stops.",
    "settings.amount_again": "Send another amount, or {cancel}.",
    "settings.tz_button": "🕒 Time zone",
    "settings.ask_tz": "🕒 <b>Your time zone</b>, for the times /trades shows: now {now}.\n"
                       "Tap one, or send an offset from UTC such as {offset} or a name such "
                       "as {named}.\n{cancel} stops.",
    "settings.tz_again": "Send another time zone, or {cancel}.",
    "set.bad_tz": "“{given}” is not a time zone. Send an offset from UTC such as "
                  "<code>/set tz +3</code>, a name such as <code>/set tz Asia/Riyadh</code>, "
                  "or <code>/set tz UTC</code>.",
    "set.done_tz": "Time zone set to {value}: /trades shows times in it.",
    "set.usage_tz": "Time zone for /trades: {example} or {named}",
    "button.add_keys": "🔑 Add {account} keys",
    "button.try_again": "🔁 Try again",
    "keys.or_cancel": "{cancel} stops.",
    "prompt.cancelled": "Cancelled. Nothing was changed.",
    "button.settings": "⚙️ Settings",
    "button.tradingview": "📈 TradingView set-up",
    "button.rotate": "🔄 Rotate",
    "rotate.ask": "⚠️ <b>Make a new webhook URL?</b>\n"
                  "Every alert that posts to the old URL stops working at once, until you "
                  "paste the new URL into each of them in TradingView. Dashboard links sent "
                  "before stop too.",
    "rotate.cancelled": "Cancelled: your webhook URL is unchanged.",
    "trades.page_title": "🧾 <b>Signals {first}–{last}</b>, newest first · times in {tz}",
    "trades.entry": "{mark} #{id} · {when} · <b>{what}</b> — {status}{detail}",
    "trades.detail": "↳ {detail}",
    "trades.skipped": "skipped",
    "trades.nothing": "nothing to do",
    "trades.no_more": "No older signals.",
    "button.newer": "◀ Newer",
    "button.older": "Older ▶",
    # --- signal channels: /channel (admins), /channels, /subscribe, /unsubscribe, /copy -----
    "cmd.channel": "Run a signal channel: create it, its URL, pause it, its stats, post to "
                   "its subscribers",
    "cmd.channels": "The signal channels you follow, and those you run",
    "cmd.subscribe": "Follow a signal channel: its alerts trade on your own account",
    "cmd.unsubscribe": "Stop following a signal channel",
    "cmd.copy": "How you copy a channel: amount, leverage, at once or after you confirm",
    "status.awaiting": "waiting for your confirmation",
    "status.skipped": "skipped",
    "channel.usage": "📡 <b>Signal channels</b> — one provider's alerts, traded by every "
                     "subscriber on their own account:\n"
                     "<code>/channel new &lt;name&gt;</code> — create one: its code and its "
                     "webhook URL\n"
                     "<code>/channel url &lt;code&gt;</code> — the webhook URL again\n"
                     "<code>/channel rotate &lt;code&gt;</code> — a new URL; the old one stops\n"
                     "<code>/channel pause &lt;code&gt;</code> / <code>/channel resume "
                     "&lt;code&gt;</code> — refuse its alerts for a while\n"
                     "<code>/channel stats &lt;code&gt;</code> — what its last alerts did\n"
                     "<code>/channel post &lt;code&gt; &lt;text&gt;</code> — a message to every "
                     "subscriber",
    "channel.usage_new": "Give the channel a name of at most {most} characters: "
                         "<code>/channel new Gold signals</code>",
    "channel.usage_url": "Send the channel's code: <code>/channel url abc234</code> (/channels "
                         "lists yours).",
    "channel.usage_rotate": "Send the channel's code: <code>/channel rotate abc234</code> "
                            "(/channels lists yours).",
    "channel.usage_pause": "Send the channel's code: <code>/channel pause abc234</code> "
                           "(/channels lists yours).",
    "channel.usage_resume": "Send the channel's code: <code>/channel resume abc234</code> "
                            "(/channels lists yours).",
    "channel.usage_stats": "Send the channel's code: <code>/channel stats abc234</code> "
                           "(/channels lists yours).",
    "channel.usage_post": "Send the code, then the text (at most {most} characters): "
                          "<code>/channel post abc234 Market is volatile today</code>",
    "channel.created": "📡 Channel <b>{name}</b> is ready.\n"
                       "Its code (tap to copy):\n<code>{code}</code>\n"
                       "Its webhook URL for the provider's TradingView alerts (tap to copy). "
                       "Keep it private: it trades for every subscriber.\n<code>{url}</code>\n"
                       "Subscribers join with {command} or this link: {link}\n"
                       "/channel stats {code} shows what its alerts did.",
    "channel.url": "📡 Channel <b>{name}</b>\nIts code (tap to copy):\n<code>{code}</code>\n"
                   "Its webhook URL (tap to copy; it trades for every subscriber):\n"
                   "<code>{url}</code>\nSubscribers join with {command} or {link}",
    "channel.rotated": "🔄 Channel <b>{name}</b> has a new webhook URL; the old one stopped "
                       "working. Give the provider this one.\n"
                       "Its code (tap to copy):\n<code>{code}</code>\n"
                       "Its webhook URL (tap to copy):\n<code>{url}</code>\n"
                       "Subscribers join with {command} or {link}",
    "channel.rotate_ask": "🔄 Give channel <b>{name}</b> ({code}) a new webhook URL? The "
                          "current one stops working at once: alerts sent to it are refused "
                          "until the provider uses the new one.",
    "channel.rotate_yes": "🔄 New URL",
    "channel.rotate_no": "Keep the current one",
    "channel.rotate_kept": "The webhook URL of <b>{name}</b> is unchanged.",
    "channel.unknown": "There is no channel {code}. /channels lists yours; "
                       "<code>/channel new &lt;name&gt;</code> creates one.",
    "channel.not_yours": "Channel <b>{name}</b> ({code}) is run by another admin: only they "
                         "can manage it.",
    "channel.paused": "⏸ Channel <b>{name}</b> is paused: its alerts are refused (HTTP 403) "
                      "and nothing is traded until <code>/channel resume {code}</code>.",
    "channel.resumed": "▶️ Channel <b>{name}</b> takes alerts again; they trade for its "
                       "subscribers.",
    "channel.already_paused": "Channel <b>{name}</b> is paused already. "
                              "<code>/channel resume {code}</code> ends the pause.",
    "channel.already_running": "Channel <b>{name}</b> is not paused: its alerts trade.",
    "channel.stats_title": "📊 <b>{name}</b> ({code})",
    "channel.stats_subscribers": "Subscribers: {count}",
    "channel.stats_pnl": "Subscribers' realised PnL after fees: {pnl} (from {closes} closing "
                         "fills)",
    "channel.stats_paused": "⏸ Paused: <code>/channel resume {code}</code> takes alerts again.",
    "channel.stats_none": "No alert has arrived yet.",
    "channel.stats_alert": "<b>#{id}</b> {what} · {when} UTC · to {subscribers} subscribers\n"
                           "✅ done {done} · ❌ failed {failed} · ⏭ skipped {skipped} · "
                           "⏳ waiting for confirmation {awaiting}",
    "channel.stats_running": "▶️ executing {n}",
    "channel.stats_rejected": "⛔ could not trade {n}",
    "channel.stats_expired": "⌛ expired {n}",
    "channel.stats_expanding": "still reaching its subscribers",
    "channel.post": "📢 <b>{name}</b>\n{text}",
    "channel.posted": "📨 Your message to the subscribers of <b>{name}</b> is on its way to "
                      "{count} people; Telegram's limits pace it.",
    "channel.from": "📡 From channel <b>{name}</b> ({code})",
    "channel.question": "Signal #{id}: {what}. Trade it?",
    "channel.question_sizing": "With your settings: {amount} · {leverage}",
    "channel.question_deadline": "Answer within {seconds} seconds of the alert: later it "
                                 "expires untraded.",
    "channel.question_no_deadline": "It waits for your answer.",
    "channel.qty": "the quantity the alert gives ({qty})",
    "channel.execute": "✅ Execute",
    "channel.skip": "⏭ Skip",
    "channel.not_traded": "⛔ Signal #{id}: {what} was not traded for you.",
    "channel.refused_inactive": "Your account is not active (an admin has not approved it, or "
                                "blocked it): nothing is traded until it is.",
    "channel.refused_paused": "Trading is paused for your account: /resume trades again.",
    "channel.refused_entries_paused": "New entries are paused for your account (closes still "
                                      "run): /resume trades again.",
    "channel.refused_no_keys": "Your account is set to {account} but no {account} API keys are "
                               "stored: send {keys}, or /set account paper to practise.",
    "confirm.executing": "✅ Executing signal #{id}; the result follows.",
    "confirm.skipped": "⏭ Skipped: signal #{id} was not traded.",
    "confirm.was_skipped": "Signal #{id} was skipped already.",
    "confirm.expired": "⌛ Too late: signal #{id} waited more than {seconds} seconds, so it "
                       "expired and was not traded.",
    "confirm.answered": "Signal #{id} was answered already; this press changed nothing.",
    "channels.following": "📡 <b>Channels you follow</b>",
    "channels.none": "You follow no signal channel. <code>/subscribe &lt;code&gt;</code> "
                     "joins one (its admin gives the code).",
    "channels.line": "• <b>{name}</b> ({code})\n  {sizing}",
    "channels.button": "⚙️ {name}",
    "channels.running": "📣 <b>Channels you run</b>",
    "channels.running_none": "You run no channel yet: <code>/channel new &lt;name&gt;</code> "
                             "creates one.",
    "channels.owned_line": "• <b>{name}</b> ({code}) — subscribers: {count}{paused}",
    "channels.paused": " · ⏸ paused",
    "sub.usage": "Send the channel's code: <code>/subscribe abc234</code> (its admin gives "
                 "it).",
    "sub.unknown": "There is no channel {code}: check the code with the channel's admin.",
    "sub.joined": "✅ You follow <b>{name}</b> ({code}): its alerts trade on your own "
                  "account.",
    "sub.already": "You follow <b>{name}</b> ({code}) already.",
    "sub.not_approved": "⏳ Your account is not approved yet: nothing is traded until an admin "
                        "approves it.",
    "sub.no_keys": "⚠️ Your account is set to {account} but no {account} API keys are stored, "
                   "so the channel's alerts are not traded for you: send {keys}, or "
                   "/set account paper to practise.",
    "sub.how_to_change": "Change it with the buttons, or {command} amount=50 leverage=signal "
                         "mode=confirm",
    "unsub.usage": "Send the channel's code: <code>/unsubscribe abc234</code> (/channels "
                   "lists them).",
    "unsub.done": "You no longer follow <b>{name}</b> ({code}): its alerts stop trading for "
                  "you. Open positions stay as they are.",
    "unsub.not_following": "You do not follow <b>{name}</b> ({code}).",
    "copy.usage": "Send the channel's code and what to change:\n"
                  "<code>/copy abc234 amount=50</code> — 50 USDT of margin per trade\n"
                  "<code>/copy abc234 amount=5%</code> — 5% of your available balance\n"
                  "<code>/copy abc234 amount=mine</code> — the alert's amount, else yours\n"
                  "<code>/copy abc234 leverage=10</code> or <code>leverage=signal</code>\n"
                  "<code>/copy abc234 mode=confirm</code> (ask me first) or "
                  "<code>mode=auto</code>",
    "copy.usage_short": "{command} amount=&lt;usdt|n%|mine&gt; leverage=&lt;signal|n&gt; "
                        "mode=&lt;auto|confirm&gt; changes it.",
    "copy.current": "📡 How you copy <b>{name}</b> ({code}):",
    "copy.changed": "✅ Saved. How you copy <b>{name}</b> ({code}) now:",
    "copy.not_following": "You do not follow <b>{name}</b> ({code}): "
                          "<code>/subscribe {code}</code> first.",
    "copy.bad_argument": "I cannot use “{given}”. Write "
                         "<code>/copy {code} amount=50 leverage=signal mode=auto</code> — each "
                         "of amount, leverage and mode at most once.",
    "copy.bad_amount": "“{given}” is not an amount I can use. Send USDT above 0 and at most "
                       "{cap} (<code>/copy {code} amount=50</code>), a percent of your balance "
                       "(<code>/copy {code} amount=5%</code>), or "
                       "<code>/copy {code} amount=mine</code>.",
    "copy.bad_leverage": "“{given}” is not a leverage I can use. Send a whole number from 1 to "
                         "{cap} (<code>/copy {code} leverage=10</code>), or "
                         "<code>/copy {code} leverage=signal</code> for the alert's.",
    "copy.bad_mode": "“{given}” is not a mode. Send <code>/copy {code} mode=auto</code> (trade "
                     "at once) or <code>/copy {code} mode=confirm</code> (ask me first).",
    "copy.line": "Amount: {amount} · Leverage: {leverage} · Mode: {mode}",
    "copy.amount_fixed": "{amount}",
    "copy.amount_percent": "{percent} of the available balance",
    "copy.amount_alert": "the alert's, else yours ({amount})",
    "copy.leverage_fixed": "{leverage}",
    "copy.leverage_alert": "the alert's, else yours ({leverage})",
    "copy.mode_auto": "trades at once",
    "copy.mode_confirm": "asks you first",
    "copy.button_mine": "Mine",
    "copy.button_signal": "Alert's",
    "copy.button_auto": "Auto",
    "copy.button_confirm": "Confirm first",
    "copy.button_leave": "✖ Unsubscribe",
}
