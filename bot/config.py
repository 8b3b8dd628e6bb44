"""Load `config.yaml`, apply environment overrides, and validate into a typed `Config`.

Each key is declared once, as a field of a frozen pydantic model: type, bounds, default, doc
and, as an `Env` marker in its annotation, the environment variable that overrides it.
Validation happens once, at start. A bad value raises `ConfigError` whose message is one line
naming the key and what is allowed; the CLI prints that line and exits with status 2.
"""

from __future__ import annotations

import os
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal, cast

import pydantic
import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator
from pydantic.fields import FieldInfo

from bot.config_values import (
    MAX_USER_ID,
    Address,
    Amount,
    Flag,
    Seconds,
    Text,
    UserIds,
    Whole,
    case,
    fail,
    listed,
    url,
    whole,
)
from bot.vocabulary import AccountType, MarketType

MARKET_TYPES = tuple(m.value for m in MarketType)
ACCOUNT_TYPES = tuple(a.value for a in AccountType)
DEFAULT_CONFIG_PATH = "config.yaml"


class ConfigError(Exception):
    """A configuration value that cannot be used; the message names the key."""


@dataclass(frozen=True)
class Env:
    """In a key's annotation: the environment variable `name` overrides the key, and wins.

    `strip` trims the value; `skip_empty` ignores an empty one (else it sets ""); `only`: the
    key comes from the environment alone, and a file key of that name is unknown.
    """

    name: str
    strip: bool = False
    skip_empty: bool = False
    only: bool = False


_FROM_FILE = {"source": "file"}  # validation context: the values come from the config file


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _null_is_defaults(cls, data: Any) -> Any:
        return {} if data is None else data

    @pydantic.field_validator("*", mode="before")
    @classmethod
    def _env_only(cls, value: Any, info: pydantic.ValidationInfo) -> Any:
        """In the file, a key only the environment sets is unknown."""
        field = cls.model_fields[cast(str, info.field_name)]
        if info.context == _FROM_FILE and getattr(_env_of(field), "only", False):
            fail("extra_forbidden")
        return value


class ServerConfig(_Section):
    host: Text = Field("0.0.0.0", description="address to listen on")
    port: Annotated[Whole, Env("PORT", skip_empty=True)] = Field(
        8080, ge=0, le=65535, description="port to listen on; 0 picks a free one")
    public_url: Annotated[str, url()] = Field(
        "http://localhost:8080", description="base of the personal webhook URLs shown to "
        "users; unset: http://localhost on the port listened on (PORT included)")
    allowed_ips: Annotated[tuple[Address, ...], listed("addresses")] = Field(
        (), description="addresses allowed to post alerts; empty allows all")
    trust_forwarded_for: Flag = Field(
        False, description="trust the left-most X-Forwarded-For; only behind a proxy you run")
    shutdown_timeout_s: Seconds = Field(10.0, gt=0, description="how long a stop may take")
    # No "0 = never expires": a link that leaks would then read the account until revoked.
    dashboard_link_ttl_s: Whole = Field(
        86400, ge=60, le=2_592_000, description="how long a link /dashboard sends works "
        "(seconds, one minute to 30 days); /dashboard revoke and /rotate end it sooner")


class TelegramConfig(_Section):
    token: Annotated[Text, Env("TELEGRAM_BOT_TOKEN", strip=True)] = Field(
        "", repr=False, description="bot token; empty: no bot, webhooks still served")
    base_url: Annotated[str, url(keep_slash=True)] = Field(
        "https://api.telegram.org/bot", description="Bot API base, the token appended as is")
    admin_ids: UserIds = Field((), description="Telegram user ids of the admins")
    per_chat_interval_s: Seconds = Field(
        1.0, ge=0, description="Telegram allows about one message a second per chat")


class DatabaseConfig(_Section):
    path: Text = Field("data/botbybit.db", min_length=1, description="the SQLite file")


