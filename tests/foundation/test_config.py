"""Configuration: every bad value stops the process with exit 2 and one line naming the key."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from bot.config import ConfigError, parse_config, resolve_config_path

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


def test_missing_explicit_config_file_is_an_error(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "--config",
                             str(tmp_path / "nope.yaml")],
                            capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert result.returncode == 2
    assert "does not exist" in result.stderr
