"""Where the streams are: Bybit's own hosts, or one base for every stream (`bybit.stream_url`)."""

from __future__ import annotations

from bot.vocabulary import AccountType, Category

PUBLIC_HOST = "wss://stream.bybit.com"  # public data is the same for demo and real accounts
PRIVATE_HOSTS = {AccountType.REAL: "wss://stream.bybit.com",
                 AccountType.DEMO: "wss://stream-demo.bybit.com"}


def public_url(stream_url: str, category: Category) -> str:
    return f"{stream_url or PUBLIC_HOST}/v5/public/{category}"


def private_url(stream_url: str, account_type: AccountType) -> str:
    return f"{stream_url or PRIVATE_HOSTS[account_type]}/v5/private"
