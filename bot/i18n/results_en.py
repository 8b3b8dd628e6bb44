"""English result lines (what /trades and the dashboard show beside a signal), the words the
sentences take from parameters, and the Telegram lines that say a PnL is after fees.

`word.*` and `result.*` are plain text, written by `bot.i18n.errors.say` (bot/i18n/results.py
puts them together); `report.*` and `event.*` here are HTML, like en.py's.
"""

# Words the sentences take from parameters (`{order_side}`).
WORDS: dict[str, str] = {
    "word.buy": "buy",
    "word.sell": "sell",
}

# A signal's result in one line (bot/i18n/results.py): /trades and the dashboard.
RESULTS: dict[str, str] = {
    "result.semicolon": "; ",
    "result.comma": ", ",
    "result.leg_opened": "opened {side} {qty} {symbol} at {price} ({leverage}x)",
    "result.leg_opened_bare": "opened {side} {qty} {symbol} at {price}",
    "result.leg_closed": "closed {side} {qty} {symbol} at {price}",
    "result.leg_closed_pnl": "closed {side} {qty} {symbol} at {price}: {pnl} after fees (fees "
                             "{fee:money} USDT)",
    "result.leg_bought": "bought {qty} {coin} ({symbol}) at {price}",
    "result.leg_sold": "sold {qty} {coin} ({symbol}) at {price}",
    "result.leg_done": "{order_side} {qty} {symbol} done",
    "result.failed_after": "{done}; but {reason}",
    "result.all_of_it": " (all of it: {share}% would have left less than Bybit's minimum "
                        "order)",
    "result.share": " ({share}% of the position)",
    "result.account": " [{account}]",
    "result.exits": "exits: {exits}",
    "result.exit_stop": "stop-loss {price}",
    "result.exit_take": "take-profit {price}",
    "result.exit_target": "{qty} at {price}",
    "result.exit_targets": "targets {targets}",
    "result.exit_trailing": "trailing stop {distance}",
    "result.exit_trailing_from": "trailing stop {distance} from {price}",
    "result.exit_be": "stop to break-even after target {n}",
    "result.exit_none": "none",
    "result.skipped": "already {side} {held} {symbol}; {action} skipped (pyramiding is off)",
    "result.skipped_spot": "already holding {held} {coin} bought by this bot; {action} skipped "
                           "(pyramiding is off)",
    "result.kept": "already {side} {held} {symbol}; the strategy reduced its {side} and is "
                   "still {side}, so the position is kept as it is (nothing done)",
    "result.kept_spot": "already holding {held} {coin} bought by this bot; the strategy "
                        "reduced its long and is still long, so the holding is kept as it is "
                        "(nothing done)",
    "result.nothing_protect": "no open {symbol} position to protect; nothing done",
    "result.nothing_protect_long": "no long {symbol} position to protect; nothing done",
    "result.nothing_protect_short": "no short {symbol} position to protect; nothing done",
    "result.nothing_spot_short": "a spot holding is never short, so there is no short to "
                                 "close; nothing done",
    "result.nothing_spot": "no {coin} bought by this bot to sell on the {account} account; "
                           "nothing done",
    "result.nothing_long": "no long {symbol} position to close; nothing done",
    "result.nothing_short": "no short {symbol} position to close; nothing done",
    "result.nothing_open": "no open {symbol} position to close; nothing done",
    "result.protect_stop": "stop-loss {price}",
    "result.protect_trailing": "trailing stop {distance}",
    "result.protected": "{symbol}: {what} set [{account}]",
}

# Telegram's messages (HTML, like en.py): a close's PnL is after its fee.
TELEGRAM: dict[str, str] = {
    "report.pnl_after_fees": " · PnL after fees: {pnl} (fees {fee})",
    "event.target_filled_after_fees": "🎯 <b>{symbol}</b>: target {n} of {of} filled — {qty} "
                                      "at {price} · PnL after fees: {pnl} (fees {fee}) · "
                                      "{account}",
}

