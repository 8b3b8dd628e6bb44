"""Every module of `bot` imports on its own, in any order.

An import cycle hides until some entry point happens to import its modules in the wrong order:
the test suite imports `bot.app` first, so a cycle through the handlers would pass here and
break a script that imports `bot.handlers` first. So each module is imported alone in a fresh
interpreter (all of them at once, on a thread pool), then all modules together in a few
shuffled orders.
"""

from __future__ import annotations

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
SHUFFLE_SEEDS = (1, 2, 3, 4)
TIMEOUT_S = 60


def _walk(path: Path, prefix: str) -> Iterator[str]:
    """Module names under a package directory, found without importing anything."""
    for info in pkgutil.iter_modules([str(path)], prefix):
        yield info.name
        if info.ispkg:
            yield from _walk(path / info.name.rsplit(".", 1)[-1], info.name + ".")


MODULES = sorted(["bot", *_walk(PACKAGE, "bot.")])


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
