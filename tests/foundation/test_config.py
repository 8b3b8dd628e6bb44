"""Configuration: every bad value stops the process with exit 2 and one line naming the key."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from bot.config import Config, ConfigError, load_config, parse_config, resolve_config_path
from bot.vocabulary import AccountType, MarketType

ROOT = Path(__file__).resolve().parents[2]

BAD_VALUES = [
    ({"defaults": {"market_type": "margin"}}, "defaults.market_type", "spot, futures"),
    ({"defaults": {"trade_amount": -5}}, "defaults.trade_amount", "greater than 0"),
    ({"defaults": {"leverage": 0}}, "defaults.leverage", "at least 1"),
    ({"defaults": {"account_type": "live"}}, "defaults.account_type", "paper, demo, real"),
    ({"server": {"port": "eighty"}}, "server.port", "whole number"),
    ({"server": {"port": 70000}}, "server.port", "at most 65535"),
    ({"server": {"colour": "blue"}}, "server.colour", "unknown key"),
    ({"bogus": {}}, "bogus", "unknown key"),
    ({"telegram": {"admin_ids": ["abc"]}}, "telegram.admin_ids[0]", "whole number"),
    ({"telegram": {"base_url": "ftp://x"}}, "telegram.base_url", "http"),
    ({"limits": {"per_user_per_minute": -1}}, "limits.per_user_per_minute", "at least 0"),
    ({"legacy_webhook": {"enabled": "maybe"}}, "legacy_webhook.enabled", "true or false"),
    ({"server": "8080"}, "server", "mapping"),
    ({"server": {"port": True}}, "server.port", "whole number"),
    ({"server": {"port": 80.0}}, "server.port", "whole number"),
    ({"server": {"public_url": "localhost"}}, "server.public_url", "http:// or https://"),
    # Each made every URL shown to users unusable (https:/personal/…, …/?a=1/personal/…).
    ({"server": {"public_url": "https://"}}, "server.public_url",
     "expected a URL such as https://bot.example.com (a host; no spaces, ?query or #fragment)"),
    ({"server": {"public_url": "https://bot example.com"}}, "server.public_url", "no spaces"),
    ({"server": {"public_url": "https://bot.example.com/?a=1"}}, "server.public_url",
     "got 'https://bot.example.com/?a=1'"),
    ({"server": {"public_url": "https://bot.example.com/#x"}}, "server.public_url", "#fragment"),
    ({"bybit": {"stream_url": "ws://:9000"}}, "bybit.stream_url", "wss://bot.example.com"),
    ({"server": {"allowed_ips": [1]}}, "server.allowed_ips", "list of addresses"),
    # Not an address the server could ever see: every alert would be refused with a 403.
    ({"server": {"allowed_ips": ["52.89.214.238", "52.89.214.2388"]}},
     "server.allowed_ips[1]", "expected an IP address such as 52.89.214.238"),
    ({"server": {"allowed_ips": "52.89.214.0/24"}}, "server.allowed_ips[0]",
     "not a range or a name), got '52.89.214.0/24'"),
    ({"server": {"shutdown_timeout_s": 0}}, "server.shutdown_timeout_s", "greater than 0, got 0"),
    ({"telegram": {"admin_ids": {"a": 1}}}, "telegram.admin_ids", "list of Telegram user ids"),
    ({"telegram": {"admin_ids": "5, 0"}}, "telegram.admin_ids[1]", "at least 1, got 0"),
    ({"database": {"path": ""}}, "database.path", "must not be empty"),
    ({"database": {"path": ["x"]}}, "database.path", "expected text"),
    ({"bybit": {"max_workers": 257}}, "bybit.max_workers", "at most 256"),
    ({"defaults": {"trade_amount": True}}, "defaults.trade_amount", "expected a number"),
    ({"defaults": {"trade_amount": "abc"}}, "defaults.trade_amount", "expected a number"),
    ({"defaults": {"trade_amount": "nan"}}, "defaults.trade_amount", "finite number"),
    ({"defaults": {"leverage": 150}}, "defaults.leverage",
     "at most limits.max_leverage (100), got 150"),
    ({"defaults": {"trade_amount": 200000}}, "defaults.trade_amount",
     "at most limits.max_trade_amount (100000), got 200000"),
    ({"legacy_webhook": {"user_id": 0}}, "legacy_webhook.user_id", "at least 1"),
    # Beyond any id the database holds: the legacy /webhook answered 500 to every alert.
    ({"legacy_webhook": {"user_id": 10**22}}, "legacy_webhook.user_id",
     "at most 9223372036854775807"),
    ({"telegram": {"admin_ids": [5, 10**22]}}, "telegram.admin_ids[1]",
     "at most 9223372036854775807"),
    ({"paper": {"taker_fee": -1}}, "paper.taker_fee", "zero or more"),
    ({"paper": {"start_balance": 0}}, "paper.start_balance", "greater than 0"),
    ({"log_level": "loud"}, "log_level", "debug, info, warning, error"),
    ({"server": {1: 2}}, "server.1", "unknown key"),
]


@pytest.mark.parametrize(("raw", "key", "allowed"), BAD_VALUES)
def test_bad_value_names_the_key_and_what_is_allowed(raw: dict, key: str, allowed: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config(raw, {})
    message = str(info.value)
    assert message.startswith(key + ":"), message
    assert allowed in message


def test_defaults_are_embedded_when_the_file_is_empty() -> None:
    config = parse_config(None, {})
    assert config.server.port == 8080
    assert config.defaults.account_type == "paper"
    assert config.defaults.trade_amount == Decimal("100")
    assert config.limits.max_body_bytes == 16384
    assert config.telegram.token == ""


def test_environment_overrides_port_token_and_legacy_keys() -> None:
    config = parse_config({"server": {"port": 9000}, "telegram": {"token": "from-file"}},
                          {"PORT": "7777", "TELEGRAM_BOT_TOKEN": "1:env",
                           "BYBIT_API_KEY": "k", "BYBIT_API_SECRET": "s"})
    assert config.server.port == 7777
    assert config.telegram.token == "1:env"
    assert (config.legacy_webhook.api_key, config.legacy_webhook.api_secret) == ("k", "s")


def test_bad_port_in_the_environment_is_named() -> None:
    with pytest.raises(ConfigError, match=r"^PORT \(environment\): expected a whole number"):
        parse_config({}, {"PORT": "http"})


def test_config_path_comes_from_flag_then_environment_then_default() -> None:
    assert resolve_config_path("a.yaml", {"BOTBYBIT_CONFIG": "b.yaml"}) == Path("a.yaml")
    assert resolve_config_path(None, {"BOTBYBIT_CONFIG": "b.yaml"}) == Path("b.yaml")
    assert resolve_config_path(None, {}) == Path("config.yaml")


def test_secrets_do_not_show_in_the_config_repr() -> None:
    config = parse_config({}, {"TELEGRAM_BOT_TOKEN": "123:very-secret-token",
                               "BYBIT_API_SECRET": "api-secret-value"})
    assert "very-secret-token" not in repr(config)
    assert "api-secret-value" not in repr(config)


def test_shipped_config_yaml_is_valid() -> None:
    import yaml

    config = parse_config(yaml.safe_load((ROOT / "config.yaml").read_text()), {})
    assert config.defaults.market_type == "futures"
    assert config.legacy_webhook.enabled is True


@pytest.mark.parametrize(("text", "key"), [
    ("defaults:\n  leverage: 0\n", "defaults.leverage"),
    ("server:\n  port: abc\n", "server.port"),
    ("limits:\n  unknown_limit: 3\n", "limits.unknown_limit"),
    ("server: [1, 2\n", "config"),
    # A section written twice: YAML keeps the last one, dropping the first in silence (its
    # allowed_ips, its port…); the operator is told instead.
    ("server:\n  allowed_ips: [52.89.214.238]\nlimits: {}\nserver:\n  port: -1\n", "config"),
])
def test_process_exits_2_with_one_line_and_no_traceback(tmp_path: Path, text: str,
                                                         key: str) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(text)
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "--config", str(path)],
                            capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"config error: {key}")
    assert "Traceback" not in result.stderr


def test_a_key_written_twice_is_named_with_both_lines(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("server:\n  port: 8080\n  host: 0.0.0.0\n  port: 8081\n")
    with pytest.raises(ConfigError) as info:
        load_config(path, {})
    assert str(info.value) == (f"config: {path} has the key 'port' twice (lines 2 and 4); "
                               "keep one")


def test_missing_explicit_config_file_is_an_error(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "--config",
                             str(tmp_path / "nope.yaml")],
                            capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert result.returncode == 2
    assert "does not exist" in result.stderr


ENV_OVERRIDES = [
    ("PORT", "7777", lambda c: c.server.port, 7777),
    ("TELEGRAM_BOT_TOKEN", " 1:env \n", lambda c: c.telegram.token, "1:env"),
    ("BYBIT_API_KEY", " k ", lambda c: c.legacy_webhook.api_key, "k"),
    ("BYBIT_API_SECRET", " s ", lambda c: c.legacy_webhook.api_secret, "s"),
    ("LEGACY_WEBHOOK_SECRET", " shh ", lambda c: c.legacy_webhook.secret, " shh "),
    ("BOTBYBIT_MASTER_KEY", " mk ", lambda c: c.master_key, "mk"),
    ("LOG_LEVEL", "debug", lambda c: c.log_level, "DEBUG"),
]
FILE = {"server": {"port": 9000}, "telegram": {"token": "from-file"},
        "legacy_webhook": {"secret": "file-secret"}, "log_level": "error"}


@pytest.mark.parametrize(("name", "value", "read", "expected"), ENV_OVERRIDES,
                         ids=[case[0] for case in ENV_OVERRIDES])
def test_each_environment_variable_overrides_its_key(name: str, value: str, read: Any,
                                                     expected: object) -> None:
    assert read(parse_config(FILE, {name: value})) == expected


def test_without_the_environment_the_file_and_defaults_hold() -> None:
    config = parse_config(FILE, {})
    assert (config.server.port, config.telegram.token, config.log_level) == (9000, "from-file",
                                                                             "ERROR")
    assert config.legacy_webhook.secret == "file-secret"
    assert (config.legacy_webhook.api_key, config.legacy_webhook.api_secret) == ("", "")
    assert config.master_key == ""


def test_empty_port_and_log_level_are_ignored() -> None:
    config = parse_config(FILE, {"PORT": "", "LOG_LEVEL": ""})
    assert (config.server.port, config.log_level) == (9000, "ERROR")


def test_an_empty_token_or_legacy_secret_in_the_environment_clears_the_files() -> None:
    config = parse_config(FILE, {"TELEGRAM_BOT_TOKEN": "  ", "LEGACY_WEBHOOK_SECRET": ""})
    assert config.telegram.token == ""
    assert config.legacy_webhook.secret == ""


@pytest.mark.parametrize(("env", "message"), [
    ({"PORT": "http"}, "PORT (environment): expected a whole number, got 'http'"),
    ({"PORT": "70000"}, "PORT (environment): must be at most 65535, got 70000"),
    ({"LOG_LEVEL": "loud"}, "LOG_LEVEL (environment): must be one of debug, info, warning, "
                            "error; got 'LOUD'"),
])
def test_a_bad_environment_value_is_named_by_its_variable(env: dict[str, str],
                                                          message: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config(FILE, env)
    assert str(info.value) == message


def test_a_bad_file_value_is_refused_even_when_the_environment_overrides_it() -> None:
    with pytest.raises(ConfigError, match=r"^server\.port: expected a whole number"):
        parse_config({"server": {"port": "abc"}}, {"PORT": "80"})


def test_market_and_account_types_read_back_as_enums_whatever_the_case() -> None:
    config = parse_config({"defaults": {"market_type": "SPOT", "account_type": "Demo"}}, {})
    assert config.defaults.market_type is MarketType.SPOT
    assert config.defaults.account_type is AccountType.DEMO
    assert config.defaults.market_type == "spot"
    defaults = parse_config(None, {}).defaults
    assert (defaults.market_type, defaults.account_type) == (MarketType.FUTURES,
                                                             AccountType.PAPER)
    assert type(defaults.market_type) is MarketType


@pytest.mark.parametrize(("raw", "key", "allowed"), [
    ({"master_key": "x"}, "master_key", "allowed top-level keys are bybit, database, defaults, "
                                        "legacy_webhook, limits, log_level, paper, server, "
                                        "telegram"),
    ({"legacy_webhook": {"api_key": "x"}}, "legacy_webhook.api_key",
     "allowed keys in legacy_webhook are enabled, secret, user_id"),
    ({"legacy_webhook": {"api_secret": "x"}}, "legacy_webhook.api_secret",
     "allowed keys in legacy_webhook are enabled, secret, user_id"),
])
def test_keys_only_the_environment_sets_are_unknown_in_the_file(raw: dict, key: str,
                                                                allowed: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config(raw, {"BOTBYBIT_MASTER_KEY": "m", "BYBIT_API_KEY": "k"})
    assert str(info.value) == f"{key}: unknown key; {allowed}"


@pytest.mark.parametrize("name", [case[0] for case in ENV_OVERRIDES])
def test_each_override_is_declared_once_beside_its_key(name: str) -> None:
    source = (ROOT / "bot" / "config.py").read_text()
    assert source.count(f'"{name}"') == 1  # no second list of overrides anywhere
    assert f'Env("{name}"' in source  # the marker, in the annotation of the key it overrides


def test_values_are_coerced_like_the_file_says() -> None:
    config = parse_config({
        "server": {"port": "8081", "public_url": "https://bot.example.com/",
                   "allowed_ips": "1.2.3.4, 5.6.7.8", "trust_forwarded_for": "yes"},
        "telegram": {"admin_ids": "5, 6 7", "base_url": "https://t.example/bot/"},
        "bybit": {"base_url": ""}, "defaults": {"trade_amount": 12.5},
        "legacy_webhook": {"user_id": "9", "enabled": "off"}, "paper": None}, {})
    assert config.server.port == 8081
    assert config.server.public_url == "https://bot.example.com"
    assert config.server.allowed_ips == ("1.2.3.4", "5.6.7.8")
    assert config.server.trust_forwarded_for is True
    assert config.telegram.admin_ids == (5, 6, 7)
    assert config.telegram.base_url == "https://t.example/bot/"
    assert config.defaults.trade_amount == Decimal("12.5")
    assert (config.legacy_webhook.user_id, config.legacy_webhook.enabled) == (9, False)
    assert config.paper.start_balance == Decimal("10000")
    assert isinstance(config.server.shutdown_timeout_s, float)


def test_config_is_frozen_and_copies_with_changes() -> None:
    config = parse_config(None, {})
    with pytest.raises(ValidationError):
        config.server.port = 1  # type: ignore[misc]
    changed = config.model_copy(update={"limits": config.limits.model_copy(
        update={"max_leverage": 5})})
    assert (changed.limits.max_leverage, config.limits.max_leverage) == (5, 100)
    assert isinstance(changed, Config)


def test_of_several_bad_keys_the_first_in_the_file_is_named() -> None:
    with pytest.raises(ConfigError, match=r"^paper\.taker_fee: "):
        parse_config({"paper": {"taker_fee": -1}, "server": {"port": "x"}}, {})
    with pytest.raises(ConfigError, match=r"^legacy_webhook\.api_key: unknown key"):
        parse_config({"legacy_webhook": {"api_key": "k", "user_id": 0}, "bogus": 1}, {})
    with pytest.raises(ConfigError, match=r"^PORT \(environment\)"):
        parse_config({}, {"LOG_LEVEL": "loud", "PORT": "x"})


def test_the_default_public_url_follows_the_port_the_server_listens_on() -> None:
    assert parse_config({}, {}).server.public_url == "http://localhost:8080"
    assert parse_config({}, {"PORT": "18099"}).server.public_url == "http://localhost:18099"
    assert parse_config({"server": {"port": 9000}}, {}).server.public_url \
        == "http://localhost:9000"
    given = parse_config({"server": {"public_url": "https://bot.example.com"}},
                         {"PORT": "18099"})
    assert given.server.public_url == "https://bot.example.com"  # set: kept as given


def test_id_window_is_a_limit_with_a_day_by_default() -> None:
    assert parse_config({}, {}).limits.id_window_s == 86400
    assert parse_config({"limits": {"id_window_s": 0}}, {}).limits.id_window_s == 0
    with pytest.raises(ConfigError, match=r"^limits\.id_window_s: must be at least 0"):
        parse_config({"limits": {"id_window_s": -1}}, {})


def test_stream_keys_take_websocket_urls_and_bound_the_private_streams() -> None:
    config = parse_config({"bybit": {"stream_url": "ws://127.0.0.1:9000/",
                                     "max_private_streams": 3}}, {})
    assert config.bybit.stream_url == "ws://127.0.0.1:9000"
    assert config.bybit.max_private_streams == 3
    assert parse_config({}, {}).bybit.stream_url == ""
    assert parse_config({}, {}).bybit.max_private_streams == 500
    with pytest.raises(ConfigError, match=r"^bybit\.stream_url: expected a URL starting with "
                                          r"ws:// or wss://"):
        parse_config({"bybit": {"stream_url": "https://stream.bybit.com"}}, {})
    with pytest.raises(ConfigError, match=r"^bybit\.max_private_streams: must be at least 0"):
        parse_config({"bybit": {"max_private_streams": -1}}, {})
