"""The operator CLI manages users with no bot running."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    config = tmp_path / "config.yaml"
    if not config.exists():
        config.write_text(f"database:\n  path: {tmp_path / 'db' / 'bot.db'}\n"
                          "server:\n  public_url: https://bots.example.com\n")
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args, "--config",
                           str(config)], capture_output=True, text=True, timeout=60,
                          cwd=tmp_path, env=env)


def test_add_list_activate_deactivate_and_url(tmp_path: Path) -> None:
    added = run(tmp_path, "users", "add", "111", "--active", "--admin")
    assert added.returncode == 0, added.stderr
    assert "user 111 added active=yes admin=yes" in added.stdout
    assert run(tmp_path, "users", "add", "222").returncode == 0

    listing = run(tmp_path, "users", "list")
    assert listing.returncode == 0
    lines = {line.split()[0]: line.split() for line in listing.stdout.splitlines()[1:-1]}
    assert lines["111"][1:3] == ["yes", "yes"]
    assert lines["222"][1:3] == ["no", "no"]
    assert "2 user(s)" in listing.stdout

    assert "now active" in run(tmp_path, "users", "activate", "222").stdout
    assert "now inactive" in run(tmp_path, "users", "deactivate", "111").stdout
    listing = run(tmp_path, "users", "list").stdout
    assert [line.split()[1] for line in listing.splitlines()[1:-1]] == ["no", "yes"]

    url = run(tmp_path, "users", "url", "222")
    assert url.returncode == 0
    printed = url.stdout.strip()
    assert printed.startswith("https://bots.example.com/personal/222/webhook?token=")
    token = printed.split("token=")[1]
    assert len(token) >= 22
    assert token not in listing  # the list never shows tokens


def test_unknown_user_is_a_clear_error(tmp_path: Path) -> None:
    result = run(tmp_path, "users", "activate", "999")
    assert result.returncode == 1
    assert "there is no user 999" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_id_is_refused_by_the_parser(tmp_path: Path) -> None:
    result = run(tmp_path, "users", "add", "abc")
    assert result.returncode == 2
    assert "not a Telegram user id" in result.stderr


def test_an_id_too_large_for_any_account_is_refused_by_the_parser(tmp_path: Path) -> None:
    for action in ("add", "activate", "url"):
        result = run(tmp_path, "users", action, "99999999999999999999999")
        assert result.returncode == 2, result.stderr
        assert "not a Telegram user id" in result.stderr
        assert "Traceback" not in result.stderr


def test_url_uses_the_port_from_the_environment_when_no_public_url_is_set(
        tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_text(f"database:\n  path: {tmp_path / 'bot.db'}\n")
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    env["PORT"] = "18099"

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, str(ROOT / "main.py"), *args, "--config",
                               str(tmp_path / "config.yaml")], capture_output=True, text=True,
                              timeout=60, cwd=tmp_path, env=env)

    assert cli("users", "add", "42", "--active").returncode == 0
    url = cli("users", "url", "42")
    assert url.returncode == 0, url.stderr
    assert url.stdout.startswith("http://localhost:18099/personal/42/webhook?token=")


def test_users_url_after_an_upgrade_is_the_url_the_user_always_had(tmp_path: Path) -> None:
    from tests.foundation.test_sealed_tokens import cells, holds, v7_database

    (tmp_path / "db").mkdir()
    token = "Old-Token-Of-User-42-abcdefghijk"
    v7_database(tmp_path / "db" / "bot.db", {42: token})
    url = run(tmp_path, "users", "url", "42")
    assert url.returncode == 0, url.stderr
    assert url.stdout.strip() == f"https://bots.example.com/personal/42/webhook?token={token}"
    assert not any(holds(value, token) for value in cells(tmp_path / "db" / "bot.db"))
    assert run(tmp_path, "users", "url", "42").stdout == url.stdout  # sealed once, still same

    # Another master key than the one the database was sealed with: refused, nothing changed.
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    env["BOTBYBIT_MASTER_KEY"] = Fernet.generate_key().decode()
    other = subprocess.run([sys.executable, str(ROOT / "main.py"), "users", "url", "42",
                            "--config", str(tmp_path / "config.yaml")], capture_output=True,
                           text=True, timeout=60, cwd=tmp_path, env=env)
    assert other.returncode == 2 and other.stdout == ""
    assert "BOTBYBIT_MASTER_KEY: this is not the master key" in other.stderr
    assert "Traceback" not in other.stderr


def test_config_before_the_command_is_the_config_used(tmp_path: Path) -> None:
    """`python main.py --config PATH users …` (the service's own form, then a command) and
    `users --config PATH …` work on PATH's database, not on ./data/botbybit.db."""
    config = tmp_path / "config.yaml"
    config.write_text(f"database:\n  path: {tmp_path / 'db' / 'bot.db'}\n"
                      "server:\n  public_url: https://bots.example.com\n")
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    (tmp_path / "elsewhere").mkdir()

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, str(ROOT / "main.py"), *args],
                              capture_output=True, text=True, timeout=60,
                              cwd=tmp_path / "elsewhere", env=env)

    added = cli("--config", str(config), "users", "add", "111", "--active")
    assert added.returncode == 0, added.stderr
    assert cli("users", "--config", str(config), "add", "222").returncode == 0
    listing = run(tmp_path, "users", "list")
    assert "111" in listing.stdout and "222" in listing.stdout and "2 user(s)" in listing.stdout
    assert not (tmp_path / "elsewhere" / "data").exists()  # no stray database, no stray key

    missing = cli("--config", str(tmp_path / "nope.yaml"), "users", "list")
    assert missing.returncode == 2 and missing.stdout == ""
    assert "nope.yaml' does not exist" in missing.stderr


