"""Telegram handlers: wiring in one place."""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram import Bot
from telegram.ext import Application

if TYPE_CHECKING:
    from bot.app import Service


def register_handlers(application: Application, service: Service) -> None:
    """Add every command, button and error handler to the application."""


async def set_command_menus(bot: Bot) -> None:
    """Publish the command menu, per language."""
