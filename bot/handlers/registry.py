"""The one list of commands: /help, the Telegram command menus and authorisation read it.

Buttons carry callback data `area:action[:arg]`; `BUTTONS` says who may press each area.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import BotCommand, Update

from bot.handlers.common import Access, Caller
from bot.i18n import Html, t


@dataclass(frozen=True)
class Command:
    name: str
    description: str  # catalog key
    access: Access
    usage: str = ""  # argument forms, shown by /help as they are (not translated)
    menu: bool = True  # listed in Telegram's command menu
    secret_args: bool = False  # its arguments may hold a secret: the message is deleted
    listed: bool = True  # listed in /help
    private: bool = False  # its answer may hold a secret (a URL that trades, a link's key)


COMMANDS: tuple[Command, ...] = (
    Command("start", "cmd.start", Access.PUBLIC),
    Command("help", "cmd.help", Access.PUBLIC),
    Command("language", "cmd.language", Access.PUBLIC, "ar|en"),
    Command("webhook", "cmd.webhook", Access.ACTIVE, private=True),
    Command("settings", "cmd.settings", Access.ACTIVE),
    Command("set", "cmd.set", Access.ACTIVE,
            "market|account|amount|leverage|pyramiding <value> · "
            "sl|tp|trailing <n%|off> · be <n|off> · tz <+3|Asia/Riyadh|UTC>"),
    Command("keys", "cmd.keys", Access.ACTIVE, "[demo|real <api_key> <api_secret>]",
            secret_args=True),
    Command("positions", "cmd.positions", Access.ACTIVE),
    Command("close", "cmd.close", Access.ACTIVE, "<symbol> [25|50|75|100]"),
    Command("sl", "cmd.sl", Access.ACTIVE, "<symbol> <price|be>"),
    Command("trail", "cmd.trail", Access.ACTIVE, "<symbol> <distance|n%>"),
    Command("profit", "cmd.profit", Access.ACTIVE),
    Command("balance", "cmd.balance", Access.ACTIVE),
    Command("trades", "cmd.trades", Access.ACTIVE),
    Command("pause", "cmd.pause", Access.ACTIVE, "[entries|all]"),
    Command("resume", "cmd.resume", Access.ACTIVE),
    # Rarely needed and it breaks every alert: in /help, not in the menu; it asks first.
    Command("rotate", "cmd.rotate", Access.ACTIVE, menu=False, private=True),
    Command("dashboard", "cmd.dashboard", Access.ACTIVE, "[revoke]", private=True),
    Command("chart", "cmd.chart", Access.ACTIVE, "[symbol]"),
    Command("channels", "cmd.channels", Access.REGISTERED),
    Command("subscribe", "cmd.subscribe", Access.REGISTERED, "<code>"),
    Command("unsubscribe", "cmd.unsubscribe", Access.REGISTERED, "<code>"),
    Command("copy", "cmd.copy", Access.REGISTERED,
            "<code> [amount=<usdt|n%>] [leverage=<signal|n>] [mode=<auto|confirm>]"),
    Command("cancel", "cmd.cancel", Access.ACTIVE),
    Command("users", "cmd.users", Access.ADMIN),
    Command("activate", "cmd.activate", Access.ADMIN, "<user_id>"),
    Command("deactivate", "cmd.deactivate", Access.ADMIN, "<user_id>"),
    Command("stats", "cmd.stats", Access.ADMIN),
    Command("channel", "cmd.channel", Access.ADMIN,
            "new <name> · url|rotate|pause|resume|stats <code> · post <code> <text>",
            private=True),
)
BY_NAME = {command.name: command for command in COMMANDS}

# Button areas. A press is checked against these exactly like a command is.
BUTTONS: dict[str, Access] = {
    "lang": Access.PUBLIC,
    "set": Access.ACTIVE,
    "keys": Access.ACTIVE,
    "pos": Access.ACTIVE,  # the buttons under a position and under a trade message
    "dash": Access.ACTIVE,  # "revoke dashboard links" under a /dashboard reply
    "pause": Access.ACTIVE,  # the /pause choice, and "resume" under a refusal notice
    "rotate": Access.ACTIVE,  # the /rotate confirmation
    "open": Access.ACTIVE,  # [Settings] [TradingView set-up] under the approval message
    "trades": Access.ACTIVE,  # /trades' pages
    "sub": Access.REGISTERED,  # a channel subscription's sizing, mode and Unsubscribe
    "cf": Access.ACTIVE,  # Execute / Skip under a channel's alert in confirm mode
    "chn": Access.ADMIN,  # the channel admin's /channel rotate confirmation
    "adm": Access.ADMIN,
}

# Button areas whose answer may hold a secret (the webhook URL: /rotate's, [TradingView set-up]
# under the approval, a channel's rotate): like private commands, pressed in private chats only.
PRIVATE_BUTTONS = frozenset({"rotate", "open", "chn"})

# Plain text (the guided /keys flow) needs an approved user; unknown commands are public so
# that anyone gets the pointer to /help.
TEXT_ACCESS = Access.ACTIVE


def command_name(text: str | None) -> str | None:
    """`/set@botbybit_bot amount 5` → `set`; None for text that is not a command."""
    if not text or not text.startswith("/"):
        return None
    return text.split(maxsplit=1)[0][1:].split("@", 1)[0].lower()


def access_for(update: Update) -> Access:
    """The access an update needs: its command's, its button area's, or plain text's."""
    if update.callback_query is not None:
        area = (update.callback_query.data or "").split(":", 1)[0]
        return BUTTONS.get(area, Access.ADMIN)  # unknown buttons: the strictest rule
    message = update.effective_message
    name = command_name(message.text if message is not None else None)
    if name is None:
        return TEXT_ACCESS
    command = BY_NAME.get(name)
    return command.access if command is not None else Access.PUBLIC


