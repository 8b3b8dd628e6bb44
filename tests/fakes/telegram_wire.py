"""Wire side of the fake Telegram Bot API: request params in, ``{"ok": false}`` errors out.

``read_params`` turns a PTB request (form body with JSON-encoded structured fields, JSON body,
or multipart upload, ``attach://`` references resolved) into a params dict; a method handler
raises ``ApiError`` and ``error_response`` answers it the way the Bot API does. The server
lives in ``tests/fakes/telegram.py``.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from tests.fakes.telegram_records import JSON, UploadedFile

# Form fields sent as plain strings by PTB; every other field is JSON-decoded when possible
# (PTB json.dumps everything that is not a str: ints, bools, reply_markup, entities...).
_TEXT_FIELDS = frozenset(
    {"text", "caption", "data", "url", "description", "short_description", "title", "name",
     "query", "callback_query_id", "inline_message_id", "parse_mode", "secret_token",
     "language_code", "action", "first_name", "last_name", "question", "explanation"}
)


class ApiError(Exception):
    """Raised inside a method handler to answer ``{"ok": false}`` with an HTTP status."""

    def __init__(self, status: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.status, self.description, self.parameters = status, description, parameters


async def read_params(request: web.Request) -> JSON:
    params: JSON = {}
    raw: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        params.update(await request.json() or {})
    else:
        raw.update(await request.post())
    for key, value in raw.items():
        if isinstance(value, web.FileField):
            params[key] = UploadedFile(value.filename, value.content_type, value.file.read())
        elif key in _TEXT_FIELDS or not isinstance(value, str):
            params[key] = value
        else:
            try:
                params[key] = json.loads(value)
            except ValueError:
                params[key] = value
    for key, value in list(params.items()):  # resolve attach://<name> to the uploaded part
        if isinstance(value, str) and value.startswith("attach://"):
            params[key] = params.pop(value.removeprefix("attach://"), value)
    return params


def error_response(error: ApiError) -> web.Response:
    body: JSON = {"ok": False, "error_code": error.status, "description": error.description}
    if error.parameters:
        body["parameters"] = error.parameters
    return web.json_response(body, status=error.status)
