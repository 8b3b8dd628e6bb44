"""Secret masking in log lines: every registered secret, however many are registered."""

from __future__ import annotations

import secrets

import pytest

from bot.logging_setup import SCAN_ALL_UP_TO, RedactSecrets


@pytest.mark.parametrize("registered", [3, SCAN_ALL_UP_TO + 1, 5_000])
def test_every_registered_secret_is_masked_however_many_there_are(registered: int) -> None:
    redactor = RedactSecrets()
    known = [secrets.token_urlsafe(24) for _ in range(registered)]
    for secret in known:
        redactor.add(secret)
    first, middle, last = known[0], known[registered // 2], known[-1]

    line = f"{first} keys for user=7: key={middle}, secret={last}{last}; done"

    assert redactor.redact(line) == "*** keys for user=7: key=***, secret=******; done"


@pytest.mark.parametrize("registered", [3, 5_000])
def test_a_secret_inside_a_longer_one_never_leaves_the_longer_ones_rest(
        registered: int) -> None:
    redactor = RedactSecrets()
    for _ in range(registered - 2):
        redactor.add(secrets.token_urlsafe(24))
    redactor.add("inner-secret")
    redactor.add("outer-inner-secret-tail")

    assert redactor.redact("x outer-inner-secret-tail y inner-secret z") == "x *** y *** z"


def test_lines_without_secrets_pass_unchanged_and_short_strings_are_never_registered() -> None:
    redactor = RedactSecrets()
    for _ in range(SCAN_ALL_UP_TO * 2):
        redactor.add(secrets.token_urlsafe(24))
    redactor.add("buy")  # too short to be a secret: would mask ordinary words
    line = "signal=42 user=7 received and queued symbol=BTCUSDT action=buy price=50000"

    assert redactor.redact(line) == line


def test_shaped_tokens_are_masked_even_inside_a_url() -> None:
    redactor = RedactSecrets()
    line = ("POST https://api.telegram.org/bot123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabc/getMe "
            "and /personal/7/webhook?Token=abcdef&x=1 at 2026-11-28 03:27:23,123")
    assert redactor.redact(line) == ("POST https://api.telegram.org/bot***/getMe and "
                                     "/personal/7/webhook?Token=***&x=1 at "
                                     "2026-11-28 03:27:23,123")


def test_a_dashboard_links_key_is_masked_by_its_shape() -> None:
    redactor = RedactSecrets()
    key = "1800000000.QWERTYuiop_-asdfghjklzxcvbnm1234567890ABCDE"
    line = (f"GET /personal/7/dashboard?key={key}&lang=ar and /ws?KEY={key}, "
            f"'url': 'https://x/personal/7/dashboard?key={key}'")
    masked = redactor.redact(line)
    assert key not in masked and key[11:] not in masked
    assert masked == ("GET /personal/7/dashboard?key=***&lang=ar and /ws?KEY=***, "
                      "'url': 'https://x/personal/7/dashboard?key=***'")
