"""Load `config.yaml`, apply environment overrides, and validate into a typed `Config`.

Validation happens once, at start. A bad value raises `ConfigError` whose message names the
key and what is allowed; the CLI prints that one line and exits with status 2.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

MARKET_TYPES = ("spot", "futures")
ACCOUNT_TYPES = ("paper", "demo", "real")
DEFAULT_CONFIG_PATH = "config.yaml"


class ConfigError(Exception):
    """A configuration value that cannot be used; the message names the key."""


@dataclass(frozen=True)
class ServerConfig:
    host: str = "0.0.0.0"
    port: int = 8080
    public_url: str = "http://localhost:8080"
    # Addresses allowed to post alerts; empty allows all. TradingView publishes its four.
    allowed_ips: tuple[str, ...] = ()
    # Trust the left-most X-Forwarded-For address; only behind a proxy you run.
    trust_forwarded_for: bool = False
    shutdown_timeout_s: float = 10.0


@dataclass(frozen=True)
class TelegramConfig:
    token: str = field(default="", repr=False)
    base_url: str = "https://api.telegram.org/bot"
    admin_ids: tuple[int, ...] = ()
    # Telegram allows about one message a second per chat; tests set it lower.
    per_chat_interval_s: float = 1.0


@dataclass(frozen=True)
class DatabaseConfig:
    path: str = "data/botbybit.db"


@dataclass(frozen=True)
class BybitConfig:
    base_url: str = ""
    timeout_s: float = 10.0
    max_workers: int = 64  # threads for pybit calls (it blocks); bounds Bybit concurrency
    instrument_ttl_s: float = 3600.0
    # Bybit allows one IP 600 requests per 5 s across all users; stay below it.
    requests_per_5s: int = 500


@dataclass(frozen=True)
class DefaultsConfig:
    market_type: str = "futures"
    trade_amount: Decimal = Decimal("100")
    leverage: int = 10
    account_type: str = "paper"


@dataclass(frozen=True)
class LimitsConfig:
    per_user_per_minute: int = 120
    per_ip_per_minute: int = 1200
    max_body_bytes: int = 16384
    max_signal_age_s: int = 120
    duplicate_window_s: int = 10
    max_trade_amount: Decimal = Decimal("100000")
    max_leverage: int = 100
    max_parallel_executions: int = 64


@dataclass(frozen=True)
class LegacyWebhookConfig:
    enabled: bool = True
    user_id: int | None = None
    secret: str = field(default="", repr=False)
    api_key: str = field(default="", repr=False)
    api_secret: str = field(default="", repr=False)


@dataclass(frozen=True)
class PaperConfig:
    start_balance: Decimal = Decimal("10000")
    taker_fee: Decimal = Decimal("0.00055")


@dataclass(frozen=True)
class Config:
    server: ServerConfig = field(default_factory=ServerConfig)
    telegram: TelegramConfig = field(default_factory=TelegramConfig)
    database: DatabaseConfig = field(default_factory=DatabaseConfig)
    bybit: BybitConfig = field(default_factory=BybitConfig)
    defaults: DefaultsConfig = field(default_factory=DefaultsConfig)
    limits: LimitsConfig = field(default_factory=LimitsConfig)
    legacy_webhook: LegacyWebhookConfig = field(default_factory=LegacyWebhookConfig)
    paper: PaperConfig = field(default_factory=PaperConfig)
    master_key: str = field(default="", repr=False)
    log_level: str = "INFO"


def _check_int(key: str, value: Any, *, minimum: int | None = None,
               maximum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ConfigError(f"{key}: expected a whole number, got {value!r}")
    try:
        number = int(value)
    except ValueError:
        raise ConfigError(f"{key}: expected a whole number, got {value!r}") from None
    if minimum is not None and number < minimum:
        raise ConfigError(f"{key}: must be at least {minimum}, got {number}")
    if maximum is not None and number > maximum:
        raise ConfigError(f"{key}: must be at most {maximum}, got {number}")
    return number


def _check_decimal(key: str, value: Any, *, positive: bool = True,
                   allow_zero: bool = False) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ConfigError(f"{key}: expected a number, got {value!r}")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ConfigError(f"{key}: expected a number, got {value!r}") from None
    if not number.is_finite():
        raise ConfigError(f"{key}: expected a finite number, got {value!r}")
    if positive and (number < 0 or (number == 0 and not allow_zero)):
        allowed = "zero or more" if allow_zero else "greater than 0"
        raise ConfigError(f"{key}: must be {allowed}, got {value!r}")
    return number


def _check_choice(key: str, value: Any, choices: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value.lower() not in choices:
        raise ConfigError(f"{key}: must be one of {', '.join(choices)}; got {value!r}")
    return value.lower()


def _check_bool(key: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "yes", "1", "on", "false", "no",
                                                    "0", "off"):
        return value.lower() in ("true", "yes", "1", "on")
    raise ConfigError(f"{key}: expected true or false, got {value!r}")


def _check_str(key: str, value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise ConfigError(f"{key}: expected text, got {value!r}")
    return str(value)


def _check_url(key: str, value: Any, *, allow_empty: bool = False) -> str:
    text = _check_str(key, value).strip()
    if not text and allow_empty:
        return ""
    if not text.startswith(("http://", "https://")):
        raise ConfigError(f"{key}: expected an http:// or https:// URL, got {value!r}")
    return text.rstrip("/") if key != "telegram.base_url" else text


def _check_id_list(key: str, value: Any) -> tuple[int, ...]:
    if value is None:
        return ()
    if isinstance(value, (int, str)) and not isinstance(value, bool):
        value = [part for part in str(value).replace(",", " ").split() if part]
    if not isinstance(value, list):
        raise ConfigError(f"{key}: expected a list of Telegram user ids, got {value!r}")
    return tuple(_check_int(f"{key}[{i}]", item, minimum=1) for i, item in enumerate(value))


def _check_str_list(key: str, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [part for part in value.replace(",", " ").split() if part]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{key}: expected a list of addresses, got {value!r}")
    return tuple(value)


# Per section: key -> validator(key_path, raw_value) -> typed value.
_VALIDATORS: dict[str, dict[str, Any]] = {
    "server": {
        "host": _check_str,
        "port": lambda k, v: _check_int(k, v, minimum=0, maximum=65535),
        "public_url": _check_url,
        "allowed_ips": _check_str_list,
        "trust_forwarded_for": _check_bool,
        "shutdown_timeout_s": lambda k, v: float(_check_decimal(k, v)),
    },
    "telegram": {
        "token": _check_str,
        "base_url": _check_url,
        "admin_ids": _check_id_list,
        "per_chat_interval_s": lambda k, v: float(_check_decimal(k, v, allow_zero=True)),
    },
    "database": {"path": lambda k, v: _check_str(k, v) or _fail(k, "must not be empty")},
    "bybit": {
        "base_url": lambda k, v: _check_url(k, v, allow_empty=True),
        "timeout_s": lambda k, v: float(_check_decimal(k, v)),
        "max_workers": lambda k, v: _check_int(k, v, minimum=1, maximum=256),
        "instrument_ttl_s": lambda k, v: float(_check_decimal(k, v)),
        "requests_per_5s": lambda k, v: _check_int(k, v, minimum=1),
    },
    "defaults": {
        "market_type": lambda k, v: _check_choice(k, v, MARKET_TYPES),
        "trade_amount": _check_decimal,
        "leverage": lambda k, v: _check_int(k, v, minimum=1, maximum=200),
        "account_type": lambda k, v: _check_choice(k, v, ACCOUNT_TYPES),
    },
    "limits": {
        "per_user_per_minute": lambda k, v: _check_int(k, v, minimum=0),
        "per_ip_per_minute": lambda k, v: _check_int(k, v, minimum=0),
        "max_body_bytes": lambda k, v: _check_int(k, v, minimum=0),
        "max_signal_age_s": lambda k, v: _check_int(k, v, minimum=0),
        "duplicate_window_s": lambda k, v: _check_int(k, v, minimum=0),
        "max_trade_amount": _check_decimal,
        "max_leverage": lambda k, v: _check_int(k, v, minimum=1, maximum=200),
        "max_parallel_executions": lambda k, v: _check_int(k, v, minimum=1, maximum=1024),
    },
    "legacy_webhook": {
        "enabled": _check_bool,
        "user_id": lambda k, v: None if v is None else _check_int(k, v, minimum=1),
        "secret": _check_str,
    },
    "paper": {
        "start_balance": _check_decimal,
        "taker_fee": lambda k, v: _check_decimal(k, v, allow_zero=True),
    },
}

_TOP_LEVEL_SCALARS = {
    "log_level": lambda k, v: _check_choice(k, v.lower() if isinstance(v, str) else v,
                                            ("debug", "info", "warning", "error")).upper(),
}

def _fail(key: str, why: str) -> Any:
    raise ConfigError(f"{key}: {why}")


def parse_config(raw: Mapping[str, Any] | None, env: Mapping[str, str]) -> Config:
    """Turn the parsed YAML mapping and the environment into a validated `Config`."""
    raw = raw or {}
    if not isinstance(raw, Mapping):
        raise ConfigError("config: the file must hold a mapping of sections "
                          "(server:, telegram:, …)")
    config = Config()
    known = set(_VALIDATORS) | set(_TOP_LEVEL_SCALARS)
    for section, body in raw.items():
        if section not in known:
            raise ConfigError(
                f"{section}: unknown key; allowed top-level keys are {', '.join(sorted(known))}"
            )
        if section in _TOP_LEVEL_SCALARS:
            config = replace(config, **{section: _TOP_LEVEL_SCALARS[section](section, body)})
            continue
        if body is None:
            continue
        if not isinstance(body, Mapping):
            raise ConfigError(f"{section}: expected a mapping of keys, got {body!r}")
        validators = _VALIDATORS[section]
        values = {}
        for key, value in body.items():
            path = f"{section}.{key}"
            if key not in validators:
                raise ConfigError(
                    f"{path}: unknown key; allowed keys in {section} are "
                    f"{', '.join(sorted(validators))}"
                )
            values[key] = validators[key](path, value)
        config = replace(config, **{section: replace(getattr(config, section), **values)})
    return _apply_env(config, env)


def _apply_env(config: Config, env: Mapping[str, str]) -> Config:
    """Apply the environment overrides of DESIGN §6/§9; the environment wins."""
    if env.get("PORT"):
        port = _check_int("PORT (environment)", env["PORT"], minimum=0, maximum=65535)
        config = replace(config, server=replace(config.server, port=port))
    if "TELEGRAM_BOT_TOKEN" in env:
        config = replace(config, telegram=replace(config.telegram,
                                                  token=env["TELEGRAM_BOT_TOKEN"].strip()))
    legacy = config.legacy_webhook
    legacy = replace(
        legacy,
        api_key=env.get("BYBIT_API_KEY", legacy.api_key).strip(),
        api_secret=env.get("BYBIT_API_SECRET", legacy.api_secret).strip(),
        secret=env.get("LEGACY_WEBHOOK_SECRET", legacy.secret),
    )
    config = replace(config, legacy_webhook=legacy,
                     master_key=env.get("BOTBYBIT_MASTER_KEY", "").strip())
    if env.get("LOG_LEVEL"):
        config = replace(config, log_level=_TOP_LEVEL_SCALARS["log_level"](
            "LOG_LEVEL (environment)", env["LOG_LEVEL"]))
    return _check_consistency(config)


def _check_consistency(config: Config) -> Config:
    if config.defaults.leverage > config.limits.max_leverage:
        raise ConfigError(
            f"defaults.leverage: must be at most limits.max_leverage "
            f"({config.limits.max_leverage}), got {config.defaults.leverage}"
        )
    if config.defaults.trade_amount > config.limits.max_trade_amount:
        raise ConfigError(
            f"defaults.trade_amount: must be at most limits.max_trade_amount "
            f"({config.limits.max_trade_amount}), got {config.defaults.trade_amount}"
        )
    return config


def resolve_config_path(cli_path: str | None, env: Mapping[str, str]) -> Path:
    """Return the config path: `--config`, else `BOTBYBIT_CONFIG`, else ./config.yaml."""
    return Path(cli_path or env.get("BOTBYBIT_CONFIG") or DEFAULT_CONFIG_PATH)


def load_config(path: Path, env: Mapping[str, str] | None = None,
                *, required: bool = False) -> Config:
    """Read and validate the config file; a missing default file means embedded defaults."""
    env = os.environ if env is None else env
    if not path.exists():
        if required:
            raise ConfigError(f"config: file {str(path)!r} does not exist")
        return parse_config({}, env)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"config: {path} is not valid YAML{where}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"config: cannot read {path}: {exc}") from None
    return parse_config(raw, env)
