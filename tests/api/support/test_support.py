from __future__ import annotations

import time

import httpx
import pytest
from jose import jwt

from backend.domain.accounts.identity import ALGORITHM, encode_session
from backend.infra.database import connection
from backend.settings import get_settings
from tests.support.factories import login, make_user, supplier_with_structure


@pytest.fixture
async def fresh(app):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver.local", headers={"Origin": "http://testserver.local"}) as c:
        yield c


async def _support(client):
    agent = await make_user(is_support=True)
    await login(client, agent["email"], agent["password"])
    return agent


async def _journal(target_id: int) -> list[str]:
    async with connection() as conn:
        return [r["event"] for r in await conn.fetch("SELECT event FROM support_journal WHERE target_user_id = $1 ORDER BY id", target_id)]


async def test_a_normal_user_gets_403_on_support_routes(fresh):
    user = await make_user()
    await login(fresh, user["email"], user["password"])
    for method, path in (("GET", "/api/support/users?q=ab"), ("GET", f"/api/support/users/{user['id']}"),
                         ("POST", f"/api/support/users/{user['id']}/unlock"), ("GET", "/api/support/journal")):
        assert (await fresh.request(method, path)).status_code == 403, path
    response = await fresh.post("/api/support/impersonations", json={"user_id": user["id"], "reason": "TICKET-1"})
    assert response.status_code == 403


async def test_support_finds_a_user_by_siret_and_sees_their_state(fresh):
    agent = await _support(fresh)
    user, structure = await supplier_with_structure()
    found = (await fresh.get("/api/support/users", params={"q": structure["identifier"]})).json()
    assert [u["id"] for u in found] == [user["id"]]
    detail = (await fresh.get(f"/api/support/users/{user['id']}")).json()
    assert detail["attachments"][0]["identifier"] == structure["identifier"] and "factures_emises modification" in detail["attachments"][0]["profiles"]


async def test_impersonation_needs_a_reason_and_never_targets_support(fresh):
    agent = await _support(fresh)
    user = await make_user()
    other_agent = await make_user(is_support=True)
    no_reason = await fresh.post("/api/support/impersonations", json={"user_id": user["id"], "reason": "  "})
    assert no_reason.status_code == 400 and no_reason.json()["code"] == "motif_obligatoire"
    protected = await fresh.post("/api/support/impersonations", json={"user_id": other_agent["id"], "reason": "TICKET-2"})
    assert protected.status_code == 403 and protected.json()["code"] == "cible_protegee"
    assert await _journal(user["id"]) == []


async def test_acting_as_a_user_runs_with_their_rights_blocks_credentials_and_is_journaled(fresh):
    agent = await _support(fresh)
    user = await make_user()
    started = await fresh.post("/api/support/impersonations", json={"user_id": user["id"], "reason": "TICKET-42"})
    assert started.status_code == 201
    me = (await fresh.get("/api/auth/me")).json()
    assert me["email"] == user["email"] and me["impersonator_email"] == agent["email"]
    assert (await fresh.get("/api/support/journal")).status_code == 403, "no support powers while acting as a user"
    refused = await fresh.post("/api/accounts/me/password", json={"current": user["password"], "password": "Another-Pass-2026!",
                                                                   "confirmation": "Another-Pass-2026!"})
    assert refused.status_code == 403 and refused.json()["code"] == "bloque_pendant_intervention"
    email = await fresh.patch("/api/accounts/me", json={"contact_email": "pirate@example.fr"})
    assert email.status_code == 403
    enabled = await fresh.post("/api/support/impersonations/current/enable-actions", json={"confirm": True})
    assert enabled.status_code == 200
    still = await fresh.post("/api/accounts/me/password", json={"current": user["password"], "password": "Another-Pass-2026!",
                                                                 "confirmation": "Another-Pass-2026!"})
    assert still.status_code == 403, "credentials stay blocked even with actions enabled"
    ended = await fresh.delete("/api/support/impersonations/current")
    assert ended.status_code == 200
    assert (await fresh.get("/api/auth/me")).json()["email"] == agent["email"]
    events = await _journal(user["id"])
    assert events[0] == "debut" and "fin" in events and "actions_activees" in events
    requests = [e for e in events if e == "requete"]
    assert len(requests) >= 4
    journal = (await fresh.get("/api/support/journal", params={"user_id": user["id"]})).json()
    refusal = next(j for j in journal if j["path"] == "/api/accounts/me/password")
    assert refusal["status_code"] == 403 and refusal["support_email"] == agent["email"] and refusal["method"] == "POST"


async def test_the_user_sees_when_and_why_support_acted_as_them(fresh, anonymous):
    agent = await _support(fresh)
    user = await make_user()
    await fresh.post("/api/support/impersonations", json={"user_id": user["id"], "reason": "TICKET-77 dépôt bloqué"})
    await fresh.delete("/api/support/impersonations/current")
    await login(anonymous, user["email"], user["password"])
    mine = (await anonymous.get("/api/support/my-interventions")).json()
    assert mine[0]["reason"] == "TICKET-77 dépôt bloqué" and mine[0]["ended_at"] is not None


async def test_an_expired_impersonation_falls_back_to_the_support_agent(fresh):
    agent = await _support(fresh)
    user = await make_user()
    await fresh.post("/api/support/impersonations", json={"user_id": user["id"], "reason": "TICKET-9"})
    async with connection() as conn:
        impersonation_id = await conn.fetchval("SELECT id FROM impersonation WHERE target_user_id = $1", user["id"])
    expired = encode_session(user["id"], actor={"sub": str(agent["id"]), "imp": impersonation_id, "exp": int(time.time()) - 5})
    fresh.cookies.set("chorale_session", expired)
    assert (await fresh.get("/api/auth/me")).json()["email"] == agent["email"]


async def test_a_forged_actor_claim_is_rejected(fresh):
    user = await make_user()
    forged = jwt.encode({"sub": str(user["id"]), "exp": int(time.time()) + 600, "act": {"sub": "1", "imp": 1, "exp": int(time.time()) + 600}},
                        "not-the-key", algorithm=ALGORITHM)
    fresh.cookies.set("chorale_session", forged)
    assert (await fresh.get("/api/auth/me")).status_code == 401
    assert get_settings().secret_key != "not-the-key"


async def test_the_journal_cannot_be_altered(fresh):
    import asyncpg

    agent = await _support(fresh)
    user = await make_user()
    await fresh.post("/api/support/impersonations", json={"user_id": user["id"], "reason": "TICKET-1"})
    async with connection() as conn:
        with pytest.raises(asyncpg.RaiseError):
            await conn.execute("UPDATE support_journal SET detail = 'x' WHERE target_user_id = $1", user["id"])
        with pytest.raises(asyncpg.RaiseError):
            await conn.execute("DELETE FROM support_journal WHERE target_user_id = $1", user["id"])


async def test_support_unlocks_an_account(fresh, anonymous):
    user = await make_user()
    for _ in range(5):
        await anonymous.post("/api/auth/session", json={"email": user["email"], "password": "wrong-Password-1!"})
    assert (await anonymous.post("/api/auth/session", json={"email": user["email"], "password": user["password"]})).status_code == 423
    await _support(fresh)
    assert (await fresh.post(f"/api/support/users/{user['id']}/unlock")).status_code == 200
    assert (await anonymous.post("/api/auth/session", json={"email": user["email"], "password": user["password"]})).status_code == 200
