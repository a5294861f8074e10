from __future__ import annotations

import httpx
import pytest

from backend.domain.structures.permissions import require, structures_for
from backend.infra.errors import Forbidden, NotFound
from shared.applications import Application, Level
from tests.support.event_loop import loop_gaps
from tests.support.factories import attach, login, make_structure, make_user


@pytest.fixture
async def fresh(app):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver.local", headers={"Origin": "http://testserver.local"}) as c:
        yield c


async def test_a_user_logs_in_with_json_and_the_cookie_identifies_them(fresh):
    user = await make_user()
    await login(fresh, user["email"], user["password"])
    me = await fresh.get("/api/auth/me")
    assert me.status_code == 200 and me.json()["email"] == user["email"]
    cookie = fresh.cookies.jar
    assert any(c.name == "chorale_session" and c.has_nonstandard_attr("HttpOnly") for c in cookie)


async def test_without_a_session_the_api_answers_401_in_french(fresh):
    response = await fresh.get("/api/auth/me")
    assert response.status_code == 401
    assert response.json() == {"code": "non_connecte", "message": "Veuillez vous connecter.", "message_en": "Please log in."}


async def test_a_wrong_password_is_refused_and_five_failures_lock_the_account(fresh):
    user = await make_user()
    for _ in range(4):
        response = await fresh.post("/api/auth/session", json={"email": user["email"], "password": "wrong-password-1A!"})
        assert response.status_code == 401 and response.json()["code"] == "identifiants_invalides"
    response = await fresh.post("/api/auth/session", json={"email": user["email"], "password": "wrong-password-1A!"})
    assert response.status_code == 423 and response.json()["code"] == "compte_verrouille"
    response = await fresh.post("/api/auth/session", json={"email": user["email"], "password": user["password"]})
    assert response.status_code == 423, "even the right password waits for the lock to end"


async def test_an_account_not_yet_activated_cannot_log_in(fresh):
    # It has no password yet; the answer is the unknown address's, so that it reveals nothing (issue 20, 3f).
    user = await make_user(active=False)
    response = await fresh.post("/api/auth/session", json={"email": user["email"], "password": "whatever-Long-1!"})
    assert response.status_code == 401 and response.json()["code"] == "identifiants_invalides"


async def test_the_login_form_redirects_with_the_cookie_or_back_with_the_error(fresh):
    user = await make_user()
    bad = await fresh.post("/api/auth/login", data={"email": user["email"], "password": "nope", "next": "/factures-emises"})
    assert bad.status_code == 303 and bad.headers["location"].startswith("/connexion?erreur=identifiants_invalides")
    good = await fresh.post("/api/auth/login", data={"email": user["email"], "password": user["password"], "next": "//evil.example"})
    assert good.status_code == 303 and good.headers["location"] == "/"
    assert (await fresh.get("/api/auth/me")).status_code == 200
    out = await fresh.post("/api/auth/logout")
    assert out.status_code == 303
    assert (await fresh.get("/api/auth/me")).status_code == 401


async def test_a_tampered_token_is_ignored(fresh):
    user = await make_user()
    await login(fresh, user["email"], user["password"])
    token = fresh.cookies["chorale_session"]
    fresh.cookies.clear()
    fresh.cookies.set("chorale_session", token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb"))
    assert (await fresh.get("/api/auth/me")).status_code == 401


async def test_permissions_hide_foreign_structures_and_refuse_a_read_only_profile(client):
    from backend.domain.accounts.identity import Principal

    user = await make_user()
    mine = await make_structure()
    other = await make_structure()
    await attach(user["id"], mine["id"], profiles={Application.FACTURES_EMISES: Level.CONSULTATION})
    principal = Principal(user_id=user["id"], email=user["email"], display_name="x")
    ref = await require(principal, structure_id=mine["id"], application=Application.FACTURES_EMISES, level=Level.CONSULTATION)
    assert ref.id == mine["id"] and ref.service_ids is None
    with pytest.raises(Forbidden):
        await require(principal, structure_id=mine["id"], application=Application.FACTURES_EMISES, level=Level.MODIFICATION)
    with pytest.raises(NotFound):
        await require(principal, structure_id=other["id"], application=Application.FACTURES_EMISES, level=Level.CONSULTATION)
    with pytest.raises(Forbidden):
        await require(principal, structure_id=mine["id"], application=Application.FACTURES_RECUES, level=Level.CONSULTATION)
    assert [s.id for s in await structures_for(principal, Application.FACTURES_EMISES)] == [mine["id"]]
    assert await structures_for(principal, Application.FACTURES_EMISES, Level.MODIFICATION) == []


async def test_a_service_level_attachment_sees_only_its_services(client):
    from backend.domain.accounts.identity import Principal

    user = await make_user()
    structure = await make_structure(public=True, services=(("A", "Service A"), ("B", "Service B")))
    service_a, service_b = structure["services"]
    await attach(user["id"], structure["id"], service_id=service_a["id"], profiles={Application.FACTURES_RECUES: Level.MODIFICATION})
    principal = Principal(user_id=user["id"], email=user["email"], display_name="x")
    ref = await require(principal, structure_id=structure["id"], application=Application.FACTURES_RECUES,
                        level=Level.MODIFICATION, service_id=service_a["id"])
    assert ref.service_ids == (service_a["id"],)
    with pytest.raises(NotFound):
        await require(principal, structure_id=structure["id"], application=Application.FACTURES_RECUES,
                      level=Level.MODIFICATION, service_id=service_b["id"])


async def test_a_login_hashes_off_the_event_loop(fresh):
    """Argon2 is slow on purpose; on the event loop every login would stall the instance's other requests
    for as long as it hashes. A ticker beside the login never waits that long between two ticks."""
    import time

    from backend.domain.accounts import passwords

    user = await make_user()
    started = time.perf_counter()
    passwords.verify_secret(passwords.UNKNOWN_ADDRESS_HASH, "a guess")
    one_hash = time.perf_counter() - started
    async with loop_gaps() as gaps:
        answer = await fresh.post("/api/auth/session", json={"email": user["email"], "password": "Correct-Horse-42!"})
    assert answer.status_code == 200
    assert gaps and max(gaps) < one_hash * 0.8, (max(gaps), one_hash)
