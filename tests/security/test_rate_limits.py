"""Issue 20, item 3e: rate limits, counted in Redis (shared by every app instance).

Without them: 60 logins in 1.4 s, 30 reset requests to one address sent 31 mails, scripted sign-ups, and
`POST /api/system/live-check` anonymous queued 50 worker jobs. Each test below fails on that code (no 429).
"""

from __future__ import annotations

import uuid

import httpx
import pytest

from backend.domain.accounts import rules
from backend.infra.database import connection
from backend.settings import get_settings
from tests.conftest import BASE_URL, BROWSER_HEADERS
from tests.support.factories import make_user


@pytest.fixture
async def limited(app, monkeypatch):
    """A client from its own address, with the limits on (the rest of the suite turns them off)."""
    monkeypatch.setenv("CHORALE_RATE_LIMITS", "1")
    get_settings.cache_clear()
    address = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL, headers=BROWSER_HEADERS) as client:
        yield client
    monkeypatch.undo()
    get_settings.cache_clear()


def _refused(response: httpx.Response) -> None:
    assert response.status_code == 429, response.text
    assert int(response.headers["retry-after"]) > 0
    assert response.json()["code"] == "trop_de_requetes" and "réessayez" in response.json()["message"]


async def test_logins_to_one_address_are_limited(limited):
    user = await make_user()
    hits, window = rules.LOGINS_PER_ADDRESS
    for _ in range(hits):
        assert (await limited.post("/api/auth/session", json={"email": user["email"], "password": "Mauvais-2026!"})).status_code in (401, 423)
    _refused(await limited.post("/api/auth/session", json={"email": user["email"], "password": user["password"]}))


async def test_logins_from_one_ip_are_limited_across_addresses(limited):
    hits, _ = rules.LOGINS_PER_IP
    for n in range(hits):
        response = await limited.post("/api/auth/session", json={"email": f"spray{n}-{uuid.uuid4().hex[:6]}@example.fr", "password": "x"})
        assert response.status_code == 401
    _refused(await limited.post("/api/auth/session", json={"email": "autre@example.fr", "password": "x"}))


async def test_reset_requests_to_one_address_are_limited(limited):
    user = await make_user()
    hits, _ = rules.RESETS_PER_ADDRESS
    for _ in range(hits):
        assert (await limited.post("/api/accounts/password-reset", json={"email": user["email"]})).status_code == 202
    _refused(await limited.post("/api/accounts/password-reset", json={"email": user["email"]}))
    async with connection() as conn:
        assert await conn.fetchval("SELECT count(*) FROM mail_outbox WHERE to_address = $1", user["email"]) == hits


async def test_signups_from_one_ip_are_limited(limited):
    hits, _ = rules.SIGNUPS_PER_IP
    body = {"email": "x", "email_confirmation": "x", "first_name": "Robot", "last_name": "Robot"}
    for _ in range(hits):
        assert (await limited.post("/api/accounts/signup", json=body)).status_code == 400
    _refused(await limited.post("/api/accounts/signup", json=body))


async def test_anonymous_live_checks_are_limited(limited):
    statuses = [(await limited.post("/api/system/live-check", params={"topic": "session:abc"})).status_code for _ in range(12)]
    assert statuses.count(202) == 10 and statuses[-1] == 429


async def test_anonymous_file_validations_are_limited(limited):
    from backend.domain.lots.controllers import VALIDATIONS_PER_IP

    statuses = [(await limited.post("/api/validation", content=b"<a/>")).status_code for _ in range(VALIDATIONS_PER_IP.hits + 1)]
    assert statuses.count(200) == VALIDATIONS_PER_IP.hits and statuses[-1] == 429
