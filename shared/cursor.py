"""The one cursor codec of every paginated list: `next` in a page, `?cursor=` in the following request.

A cursor carries the keyset values of the last row shown, signed with the app's secret: those values
go into the list's SQL as typed parameters, so a forged one (a number beyond bigint, a list, a date that
is not one) must be refused here, never fail in PostgreSQL. A refused cursor reads as none: the list
starts again at its first page.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

_SIGNATURE_BYTES = 12


def _signature(payload: bytes) -> bytes:
    from backend.settings import get_settings

    key = hashlib.sha256(b"chorale-list-cursor:" + get_settings().secret_key.encode()).digest()
    return hmac.new(key, payload, hashlib.sha256).digest()[:_SIGNATURE_BYTES]


def encode_cursor(values: list) -> str:
    payload = json.dumps(values, default=str, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(_signature(payload) + payload).decode()


def decode_cursor(token: str | None) -> list | None:
    """The values of a cursor this app made, else None."""
    if not token or len(token) > 1000:
        return None
    try:
        raw = base64.urlsafe_b64decode(token.encode() + b"=" * (-len(token) % 4))
    except ValueError:
        return None
    signature, payload = raw[:_SIGNATURE_BYTES], raw[_SIGNATURE_BYTES:]
    if not hmac.compare_digest(signature, _signature(payload)):
        return None
    try:
        values = json.loads(payload)
    except ValueError:
        return None
    return values if isinstance(values, list) else None
