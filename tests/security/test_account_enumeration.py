"""Issue 20, item 3f: the login must not tell whether an address has an account.

Before: an unknown address answered in ≈20 ms (no password hashed) against ≈137 ms for a known one, and a
pending account answered `compte_non_active` to anyone who typed its address with any password. Now every
path hashes once (an unknown address and a pending account against a stand-in hash) and the three answers
are the same.
"""

from __future__ import annotations

import pytest

from backend.domain.accounts import passwords
from tests.support.factories import make_user

WRONG = "Not-the-password-2026!"


@pytest.fixture
def hashings(monkeypatch):
    """Counts the Argon2 verifications a login performs (the real hasher still runs)."""
    calls: list[str] = []
    real = passwords._hasher

    class Counting:
        def verify(self, stored_hash, secret):
            calls.append(stored_hash)
            return real.verify(stored_hash, secret)

        def __getattr__(self, name):
            return getattr(real, name)

    monkeypatch.setattr(passwords, "_hasher", Counting())
    return calls


async def _attempt(anonymous, email: str) -> tuple[int, dict]:
    response = await anonymous.post("/api/auth/session", json={"email": email, "password": WRONG})
    return response.status_code, {key: response.json().get(key) for key in ("code", "message", "field")}


async def test_unknown_pending_and_known_addresses_get_the_same_answer_after_the_same_work(anonymous, hashings):
    known, pending = await make_user(), await make_user(active=False)
    answers = []
    for email in ("nobody-" + known["email"], pending["email"], known["email"]):
        hashings.clear()
        answers.append(await _attempt(anonymous, email))
        assert len(hashings) == 1, f"{email}: the password must be hashed exactly once, whatever the address"
    assert answers[0] == answers[1] == answers[2]
    assert answers[0][0] == 401 and answers[0][1]["code"] == "identifiants_invalides"


async def test_the_stand_in_hash_matches_no_password():
    assert not passwords.verify_secret(passwords.UNKNOWN_ADDRESS_HASH, "")
    assert not passwords.verify_secret(passwords.UNKNOWN_ADDRESS_HASH, "no account has this password: ")
