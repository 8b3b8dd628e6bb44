"""English messages of refused alerts told, the two pauses, the buttons that end dead ends and
/trades by page (HTML): merged into `en.MESSAGES`."""

MESSAGES: dict[str, str] = {
    # --- refused alerts told, the two pauses, no dead ends, /trades by page and time zone ----
    "refusal.head": "⛔ <b>Alert refused</b>{what}{signal}: nothing was traded.",
    "refusal.what": " · <b>{symbol}</b> · {action}",
    "refusal.signal": " · signal #{id}",
    "refusal.legacy": "📡 <b>Legacy {webhook}</b>",
    "refusal.channel": "📡 Your channel <b>{name}</b> ({code})",
    "refusal.alert": " · channel alert #{id}",
    "refusal.reason": "Why, and what to do: {reason}",
    "refusal.close_paused": "⚠️ It was a close, so that position is still open. Close it "
                            "with {close}, or send {resume} to trade alerts again.",
    "refusal.close_open": "⚠️ It was a close, so that position is still open: fix the alert, "
                          "or close it with {close}.",
    "refusal.quiet": "Alerts refused for the same reason are not told again for {lifetime}; "
                     "{trades} lists every one.",
    "refusal.quiet_channel": "Alerts of this channel refused for the same reason are not told "
                             "again for {lifetime}.",
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
}
