"""Trading settings: the /settings menu, its buttons, and `/set <name> <value>`.

Buttons and /set go through the same `change()`, so both validate alike: amount above 0 and
at most limits.max_trade_amount, leverage 1 to limits.max_leverage, demo and real only with
keys stored, real only after an explicit confirmation. The default exits (`/set sl|tp|trailing|be`)
are read and shown by settings_exits.py; the time zone (`/set tz`) by timezones.py.

No dead ends: "no demo keys" comes with a button that starts the guided /keys flow for that
account, and [Custom…] beside the amount presets asks for the amount as a message (prompts.py).
Leverage is shown and offered only for futures.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.config import ACCOUNT_TYPES, MARKET_TYPES, LimitsConfig
from bot.handlers import prompts, timezones
from bot.handlers.common import BotContext, button_args, edit, number, reply
from bot.handlers.settings_exits import (
    EXIT_SETTINGS,
    Refused,
    done_text,
    exits_text,
    help_text,
    parse_exit,
    usage_text,
)
from bot.i18n import compose, ltr, t
from bot.i18n.numbers import read_number
from bot.models import UserSettings

log = logging.getLogger(__name__)

SETTINGS = ("market", "account", "amount", "leverage", "pyramiding", "tz")
AMOUNT_PRESETS = (10, 25, 50, 100, 250, 500)
LEVERAGE_PRESETS = (1, 2, 3, 5, 10, 20, 50, 100)
SWITCH_ON, SWITCH_OFF = ("on", "yes", "true", "1"), ("off", "no", "false", "0")
CUSTOM = "custom"  # set:amount:custom asks for the amount in a message
ZONE = "zone"  # set:zone: the time zone's choices (set:tz:<zone>), or one typed
TZ_PRESETS = ("UTC", "Asia/Riyadh", "Asia/Dubai", "Africa/Cairo", "Europe/London",
              "America/New_York")


@dataclass(frozen=True)
class Change:
    """What `change()` did: a confirmation, or a question that needs a button press."""

    text: str
    confirm: InlineKeyboardMarkup | None = None


class NoKeys(Refused):
    """No keys stored for the account chosen: it is named in the reader's words (تجريبي), the
    command to add them as typed (/keys demo)."""

    def __init__(self, account: str) -> None:
        super().__init__("set.need_keys", account=account)

    def text(self, lang: str) -> str:
        account = str(self.values["account"])
        return t(lang, self.key, account=account, name=t(lang, f"account.{account}"))


# --- parsing: pure, one per setting ---------------------------------------------------------


def parse_market(raw: str) -> str:
    value = raw.strip().lower()
    if value not in MARKET_TYPES:
        raise Refused("set.bad_market", given=raw)
    return value


def parse_account(raw: str) -> str:
    value = raw.strip().lower()
    if value not in ACCOUNT_TYPES:
        raise Refused("set.bad_account", given=raw)
    return value


def parse_amount(raw: str, cap: Decimal) -> Decimal:
    """USDT as people type it: 100, 1,000, ١٠٠, ١٢٫٥, $100, 100$, 100 USDT (read_number)."""
    value = read_number(raw)
    if value is None or value <= 0 or value > cap or _places(value) > 8:
        raise Refused("set.bad_amount", given=raw, cap=number(cap))
    return value


def parse_leverage(raw: str, cap: int) -> int:
    """A whole number from 1 to `cap`: 10, 10x, ١٠."""
    value = read_number(raw.strip().lower().removesuffix("x"))
    if value is None or value != value.to_integral_value() or not 1 <= value <= cap:
        raise Refused("set.bad_leverage", given=raw, cap=cap)
    return int(value)


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def parse_switch(raw: str) -> bool:
    value = raw.strip().lower()
    if value not in SWITCH_ON + SWITCH_OFF:
        raise Refused("set.bad_pyramiding", given=raw)
    return value in SWITCH_ON


def parse_tz(raw: str) -> str:
    value = timezones.parse(raw)
    if value is None:
        raise Refused("set.bad_tz", given=raw)
    return value


def parse(name: str, raw: str, limits: LimitsConfig) -> object:
    """Turn `/set <name> <raw>` into a valid value, or raise `Refused`."""
    parsers = {"market": parse_market, "account": parse_account,
               "amount": lambda r: parse_amount(r, limits.max_trade_amount),
               "leverage": lambda r: parse_leverage(r, limits.max_leverage),
               "pyramiding": parse_switch, "tz": parse_tz}
    return parsers[name](raw)


# --- applying ------------------------------------------------------------------------------

async def change(context: BotContext, name: str, raw: str, *, confirmed: bool) -> Change:
    """Validate and store one setting; raise `Refused` saying what is allowed."""
    facade, me = context.facade, context.me
    if name in EXIT_SETTINGS:
        current = await facade.settings(me.id)
        plan = parse_exit(name, raw, current.exits)
        settings = await facade.update_settings(me.id, exits=plan)
        log.info("user=%s set default exits (%s): %s", me.id, name,
                 "none" if plan is None else plan.to_json())
        return Change(done_text(context.lang, name, settings.exits))
    value = parse(name, raw, facade.limits)
    if name == "account" and value in ("demo", "real"):
        if value not in await facade.key_accounts(me.id):
            raise NoKeys(value)
        if value == "real" and not confirmed:
            return Change(context.tr("set.confirm_real"), _confirm_real_keyboard(context))
    column = {"market": "market_type", "account": "account_type", "amount": "trade_amount",
              "leverage": "leverage", "pyramiding": "pyramiding", "tz": "timezone"}[name]
    settings = await facade.update_settings(me.id, **{column: value})
    log.info("user=%s set %s to %s", me.id, name, value)
    return Change(context.tr(f"set.done_{name}", value=_shown(context, name, settings)))


def _shown(context: BotContext, name: str, settings: UserSettings) -> str:
    if name == "market":
        return context.tr(f"market.{settings.market_type}")
    if name == "account":
        return context.tr(f"account.{settings.account_type}")
    if name == "amount":
        return number(settings.trade_amount)
    if name == "leverage":
        return str(settings.leverage)
    if name == "tz":
        return timezones.describe(settings.timezone)
    return context.tr("switch.on" if settings.pyramiding else "switch.off")


def _confirm_real_keyboard(context: BotContext) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(context.tr("set.confirm_real_yes"),
                             callback_data="set:account:real:yes"),
        InlineKeyboardButton(context.tr("button.cancel"), callback_data="set:menu"),
    ]])


# --- the menu ------------------------------------------------------------------------------

async def menu_text(context: BotContext) -> str:
    facade, me = context.facade, context.me
    settings = await facade.settings(me.id)
    keys = await facade.key_accounts(me.id)
    tr = context.tr
    trading = {"all": "settings.paused", "entries": "settings.paused_entries"}.get(
        settings.pause or "", "settings.trading")
    # Leverage only matters on futures: spot's text has no line for it.
    template = "settings.text" if settings.market_type == "futures" else "settings.text_spot"
    text = tr(template, market=tr(f"market.{settings.market_type}"),
              account=tr(f"account.{settings.account_type}"),
              amount=number(settings.trade_amount), leverage=settings.leverage,
              pyramiding=tr("switch.on" if settings.pyramiding else "switch.off"),
              trading=tr(trading),
              demo_keys="✅" if "demo" in keys else "—", real_keys="✅" if "real" in keys else "—")
    extra = [tr("settings.exits", exits=exits_text(context.lang, settings.exits)),
             tr("settings.tz", tz=ltr(context.lang, timezones.describe(settings.timezone)),
                example=ltr(context.lang, "/set tz +3"))]
    body, gap, hint = text.rpartition("\n\n")  # these lines go above the closing hint
    return "\n".join([body, *extra]) + gap + hint if gap else "\n".join([text, *extra])


async def menu_keyboard(context: BotContext) -> InlineKeyboardMarkup:
    facade, tr = context.facade, context.tr
    settings = await facade.settings(context.me.id)
    limits = facade.limits

    def button(label: str, name: str, value: object, current: bool) -> InlineKeyboardButton:
        return InlineKeyboardButton(("✓ " if current else "") + label,
                                    callback_data=f"set:{name}:{value}")

    pyramiding = "off" if settings.pyramiding else "on"
    presets = [a for a in AMOUNT_PRESETS if a <= limits.max_trade_amount]
    custom = settings.trade_amount not in presets
    rows = [
        [button(tr(f"market.{m}"), "market", m, m == settings.market_type)
         for m in MARKET_TYPES],
        [button(tr(f"account.{a}"), "account", a, a == settings.account_type)
         for a in ACCOUNT_TYPES],
        [button(f"{a} USDT", "amount", a, a == settings.trade_amount) for a in presets[:3]],
        [*(button(f"{a} USDT", "amount", a, a == settings.trade_amount) for a in presets[3:]),
         button(tr("settings.custom_amount"), "amount", CUSTOM, custom)],
    ]
    if settings.market_type == "futures":  # leverage means nothing on spot
        rows.append([button(f"{x}x", "leverage", x, x == settings.leverage)
                     for x in LEVERAGE_PRESETS if x <= limits.max_leverage][:6])
    rows += [
        [button(tr(f"settings.pyramiding_{pyramiding}"), "pyramiding", pyramiding, False)],
        [InlineKeyboardButton(tr("settings.exits_button"), callback_data="set:exits"),
         InlineKeyboardButton(tr("settings.tz_button"), callback_data=f"set:{ZONE}")],
    ]
    return InlineKeyboardMarkup(rows)


async def settings_command(update: Update, context: BotContext) -> None:
    """Show the settings with buttons to change them."""
    await reply(update, await menu_text(context), await menu_keyboard(context))


async def set_command(update: Update, context: BotContext) -> None:
    """Change one setting: /set <market|account|amount|leverage|pyramiding|tz> <value>, or a
    default exit: /set <sl|tp|trailing|be> <value|off>."""
    args = context.args or []
    name = args[0].lower() if args else ""
    if name in (*EXIT_SETTINGS, *SETTINGS) and len(args) >= 2:
        # `/set amount 100 USDT`, `/set tp 1%, 2%, 3%`; not glued: `1 5%` is no 15%
        raw = " ".join(args[1:])
    else:
        await reply(update, context.tr("set.usage") + "\n\n" + usage_text(context.lang) + "\n"
                    + context.tr("set.usage_tz", example=ltr(context.lang, "/set tz +3"),
                                 named=ltr(context.lang, "/set tz Asia/Riyadh")))
        return
    try:
        result = await change(context, name, raw, confirmed=False)
    except Refused as refusal:
        await reply(update, refusal.text(context.lang), _keys_keyboard(context, refusal))
        return
    await reply(update, result.text, result.confirm)


def _keys_keyboard(context: BotContext, refusal: Refused, *, back: bool = False
                   ) -> InlineKeyboardMarkup | None:
    """Under "no demo keys": a button that starts the guided /keys flow for that account."""
    if refusal.key != "set.need_keys":
        return None
    account = str(refusal.values["account"])
    rows = [[InlineKeyboardButton(context.tr("button.add_keys",
                                             account=context.tr(f"account.{account}")),
                                  callback_data=f"keys:add:{account}")]]
    if back:
        rows.append([InlineKeyboardButton(context.tr("settings.back"), callback_data="set:menu")])
    return InlineKeyboardMarkup(rows)


async def typed(update: Update, context: BotContext, name: str) -> None:
    """The answer to [Custom…] (name `amount`) or [Other…] (`tz`): a setting typed as a
    message. A wrong one keeps the question open: the next message may get it right."""
    message = update.effective_message
    raw = (message.text or "") if message is not None else ""
    try:
        result = await change(context, name, raw, confirmed=False)
    except Refused as refusal:
        await reply(update, refusal.text(context.lang) + "\n" + context.tr(
            f"settings.{name}_again", cancel=ltr(context.lang, "/cancel")))
        return
    prompts.forget(context)
    await reply(update, compose(context.lang, await menu_text(context) + "\n\n✅ " + result.text),
                await menu_keyboard(context))


async def _ask_tz(query: CallbackQuery, context: BotContext) -> None:
    """The time zone: a few common ones as buttons, or any one typed."""
    settings = await context.facade.settings(context.me.id)
    prompts.expect(context, prompts.TZ)
    lang = context.lang
    choices = [InlineKeyboardButton(("✓ " if zone == settings.timezone else "")
                                    + timezones.describe(zone), callback_data=f"set:tz:{zone}")
               for zone in TZ_PRESETS]
    rows = [choices[i:i + 2] for i in range(0, len(choices), 2)]
    rows.append([InlineKeyboardButton(context.tr("button.cancel"), callback_data="set:menu")])
    await edit(query, context.tr("settings.ask_tz",
                                 now=ltr(lang, timezones.describe(settings.timezone)),
                                 offset=ltr(lang, "+3"), named=ltr(lang, "Asia/Riyadh"),
                                 cancel=ltr(lang, "/cancel")),
               InlineKeyboardMarkup(rows))


async def _ask_amount(query: CallbackQuery, context: BotContext) -> None:
    prompts.expect(context, prompts.AMOUNT)
    cap = context.facade.limits.max_trade_amount
    back = InlineKeyboardButton(context.tr("button.cancel"), callback_data="set:menu")
    await edit(query, context.tr("settings.ask_amount", cap=ltr(context.lang, number(cap)),
                                 example=ltr(context.lang, "75"),
                                 cancel=ltr(context.lang, "/cancel")),
               InlineKeyboardMarkup([[back]]))


async def settings_button(update: Update, context: BotContext) -> None:
    """Change a setting from the menu (set:<name>:<value>[:yes]) and show the menu again."""
    query = update.callback_query
    assert query is not None
    await query.answer()  # answer first, or some clients keep the button spinning
    args = button_args(query)
    prompts.forget(context)  # a button press ends a question the menu asked
    if args == ["amount", CUSTOM]:
        await _ask_amount(query, context)
        return
    if args == [ZONE]:
        await _ask_tz(query, context)
        return
    if args == ["exits"]:  # what the default exits are and how to set them
        settings = await context.facade.settings(context.me.id)
        back = InlineKeyboardButton(context.tr("settings.back"), callback_data="set:menu")
        await edit(query, help_text(context.lang, settings.exits),
                   InlineKeyboardMarkup([[back]]))
        return
    if len(args) < 2 or args[0] not in SETTINGS:  # set:menu, or a stale button
        await edit(query, await menu_text(context), await menu_keyboard(context))
        return
    try:
        result = await change(context, args[0], args[1], confirmed=args[2:] == ["yes"])
    except Refused as refusal:
        keys = _keys_keyboard(context, refusal, back=True)
        if keys is not None:  # no dead end: the way to add them, and back
            await edit(query, compose(context.lang, "⚠️ " + refusal.text(context.lang)), keys)
            return
        note = "⚠️ " + refusal.text(context.lang)
    else:
        if result.confirm is not None:
            await edit(query, result.text, result.confirm)
            return
        note = "✅ " + result.text
    await edit(query, compose(context.lang, await menu_text(context) + "\n\n" + note),
               await menu_keyboard(context))