class BybitConfig(_Section):
    """How this server calls Bybit, for every user."""

    base_url: Annotated[str, url(allow_empty=True)] = Field(
        "", description="empty: pybit's own hosts; set: used for every account type")
    timeout_s: Seconds = Field(10.0, gt=0, description="of one request")
    max_workers: Whole = Field(
        64, ge=1, le=256, description="threads for pybit calls (it blocks); bounds concurrency")
    instrument_ttl_s: Seconds = Field(3600.0, gt=0, description="how long symbol rules are kept")
    requests_per_5s: Whole = Field(
        500, ge=1, description="Bybit allows one IP 600 requests per 5 s; stay below it")
    stream_url: Annotated[str, url(allow_empty=True, schemes=("ws://", "wss://"))] = Field(
        "", description="empty: Bybit's own WebSocket hosts; set: public streams at "
        "<stream_url>/v5/public/{linear,spot}, private at <stream_url>/v5/private")
    max_private_streams: Whole = Field(
        500, ge=0, le=5000, description="live accounts with a private stream at once (least "
        "recently used closed first); 0: no private streams, REST only")
    fill_wait_s: Seconds = Field(
        3.0, gt=0, description="how long an order's fill may take to arrive on the stream "
        "before it is looked up over REST")


class DefaultsConfig(_Section):
    """New users' settings, and the legacy /webhook's."""

    market_type: Annotated[MarketType, case("lower")] = Field(MarketType.FUTURES,
                                                               description="spot or futures")
    trade_amount: Amount = Field(Decimal("100"), gt=0, description="USDT of margin per trade")
    leverage: Whole = Field(10, ge=1, le=200, description="at most limits.max_leverage")
    account_type: Annotated[AccountType, case("lower")] = Field(
        AccountType.PAPER, description="paper (simulated), demo or real")


class LimitsConfig(_Section):
    """0 turns a per-minute or size limit off."""

    per_user_per_minute: Whole = Field(120, ge=0, description="alerts one user may post")
    per_ip_per_minute: Whole = Field(1200, ge=0, description="requests one address may make")
    max_body_bytes: Whole = Field(16384, ge=0, description="largest alert body")
    max_signal_age_s: Whole = Field(
        120, ge=0, description="older alert timestamps are refused; older queued rows expire")
    duplicate_window_s: Whole = Field(
        10, ge=0, description="identical payloads for one user within it are duplicates")
    id_window_s: Whole = Field(
        86400, ge=0, description="a repeated id (same action and symbol) within it is a "
        "duplicate")
    max_trade_amount: Amount = Field(Decimal("100000"), gt=0, description="largest /set amount")
    max_leverage: Whole = Field(100, ge=1, le=200, description="largest /set leverage")
    max_parallel_executions: Whole = Field(64, ge=1, le=1024, description="alerts run at once")
    refusal_notice_s: Whole = Field(
        300, ge=0, description="a refused alert is told to its owner in Telegram at most once "
        "per reason in this many seconds; 0: every time (rate limiting: once a minute at most)")


class LegacyWebhookConfig(_Section):
    """The shared /webhook of the single-user bot this one replaced."""

    enabled: Flag = Field(True, description="serve it")
    user_id: Annotated[int | None, BeforeValidator(lambda v: None if v is None else whole(v))] = (
        Field(None, ge=1, le=MAX_USER_ID,
              description="act as this user; null: the default account"))
    secret: Annotated[Text, Env("LEGACY_WEBHOOK_SECRET")] = Field(
        "", repr=False, description="optional; alerts must carry it")
    api_key: Annotated[Text, Env("BYBIT_API_KEY", strip=True, only=True)] = Field(
        "", repr=False, description="its Bybit key")
    api_secret: Annotated[Text, Env("BYBIT_API_SECRET", strip=True, only=True)] = Field(
        "", repr=False, description="its Bybit secret")


class PaperConfig(_Section):
    """The built-in simulator."""

    start_balance: Amount = Field(Decimal("10000"), gt=0, description="each paper account's USDT")
    taker_fee: Amount = Field(Decimal("0.00055"), ge=0, description="fraction of each fill")


