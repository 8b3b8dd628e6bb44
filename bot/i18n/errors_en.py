"""English sentences for error codes (result lines and words: results_en.py).

Plain text, not HTML: `bot.i18n.errors` fills them in and the caller escapes the result where
it goes into a message. `error.<family>` is said when only the
machine code is known (an old journal row); `error.<family>.<variant>` is the sentence a raise
site chose. Every error sentence says what to type or do. `{name:plain}` writes a number as
typed in a command or an alert (no thousands separators); `{side}`, `{account}`, `{market}`,
`{status}`, `{action}` and `{order_side}` are words of the catalogs.
"""

_KEYS = "/keys {account:plain} <api_key> <api_secret>"
_EXAMPLE_TPS = '[{{"price": 51000, "qty_percent": 50}}, {{"percent": "3%"}}]'

ERRORS: dict[str, str] = {
    # --- families: what a bare code says -----------------------------------------------------
    "error": "something went wrong ({code}); if it happens again, tell the bot's operator",
    "bad_request": "the alert could not be read; send JSON such as "
                   '{{"symbol": "BTCUSDT", "action": "buy", "price": 50000}}',
    "bad_symbol": 'the symbol is not a trading pair: use letters and digits like "BTCUSDT"',
    "not_json": "the body is not a JSON object; send JSON such as "
                '{{"symbol": "BTCUSDT", "action": "buy", "price": 50000}}',
    "missing_field": 'a field is missing: send "symbol" and "action"',
    "bad_field": "two fields of the alert do not go together: send only one of them",
    "bad_number": "a number in the alert is not usable: send a positive number such as 50000",
    "above_limit": "the alert asks for more than this server allows: send a smaller value",
    "bad_id": "the alert's id is not usable: send text or a number of at most 128 characters",
    "bad_exit": "the alert's exits do not fit together: see the exits in the webhook guide "
                "(/webhook)",
    "no_balance": "the available balance is too small for this trade: add funds, or trade a "
                  "fixed amount",
    "bad_take_profit": "the take-profit is on the wrong side of the price: send it above the "
                       "price for a long, below it for a short",
    "bad_stop_loss": "the stop-loss is on the wrong side of the price: send it below the "
                     "price for a long, above it for a short",
    "unknown_user": "there is no such user: use the URL or the link the bot sent you",
    "unauthorized": "the token is missing or wrong: copy the URL again from /webhook",
    "forbidden": "this alert is not accepted for this account",
    "trade_failed": "the signal could not be executed; check /positions, then send it again",
    "exchange_error": "Bybit refused the request; check /positions, then send it again",
    "below_minimum": "the order is below Bybit's minimum: raise the trade amount "
                     "(/set amount …) or the leverage",
    "above_maximum": "the order is above Bybit's largest market order: lower the trade amount "
                     "(/set amount …) or the leverage",
    "insufficient_balance": "not enough free balance for this order: lower the amount "
                            "(/set amount …) or the leverage, or add funds",
    "no_price": 'there is no usable price: add "price" ({{{{close}}}}) to the alert',
    "no_position": "there is no open position to close; /positions shows what is open",
    "unknown_symbol": "the symbol is not traded on Bybit for this market: check the alert's "
                      "symbol, or switch market with /set market",
    "rate_limited": "too many requests at once: send the alert again in a minute",
    "unavailable": "the server cannot do this right now: send it again in a few seconds",
    "exchange_unreachable": "Bybit did not answer: check /positions before sending the alert "
                            "again",
    "exits": "an exit could not be placed as asked; /positions shows the position's plan",
    "internal": "an internal error stopped this signal; the operator can see why in the log",
    "duplicate": "the same alert arrived before; this one was not executed again",

    # --- the alert's body (bot/signals.py) -----------------------------------------------------
    "bad_symbol.not_text": 'symbol must be text such as "BTCUSDT", got {given}',
    "bad_symbol.placeholder": "symbol {given} is a TradingView placeholder that was not filled "
                              "in: check its spelling in the alert message (for example "
                              "{{{{ticker}}}})",
    "bad_symbol.not_pair": 'symbol {given} is not a trading pair: use letters and digits like '
                           '"BTCUSDT" ("BYBIT:BTCUSDT.P" and "BTC/USDT" work too)',
    "unknown_action": "action {given} is not known: use one of {actions}",
    "not_json.encoding": "the body is not UTF-8 text; send JSON such as {example}",
    "empty_body": "the body is empty; send JSON such as {example}",
    "not_json.invalid": "the body is not valid JSON; send JSON such as {example}",
    "not_json.placeholder": "the body is not valid JSON (a TradingView placeholder was left "
                            "unexpanded: check its spelling); send JSON such as {example}",
    "not_json.not_object": "the body must be a JSON object such as {example}",
    "missing_field.symbol": 'the field "symbol" is missing; send JSON such as {example}',
    "missing_field.action": 'the field "action" is missing ("signal" works too); send JSON '
                            "such as {example}",
    "bad_field.percent": "qty_percent closes a share of a position, but this alert is a "
                         "{action}: send it with action close, close_long, close_short or "
                         "partial_close",
    "bad_field.percent_position": 'qty_percent closes a share of a position, but this alert is '
                                  'a {action} ("position": "{position}" made it a {action}): '
                                  "send it with action close, close_long, close_short or "
                                  "partial_close",
    "bad_field.repeated": "the field {field} appears more than once in the alert: send it once",
    "bad_field.alias": '"{field}" and "{alias}" are the same field and disagree: send only one '
                       "of them",
    "bad_position": "position {given} is not known: use long, short or flat (TradingView's "
                    "{{{{strategy.market_position}}}})",
    "bad_number.number": "{field} must be a positive number such as {example}, got {given}",
    "bad_number.placeholder": "{field} must be a positive number such as {example}, got "
                              "{given} (a TradingView placeholder was left unexpanded)",
    "bad_number.leverage": "leverage must be a whole number such as 10, got {given}",
    "bad_number.percent": "qty_percent must be a percent above 0 and at most 100, such as 50, "
                          "got {given}",
    "above_limit.amount": "amount {amount} is above this server's limit of {limit} USDT per "
                          "trade (limits.max_trade_amount): send a smaller amount",
    "above_limit.leverage": "leverage {leverage} is above this server's maximum of {limit} "
                            "(limits.max_leverage): send a lower leverage",
    "above_limit.qty": "qty {qty} at {price} with {leverage}x leverage puts up {margin} USDT of "
                       "margin, above this server's limit of {limit} USDT per trade "
                       "(limits.max_trade_amount): send a smaller qty",
    "above_limit.spot_qty": "qty {qty} at {price} costs {margin} USDT, above this server's limit "
                            "of {limit} USDT per trade (limits.max_trade_amount): send a "
                            "smaller qty",
    "bad_id.type": "id must be text or a number, got {given}",
    "bad_id.length": "id is longer than {limit} characters: send a shorter id",
    "bad_timestamp": "timestamp {given} is not a time: use TradingView's {{{{timenow}}}} "
                     "(like 2026-11-28T00:00:00Z) or Unix seconds",

    # --- exits as asked (bot/plans.py) ---------------------------------------------------------
    "bad_number.level": '{field} must be a price such as 51000 or a percent of the entry such '
                        'as "2%" (above 0, below 100%), got {given}',
    "bad_number.target_level": 'the {field} of tps target {n} must be a price such as 51000 '
                               'or a percent of the entry such as "2%" (above 0, below 100%), '
                               "got {given}",
    "bad_exit.both": "send either take_profit (one target for the whole position) or a ladder "
                     "(tps, or tp1…tp10), not both",
    "bad_exit.shares": "give qty_percent to every target but the last (which takes what is "
                       "left), or to none (an even split)",
    "bad_exit.shares_total": "the targets' qty_percent add up to {total}% before the last one: "
                             "together they must stay below 100%",
    "bad_exit.last_share": "the last target takes what the others leave ({rest}%), not "
                           "{last}%: drop its qty_percent or make them add up to 100",
    "bad_exit.be_after_beyond": "be_after {be_after} is beyond the ladder of {targets} "
                                "target(s): send be_after 1…{last} (after the last target "
                                "nothing is left to protect)",
    "bad_exit.activation": 'trailing_activation needs a trailing distance: add "trailing" (a '
                           'price distance such as 200, or "1%")',
    "bad_exit.ladder_twice": "send the ladder once: tps, or tp1…tp10, not both",
    "bad_exit.gaps": "targets must be numbered from tp1 without gaps, got {given}",
    "bad_exit.tps": "tps must be a list of at most {limit} targets such as " + _EXAMPLE_TPS,
    "bad_exit.rung": 'tps target {n} needs a "price" or a "percent" (one of them)',
    "bad_exit.be_after": "be_after must be a target number such as 1, got {given}",
    "bad_take_profit.long": "{field} {level} is on the wrong side of the entry {entry}: a "
                            "long's target must be above its entry",
    "bad_take_profit.short": "{field} {level} is on the wrong side of the entry {entry}: a "
                             "short's target must be below its entry",
    "bad_stop_loss.long": "{field} {level} is on the wrong side of the entry {entry}: a long's "
                          "stop must be below its entry",
    "bad_stop_loss.short": "{field} {level} is on the wrong side of the entry {entry}: a "
                           "short's stop must be above its entry",

    # --- sizing and planning (bot/trading/sizing.py, planner.py, market.py) -------------------
    "no_balance.percent": "{percent}% of the available balance is nothing: {available} USDT is "
                          "available; add funds, or copy a fixed amount with "
                          "/copy <code> amount=<usdt>",
    "no_price.signal": 'no usable price for {symbol}: add "price" ({{{{close}}}}) to the alert',
    "no_price.bybit": 'Bybit has no price for {symbol}; add "price" to the alert',
    "no_price.paper": 'no market price for {symbol} is reachable: add "price" ({{{{close}}}}) '
                      "to the alert",
    "untradeable": "at {price} Bybit's smallest {symbol} order ({minimum} {coin}) is above its "
                   "largest market order ({maximum} {coin}): this symbol cannot be traded by "
                   "market order at this price",
    "below_minimum.qty": "qty {qty} is below Bybit's minimum of {minimum} {coin} for {symbol} "
                         "at {price}: send a qty of at least {minimum}",
    "below_minimum.amount": "{amount} USDT at {leverage}x buys {qty} {coin}, below Bybit's "
                            "minimum of {minimum} {coin} for {symbol}; use a trade amount of "
                            "at least {needed} USDT (/set amount {needed:plain}) or a higher "
                            "leverage",
    "below_minimum.alert_amount": "{amount} USDT at {leverage}x buys {qty} {coin}, below "
                                  "Bybit's minimum of {minimum} {coin} for {symbol}; use a "
                                  "trade amount of at least {needed} USDT (\"amount\": "
                                  "{needed:plain} in the alert) or a higher leverage",
    "above_maximum.qty": "qty {qty} is above Bybit's largest market order of {maximum} {coin} "
                         "for {symbol}: send a qty of at most {maximum}",
    "above_maximum.amount": "{qty} {coin} is above Bybit's largest market order of {maximum} "
                            "{coin} for {symbol}; use a trade amount of at most {allowed} USDT "
                            "(/set amount {allowed:plain}) or a lower leverage",
    "above_maximum.alert_amount": "{qty} {coin} is above Bybit's largest market order of "
                                  "{maximum} {coin} for {symbol}; use a trade amount of at "
                                  "most {allowed} USDT (\"amount\": {allowed:plain} in the "
                                  "alert) or a lower leverage",
    "below_minimum.spot_amount": "{amount} {quote} is below Bybit's minimum spot order of "
                                 "{minimum} {quote} for {symbol}; use a trade amount of at "
                                 "least {least} (/set amount {least:plain})",
    "below_minimum.spot_alert_amount": "{amount} {quote} is below Bybit's minimum spot order "
                                       "of {minimum} {quote} for {symbol}; use a trade amount "
                                       "of at least {least} (\"amount\": {least:plain} in the "
                                       "alert)",
    "below_minimum.spot_qty": "{qty} {coin} (about {worth} {quote}) is below Bybit's minimum "
                              "spot order of {minimum} {quote} for {symbol}: at {price} send "
                              "a qty of at least {least} {coin}",
    "above_maximum.spot_qty": "{qty} {coin} is above Bybit's largest spot market order of "
                              "{maximum} {coin}: send a smaller qty",
    "below_minimum.share": "{share}% of the {side} {size} {coin} is {qty} {coin}, below "
                           "Bybit's minimum order of {minimum} {coin} for {symbol}: close a "
                           "larger share, or all of it",
    "leverage_too_high": "leverage {leverage}x is above {symbol}'s maximum of {maximum}x; send "
                         "/set leverage {most:plain}",
    "leverage_too_high.alert": "leverage {leverage}x is above {symbol}'s maximum of "
                               '{maximum}x; send "leverage": {most:plain} or less in the alert',
    "leverage_on_spot": "the alert asks for leverage {leverage}x, but this account trades "
                        'spot, which has no leverage: remove "leverage" from the alert, or '
                        "/set market futures",
    "ambiguous_side": "both sides of {symbol} are open (hedge mode): set the stop on Bybit, or "
                      "close one side first",
    "bad_trailing": "a trailing distance of {distance} is less than one tick ({tick}) of "
                    "{symbol}: send a larger distance",
    "bad_protection": "{action} needs its level: send a price with it, such as "
                      "/sl {symbol} 50000",
    "unknown_symbol.market": "{symbol} is not traded on Bybit {market}: check the alert's "
                             "symbol, or switch with /set market {other:plain}",
    "not_trading": "{symbol} is not trading on Bybit right now (status {status_text}): send "
                   "the alert again once it trades",
    "not_filled": "Bybit did not fill the {order_side} order for {symbol} (it was rejected or "
                  "cancelled); nothing was traded on this leg: check /positions, then send the "
                  "alert again",

    # --- Bybit's answers (bot/trading/exchanges/bybit_errors.py) --------------------------------
    "invalid_key": "Bybit rejected the {account} API key (HTTP 401); store it again with "
                   + _KEYS,
    "ip_blocked": "Bybit refused this server's address (IP rate limit or a restricted region); "
                  "the operator must wait 10 minutes, then send the alert again",
    "rate_limited.bybit": "Bybit asked us to slow down (HTTP 429)",
    "rate_limited.account": "Bybit's rate limit for this account was reached (too many "
                            "requests at once)",
    "not_found": "Bybit does not offer this request for this account (HTTP 404): check the "
                 "account with /settings",
    "exchange_unreachable.page": "Bybit answered with an error page (HTTP {status_code}) "
                                 "instead of a result",
    "exchange_unreachable.timeout": "Bybit did not answer in time",
    "exchange_unreachable.failed": "talking to Bybit failed ({problem})",
    "no_keys": "no {account} API keys are stored: send " + _KEYS + " to the bot, or /set "
               "account paper to practise without keys",
    "no_keys.legacy": "the legacy account is set to {account} but BYBIT_API_KEY and "
                      "BYBIT_API_SECRET are not set; set them, or defaults.account_type: paper",
    "position_mode": "the order does not match the account's position mode (hedge or "
                     "one-way); it changed on Bybit while the order was being sent — send the "
                     "alert again",
    "above_maximum.bybit": "the order is larger than Bybit allows for one {symbol} market "
                           "order: lower the trade amount (/set amount …) or the leverage",
    "below_minimum.bybit": "the order is smaller than Bybit's minimum for {symbol}: raise the "
                           "trade amount (/set amount …) or the leverage",
    "below_minimum.value": "the order is worth less than Bybit's minimum for {symbol}: raise "
                           "the trade amount (/set amount …)",
    "bad_take_profit.bybit": "Bybit refused the take_profit: the price has already moved past "
                             "it. Send take_profit above the current price for a long (below "
                             "for a short)",
    "bad_stop_loss.bybit": "Bybit refused the stop_loss: the price has already moved past it. "
                           "Send stop_loss below the current price for a long (above for a "
                           "short)",
    "bad_qty": "Bybit refused the size of the {symbol} order ({reply}); nothing was traded — "
               "please tell the bot's operator",
    "bad_request.bybit": "Bybit refused the order as malformed ({reply}); nothing was traded — "
                         "please tell the bot's operator",
    "wrong_environment": "Bybit does not know this API key on the {account} environment: demo "
                         "keys work only on demo and real keys only on real. Check it, or "
                         "store it again with " + _KEYS,
    "bad_signature": "the API secret does not match the key; store the pair again with "
                     + _KEYS,
    "no_permission": "this API key may not trade: in Bybit's API management, give it "
                     "permission for Orders and Positions (Contract and Spot)",
    "no_permission.read_only": "this API key is read-only: in Bybit's API management give it "
                               "Read-Write permission for Orders and Positions (Contract and "
                               "Spot), or create such a key, and send it with " + _KEYS,
    "ip_not_allowed": "this API key is restricted to other IP addresses: add this server's IP "
                      "to the key in Bybit, or remove the restriction",
    "insufficient_balance.spot": "not enough free balance on the Bybit {account} account for "
                                 "this spot order: lower the amount (/set amount …) or add "
                                 "funds",
    "insufficient_balance.margin": "not enough free margin on the Bybit {account} account for "
                                   "this order: lower the amount (/set amount …) or the "
                                   "leverage (/set leverage …), or add funds",
    "unknown_symbol.unnamed": "this symbol is not traded on Bybit for this market: check the "
                              "alert's symbol, or switch market with /set market",
    "unknown_symbol.bybit": "{symbol} is not traded on Bybit for this market: check the "
                            "alert's symbol, or switch market with /set market",
    "no_position.bybit": "there is no open position for a reduce-only order to close; "
                         "/positions shows what is open",
    "position_limit": "the position would exceed Bybit's limit for this leverage: lower the "
                      "leverage (/set leverage …) or the amount",
    "demo_unsupported": "{symbol} cannot be traded on Bybit's demo account: practise it on "
                        "paper (/set account paper)",
    "clock_drift": "this server's clock is out of step with Bybit's: the operator must "
                   "synchronise it (NTP)",
    "exchange_busy": "Bybit had a temporary problem: {reply}",
    "exchange_refused": "Bybit refused the request: {reply} (code {bybit_code}); if it "
                        "happens again, tell the bot's operator",

    # --- after retries (bot/trading/orders.py): the last error, then what it means ------------
    "retry": "Bybit kept failing after several tries: check /positions before sending the "
             "alert again",
    "retry.read": "{cause}; tried {attempts} times: send the alert again in a minute",
    "retry.not_placed": "{cause}; tried {attempts} times and nothing was placed: send the "
                        "alert again in a minute",
    "retry.maybe_placed": "{cause}; tried {attempts} times and the order is not on Bybit, but "
                          "a late answer could still place it: check your positions on Bybit "
                          "before sending the alert again",
    "order_unknown": "Bybit stopped answering while the {symbol} order was being placed, so "
                     "whether it went through is unknown: check your positions on Bybit before "
                     "sending the alert again",

    # --- the paper account (bot/trading/exchanges/paper.py) ------------------------------------
    "bad_take_profit.paper": "the take-profit {level} is already passed: the price is {price}. "
                             "Send a take-profit above the price for a long (below it for a "
                             "short)",
    "bad_stop_loss.paper": "the stop-loss {level} is already passed: the price is {price}. "
                           "Send a stop-loss below the price for a long (above it for a "
                           "short)",
    "no_position.paper": "there is no open position for a reduce-only order to close; "
                         "/positions shows what is open",
    "no_position.paper_symbol": "there is no open {symbol} position on the paper account; "
                                "/positions shows what is open",
    "insufficient_balance.paper": "not enough free balance on the paper account for this "
                                  "order: lower the amount (/set amount …) or the leverage",
    "insufficient_balance.paper_buy": "not enough {coin} on the paper account for this order: "
                                      "lower the amount (/set amount …)",
    "insufficient_balance.paper_sell": "not enough {coin} on the paper account to sell; "
                                       "/positions shows what it holds",

    # --- the signal's life (bot/trading/processor.py, bot/db/journal.py) ----------------------
    "internal.unreadable": "the stored signal could not be read back; send the alert again",
    "expired": "expired: it waited more than {max_age} s (the server was down or busy), so it "
               "was not traded late; send it again if it still holds",
    "expired.unchecked": "expired: it waited more than {max_age} s (the server was down or "
                         "busy), so it was not traded late; whether an order of it went out "
                         "before could not be checked ({cause}): look at your positions",
    "duplicate.of": "same alert as signal {original}; not executed again",
    "duplicate.status": "same alert as signal {original} ({status}); not executed again",
    # the webhook's answer to a repeat (200): what became of the signal it repeats
    "duplicate.running": "the same alert arrived before as signal {original}; it is being "
                         "executed; this one was not executed again",
    "duplicate.executed": "the same alert arrived before as signal {original}; it was executed "
                          "({result}); this one was not executed again",
    "duplicate.done": "the same alert arrived before as signal {original}; it was executed; "
                      "this one was not executed again",
    "duplicate.ended": "the same alert arrived before as signal {original}; it ended {status} "
                       "({result}); this one was not executed again",
    "duplicate.ended_bare": "the same alert arrived before as signal {original}; it ended "
                            "{status}; this one was not executed again",

    # --- exits not (all) placed: notes on a done opening (bot/trading/exits.py, keeper.py) -----
    "exits.no_fill": "the opening's fill is not known yet: exits not placed; set them with "
                     "/sl and /trail",
    "exits.target_refused": "target {n} was refused: {reply}",
    "exits.not_placed": "exits not placed: {cause}",
    "exits.not_beyond_profit": "{field} {level} is not beyond the entry {entry} on the profit "
                               "side; not set",
    "exits.not_beyond_loss": "{field} {level} is not beyond the entry {entry} on the loss "
                             "side; not set",
    "exits.trailing_tick": "trailing {distance} is less than one tick ({tick}); not set",
    "exits.be_last": "break-even after target {n}: that target now closes what is left; no "
                     "move needed",
    "exits.too_small": "the position is too small for a ladder (below the minimum order of "
                       "{minimum}); no targets placed",
    "exits.merged": "targets {targets} were each below the minimum order of {minimum}: placed "
                    "as one of {qty} at {price}",
    "exits.spot": "exits are not set on spot: Bybit spot has no position stop-loss, take-"
                  "profit or trailing stop; the buy is done without them",

    # --- the webhook's door (bot/intake.py, bot/webhook_server.py, bot/web/access.py) ----------
    "stale_signal": "the alert is {age} s old, older than the {max_age} s this account "
                    "accepts; it was not executed",
    "address_not_allowed": "requests from {ip} are not accepted by this server "
                           "(server.allowed_ips)",
    "rate_limited.address": "too many requests from this address; try again in {wait} s",
    "rate_limited.user": "more than {limit} alerts a minute for this account; try again in "
                         "{wait} s",
    "inactive": "this account is not active yet: an admin must approve it",
    "paused": "trading is paused for this account: send /resume to the bot",
    "entries_paused": "new entries are paused for this account, so this {action} was not "
                      "traded (closes still are): send /resume to the bot",
    "unknown_user.webhook": "there is no user {user}: check the webhook URL (send /webhook to "
                            "the bot for yours)",
    "unknown_user.url": "there is no user {user}: the URL must hold your numeric id (send "
                        "/webhook to the bot for yours)",
    "unknown_user.dashboard": "there is no user {user}: open the link that /dashboard sends in "
                              "the bot",
    "unauthorized.missing": "the token is missing: use the full URL from /webhook, including "
                            "?token=…",
    "unauthorized.wrong": "the token is wrong: copy the URL again from /webhook (it changes "
                          "after /rotate)",
    "unauthorized.secret": 'the secret is missing or wrong: add "secret" to the alert body or '
                           "?secret=… to the URL",
    "legacy_disabled": "the legacy /webhook is turned off on this server; use your personal "
                       "URL from /webhook",
    "legacy_misconfigured": "legacy_webhook.user_id {user} is not a registered user; the "
                            "operator must fix config.yaml",
    "unavailable.database": "the server cannot read its database right now; try again in a "
                            "few seconds",
    "unavailable.journal": "the server could not store the alert, so it was not accepted; "
                           "TradingView may retry, or send it again",
    "rate_limited.channel": "more than {limit} alerts a minute for this channel; try again in "
                            "{wait} s",
    "channel_paused": "this channel is paused: its admin can send /channel resume {channel} "
                      "to the bot",
    "unknown_channel": "there is no channel {channel}: check the webhook URL (its admin gets "
                       "it with /channel url <code>)",
    "unauthorized.channel_missing": "the token is missing: use the channel's full URL, "
                                    "including ?token=…",
    "unauthorized.channel_wrong": "the token is wrong: the channel's admin gets the URL with "
                                  "/channel url <code> (it changes after /channel rotate)",
    "body_too_large": "the body is larger than {limit} bytes; alerts are small JSON objects",
    "not_found.route": "there is nothing at this address; alerts go to /personal/<your "
                       "id>/webhook (send /webhook to the bot)",
    "method_not_allowed": "{method} is not allowed here; TradingView sends POST",
    "internal.server": "the server hit an internal error; the operator has been told",
}
