"""The accounts store function added for the command line: the support role granted and withdrawn by e-mail
(`chorale grant-support` / `revoke-support`)."""

from __future__ import annotations

from backend.domain.accounts import store
from backend.infra.database import connection
from tests.support.factories import make_user


async def _is_support(user_id: int) -> bool:
    async with connection() as conn:
        return await conn.fetchval("SELECT is_support FROM user_account WHERE id = $1", user_id)


async def test_the_role_is_granted_and_withdrawn_whatever_the_case_typed(client):
    user = await make_user()
    assert await store.set_support(user["email"].upper(), True) == user["email"]
    assert await _is_support(user["id"]) is True
    assert await store.set_support(user["email"], False) == user["email"]
    assert await _is_support(user["id"]) is False


async def test_an_unknown_address_changes_nothing(client):
    assert await store.set_support("personne@inconnu.chorale.fr", True) is None

