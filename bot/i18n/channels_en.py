"""English messages of the signal channels (HTML): merged into `en.MESSAGES`."""

MESSAGES: dict[str, str] = {
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
