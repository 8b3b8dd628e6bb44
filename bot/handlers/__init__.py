"""Telegram handlers: wiring in one place.

Group -1: the authorisation gate (every update). Group 0: commands and buttons, then a
pointer to /help for unknown commands. Group 1: the guided /keys flow, which must see every
command in order to end itself, and the answer to plain text.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.handlers import (
    admin,
    channels,
    closing,
    keys,
    pausing,
    positions,
    profit,
    protect,
    settings,
    subscriptions,
    trading,
    user,
)
from bot.handlers.auth import authorise, on_error
from bot.handlers.common import FACADE_KEY, NOTIFIER_KEY, stale_button
from bot.handlers.facade import HandlerFacade
from bot.handlers.menus import set_command_menus
from bot.handlers.registry import COMMANDS

if TYPE_CHECKING:
    from bot.notify import Notifier

__all__ = ["HandlerFacade", "register_handlers", "set_command_menus"]

# What PTB's handlers accept: a coroutine function of (update, context).
Callback = Callable[[Update, Any], Coroutine[Any, Any, Any]]

# Each command of the registry, and the callback that serves it.
CALLBACKS: dict[str, Callback] = {
    "start": user.start, "help": user.help_command, "language": user.language,
    "webhook": user.webhook, "rotate": user.rotate, "dashboard": user.dashboard,
    "pause": pausing.pause, "resume": pausing.resume,
    "settings": settings.settings_command, "set": settings.set_command,
    "positions": positions.positions, "close": closing.close_command,
    "sl": protect.sl_command, "trail": protect.trail_command, "profit": profit.profit_command,
    "balance": trading.balance, "trades": trading.trades, "chart": trading.chart,
    "users": admin.users_command, "activate": admin.activate, "deactivate": admin.deactivate,
    "stats": admin.stats,
    "channel": channels.channel_command, "channels": subscriptions.channels_command,
    "subscribe": subscriptions.subscribe_command,
    "unsubscribe": subscriptions.unsubscribe_command, "copy": subscriptions.copy_command,
}
FLOW_COMMANDS = {"keys", "cancel"}  # served by keys.handlers() in group 1
START_LINK = rf"^/start(@\w+)?\s+{subscriptions.LINK_PREFIX}\S+$"  # a channel's deep link

# Button areas (callback data `area:…`) and their callbacks; access is in registry.BUTTONS.
BUTTON_CALLBACKS: list[tuple[str, Callback]] = [
    (r"^lang:", user.language_button),
    (r"^set:", settings.settings_button),
    (r"^adm:(approve|reject):", admin.decision_button),
    (r"^adm:users:", admin.users_page_button),
    (r"^pos:", positions.position_button),
    (r"^dash:", user.dashboard_button),
    (r"^pause:", pausing.pause_button),
    (r"^rotate:", user.rotate_button),
    (r"^open:", user.open_button),
    (r"^trades:", trading.trades_button),
    (r"^sub:", subscriptions.subscription_button),
    (r"^cf:", subscriptions.confirm_button),
    (r"^chn:", channels.channel_button),
]


def register_handlers(application: Application, facade: HandlerFacade,
                      notifier: Notifier) -> None:
    """Add every command, button and error handler to the application.

    Handlers reach the service only through `facade`, and message anyone but the sender only
    through `notifier` (the bot's one outbound path, which the facade cannot own: it is built
    from the application's bot).
    """
    missing = {c.name for c in COMMANDS} - set(CALLBACKS) - FLOW_COMMANDS
    if missing:
        raise RuntimeError(f"commands without a callback: {', '.join(sorted(missing))}")
    application.bot_data[FACADE_KEY] = facade
    application.bot_data[NOTIFIER_KEY] = notifier
    application.add_handler(TypeHandler(Update, authorise), group=-1)
    # The deep link a channel shares, /start ch_<code>: before the plain /start.
    application.add_handler(CommandHandler("start", subscriptions.start_link,
                                           filters.Regex(START_LINK)))
    for command in COMMANDS:
        if command.name not in FLOW_COMMANDS:
            application.add_handler(CommandHandler(command.name, CALLBACKS[command.name]))
    for pattern, callback in BUTTON_CALLBACKS:
        application.add_handler(CallbackQueryHandler(callback, pattern=pattern))
    application.add_handler(CallbackQueryHandler(stale_button, pattern=r"^(?!keys:)"))
    application.add_handler(MessageHandler(filters.COMMAND, user.unknown_command))
    for handler in keys.handlers():
        application.add_handler(handler, group=1)
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, user.text_hint),
                            group=1)
    application.add_error_handler(on_error)
