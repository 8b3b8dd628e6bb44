"""Every error raised has a sentence in both catalogs, with the values its raise site gives.

The raise sites are found in the source (an AST scan), so a new error without a sentence, or a
sentence whose values its raise site does not give, fails here rather than in front of a
trader. (What the sentences say: test_error_sentences.py.)
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.errors import KEY
from bot.i18n import placeholders
from bot.i18n.errors import SENTENCES
from bot.i18n.errors_ar import ERRORS as ARABIC
from bot.i18n.errors_en import ERRORS as ENGLISH
from bot.web.text import CATALOG as WEB

ROOT = Path(__file__).resolve().parents[2] / "bot"
# Not keyword values of an error: how it is raised, retried or answered.
CONTROLS = {"code", "ret_code", "retryable", "retry_after"}


@dataclass(frozen=True)
class Site:
    path: str
    line: int
    key: str
    params: frozenset[str] | None  # None: given with ** (not known here)
    raised: str  # the class


def _error_classes(trees: dict[Path, ast.Module]) -> set[str]:
    """`BotError` and every class that derives from it, in any module."""
    names = {"BotError", "Failure"}
    grew = True
    while grew:
        grew = False
        for tree in trees.values():
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef) and node.name not in names and any(
                        isinstance(base, ast.Name) and base.id in names for base in node.bases):
                    names.add(node.name)
                    grew = True
    return names


def _strings(node: ast.AST, function: ast.AST | None) -> Iterator[str]:
    """The string constants an expression can be: literals, branches, and a local variable's
    assigned values."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.IfExp):
        yield from _strings(node.body, function)
        yield from _strings(node.orelse, function)
    elif isinstance(node, ast.Name) and function is not None:
        for assign in ast.walk(function):
            if isinstance(assign, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id == node.id for t in assign.targets):
                yield from _strings(assign.value, None)


def _sites() -> list[Site]:
    trees = {path: ast.parse(path.read_text(), str(path)) for path in ROOT.rglob("*.py")}
    classes = _error_classes(trees)
    found = []
    for path, tree in trees.items():
        functions = [n for n in ast.walk(tree)
                     if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in classes and node.args):
                continue
            function = next((f for f in functions if f.lineno <= node.lineno
                             <= (f.end_lineno or f.lineno)
                             and any(n is node for n in ast.walk(f))), None)
            key_arg, params = node.args[0], _keywords(node)
            if node.func.id == "Failure":
                key_arg = node.args[1] if len(node.args) > 1 else node.args[0]
                params = _dict_keys(node.args[2]) if len(node.args) > 2 else frozenset()
                params = _keyword_dict(node, "params", params)
            for key in _strings(key_arg, function):
                found.append(Site(str(path.relative_to(ROOT)), node.lineno, key, params,
                                  node.func.id))
    return found


def _keywords(call: ast.Call) -> frozenset[str] | None:
    if any(k.arg is None for k in call.keywords):
        return None
    return frozenset(k.arg for k in call.keywords if k.arg and k.arg not in CONTROLS)


def _dict_keys(node: ast.AST) -> frozenset[str] | None:
    if isinstance(node, ast.Dict) and all(isinstance(k, ast.Constant) for k in node.keys):
        return frozenset(str(k.value) for k in node.keys if isinstance(k, ast.Constant))
    return None


def _keyword_dict(call: ast.Call, name: str,
                  default: frozenset[str] | None) -> frozenset[str] | None:
    for keyword in call.keywords:
        if keyword.arg == name:
            return _dict_keys(keyword.value)
    return default


SITES = _sites()


def test_the_scan_finds_the_raise_sites() -> None:
    keys = {site.key for site in SITES}
    assert len(SITES) > 100
    assert {"below_minimum.amount", "not_filled", "retry.not_placed", "exits.merged",
            "bad_take_profit.short", "bad_number.placeholder", "no_keys"} <= keys


def test_no_raise_site_writes_its_own_sentence() -> None:
    written = [site for site in SITES if not KEY.match(site.key)]
    assert written == []  # the webhook's doors too: their 4xx is the English catalog's


def test_every_error_raised_has_a_sentence_in_both_catalogs_with_its_values() -> None:
    for site in SITES:
        if not KEY.match(site.key) or site.raised == "LinkRefused":
            continue
        where = f"{site.path}:{site.line} {site.key}"
        assert site.key in ENGLISH, f"{where}: no English sentence"
        assert site.key in ARABIC, f"{where}: no Arabic sentence"
        wanted = placeholders(ENGLISH[site.key])
        assert placeholders(ARABIC[site.key]) == wanted, where
        if site.params is not None:
            assert wanted <= site.params, f"{where}: the sentence needs {wanted - site.params}"
        family = site.key.split(".", 1)[0]
        assert family in ENGLISH and family in ARABIC, f"{where}: no sentence for {family}"


def test_both_catalogs_have_the_same_sentences_with_the_same_values() -> None:
    assert set(ENGLISH) == set(ARABIC)
    for key, sentence in ENGLISH.items():
        assert placeholders(ARABIC[key]) == placeholders(sentence), key
        assert f"error.{key}" in SENTENCES["en"] and f"error.{key}" in SENTENCES["ar"]


def test_a_refused_dashboard_link_is_said_by_the_pages_own_words() -> None:
    reasons = {site.key for site in SITES if site.raised == "LinkRefused"}
    assert reasons >= {"old", "missing"}
    for language in ("en", "ar"):
        assert {f"link_{reason}" for reason in reasons} <= set(WEB[language]), language


def test_every_refusal_at_the_webhooks_doors_is_a_key() -> None:
    doors = {site.key for site in SITES if site.path in ("intake.py", "channels/intake.py")}
    assert {"rate_limited.user", "unauthorized.missing", "unauthorized.wrong", "stale_signal",
            "paused", "entries_paused", "unknown_user.webhook", "channel_paused",
            "unknown_channel", "unauthorized.channel_wrong"} <= doors


