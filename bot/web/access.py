"""Who may open a dashboard: the key of a link /dashboard sent (bot/web/links.py), nothing else.

`?key=` opens the page and `/ws` of the user in the path while the link lasts. Anything else is
a 401 before anything of the user is read out: no key, a wrong, tampered, truncated, revoked or
another user's key (`link_invalid`), an expired one (`link_expired`), and the webhook token the
dashboard took before (`link_old`: that token can trade, and a read-only page no longer takes
it). The page's refusal is a small page in the visitor's language (`?lang=`, else the
browser's), `/ws`'s the JSON every route answers with; both say to send /dashboard to the bot.
Every response of the server carries `Referrer-Policy: no-referrer`, so the key in a page's
address is never sent on to another site.
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass

from aiohttp import web

from bot.db import DatabaseUnavailable
from bot.errors import ServiceUnavailable, Unauthorized, UnknownUser
from bot.models import User, UserSettings
from bot.web.facade import DashboardFacade
from bot.web.links import QUERY, DashboardLinks
from bot.web.text import direction, strings, visitor_language
from bot.webhook_server import NO_REFERRER

log = logging.getLogger(__name__)

DENIED_HEADERS = {
    **NO_REFERRER,
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": ("default-src 'none'; style-src 'unsafe-inline'; "
                                "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"),
}
DENIED_PAGE = """<!doctype html>
<html lang="{lang}" dir="{dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<title>{title}</title>
<style>body{{font:16px/1.5 system-ui,sans-serif;margin:0;padding:2rem 1rem;color:#1b1f24;
background:#f5f6f8}}main{{max-width:34rem;margin:auto;background:#fff;padding:1.5rem;
border-radius:12px}}h1{{font-size:1.2rem;margin-top:0}}</style>
</head>
<body data-error="{code}">
<main><h1>{title}</h1><p id="message">{message}</p></main>
</body>
</html>
"""


class LinkRefused(Unauthorized):
    """401: this request's link does not open the dashboard (`code` says why)."""

    def __init__(self, reason: str, language: str) -> None:
        super().__init__(strings(language)[f"link_{reason}"], code=f"link_{reason}")
        self.language = language


@dataclass(frozen=True)
class Visit:
    """A request the link let in: whose dashboard, and until when."""

    user: User
    settings: UserSettings
    epoch: int  # the user's dashboard epoch the key was made in
    expires_at: float


async def admit(request: web.Request, facade: DashboardFacade,
                links: DashboardLinks) -> Visit:
    """The visit this request's key allows; `UnknownUser` (404) or `LinkRefused` (401)."""
    raw_id = request.match_info["user_id"]
    if not (raw_id.isascii() and raw_id.isdigit()) or len(raw_id) > 19:
        raise UnknownUser("unknown_user.dashboard", user=repr(raw_id[:24]))
    try:
        account = await facade.account(int(raw_id))
    except DatabaseUnavailable as exc:
        raise ServiceUnavailable("unavailable.database") from exc
    if account is None or account[0].is_legacy:
        raise UnknownUser("unknown_user.dashboard", user=raw_id)
    user, settings = account
    key = request.query.get(QUERY)
    if not key:
        reason = "old" if "token" in request.query else "missing"
    else:
        check = links.check(user.id, user.dashboard_epoch, key)
        if check.valid:
            return Visit(user, settings, user.dashboard_epoch, check.expires_at)
        reason = check.state.value
    log.warning("dashboard refused: link %s user=%s ip=%s", reason, raw_id, request.remote)
    raise LinkRefused(reason, visitor_language(request.query.get("lang"),
                                               request.headers.get("Accept-Language")))


def refusal_page(refused: LinkRefused) -> web.Response:
    """The page's 401: what happened and what to do, as a page a person reads."""
    words = strings(refused.language)
    body = DENIED_PAGE.format(lang=refused.language, dir=direction(refused.language),
                              title=html.escape(words["denied_title"]),
                              message=html.escape(refused.message),
                              code=html.escape(refused.code))
    return web.Response(text=body, status=401, content_type="text/html", charset="utf-8",
                        headers=DENIED_HEADERS)


