"""The dashboard in a real browser: Debian's Chromium driven headless by Playwright.

Playwright's own browser download cannot work here, so the test launches /usr/bin/chromium
(`make test` installs it through apt when it is missing and the user is root). Every wait is
on the page's state, never on the clock.
"""

from __future__ import annotations

import os
import time
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from playwright.async_api import Browser, Page, async_playwright, expect

from bot.urls import dashboard_url
from tests.conftest import move_price
from tests.fakes.bybit import FakeBybit
from tests.web.conftest import Trader

CHROMIUM = Path(os.environ.get("BOTBYBIT_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
WAIT_MS = 15_000

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"the browser test needs Chromium at {CHROMIUM}: install Debian's package with "
           "`sudo apt-get install chromium` (`make test` does it when run as root), or set "
           "BOTBYBIT_CHROMIUM to another Chromium binary")

BUY = {"symbol": "BTCUSDT", "action": "buy", "price": 50000}
SELL = {"symbol": "BTCUSDT", "action": "sell", "price": 50600}
LADDER = {**BUY, "sl": "2%", "tps": [{"price": 50500, "qty_percent": 50}, {"price": 51000}],
          "be_after": 1}


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    expect.set_options(timeout=WAIT_MS)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM),
                                                   args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            await browser.close()


class Watched:
    """A page with its errors and every address it asked for."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("request", lambda request: self.requests.append(request.url))


async def open_dashboard(browser: Browser, trader: Trader, **options: object) -> Watched:
    lang = options.pop("lang", "")
    watched = Watched(await browser.new_page(**options))  # type: ignore[arg-type]
    await watched.page.goto(trader.url("dashboard", lang=str(lang)))
    await expect(watched.page.locator("body")).to_have_attribute("data-snapshots", "1")
    return watched


async def test_a_new_signal_appears_in_the_table_and_the_charts_without_reload(
        trader: Trader, browser: Browser, tmp_path: Path) -> None:
    await trader.trade(BUY)
    watched = await open_dashboard(browser, trader, viewport={"width": 1280, "height": 1500})
    page = watched.page
    await expect(page.locator("#conn")).to_have_attribute("data-state", "live")
    await expect(page.locator("#signals tbody tr")).to_have_count(1)
    await expect(page.locator("#pnl-chart")).to_have_attribute("data-points", "1")
    await expect(page.locator("#price-chart")).to_have_attribute("data-marks", "1")
    await expect(page.locator("#positions tr[data-symbol='BTCUSDT']")).to_contain_text("Long")
    await page.evaluate("window.sameDocument = true")  # gone if the page reloaded

    answer = await trader.post(SELL)  # closes the long, opens a short

    row = page.locator(f"#signals tr[data-signal-id='{answer['signal_id']}']")
    await expect(row).to_have_attribute("data-status", "done")
    await expect(row).to_contain_text("closed long")
    await expect(page.locator("#signals tbody tr")).to_have_count(2)
    await expect(page.locator("#pnl-chart")).to_have_attribute("data-points", "3")
    await expect(page.locator("#price-chart")).to_have_attribute("data-marks", "3")
    await expect(page.locator("#positions tr[data-symbol='BTCUSDT']")).to_contain_text("Short")
    await expect(page.locator("#orders tbody tr")).to_have_count(3)
    # Plotly drew the new points: the PnL line starts at 0, then one marker per fill.
    await page.wait_for_function(
        "document.querySelectorAll('#pnl-chart .scatterlayer .point').length === 4",
        timeout=WAIT_MS)
    await page.wait_for_function(
        "document.querySelectorAll('#price-chart .scatterlayer .point').length === 3",
        timeout=WAIT_MS)
    assert await page.evaluate("window.sameDocument") is True
    await expect(page.locator("body")).to_have_attribute("data-snapshots", "1")

    await page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
    assert (tmp_path / "dashboard.png").stat().st_size > 10_000
    assert watched.errors == []
    assert all(url.startswith(trader.base) or url.startswith("data:")
               for url in watched.requests), watched.requests  # no CDN, nothing outside
    assert any(url.startswith(f"{trader.base}/static/plotly.min.js")
               for url in watched.requests)
    content = await page.content()
    assert trader.token not in content and trader.key not in content


async def test_a_positions_plan_shows_under_it_and_on_the_chart_and_a_fill_at_once(
        trader: Trader, browser: Browser, fake_bybit: FakeBybit) -> None:
    await trader.trade(LADDER)
    await fake_bybit.wait_for_public_subscription("linear", "BTCUSDT")
    watched = await open_dashboard(browser, trader, viewport={"width": 1280, "height": 1500})
    page = watched.page
    chart, plan = page.locator("#price-chart"), page.locator("#positions tr.plan-row")
    await expect(chart).to_have_attribute("data-levels", "3")  # two targets and the stop
    await page.wait_for_function(  # Plotly drew them as lines across the chart
        "document.querySelectorAll('#price-chart .shapelayer path').length === 3",
        timeout=WAIT_MS)
    await expect(plan.locator("[data-target='1']")).to_have_attribute("data-filled", "false")
    await expect(plan).to_contain_text("TP 2 of 2: 0.01 at 51,000")
    await expect(plan).to_contain_text("Stop 49,000")
    await page.evaluate("window.sameDocument = true")

    await move_price(trader.service, fake_bybit, "BTCUSDT", 50600)  # past target 1

    event = page.locator("#position-events li")
    await expect(event).to_have_count(1)
    await expect(event).to_contain_text("TP 1 of 2 filled: 0.01 at 50,500")
    await expect(plan.locator("[data-target='1']")).to_have_attribute("data-filled", "true")
    await expect(plan.locator(".plan-exits")).to_have_attribute("data-be-moved", "true")
    await expect(chart).to_have_attribute("data-filled", "1")
    await expect(page.locator("#orders tbody tr")).to_have_count(3)  # opening, t1 and t2
    assert await page.evaluate("window.sameDocument") is True
    assert watched.errors == []


async def test_on_a_phone_in_arabic_the_page_reads_right_to_left_and_fits(
        trader: Trader, browser: Browser, tmp_path: Path) -> None:
    await trader.service.users.set_language(trader.user.id, "ar")
    await trader.trade(BUY)
    watched = await open_dashboard(browser, trader, viewport={"width": 390, "height": 844},
                                   is_mobile=True, has_touch=True, device_scale_factor=2)
    page = watched.page
    assert await page.evaluate("document.documentElement.dir") == "rtl"
    await expect(page.locator("#h-positions")).to_have_text("المراكز المفتوحة")
    await expect(page.locator("#conn")).to_have_text("مباشر")
    row = page.locator("#signals tbody tr").first
    await expect(row.locator("td").first).to_have_attribute("data-label", "الوقت")
    await expect(row.locator("td").nth(2)).to_have_text("شراء")  # the action as a word
    # Nothing wider than the screen: tables turn into stacked rows instead.
    assert await page.evaluate("document.documentElement.scrollWidth") <= 390
    assert await page.evaluate(
        "getComputedStyle(document.querySelector('#signals thead')).display") == "none"
    await page.screenshot(path=str(tmp_path / "dashboard-phone-ar.png"), full_page=True)
    assert watched.errors == []


async def test_a_dropped_page_reconnects_and_an_outdated_link_says_what_to_do(
        trader: Trader, browser: Browser) -> None:
    watched = await open_dashboard(browser, trader)
    page = watched.page
    await trader.dashboard.close_all()  # as on a server restart
    await expect(page.locator("body")).to_have_attribute("data-snapshots", "2")
    await expect(page.locator("#conn")).to_have_attribute("data-state", "live")

    # Revoking the links ends the open page's feed (no restart needed), and it says why.
    await trader.service.users.revoke_dashboard_links(trader.user.id)
    await expect(page.locator("#notice")).to_be_visible()
    await expect(page.locator("#notice")).to_contain_text("revoked")
    await expect(page.locator("#notice")).to_contain_text("/dashboard")
    await expect(page.locator("#conn")).to_have_attribute("data-state", "offline")
    assert trader.dashboard.connected(trader.user.id) == 0


async def test_a_link_that_runs_out_while_open_says_it_expired_in_the_pages_language(
        trader: Trader, browser: Browser) -> None:
    ttl = trader.service.config.server.dashboard_link_ttl_s
    # Issued so that six seconds of its life are left: the page opens, then the feed ends.
    trader.key = await trader.link_key(issued_at=int(time.time()) - ttl + 6)
    watched = await open_dashboard(browser, trader, lang="ar")
    page = watched.page
    await expect(page.locator("#notice")).to_contain_text("انتهت صلاحية")
    await expect(page.locator("#conn")).to_have_attribute("data-state", "offline")
    assert all(url.startswith(trader.base) for url in watched.requests), watched.requests
    async with trader.http.get(trader.url("dashboard", lang="ar")) as response:
        assert response.status == 401
        assert "انتهت صلاحية" in await response.text()


class PrefixProxy:
    """A reverse proxy on 127.0.0.1 that serves the service under `/bot` (as nginx's
    `location /bot/ { proxy_pass http://127.0.0.1:8080/; }` does), WebSockets included."""

    PREFIX = "/bot"

    def __init__(self, target: str, http: aiohttp.ClientSession) -> None:
        self.target, self.http = target, http
        self.runner: web.AppRunner | None = None
        self.base = ""

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("GET", self.PREFIX + "/{path:.*}", self.forward)
        self.runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.base = f"http://127.0.0.1:{self.runner.addresses[0][1]}"

    async def forward(self, request: web.Request) -> web.StreamResponse:
        upstream = self.target + request.rel_url.path_qs.removeprefix(self.PREFIX)
        if request.headers.get("Upgrade", "").lower() == "websocket":
            return await self.tunnel(request, upstream)
        async with self.http.get(upstream) as answer:
            return web.Response(status=answer.status, body=await answer.read(),
                                content_type=answer.content_type)

    async def tunnel(self, request: web.Request, upstream: str) -> web.WebSocketResponse:
        browser_side = web.WebSocketResponse()
        await browser_side.prepare(request)
        async with self.http.ws_connect(upstream) as service_side:
            async for message in service_side:
                if message.type != aiohttp.WSMsgType.TEXT:
                    break
                await browser_side.send_str(message.data)
        await browser_side.close()
        return browser_side

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()


async def test_behind_a_proxy_with_a_path_prefix_the_link_opens_a_live_page(
        trader: Trader, browser: Browser, http: aiohttp.ClientSession) -> None:
    await trader.trade(BUY)
    proxy = PrefixProxy(trader.base, http)
    await proxy.start()
    try:
        config = trader.service.config
        config = config.model_copy(update={"server": config.server.model_copy(
            update={"public_url": proxy.base + PrefixProxy.PREFIX})})
        link = dashboard_url(config, trader.user.id, trader.key)  # what /dashboard sends
        watched = Watched(await browser.new_page())
        await watched.page.goto(link)
        page = watched.page
        await expect(page.locator("body")).to_have_attribute("data-snapshots", "1")
        await expect(page.locator("#conn")).to_have_attribute("data-state", "live")
        await expect(page.locator("#signals tbody tr")).to_have_count(1)
        assert watched.errors == []
        assert all(url.startswith(proxy.base + PrefixProxy.PREFIX + "/")
                   or url.startswith("data:") for url in watched.requests), watched.requests
        await page.close()
    finally:
        await proxy.stop()
