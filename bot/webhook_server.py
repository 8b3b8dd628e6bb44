"""The HTTP side: TradingView's alerts in, JSON answers out, and `/healthz` for operators.

This module only translates between HTTP and `SignalIntake`; every decision lives there.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.channels.intake import ChannelAlert, ChannelIntake
from bot.db import Journaled
from bot.errors import BodyTooLarge, BotError, RateLimited, UnknownUser
from bot.i18n.errors import render_error
from bot.i18n.results import result_line
from bot.intake import Alert, SignalIntake
from bot.outcomes import Outcome

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
HealthProbe = Callable[[], Awaitable[dict[str, Any]]]

INTAKE_KEY: web.AppKey[SignalIntake] = web.AppKey("intake", SignalIntake)
HEALTH_KEY: web.AppKey[HealthProbe] = web.AppKey("health", object)  # type: ignore[arg-type]
CHANNELS_KEY: web.AppKey[ChannelIntake] = web.AppKey("channels", ChannelIntake)
MAX_BODY_KEY: web.AppKey[int] = web.AppKey("max_body", int)
TRUST_XFF_KEY: web.AppKey[bool] = web.AppKey("trust_xff", bool)

# On every answer of this server: the browser sends no Referer from a page of ours, so a
# dashboard key never travels in one (pages, assets, errors; the dashboard's WebSocket sets it
# before its upgrade). Set by the middleware below, not an `on_response_prepare` hook: a hook
# is a signal dispatch on every answer, ~6% of an alert's acknowledgement (docs/BENCHMARKS.md).
NO_REFERRER = {"Referrer-Policy": "no-referrer"}


def error_response(error: BotError) -> web.Response:
    """The one mapping from a domain error to an HTTP answer: its code, and its sentence from
    the English catalog (TradingView's reader; `message` is that rendering, masked by the
    intake where the body quoted a token)."""
    headers = {}
    if isinstance(error, RateLimited):
        headers["Retry-After"] = str(error.retry_after)
    return web.json_response({"ok": False, "error": error.code, "message": error.message},
                             status=error.http_status, headers=headers)


def _answer(code: str, key: str, status: int, **params: object) -> web.Response:
    return web.json_response({"ok": False, "error": code,
                              "message": render_error("en", key, params)}, status=status)


@web.middleware
async def json_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Answer every failure as JSON (a 500 only for our own bugs, and logged), and give every
    answer not sent yet the `NO_REFERRER` header."""
    response = await _answer_or_error(request, handler)
    if not response.prepared:
        response.headers.update(NO_REFERRER)
    return response


