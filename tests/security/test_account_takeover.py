"""Issue 20, item 3: account takeover paths.

Without the fixes: a second activation link (support's resend) still worked after the account was
activated and replaced its password and secret answer; a reset link allowed unlimited guesses of the
secret answer, and a locked account could still be reset (its lock-out ignored); `GET /api/dev/mailbox`
listed every activation and reset link to anyone whenever SMTP was unset; a session cookie kept working
after logout, a password change or a reset. Each test below fails on that code.
"""

from __future__ import annotations

import httpx
import pytest

from backend.domain.accounts import tokens
from backend.domain.accounts.identity import COOKIE
from backend.domain.accounts.passwords import hash_secret
from backend.domain.accounts.rules import ACTIVATION_LINK_LIFETIME, normalise_secret_answer
from backend.infra.database import connection, transaction
from backend.settings import Settings, get_settings
from tests.conftest import BASE_URL, BROWSER_HEADERS
from tests.support.accounts import last_mail, link_in
from tests.support.factories import login, make_user

OWNER_PASSWORD = "Bonjour-Chorale-2026"
ATTACKER_PASSWORD = "Pirate-Chorale-2026!"


def _activation(token: str, password: str, answer: str) -> dict:
    return {"token": token, "password": password, "confirmation": password,
            "secret_question": "Nom de votre premier animal ?", "secret_answer": answer}


async def _activation_token(email: str) -> str:
    return link_in((await last_mail(email))["body_text"], "/activation/").rsplit("/", 1)[1]


async def _password_hash(user_id: int) -> str:
    async with connection() as conn:
        return await conn.fetchval("SELECT password_hash FROM user_account WHERE id = $1", user_id)


async def test_a_second_activation_link_dies_when_the_account_is_activated(client, anonymous):
    agent, user = await make_user(is_support=True), await make_user(active=False)
    await login(anonymous, agent["email"], agent["password"])
    assert (await anonymous.post(f"/api/support/users/{user['id']}/resend-activation")).status_code == 202
    first = await _activation_token(user["email"])
    assert (await anonymous.post(f"/api/support/users/{user['id']}/resend-activation")).status_code == 202
    second = await _activation_token(user["email"])
    assert first != second
    assert (await client.post("/api/accounts/activate", json=_activation(first, OWNER_PASSWORD, "Rex"))).status_code == 200
    owner_hash = await _password_hash(user["id"])

    # Whoever holds the other mail (a forwarded inbox, an old copy) tries to take the account over.
    attack = await client.post("/api/accounts/activate", json=_activation(second, ATTACKER_PASSWORD, "Pirate"))
    assert attack.status_code == 400 and attack.json()["code"] == "lien_deja_utilise", attack.text
    assert await _password_hash(user["id"]) == owner_hash
    refused = await client.post("/api/auth/session", json={"email": user["email"], "password": ATTACKER_PASSWORD})
    assert refused.status_code == 401


async def test_an_activation_token_never_applies_to_an_active_account(client):
    user = await make_user()
    async with transaction():
        token = await tokens.issue(user["id"], "activation", ACTIVATION_LINK_LIFETIME)
    attack = await client.post("/api/accounts/activate", json=_activation(token, ATTACKER_PASSWORD, "Pirate"))
    assert attack.status_code == 400 and attack.json()["code"] == "lien_deja_utilise", attack.text
    assert (await client.post("/api/auth/session", json={"email": user["email"], "password": user["password"]})).status_code == 200


async def _with_secret_answer(answer: str = "Rex le Chien") -> dict:
    user = await make_user()
    async with connection() as conn:
        await conn.execute("UPDATE user_account SET secret_question = 'Nom de votre premier animal ?', secret_answer_hash = $2 "
                           "WHERE id = $1", user["id"], hash_secret(normalise_secret_answer(answer)))
    return {**user, "answer": answer}


async def _reset_token(client, email: str) -> str:
    assert (await client.post("/api/accounts/password-reset", json={"email": email})).status_code == 202
    return link_in((await last_mail(email))["body_text"], "/reinitialisation/").rsplit("/", 1)[1]


def _reset(token: str, answer: str) -> dict:
    return {"token": token, "secret_answer": answer, "password": ATTACKER_PASSWORD, "confirmation": ATTACKER_PASSWORD}