def shows_secret(update: Update) -> str | None:
    """The command (`/webhook`) or button area (`rotate`) whose answer may hold a secret, if
    the update asks for one; None otherwise. Such answers go to private chats only: in a group
    everyone would read them."""
    if update.callback_query is not None:
        area = (update.callback_query.data or "").split(":", 1)[0]
        return area if area in PRIVATE_BUTTONS else None
    message = update.effective_message
    command = BY_NAME.get(command_name(message.text if message is not None else None) or "")
    return f"/{command.name}" if command is not None and command.private else None


def allowed(access: Access, caller: Caller) -> bool:
    """The one authorisation rule."""
    if access is Access.ADMIN:
        return caller.is_admin
    if access is Access.ACTIVE:
        return caller.active
    if access is Access.REGISTERED:
        return caller.registered
    return True


def visible(caller: Caller) -> list[Command]:
    """The commands /help lists for this caller, in menu order."""
    return [c for c in COMMANDS if c.listed and allowed(c.access, caller)]


def help_text(caller: Caller) -> str:
    """Build /help for this caller from the registry."""
    lang = caller.lang
    lines = [t(lang, "help.title")]
    for section, members in (("help.user", Access.PUBLIC), ("help.admin", Access.ADMIN)):
        chosen = [c for c in visible(caller)
                  if (c.access is Access.ADMIN) == (members is Access.ADMIN)]
        if not chosen:
            continue
        lines.append("")
        lines.append(t(lang, section))
        lines.extend(t(lang, "help.line", command=Html(f"/{c.name}"),
                       usage=f" {c.usage}" if c.usage else "",
                       description=Html(t(lang, c.description))) for c in chosen)
    if not caller.active:
        lines += ["", t(lang, "help.inactive" if caller.registered else "help.unregistered")]
    return "\n".join(lines)


def menu(lang: str, *, admin: bool) -> list[BotCommand]:
    """The Telegram command menu for a language; admins also see the admin commands."""
    return [BotCommand(c.name, t(lang, c.description)) for c in COMMANDS
            if c.menu and (admin or c.access is not Access.ADMIN)]