async def _answer_or_error(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except BotError as error:
        return error_response(error)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        code = exc.reason.lower().replace(" ", "_")
        if exc.status == 404:
            return _answer(code, "not_found.route", 404)
        if exc.status == 405:
            return _answer(code, "method_not_allowed", 405, method=request.method)
        return web.json_response({"ok": False, "error": code, "message": exc.reason},
                                 status=exc.status)
    except Exception:
        log.exception("unexpected error on %s %s", request.method, request.path)
        return _answer("internal", "internal.server", 500)


def client_ip(request: web.Request) -> str:
    """The sender's address; X-Forwarded-For only when configured to trust the proxy."""
    if request.app[TRUST_XFF_KEY]:
        forwarded = request.headers.get("X-Forwarded-For", "")
        first = forwarded.split(",")[0].strip()
        if first:
            return first
    return request.remote or "unknown"


async def read_body(request: web.Request) -> bytes:
    """Read the whole body, at most the configured number of bytes; more is a 413 (refused
    from Content-Length before reading, or as soon as the bytes read pass the limit)."""
    limit = request.app[MAX_BODY_KEY]
    if not limit:  # off: the stream itself, not request.read() and its client_max_size
        return await request.content.read()
    if request.content_length is not None and request.content_length > limit:
        raise BodyTooLarge("body_too_large", limit=limit)
    # The body may come in several pieces (TCP segments, chunks): read to its end (b"").
    body = b""
    while len(body) <= limit:
        piece = await request.content.readany()
        if not piece:
            break
        body += piece
    if len(body) > limit:
        raise BodyTooLarge("body_too_large", limit=limit)
    return body


def _json(text: bytes) -> web.Response:
    return web.Response(body=text, content_type="application/json", charset="utf-8")


async def _accept(request: web.Request, route: str, user_id: int | None) -> web.Response:
    intake = request.app[INTAKE_KEY]
    source_ip = client_ip(request)
    intake.check_ip(source_ip)
    body = await read_body(request)
    token = request.query.get("token") or request.query.get("secret")
    outcome = await intake.accept(Alert(route, user_id, body, source_ip, token))
    if outcome.duplicate_of is None:  # the ack of every new alert: written, not encoded
        return _json(b'{"ok": true, "signal_id": %d, "status": "%s"}'
                     % (outcome.signal_id, outcome.status.value.encode()))
    return web.json_response({"ok": True, "signal_id": outcome.signal_id,
                              "status": outcome.status, "duplicate_of": outcome.duplicate_of,
                              "duplicate_status": outcome.original_status,
                              "message": _repeated(outcome)})


def _repeated(outcome: Journaled) -> str:
    """What a duplicate's answer says: what became of the signal it repeats (English, for
    TradingView), from that signal's outcome when it has one."""
    status, original = outcome.original_status, outcome.duplicate_of
    done = Outcome.from_json(outcome.original_outcome)
    result = result_line("en", done) if done is not None else outcome.original_result
    if status in ("queued", "processing"):
        key = "duplicate.running"
    elif status == "done":
        key = "duplicate.executed" if result else "duplicate.done"
    else:
        key = "duplicate.ended" if result else "duplicate.ended_bare"
    return render_error("en", key, {"original": original, "status": status or "?",
                                    "result": result or ""})


async def personal_webhook(request: web.Request) -> web.Response:
    """Take one trader's alert."""
    raw_id = request.match_info["user_id"]
    if not raw_id.isdigit() or len(raw_id) > 19:
        raise UnknownUser("unknown_user.url", user=repr(raw_id[:24]))
    return await _accept(request, "personal", int(raw_id))


async def channel_webhook(request: web.Request) -> web.Response:
    """Take a signal channel's alert: journaled once, then traded for every subscriber."""
    intake = request.app[CHANNELS_KEY]
    source_ip = client_ip(request)
    intake.check_ip(source_ip)
    body = await read_body(request)
    ack = await intake.accept(ChannelAlert(request.match_info["code"], body, source_ip,
                                           request.query.get("token")))
    answer: dict[str, Any] = {"ok": True, "channel_alert_id": ack.alert_id,
                              "status": ack.status, "subscribers": ack.subscribers}
    if ack.duplicate_of is not None:
        answer["duplicate_of"] = ack.duplicate_of
        answer["message"] = (f"the same alert arrived before as channel alert "
                             f"{ack.duplicate_of}; it was not traded again")
    response = web.json_response(answer, headers=NO_REFERRER)  # sent here, not by the middleware
    if ack.channel_id is None:
        return response
    try:  # the answer first, then the fan-out (even if the provider hung up meanwhile)
        await response.prepare(request)
        await response.write_eof()
    finally:
        intake.expand(ack)
    return response


async def legacy_webhook(request: web.Request) -> web.Response:
    """Take an alert for the legacy single account."""
    return await _accept(request, "legacy", None)


async def healthz(request: web.Request) -> web.Response:
    """Report database, bot and queue state."""
    report = await request.app[HEALTH_KEY]()
    return web.json_response(report, status=200 if report.get("ok") else 503)


def create_app(intake: SignalIntake, health: HealthProbe, *, max_body_bytes: int,
               trust_forwarded_for: bool = False,
               channels: ChannelIntake | None = None) -> web.Application:
    """Build the aiohttp application with the webhook routes (and the channels', if given)."""
    # client_max_size guards every other route; the webhook reads its own bounded body.
    app = web.Application(middlewares=[json_errors],
                          client_max_size=max(max_body_bytes, 1024) * 4)
    app[INTAKE_KEY] = intake
    app[HEALTH_KEY] = health
    app[MAX_BODY_KEY] = max_body_bytes
    app[TRUST_XFF_KEY] = trust_forwarded_for
    app.router.add_post("/webhook", legacy_webhook)
    app.router.add_post("/personal/{user_id}/webhook", personal_webhook)
    if channels is not None:
        app[CHANNELS_KEY] = channels
        app.router.add_post("/channel/{code}/webhook", channel_webhook)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/health", healthz)  # the earlier bot's and most hosts' health check
    return app