async def test_a_reset_link_does_not_allow_unlimited_guesses_of_the_secret_answer(client):
    user = await _with_secret_answer()
    token = await _reset_token(client, user["email"])
    codes = []
    for guess in ("Médor", "Félix", "Rantanplan", "Idéfix", "Milou"):
        response = await client.post("/api/accounts/password-reset/confirm", json=_reset(token, guess))
        assert response.status_code in (400, 423), response.text
        codes.append(response.json()["code"])
    assert codes[:4] == ["reponse_incorrecte"] * 4 and codes[4] == "reponse_incorrecte_lien_annule"
    # The right answer, found at the sixth guess, no longer opens anything: the link is dead...
    late = await client.post("/api/accounts/password-reset/confirm", json=_reset(token, user["answer"]))
    assert late.status_code == 400 and late.json()["code"] == "lien_deja_utilise", late.text
    # ...and the failures counted against the account too: a fresh link meets the lock-out.
    fresh = await client.post("/api/accounts/password-reset/confirm", json=_reset(await _reset_token(client, user["email"]), user["answer"]))
    assert fresh.status_code == 423 and fresh.json()["code"] == "compte_verrouille", fresh.text
    assert (await client.post("/api/auth/session", json={"email": user["email"], "password": user["password"]})).status_code == 423
    assert await _password_hash(user["id"]) == user["password_hash"]


async def test_a_locked_account_cannot_be_reset_round_its_lock_out(client):
    user = await _with_secret_answer()
    for _ in range(5):
        await client.post("/api/auth/session", json={"email": user["email"], "password": "Mauvais-Mot-2026!"})
    response = await client.post("/api/accounts/password-reset/confirm", json=_reset(await _reset_token(client, user["email"]), user["answer"]))
    assert response.status_code == 423 and response.json()["code"] == "compte_verrouille", response.text
    assert await _password_hash(user["id"]) == user["password_hash"]


@pytest.fixture
def real_install(monkeypatch):
    """Settings as on a real install without SMTP: the development mailbox is not asked for."""
    monkeypatch.setenv("CHORALE_DEV_MAILBOX", "0")
    monkeypatch.delenv("SMTP_HOST", raising=False)
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


async def test_the_development_mailbox_is_closed_on_a_real_install_without_smtp(client, real_install):
    user = await _with_secret_answer()
    await _reset_token(client, user["email"])
    for path in ("/api/dev/mailbox", f"/api/dev/mailbox?to={user['email']}"):
        response = await client.get(path)
        assert response.status_code == 404, response.text
        assert "reinitialisation" not in response.text
    assert not get_settings().mailbox_open


async def test_the_development_mailbox_opens_only_when_asked_for_and_smtp_is_unset(monkeypatch):
    for env, expected in (({"CHORALE_DEV_MAILBOX": "1"}, True), ({}, False),
                          ({"CHORALE_DEV_MAILBOX": "1", "SMTP_HOST": "smtp.example.fr"}, False)):
        monkeypatch.delenv("CHORALE_DEV_MAILBOX", raising=False)
        monkeypatch.delenv("SMTP_HOST", raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        assert Settings().mailbox_open is expected, env


async def test_a_session_dies_at_logout(app):
    user = await make_user()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE_URL, headers=BROWSER_HEADERS) as victim:
        await login(victim, user["email"], user["password"])
        cookie = victim.cookies.get(COOKIE)
        assert (await victim.get("/api/auth/me")).status_code == 200
        assert (await victim.post("/api/auth/logout")).status_code == 303
    # The cookie, copied before the logout, is replayed.
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE_URL, headers=BROWSER_HEADERS,
                                 cookies={COOKIE: cookie}) as thief:
        assert (await thief.get("/api/auth/me")).status_code == 401


async def test_a_password_change_revokes_the_other_sessions_and_keeps_this_one(app):
    user = await make_user()
    clients = [httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE_URL, headers=BROWSER_HEADERS)
               for _ in range(2)]
    owner, thief = clients
    try:
        for client in clients:
            await login(client, user["email"], user["password"])
        changed = await owner.post("/api/accounts/me/password",
                                   json={"current": user["password"], "password": OWNER_PASSWORD, "confirmation": OWNER_PASSWORD})
        assert changed.status_code == 200, changed.text
        assert (await owner.get("/api/auth/me")).status_code == 200
        assert (await thief.get("/api/auth/me")).status_code == 401
    finally:
        for client in clients:
            await client.aclose()


async def test_a_password_reset_revokes_the_sessions(app, client):
    user = await _with_secret_answer()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE_URL, headers=BROWSER_HEADERS) as thief:
        await login(thief, user["email"], user["password"])
        reset = {**_reset(await _reset_token(client, user["email"]), user["answer"])}
        assert (await client.post("/api/accounts/password-reset/confirm", json=reset)).status_code == 200
        assert (await thief.get("/api/auth/me")).status_code == 401