class Config(_Section):
    """The whole configuration; each section's keys are documented on its class."""

    server: ServerConfig = Field(default_factory=ServerConfig)
    telegram: TelegramConfig = Field(default_factory=TelegramConfig)
    database: DatabaseConfig = Field(default_factory=DatabaseConfig)
    bybit: BybitConfig = Field(default_factory=BybitConfig)
    defaults: DefaultsConfig = Field(default_factory=DefaultsConfig)
    limits: LimitsConfig = Field(default_factory=LimitsConfig)
    legacy_webhook: LegacyWebhookConfig = Field(default_factory=LegacyWebhookConfig)
    paper: PaperConfig = Field(default_factory=PaperConfig)
    master_key: Annotated[Text, Env("BOTBYBIT_MASTER_KEY", strip=True, only=True)] = Field(
        "", repr=False, description="encrypts the API keys users store")
    log_level: Annotated[Literal["DEBUG", "INFO", "WARNING", "ERROR"], case("upper"),
                         Env("LOG_LEVEL", skip_empty=True)] = Field("INFO", description="any case")

    @model_validator(mode="after")
    def _consistent(self) -> Config:
        if self.defaults.leverage > self.limits.max_leverage:
            fail("consistency", key="defaults.leverage", bound="limits.max_leverage",
                  limit=self.limits.max_leverage, value=self.defaults.leverage)
        if self.defaults.trade_amount > self.limits.max_trade_amount:
            fail("consistency", key="defaults.trade_amount", bound="limits.max_trade_amount",
                  limit=self.limits.max_trade_amount, value=self.defaults.trade_amount)
        return self


# pydantic's error types (and ours above) in our words; {got} is the value given.
_WORDING = {
    "int_parsing": "expected a whole number, got {got!r}",
    "decimal_parsing": "expected a number, got {got!r}",
    "finite_number": "expected a finite number, got {got!r}",
    "bool_parsing": "expected true or false, got {got!r}",
    "string_type": "expected text, got {got!r}",
    "string_too_short": "must not be empty",
    "ip_address": "expected an IP address such as 52.89.214.238 (not a range or a name), "
                  "got {got!r}",
    "url_scheme": "expected a URL starting with {schemes}, got {got!r}",
    "url_form": "expected a URL such as {example} (a host; no spaces, ?query or #fragment), "
                "got {got!r}",
    "list_type": "expected a list of {items}, got {got!r}",
    "model_type": "expected a mapping of keys, got {got!r}",
    "enum": "must be one of {choices}; got {got!r}",
    "greater_than": "must be greater than {gt}, got {got}",
    "greater_than_equal": "must be at least {ge}, got {got}",
    "zero_or_more": "must be zero or more, got {got}",
    "less_than_equal": "must be at most {le}, got {got}",
    "extra_forbidden": "unknown key; allowed {where} are {allowed}",
    "consistency": "must be at most {bound} ({limit}), got {value}",
}


def _message(exc: ValidationError, name: str | None = None, raw: Any = None) -> str:
    """The error first in the file as one line: the key path (or `name`), then what is wrong."""
    error = min(exc.errors(include_url=False), key=lambda error: _place(error["loc"], raw))
    kind, loc, got = error["type"], tuple(error["loc"]), error["input"]
    ctx = dict(error.get("ctx") or {})
    if "key" in ctx:  # raised by `Config._consistent`, about one of its keys
        loc = (*loc, ctx["key"])
    if kind in ("extra_forbidden", "invalid_key"):  # sections are one level deep
        kind, loc = "extra_forbidden", (*loc[:-1], str(loc[-1]))
        section = str(loc[0]) if len(loc) > 1 else None
        ctx["where"] = f"keys in {section}" if section else "top-level keys"
        ctx["allowed"] = ", ".join(_file_keys(section))
    elif kind in ("enum", "literal_error"):
        kind = "enum"
        ctx["choices"] = ctx["expected"].replace("'", "").replace(" or ", ", ").lower()
    elif kind in ("greater_than", "greater_than_equal", "less_than_equal"):
        if kind == "greater_than_equal" and ctx["ge"] == 0 and isinstance(got, float | Decimal):
            kind = "zero_or_more"  # an amount or a duration, not a count
        got, ctx = _plain(got), {k: _plain(v) for k, v in ctx.items()}
    key = name or "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc)[1:]
    return f"{key}: " + (_WORDING[kind].format(got=got, **ctx) if kind in _WORDING
                         else error["msg"].replace("\n", " "))


