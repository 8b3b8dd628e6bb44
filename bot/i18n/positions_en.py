"""English messages of positions, balance, trades and notifications (HTML): merged into
`en.MESSAGES`."""

MESSAGES: dict[str, str] = {
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
    "position.other_account": "ℹ️ This {side} {symbol} position is on your {account} account, "
                              "and you use the {now} account now: nothing was done. Switch "
                              "back with <code>{command}</code>.",
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
    "protect.which_side": "Both a long and a short {symbol} are open: say which, "
                          "<code>{long}</code> or <code>{short}</code>.",
    "protect.bad_side": "“{given}” is not a side. End with long or short, e.g. "
                        "<code>{example}</code>.",
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
    "report.leg_opened_bare": "Opened {side} {qty} {symbol} at {price}",
    "report.leg_closed": "Closed {side} {qty} {symbol} at {price}{pnl}",
    "report.leg_bought": "Bought {qty} {symbol} at {price}",
    "report.leg_sold": "Sold {qty} {symbol} at {price}",
    "report.all_of_it": "All of it: {share}% would have left less than Bybit's minimum order",
    "report.account": "Account: {account} · {market}",
    "report.summary": "{summary}",
    "report.skipped": "⏭ <b>{symbol}</b> · {action} · signal #{id}: skipped — already "
                      "{side} {size}. Pyramiding is off, so repeated alerts do not add; "
                      "<code>/set pyramiding on</code> changes that.",
    "report.kept": "⏭ <b>{symbol}</b> · {action} · signal #{id}: nothing done — the "
                   "strategy reduced its {side} and is still {side}, so your {side} {size} is "
                   "kept as it is.",
    "report.nothing": "ℹ️ <b>{symbol}</b> · {action} · signal #{id}: {reason}.",
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
}
