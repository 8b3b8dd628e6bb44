"""HTTP side of the dashboard: the page, its WebSocket, and the files the page loads.

`GET /personal/{user_id}/dashboard?key=…` and `GET /personal/{user_id}/ws?key=…` take the key
of a read-only link `/dashboard` sent (bot/web/links.py, checked in bot/web/access.py): unknown
user 404, anything but a valid key 401, before anything else happens. The key stays in the
address the browser already has; it is never written into the page, a frame or the log. An
open socket ends (close code 4001) when its link expires or is revoked.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable
from typing import Any

from aiohttp import WSCloseCode, web

from bot.db import DatabaseUnavailable
from bot.web.access import LinkRefused, Visit, admit, refusal_page
from bot.web.assets import Assets
from bot.web.dashboard import PositionReader, build_snapshot, build_update, in_language
from bot.web.facade import DashboardFacade
from bot.web.feed import Frame, forward
from bot.web.links import DashboardLinks
from bot.web.text import pick_language
from bot.webhook_server import NO_REFERRER

log = logging.getLogger(__name__)

LIVE_POSITIONS_S = 2.0  # how often an open dashboard gets its positions' marks

HEARTBEAT_S = 25.0  # ping the browser; no pong within half of it closes a dead connection
SEND_TIMEOUT_S = 15.0  # a browser that takes no data for this long is cut off
MAX_CLIENT_FRAME = 4096  # the page sends nothing but pongs
CLOSE_FELL_BEHIND = 4000  # our close code: reconnect and get the state again
CLOSE_LINK_ENDED = 4001  # our close code: the link expired or was revoked; do not reconnect
LINK_CHECK_S = 2.0  # how often an open socket looks whether its link was revoked

PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"),
}
ASSET_CACHE = "public, max-age=86400"


class ClientStuck(Exception):
    """The browser took no data for SEND_TIMEOUT_S."""


class Dashboard:
    """The dashboard routes of one service, and the sockets they hold open."""

    def __init__(self, facade: DashboardFacade, links: DashboardLinks,
                 assets: Assets | None = None) -> None:
        self._facade = facade
        self.links = links
        self.assets = assets or Assets()
        self.positions = PositionReader(facade)
        self._sockets: dict[web.WebSocketResponse, int] = {}
        self._changed = asyncio.Condition()

    # --- routes ---

    async def page(self, request: web.Request) -> web.Response:
        """Serve the dashboard page (the same for every user of a language)."""
        try:
            visit = await admit(request, self._facade, self.links)
        except LinkRefused as refused:
            return refusal_page(refused)
        language = pick_language(request.query.get("lang"), visit.user)
        return web.Response(text=self.assets.page(language), content_type="text/html",
                            charset="utf-8", headers=PAGE_HEADERS)

    async def static(self, request: web.Request) -> web.Response:
        """Serve the page's script, style and plotly.js."""
        asset = await self.assets.get(request.match_info["name"])
        if asset is None:
            raise web.HTTPNotFound()
        headers = {"Cache-Control": ASSET_CACHE, "X-Content-Type-Options": "nosniff",
                   "Content-Type": asset.content_type, "Vary": "Accept-Encoding"}
        if asset.gzipped is not None and "gzip" in request.headers.get("Accept-Encoding", ""):
            headers["Content-Encoding"] = "gzip"
            return web.Response(body=asset.gzipped, headers=headers)
        return web.Response(body=asset.body, headers=headers)

    async def socket(self, request: web.Request) -> web.StreamResponse:
        """Send the state, then every event of this user, until either side goes away or the
        link ends."""
        visit = await admit(request, self._facade, self.links)
        user, settings = visit.user, visit.settings
        ws = web.WebSocketResponse(heartbeat=HEARTBEAT_S, max_msg_size=MAX_CLIENT_FRAME)
        if not ws.can_prepare(request).ok:
            # A plain GET: the page asking whether its link still works before it reconnects
            # (a browser's WebSocket cannot read the 401 that says why it does not).
            return web.json_response({"ok": True, "expires_at": int(visit.expires_at)},
                                     headers={"Cache-Control": "no-store"})
        ws.headers.update(NO_REFERRER)  # prepared here, past the middleware that sets it
        await ws.prepare(request)
        # Subscribe before reading the state: an event in between arrives twice at worst,
        # and the page applies events by signal id.
        subscription = self._facade.subscribe(user.id)
        language = pick_language(request.query.get("lang"), user)
        send = self._sender(ws, language)
        tasks: list[asyncio.Task[Any]] = []
        await self._track(ws, user.id)
        log.info("dashboard connected user=%s (%d open)", user.id, self.connected(user.id))
        try:
            snapshot = await build_snapshot(self._facade, self.positions, user, settings,
                                            language=language)
            await send(snapshot)
            if snapshot["positions"]["state"] == "loading":
                tasks.append(asyncio.create_task(
                    self._send_exchange_positions(send, user.id, settings.account_type)))
            feeder = asyncio.create_task(forward(
                subscription, send, settled=lambda: self._refresh(send, user.id, tasks),
                language=language))
            tasks.append(asyncio.create_task(self._live_positions(send, user.id)))
            reader = asyncio.create_task(_read_until_closed(ws))
            guard = asyncio.create_task(self._link_lasts(visit))
            tasks += [feeder, reader, guard]
            await asyncio.wait({feeder, reader, guard}, return_when=asyncio.FIRST_COMPLETED)
            if guard.done() and not reader.done():
                ended = guard.result()
                log.info("dashboard of user=%s closed: its link %s", user.id, ended)
                await _close(ws, request, code=CLOSE_LINK_ENDED,
                             message=f"link {ended}".encode())
            else:
                await self._end(ws, request, feeder, user.id)
        except (ConnectionResetError, ClientStuck) as exc:
            _abort(request, user.id, exc)
        finally:
            self._facade.unsubscribe(subscription)
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            if not ws.closed:
                await _close(ws, request)
            await self._untrack(ws)
        return ws

    # --- the socket's parts ---

    async def _link_lasts(self, visit: Visit) -> str:
        """Return when the socket's link ends: "expired", or "revoked" (a new epoch)."""
        while True:
            left = visit.expires_at - self.links.now()
            if left <= 0:
                return "expired"
            await asyncio.sleep(min(left, LINK_CHECK_S))
            try:
                account = await self._facade.account(visit.user.id)
            except DatabaseUnavailable:
                continue  # not known to be revoked: look again
            if account is None or account[0].dashboard_epoch != visit.epoch:
                return "revoked"

    @staticmethod
    def _sender(ws: web.WebSocketResponse, language: str) -> Callable[[Frame], Any]:
        async def send(frame: Frame) -> None:
            text = json.dumps(in_language(frame, language), ensure_ascii=False,
                              separators=(",", ":"), default=str)
            try:
                await asyncio.wait_for(ws.send_str(text), SEND_TIMEOUT_S)
            except TimeoutError:
                raise ClientStuck(f"no data taken for {SEND_TIMEOUT_S:.0f} s") from None

        return send

    async def _refresh(self, send: Callable[[Frame], Any], user_id: int,
                       tasks: list[asyncio.Task[Any]]) -> None:
        update = await build_update(self._facade, self.positions, user_id)
        if update is None:
            return
        await send(update)
        account = update["settings"]["account"]
        if update["positions"]["source"] == "exchange":
            tasks[:] = [task for task in tasks if not task.done()]
            tasks.append(asyncio.create_task(
                self._send_exchange_positions(send, user_id, account)))

    async def _live_positions(self, send: Callable[[Frame], Any], user_id: int) -> None:
        """While positions are open, send them again every few seconds: marks move."""
        last: list[Any] | None = None
        while True:
            await asyncio.sleep(LIVE_POSITIONS_S)
            account = await self._facade.account(user_id)
            if account is None:
                return
            account_type = account[1].account_type
            positions = await self.positions.live(user_id, account_type)
            rows = positions.get("rows") or []
            if rows == last or (not rows and not last):
                continue
            last = rows
            with contextlib.suppress(ConnectionResetError, ClientStuck):
                await send({"type": "positions", "account": account_type,
                            "positions": positions})

    async def _send_exchange_positions(self, send: Callable[[Frame], Any], user_id: int,
                                       account_type: str) -> None:
        positions = await self.positions.exchange(user_id, account_type)
        with contextlib.suppress(ConnectionResetError, ClientStuck):
            await send({"type": "positions", "account": account_type,
                        "positions": positions})

    async def _end(self, ws: web.WebSocketResponse, request: web.Request,
                   feeder: asyncio.Task[Any], user_id: int) -> None:
        if not feeder.done():
            return  # the browser left
        exc = feeder.exception()
        if exc is None:  # the hub dropped this slow subscriber
            log.info("dashboard of user=%s fell behind; closed so it reconnects", user_id)
            await _close(ws, request, code=CLOSE_FELL_BEHIND, message=b"fell behind; reconnect")
        elif isinstance(exc, (ConnectionResetError, ClientStuck)):
            _abort(request, user_id, exc)
        else:
            raise exc

    async def _track(self, ws: web.WebSocketResponse, user_id: int) -> None:
        async with self._changed:
            self._sockets[ws] = user_id
            self._changed.notify_all()

    async def _untrack(self, ws: web.WebSocketResponse) -> None:
        async with self._changed:
            self._sockets.pop(ws, None)
            self._changed.notify_all()

    def connected(self, user_id: int | None = None) -> int:
        """Open dashboard sockets, of one user or of all."""
        return sum(1 for owner in self._sockets.values() if user_id in (None, owner))

    async def wait_connected(self, user_id: int, count: int) -> None:
        """Wait until exactly `count` sockets of the user are open."""
        async with self._changed:
            await self._changed.wait_for(lambda: self.connected(user_id) == count)

    async def close_all(self, app: web.Application | None = None) -> None:
        """On shutdown: tell every page the server is going away (it will reconnect)."""
        await asyncio.gather(*(ws.close(code=WSCloseCode.GOING_AWAY, message=b"restarting")
                               for ws in list(self._sockets)), return_exceptions=True)


