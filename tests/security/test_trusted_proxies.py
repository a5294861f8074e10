"""Issue 20, item 5: `X-Forwarded-For` is the client's own writing unless a trusted proxy
(CHORALE_TRUSTED_PROXIES, default none) put it there. Believed from anyone, it dodged the rate limits
and wrote any address into the support journal."""

from __future__ import annotations

import uuid

import httpx
import pytest

from backend.domain.accounts import rules
from backend.infra.database import connection
from backend.infra.security import client_ip
from backend.settings import get_settings
from tests.conftest import BASE_URL, BROWSER_HEADERS
from tests.support.factories import login, make_user

PROXY = "192.0.2.10"


def _scope(peer: str, forwarded: str | None = None) -> dict:
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded is not None else []
    return {"type": "http", "client": (peer, 1234), "headers": headers}


@pytest.fixture
def trusting(monkeypatch):
    """The settings with `value` as CHORALE_TRUSTED_PROXIES (None: unset)."""
    def configure(value: str | None) -> None:
        if value is None:
            monkeypatch.delenv("CHORALE_TRUSTED_PROXIES", raising=False)
        else:
            monkeypatch.setenv("CHORALE_TRUSTED_PROXIES", value)
        get_settings.cache_clear()
    yield configure
    monkeypatch.undo()
    get_settings.cache_clear()


def test_by_default_the_header_is_ignored(trusting):
    trusting(None)
    assert client_ip(_scope("203.0.113.5", "1.2.3.4")) == "203.0.113.5"


def test_a_trusted_proxy_gives_the_client_it_received_from(trusting):
    trusting(f"{PROXY}, 10.0.0.0/8")
    # The client wrote « 1.2.3.4 » itself; our proxies appended what they saw (198.51.100.7, then 10.1.2.3).
    assert client_ip(_scope(PROXY, "1.2.3.4, 198.51.100.7, 10.1.2.3")) == "198.51.100.7"
    assert client_ip(_scope(PROXY)) == PROXY
    assert client_ip(_scope(PROXY, "not-an-address")) == PROXY
    assert client_ip(_scope("203.0.113.5", "1.2.3.4")) == "203.0.113.5", "an untrusted peer's header is not read"


@pytest.fixture
async def limited(app, trusting, monkeypatch):
    """A client from one untrusted address, with the limits on (the rest of the suite turns them off)."""
    trusting(None)
    monkeypatch.setenv("CHORALE_RATE_LIMITS", "1")
    get_settings.cache_clear()
    address = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL, headers=BROWSER_HEADERS) as client:
        yield client, address


async def test_a_forged_header_does_not_dodge_the_login_limit_per_ip(limited):
    client, _ = limited
    hits, _ = rules.LOGINS_PER_IP
    for n in range(hits):
        response = await client.post("/api/auth/session", json={"email": f"spray{n}-{uuid.uuid4().hex[:6]}@example.fr", "password": "x"},
                                     headers={"X-Forwarded-For": f"198.51.100.{n}"})
        assert response.status_code == 401
    refused = await client.post("/api/auth/session", json={"email": "autre@example.fr", "password": "x"},
                                headers={"X-Forwarded-For": "198.51.100.250"})
    assert refused.status_code == 429


async def test_the_support_journal_records_the_peer_not_a_forged_header(app, trusting):
    trusting(None)
    agent, user = await make_user(is_support=True), await make_user()
    transport = httpx.ASGITransport(app=app, client=("203.0.113.77", 40000))
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL, headers=BROWSER_HEADERS) as client:
        await login(client, agent["email"], agent["password"])
        started = await client.post("/api/support/impersonations", json={"user_id": user["id"], "reason": "TICKET-IP"},
                                    headers={"X-Forwarded-For": "6.6.6.6"})
        assert started.status_code in (200, 201), started.text
        await client.get("/api/auth/me", headers={"X-Forwarded-For": "6.6.6.6"})
    async with connection() as conn:
        addresses = {r["client_ip"] for r in await conn.fetch("SELECT client_ip FROM support_journal WHERE target_user_id = $1", user["id"])}
    assert addresses == {"203.0.113.77"}
