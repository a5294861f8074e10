"""Session tokens: signature checked once per token, expiry on every use."""

from __future__ import annotations

import time

from backend.domain.accounts import identity
from backend.domain.accounts.identity import decode_session, encode_session


def test_a_valid_token_gives_its_claims_and_the_same_ones_from_the_cache():
    token = encode_session(42, actor={"sub": "7", "imp": 3})
    first, second = decode_session(token), decode_session(token)
    assert first == second and first.user_id == 42 and first.actor == {"sub": "7", "imp": 3}


def test_a_tampered_or_foreign_token_is_refused():
    token = encode_session(42)
    header, payload, signature = token.split(".")
    # Change a character in the middle: the last one of a base64url HMAC carries padding bits, so
    # rewriting the tail could leave the decoded signature unchanged (the test once flaked so).
    middle = len(signature) // 2
    flipped = "A" if signature[middle] != "A" else "B"
    tampered = f"{signature[:middle]}{flipped}{signature[middle + 1:]}"
    assert decode_session(f"{header}.{payload}.{tampered}") is None
    assert decode_session("not-a-token") is None
    assert identity._signed_claims(token, "another secret key of some length") is None


def test_an_expired_token_is_refused_even_after_it_was_accepted(monkeypatch):
    token = encode_session(42, lifetime=60)
    assert decode_session(token) is not None
    later = time.time() + 61
    monkeypatch.setattr(identity.time, "time", lambda: later)
    assert decode_session(token) is None


def test_the_session_cookie_is_found_among_others():
    from backend.domain.accounts.middleware import session_cookie

    def scope(*cookies: bytes) -> dict:
        return {"headers": [(b"host", b"x"), *((b"cookie", c) for c in cookies)]}

    assert session_cookie(scope(b"lang=fr; chorale_session=abc.def.ghi; other=1")) == "abc.def.ghi"
    assert session_cookie(scope(b"lang=fr", b'chorale_session="abc.def"')) == "abc.def"
    assert session_cookie(scope(b"xchorale_session=abc; chorale_session_old=zzz")) is None
    assert session_cookie(scope(b"chorale_session=")) is None
    assert session_cookie(scope(b"chorale_session=old; chorale_session=new")) == "new"
    assert session_cookie(scope()) is None