async def _read_until_closed(ws: web.WebSocketResponse) -> None:
    async for _ in ws:  # the page sends nothing we act on; reading handles pings and close
        pass


async def _close(ws: web.WebSocketResponse, request: web.Request, *,
                 code: int = WSCloseCode.OK, message: bytes = b"") -> None:
    """Close politely; a browser that takes no data does not get to hold the handler."""
    try:
        await asyncio.wait_for(ws.close(code=code, message=message), SEND_TIMEOUT_S)
    except (TimeoutError, ConnectionResetError):
        if request.transport is not None:
            request.transport.abort()


def _abort(request: web.Request, user_id: int, exc: BaseException) -> None:
    log.info("dashboard of user=%s cut off: %s", user_id, exc or type(exc).__name__)
    if request.transport is not None:
        request.transport.abort()


DASHBOARD_KEY: web.AppKey[Dashboard] = web.AppKey("dashboard", Dashboard)


def add_dashboard_routes(app: web.Application, facade: DashboardFacade,
                         links: DashboardLinks) -> Dashboard:
    """Add the dashboard's routes to the webhook server's application."""
    dashboard = Dashboard(facade, links)
    app[DASHBOARD_KEY] = dashboard
    app.router.add_get("/personal/{user_id}/dashboard", dashboard.page)
    app.router.add_get("/personal/{user_id}/ws", dashboard.socket)
    app.router.add_get("/static/{name}", dashboard.static)
    app.on_shutdown.append(dashboard.close_all)
    return dashboard
