"""Rows for tests, built through SQL on the real database; every value unique per call."""

from __future__ import annotations

import itertools
import random
import uuid

from stdnum import luhn

from backend.domain.accounts.passwords import hash_secret
from backend.infra.database import connection
from shared.applications import Application, Level

DEFAULT_PASSWORD = "Correct-Horse-42!"
_HASH_CACHE: dict[str, str] = {}
_counter = itertools.count(1)


def random_siren() -> str:
    body = f"{random.randint(10_000_000, 99_999_999)}"
    return body + luhn.calc_check_digit(body)


def random_siret(siren: str | None = None) -> str:
    body = (siren or random_siren()) + f"{random.randint(0, 9999):04d}"
    return body + luhn.calc_check_digit(body)


def _hash(password: str) -> str:
    if password not in _HASH_CACHE:
        _HASH_CACHE[password] = hash_secret(password)
    return _HASH_CACHE[password]


async def make_user(email: str | None = None, *, password: str = DEFAULT_PASSWORD, active: bool = True,
                    is_support: bool = False, first_name: str = "Camille", last_name: str | None = None) -> dict:
    email = (email or f"user{next(_counter)}-{uuid.uuid4().hex[:8]}@test.chorale.fr").lower()
    async with connection() as conn:
        row = await conn.fetchrow(
            """INSERT INTO user_account (email, first_name, last_name, status, password_hash, is_support, activated_at)
               VALUES ($1, $2, $3, $4::varchar, $5, $6, CASE WHEN $4::varchar = 'actif' THEN now() END) RETURNING *""",
            email, first_name, last_name or f"Test{next(_counter)}", "actif" if active else "en_attente",
            _hash(password) if active else None, is_support)
    return {**dict(row), "password": password}


async def make_structure(*, public: bool = False, siret: str | None = None, name: str | None = None,
                         services: tuple[tuple[str, str], ...] = (), requires_engagement: bool = False,
                         requires_service_code: bool = False, active: bool = True) -> dict:
    siret = siret or random_siret()
    name = name or (f"Commune test {next(_counter)}" if public else f"Société test {next(_counter)}")
    async with connection() as conn:
        async with conn.transaction():
            row = await conn.fetchrow(
                """INSERT INTO structure (identifier, siren, raison_sociale, address, postcode, city, is_public, active,
                                          requires_engagement, requires_service_code)
                   VALUES ($1, $2, $3, '1 rue de la Paix', '75002', 'Paris', $4, $5, $6, $7) RETURNING *""",
                siret, siret[:9], name, public, active, requires_engagement, requires_service_code)
            created = []
            for code, libelle in services:
                created.append(dict(await conn.fetchrow(
                    "INSERT INTO service (structure_id, code, libelle) VALUES ($1, $2, $3) RETURNING *", row["id"], code, libelle)))
    return {**dict(row), "services": created}


async def attach(user_id: int, structure_id: int, *, service_id: int | None = None, principal: bool = False,
                 profiles: dict[Application, Level] | None = None) -> None:
    profiles = profiles if profiles is not None else {Application.FACTURES_EMISES: Level.MODIFICATION}
    async with connection() as conn:
        async with conn.transaction():
            await conn.execute(
                """INSERT INTO attachment (user_id, structure_id, service_id, is_principal) VALUES ($1, $2, $3, $4)
                   ON CONFLICT DO NOTHING""", user_id, structure_id, service_id, principal)
            for application, level in profiles.items():
                await conn.execute(
                    """INSERT INTO profile (user_id, structure_id, application, level) VALUES ($1, $2, $3, $4)
                       ON CONFLICT (user_id, structure_id, application, (coalesce(service_id, 0))) DO UPDATE SET level = EXCLUDED.level""",
                    user_id, structure_id, str(application), str(level))


async def login(client, email: str, password: str = DEFAULT_PASSWORD) -> None:
    response = await client.post("/api/auth/session", json={"email": email, "password": password})
    assert response.status_code == 200, response.text


async def supplier_with_structure(client=None, **structure_kwargs) -> tuple[dict, dict]:
    """A logged-in (when a client is given) gestionnaire principal of a new private structure."""
    user = await make_user()
    structure = await make_structure(**structure_kwargs)
    await attach(user["id"], structure["id"], principal=True, profiles={
        Application.FACTURES_EMISES: Level.MODIFICATION, Application.ORGANISATION: Level.MODIFICATION})
    if client is not None:
        await login(client, user["email"], user["password"])
    return user, structure


async def recipient_with_structure(client=None, *, services=(("SERV1", "Service un"),), level: Level = Level.MODIFICATION,
                                   **structure_kwargs) -> tuple[dict, dict]:
    user = await make_user()
    structure = await make_structure(public=True, services=services, **structure_kwargs)
    await attach(user["id"], structure["id"], principal=True, profiles={Application.FACTURES_RECUES: level})
    if client is not None:
        await login(client, user["email"], user["password"])
    return user, structure
