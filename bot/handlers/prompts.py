"""A question the bot asked and whose answer comes as plain text (the custom amount, a time
zone).

What is awaited sits in PTB's per-user storage until the answer arrives, /cancel, another
command or another settings button. The guided /keys flow is a ConversationHandler of its own
(keys.py) and ends a pending question when it starts.
"""

from __future__ import annotations

from telegram import Update

from bot.handlers.common import BotContext

PENDING = "pending_input"  # user_data: what the next plain text answers
AMOUNT = "amount"
TZ = "tz"
# user_data: the guided /keys flow's account (and key) while it waits for the key or the
# secret (keys.py); the next plain text then holds one, even if the gate refuses it.
KEYS_DRAFT = "keys_draft"


def expect(context: BotContext, what: str) -> None:
    """Take the next plain text as the answer to `what`."""
    if context.user_data is not None:
        context.user_data[PENDING] = what


def pending(context: BotContext) -> str | None:
    data = context.user_data
    return None if data is None else data.get(PENDING)


def forget(context: BotContext) -> bool:
    """Stop waiting; True if something was awaited."""
    data = context.user_data
    return data is not None and data.pop(PENDING, None) is not None


async def end_on_command(update: Update, context: BotContext) -> None:
    """Any other command drops the question (the command itself is served in group 0)."""
    forget(context)