def _place(loc: tuple[Any, ...], raw: Any) -> list[int]:
    """Where `loc` is in the file, so that of several errors the first one read is reported."""
    place = []
    for part in loc:
        keys = list(raw) if isinstance(raw, Mapping) else []
        place.append(keys.index(part) if part in keys else len(keys))
        raw = raw[part] if part in keys else None
    return place


def _plain(number: Any) -> Any:
    """A whole float as the int the file most likely said (0.0 as 0)."""
    return int(number) if isinstance(number, float) and number.is_integer() else number


def _env_of(field: FieldInfo) -> Env | None:
    return next((m for m in field.metadata if isinstance(m, Env)), None)


def _model(section: str | None) -> type[BaseModel]:
    return cast(type[BaseModel], Config.model_fields[section].annotation) if section else Config


def _file_keys(section: str | None) -> list[str]:
    """The keys a file may hold in `section` (None: top level): all but environment-only ones."""
    return sorted(name for name, field in _model(section).model_fields.items()
                  if not getattr(_env_of(field), "only", False))


def _apply_env(config: Config, env: Mapping[str, str]) -> Config:
    """Apply each key's `Env` override; the environment wins over the file."""
    sections = [name for name, field in Config.model_fields.items()
                if isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel)]
    for section in (*sections, None):
        model = _model(section)
        for key, field in model.model_fields.items():
            marker = _env_of(field)
            if marker is None or marker.name not in env:
                continue
            value = env[marker.name].strip() if marker.strip else env[marker.name]
            if marker.skip_empty and not value:
                continue
            try:  # validated alone, by the key's own declaration
                typed = getattr(model.model_validate({key: value}), key)
            except ValidationError as exc:
                raise ConfigError(_message(exc, f"{marker.name} (environment)")) from None
            if section is None:
                config = config.model_copy(update={key: typed})
            else:
                part = getattr(config, section).model_copy(update={key: typed})
                config = config.model_copy(update={section: part})
    return config


def parse_config(raw: Mapping[str, Any] | None, env: Mapping[str, str]) -> Config:
    """Turn the parsed YAML mapping and the environment into a validated `Config`."""
    raw = raw or {}
    if not isinstance(raw, Mapping):
        raise ConfigError("config: the file must hold a mapping of sections "
                          "(server:, telegram:, …)")
    try:
        config = Config.model_validate(dict(raw), context=_FROM_FILE)
    except ValidationError as exc:
        raise ConfigError(_message(exc, raw=raw)) from None
    return _local_publicurl(_apply_env(config, env))


def _local_publicurl(config: Config) -> Config:
    """Unless the file sets it, the public URL is this machine on the port it listens on."""
    server = config.server
    if "public_url" in server.model_fields_set:
        return config
    local = server.model_copy(update={"public_url": f"http://localhost:{server.port}"})
    return config.model_copy(update={"server": local})


def resolve_config_path(cli_path: str | None, env: Mapping[str, str]) -> Path:
    """Return the config path: `--config`, else `BOTBYBIT_CONFIG`, else ./config.yaml."""
    return Path(cli_path or env.get("BOTBYBIT_CONFIG") or DEFAULT_CONFIG_PATH)


def _loader(path: Path) -> type[yaml.SafeLoader]:
    """PyYAML's safe loader, refusing a key written twice in one mapping (it would keep the
    last and drop the first in silence: a second `server:` section would undo the first)."""

    class UniqueKeys(yaml.SafeLoader):
        def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> Any:
            lines: dict[Any, int] = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key, line = self.construct_object(key_node), key_node.start_mark.line + 1
                if isinstance(key, Hashable) and key in lines:
                    raise ConfigError(f"config: {path} has the key {key!r} twice (lines "
                                      f"{lines[key]} and {line}); keep one")
                lines[key] = line
            return super().construct_mapping(node, deep=deep)

    return UniqueKeys


def load_config(path: Path, env: Mapping[str, str] | None = None,
                *, required: bool = False) -> Config:
    """Read and validate the config file; a missing default file means embedded defaults."""
    env = os.environ if env is None else env
    if not path.exists():
        if required:
            raise ConfigError(f"config: file {str(path)!r} does not exist")
        return parse_config({}, env)
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_loader(path))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"config: {path} is not valid YAML{where}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"config: cannot read {path}: {exc}") from None
    return parse_config(raw, env)
