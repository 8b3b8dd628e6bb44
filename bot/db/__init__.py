"""Storage: SQLite on its own thread, WAL, numbered migrations, group-committed writes."""

from bot.db.core import Database, DatabaseUnavailable
from bot.db.journal import Journal, Journaled, JournalEntry, SignalRecord
from bot.db.users import UserNotFound, UserRepo

__all__ = [
    "Database",
    "DatabaseUnavailable",
    "Journal",
    "JournalEntry",
    "Journaled",
    "SignalRecord",
    "UserNotFound",
    "UserRepo",
]