def test_a_damaged_master_key_file_is_named_not_a_traceback(tmp_path: Path) -> None:
    """data/master.key emptied or overwritten: the service and `users` stop with exit 2 and
    one line naming the file and what to do, and leave it as it is."""
    (tmp_path / "config.yaml").write_text(f"database:\n  path: {tmp_path / 'db' / 'bot.db'}\n")
    (tmp_path / "db").mkdir()
    key_file = tmp_path / "db" / "master.key"
    key_file.write_text("not-a-key\n")
    env = {k: v for k, v in os.environ.items()
           if k not in ("TELEGRAM_BOT_TOKEN", "BOTBYBIT_MASTER_KEY")}
    env["PORT"] = str(free_port())
    for args in (["users", "list"], []):
        result = subprocess.run([sys.executable, str(ROOT / "main.py"), *args, "--config",
                                 str(tmp_path / "config.yaml")], capture_output=True,
                                text=True, timeout=60, cwd=tmp_path, env=env)
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr
        assert f"{key_file}: is not a master key" in result.stderr
        assert "BOTBYBIT_MASTER_KEY" in result.stderr
        assert key_file.read_text() == "not-a-key\n"


def test_a_database_path_that_cannot_be_opened_is_named_not_a_traceback(
        tmp_path: Path) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    (tmp_path / "config.yaml").write_text(f"database:\n  path: {folder}\n")
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    env.update(PORT=str(free_port()), BOTBYBIT_MASTER_KEY=Fernet.generate_key().decode())
    said = {"users": f"error: cannot open database.path {folder}: unable to open database file",
            "service": f"cannot start: database.path {folder}: unable to open database file"}
    for args, expected in ((["users", "list"], said["users"]), ([], said["service"])):
        result = subprocess.run([sys.executable, str(ROOT / "main.py"), *args, "--config",
                                 str(tmp_path / "config.yaml")], capture_output=True,
                                text=True, timeout=60, cwd=tmp_path, env=env)
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        assert expected in result.stderr, result.stderr
