"""Every module of `bot` imports on its own, in any order, and only the CLI imports `bot.app`.

An import cycle hides until some entry point happens to import its modules in the wrong order:
the test suite imports `bot.app` first, so a cycle through the handlers would pass here and
break a script that imports `bot.handlers` first. So each module is imported alone in a fresh
interpreter (all of them at once, on a thread pool), then all modules together in a few
shuffled orders. `bot.app` wires everything; a module that imports it depends on the whole
service, so only the CLI may (the check reads the source: TYPE_CHECKING imports count too).
"""

from __future__ import annotations

import ast
import os
import pkgutil
import random
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "bot"
APP = "bot.app"
MAY_IMPORT_APP = {"bot.cli", "bot.cli_users"}  # the command line runs the service
SHUFFLE_SEEDS = (1, 2, 3, 4)
TIMEOUT_S = 60
# The module fixture starts ~120 interpreters on the cores' threads; its time is charged to the
# first test that uses it, so the suite's 120 s per test is too tight on a loaded machine.
pytestmark = pytest.mark.timeout(900)


def _walk(path: Path, prefix: str) -> Iterator[str]:
    """Module names under a package directory, found without importing anything."""
    for info in pkgutil.iter_modules([str(path)], prefix):
        yield info.name
        if info.ispkg:
            yield from _walk(path / info.name.rsplit(".", 1)[-1], info.name + ".")


MODULES = sorted(["bot", *_walk(PACKAGE, "bot.")])


def _source(module: str) -> Path:
    relative = Path(*module.split("."))
    package = ROOT / relative / "__init__.py"
    return package if package.exists() else ROOT / relative.with_suffix(".py")


def _python(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `code` in a fresh interpreter, from the repository root (so `bot` is this tree)."""
    return subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=TIMEOUT_S, env=os.environ.copy())


IMPORT_IN_ORDER = "import importlib, sys\nfor name in sys.argv[1:]: importlib.import_module(name)"


def _shuffled(seed: int) -> list[str]:
    order = list(MODULES)
    random.Random(seed).shuffle(order)
    return order


@pytest.fixture(scope="module")
def imports() -> dict[str, subprocess.CompletedProcess[str]]:
    """Each module imported alone, and each shuffled order, all run in parallel."""
    jobs: dict[str, tuple[str, ...]] = {name: (f"import {name}",) for name in MODULES}
    jobs.update({f"seed={seed}": (IMPORT_IN_ORDER, *_shuffled(seed))
                 for seed in SHUFFLE_SEEDS})
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 1)) as pool:
        results = dict(zip(jobs, pool.map(lambda job: _python(*job), jobs.values()),
                           strict=True))
    return results


def _failure(result: subprocess.CompletedProcess[str]) -> str:
    return "\n".join(result.stderr.strip().splitlines()[-12:])


def test_the_package_has_its_modules() -> None:
    assert {"bot.app", "bot.handlers", "bot.web.routes", "bot.trading.executor"} <= set(MODULES)


@pytest.mark.parametrize("module", MODULES)
def test_module_imports_alone_in_a_fresh_interpreter(
        module: str, imports: dict[str, subprocess.CompletedProcess[str]]) -> None:
    result = imports[module]
    assert result.returncode == 0, f"`import {module}` failed:\n{_failure(result)}"


@pytest.mark.parametrize("seed", SHUFFLE_SEEDS)
def test_all_modules_import_together_in_a_shuffled_order(
        seed: int, imports: dict[str, subprocess.CompletedProcess[str]]) -> None:
    result = imports[f"seed={seed}"]
    assert result.returncode == 0, (
        f"importing every module in order {_shuffled(seed)} failed:\n{_failure(result)}")


def _imported(tree: ast.AST, module: str, is_package: bool) -> Iterator[tuple[int, str]]:
    """(line, module) for every import in the file, at any depth, relative ones resolved."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, *([base] if base else [])])
            yield node.lineno, base
            yield from ((node.lineno, f"{base}.{alias.name}") for alias in node.names)


def test_only_the_command_line_imports_the_app() -> None:
    offenders = []
    for module in MODULES:
        if module in MAY_IMPORT_APP:
            continue
        path = _source(module)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for line, name in _imported(tree, module, path.name == "__init__.py"):
            if module != APP and (name == APP or name.startswith(APP + ".")):
                offenders.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    assert offenders == [], "only the CLI may import bot.app:\n" + "\n".join(offenders)


def test_the_app_check_sees_every_kind_of_import() -> None:
    def finds(source: str, module: str = "bot.web.routes") -> bool:
        return any(name == APP for _, name in _imported(ast.parse(source), module, False))

    assert finds("import bot.app")
    assert finds("from bot.app import Service")
    assert finds("from bot import app")
    assert finds("from .. import app")
    assert finds("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                 "    from bot.app import Service\n")
    assert finds("def late():\n    from bot.app import serve\n")
    assert not finds("from bot.apps import x")
    assert not finds("from bot.urls import personal_url")
