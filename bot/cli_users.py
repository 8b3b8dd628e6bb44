"""`python main.py users …`: manage users straight in the database, no bot needed."""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

from bot.config import Config, ConfigError
from bot.crypto import SecretBox
from bot.db import Database, UserNotFound, UserRepo
from bot.defaults import default_settings
from bot.urls import personal_url


async def run_users_command(config: Config, args: argparse.Namespace) -> int:
    """Run one `users` action; return the exit status.

    Needs the service's master key (BOTBYBIT_MASTER_KEY, or master.key beside the database):
    webhook tokens are sealed with it, and a database sealed with another key is refused.
    """
    try:
        box = SecretBox.from_config(config.master_key, Path(config.database.path).parent)
    except ConfigError as exc:
        print(f"config error: {exc}", file=sys.stderr)
        return 2
    db = Database(config.database.path)
    try:
        await db.open()
    except (OSError, sqlite3.Error) as exc:  # a folder, another kind of file, no permission…
        print(f"error: cannot open database.path {config.database.path}: {exc}",
              file=sys.stderr)
        return 1
    try:
        users = UserRepo(db, box)
        await users.seal_tokens()
        return await _dispatch(config, users, args)
    except ConfigError as exc:
        print(f"config error: {exc}", file=sys.stderr)
        return 2
    except UserNotFound as exc:
        print(f"error: there is no user {exc.args[0]}; add it with: users add {exc.args[0]}",
              file=sys.stderr)
        return 1
    finally:
        await db.close()


async def _dispatch(config: Config, users: UserRepo, args: argparse.Namespace) -> int:
    if args.action == "add":
        user, created = await users.create_user(
            args.user_id, defaults=default_settings(config), is_active=args.active,
            is_admin=args.admin)
        if not created:
            if args.active:
                user = await users.toggle_user_active(user.id, True)
            if args.admin:
                user = await users.set_admin(user.id, True)
        verb = "added" if created else "already registered;"
        print(f"user {user.id} {verb} active={_yes(user.is_active)} admin={_yes(user.is_admin)}")
        return 0
    if args.action == "list":
        rows = await users.list_users()
        print(f"{'id':>12}  {'active':6}  {'admin':5}  {'market':7}  {'account':7}  "
              f"{'amount':>10}  {'lev':>3}  name")
        for user, settings in rows:
            print(f"{user.id:>12}  {_yes(user.is_active):6}  {_yes(user.is_admin):5}  "
                  f"{settings.market_type:7}  {settings.account_type:7}  "
                  f"{settings.trade_amount!s:>10}  {settings.leverage:>3}  "
                  f"{user.display_name if user.first_name or user.username else '-'}")
        print(f"{len(rows)} user(s)")
        return 0
    if args.action in ("activate", "deactivate"):
        user = await users.toggle_user_active(args.user_id, args.action == "activate")
        print(f"user {user.id} is now {'active' if user.is_active else 'inactive'}")
        return 0
    if args.action == "url":
        found = await users.get_user(args.user_id)
        if found is None or found.is_legacy:
            raise UserNotFound(args.user_id)
        print(personal_url(config, found.id, users.webhook_token(found)))
        return 0
    raise AssertionError(args.action)


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"
