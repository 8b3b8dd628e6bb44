"""Command line: run the service, or manage users with no bot running.

    python main.py [--config PATH]
    python main.py users add <telegram_id> [--active] [--admin]
    python main.py users list | activate <id> | deactivate <id> | url <id>
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sqlite3
import sys
from collections.abc import Sequence

from bot.config import Config, ConfigError, load_config, resolve_config_path
from bot.config_values import MAX_USER_ID
from bot.logging_setup import setup_logging

EXIT_CONFIG = 2


def _parser() -> argparse.ArgumentParser:
    # SUPPRESS: a subcommand's parser that was not given --config must not overwrite, with
    # its default, the --config given before the subcommand (argparse copies every default up).
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", metavar="PATH", default=argparse.SUPPRESS,
                        help="config file (default: $BOTBYBIT_CONFIG or ./config.yaml)")
    parser = argparse.ArgumentParser(
        prog="botbybit", parents=[common],
        description="TradingView alerts to Bybit orders, per Telegram user.")
    commands = parser.add_subparsers(dest="command")
    users = commands.add_parser("users", parents=[common], help="manage users")
    actions = users.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", parents=[common], help="register a user")
    add.add_argument("user_id", type=_telegram_id, help="the Telegram user id")
    add.add_argument("--active", action="store_true", help="approve at once")
    add.add_argument("--admin", action="store_true", help="make an admin")
    actions.add_parser("list", parents=[common], help="list users (tokens hidden)")
    for name, text in (("activate", "approve a user"), ("deactivate", "suspend a user"),
                       ("url", "print the user's personal webhook URL, token included")):
        action = actions.add_parser(name, parents=[common], help=text)
        action.add_argument("user_id", type=_telegram_id, help="the Telegram user id")
    return parser


def _telegram_id(text: str) -> int:
    if not text.isdecimal() or not 0 < int(text) <= MAX_USER_ID:
        raise argparse.ArgumentTypeError(f"{text!r} is not a Telegram user id (a positive "
                                         "number)")
    return int(text)


def main(argv: Sequence[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    path = getattr(args, "config", None)
    try:
        config = load_config(resolve_config_path(path, os.environ),
                             required=bool(path or os.environ.get("BOTBYBIT_CONFIG")))
    except ConfigError as exc:
        print(f"config error: {exc}", file=sys.stderr)
        raise SystemExit(EXIT_CONFIG) from None
    if args.command == "users":
        from bot.cli_users import run_users_command

        raise SystemExit(asyncio.run(run_users_command(config, args)))
    setup_logging(config.log_level)
    raise SystemExit(run_service(config))


def run_service(config: Config) -> int:
    """Run until SIGINT or SIGTERM; 0 after a clean stop."""
    from bot.app import serve

    async def runner() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await serve(config, stop)

    try:
        asyncio.run(runner())
    except ConfigError as exc:
        print(f"config error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except OSError as exc:
        logging.getLogger("botbybit").error("cannot start: %s", exc)
        return 1
    except sqlite3.Error as exc:  # a folder, another kind of file, no permission…
        logging.getLogger("botbybit").error("cannot start: database.path %s: %s",
                                            config.database.path, exc)
        return 1
    return 0
