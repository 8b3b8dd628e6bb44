"""The page's files: our template, script and style, and plotly.js from the installed package.

plotly.js is the `plotly` PyPI package's own bundle (plotly/package_data/plotly.min.js), read
from site-packages at run time: never fetched from a CDN and never copied into this repository.
It is about 5 MB, so it is gzipped once, off the event loop, and then served from memory.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import html
import importlib.metadata
import importlib.util
import json
from dataclasses import dataclass
from pathlib import Path
from string import Template

from bot.web.text import direction, strings

STATIC_DIR = Path(__file__).resolve().parent / "static"
PLOTLY_JS = "plotly.min.js"
CONTENT_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
OWN_FILES = ("dashboard.js", "plans.js", "dashboard.css")


class AssetMissing(LookupError):
    """A file the page needs is not installed."""


def plotly_bundle_path() -> Path:
    """Where the installed `plotly` package keeps plotly.min.js (without importing plotly)."""
    spec = importlib.util.find_spec("plotly")
    if spec is None or not spec.submodule_search_locations:
        raise AssetMissing("the plotly package is not installed: pip install -e . (it is a "
                           "dependency of botbybit)")
    path = Path(next(iter(spec.submodule_search_locations))) / "package_data" / PLOTLY_JS
    if not path.is_file():
        raise AssetMissing(f"{path} is missing: reinstall plotly")
    return path


def _json_for_script(value: object) -> str:
    """JSON that cannot end the <script> element it is embedded in."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@dataclass(frozen=True)
class Asset:
    body: bytes
    content_type: str
    gzipped: bytes | None = None


class Assets:
    """Load once, serve many times."""

    def __init__(self, static_dir: Path = STATIC_DIR) -> None:
        self._files: dict[str, Asset] = {}
        self.versions: dict[str, str] = {}
        for name in OWN_FILES:
            body = (static_dir / name).read_bytes()
            self._files[name] = Asset(body, CONTENT_TYPES[Path(name).suffix])
            self.versions[name] = hashlib.sha256(body).hexdigest()[:12]
        try:
            self.versions[PLOTLY_JS] = importlib.metadata.version("plotly")
        except importlib.metadata.PackageNotFoundError:
            self.versions[PLOTLY_JS] = "missing"
        self._template = Template((static_dir / "dashboard.html").read_text(encoding="utf-8"))
        self._pages: dict[str, str] = {}
        self._plotly_lock = asyncio.Lock()

    def page(self, language: str) -> str:
        """The page in one language; it holds no user data, so it is rendered once."""
        cached = self._pages.get(language)
        if cached is None:
            words = strings(language)
            values = {key: html.escape(value) for key, value in words.items()}
            values.update(
                lang=language, dir=direction(language), strings_json=_json_for_script(words),
                js_version=self.versions["dashboard.js"],
                plans_version=self.versions["plans.js"],
                css_version=self.versions["dashboard.css"],
                plotly_version=html.escape(self.versions[PLOTLY_JS]))
            cached = self._pages[language] = self._template.safe_substitute(values)
        return cached

    async def get(self, name: str) -> Asset | None:
        if name == PLOTLY_JS:
            return await self._plotly()
        return self._files.get(name)

    async def _plotly(self) -> Asset:
        async with self._plotly_lock:
            if PLOTLY_JS not in self._files:
                self._files[PLOTLY_JS] = await asyncio.to_thread(self._load_plotly)
        return self._files[PLOTLY_JS]

    @staticmethod
    def _load_plotly() -> Asset:
        body = plotly_bundle_path().read_bytes()
        return Asset(body, CONTENT_TYPES[".js"], gzip.compress(body, compresslevel=6, mtime=0))
