"""The accounts store, and the structures store functions sign-up and Mon compte use, on the real database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from backend.domain.accounts import store
from backend.domain.structures import store as structures
from backend.infra.database import connection
from shared.applications import Application, Level
from tests.support.factories import attach, make_structure, make_user
from tests.support.rollback import rolled_back


async def _set(user_id: int, sql: str, *args) -> None:
    async with connection() as conn:
        await conn.execute(f"UPDATE user_account SET {sql} WHERE id = $1", user_id, *args)


async def test_failures_keep_a_running_lock_and_a_login_clears_them(client):
    async with rolled_back():
        user = await make_user()
        until = datetime.now(UTC) + timedelta(minutes=10)
        await store.record_failed_login(user["id"], 0, until)
        await store.record_failed_login(user["id"], 1, None)
        found = await store.credentials(user["id"])
        assert (found.failed_logins, found.locked_until) == (1, until)
        await store.record_login(user["id"], datetime.now(UTC))
        found = await store.user(user["id"])
        assert (found.failed_logins, found.locked_until) == (0, None) and found.last_login_at is not None


async def test_unlock_reactivates_only_a_locked_status_and_may_set_a_password(client):
    async with rolled_back():
        locked, pending = await make_user(), await make_user(active=False)
        for user in (locked, pending):
            await _set(user["id"], "failed_logins = 3, locked_until = now() + interval '1 hour'")
        await _set(locked["id"], "status = 'verrouille'")
        assert await store.unlock(locked["id"], password_hash="new-hash") and await store.unlock(pending["id"])
        after = await store.users([locked["id"], pending["id"]])
        assert [(u.status, u.failed_logins, u.locked_until) for u in (after[locked["id"]], after[pending["id"]])] == [
            ("actif", 0, None), ("en_attente", 0, None)]
        assert await store.password_hash(locked["id"]) == "new-hash"
        assert not await store.unlock(-1)


async def test_details_change_only_where_given_and_an_empty_contact_email_clears_it(client):
    async with rolled_back():
        user = await make_user(first_name="Avant")
        await store.update_details(user["id"], contact_email="contact@test.chorale.fr", notify_digest=True)
        await store.update_details(user["id"], last_name="Après", first_name=None)
        found = await store.user(user["id"])
        assert (found.first_name, found.last_name, found.contact_email, found.notify_digest) == (
            "Avant", "Après", "contact@test.chorale.fr", True)
        await store.update_details(user["id"], contact_email="")
        assert (await store.user(user["id"])).contact_email is None


async def test_search_matches_email_or_either_name_order_or_given_ids_by_email(client):
    async with rolled_back():
        ada = await make_user("zz-ada@test.chorale.fr", first_name="Ada", last_name="Lovelace")
        other = await make_user("aa-other@test.chorale.fr", first_name="Grace", last_name="Hopper")
        assert [u.id for u in await store.search("%lovelace ada%")] == [ada["id"]]
        assert [u.id for u in await store.search("%ada lovelace%", or_ids=[other["id"]])] == [other["id"], ada["id"]]
        assert [u.id for u in await store.search("%zz-ada@%")] == [ada["id"]]
        assert len(await store.search("%@test.chorale.fr%", limit=1)) == 1


async def test_a_token_is_found_by_hash_and_kind_and_spent_once(client):
    async with rolled_back():
        user = await make_user()
        expires = datetime.now(UTC) + timedelta(hours=1)
        await store.add_token(user["id"], "activation", "a" * 64, expires)
        assert await store.token("a" * 64, "reinitialisation") is None
        found = await store.token("a" * 64, "activation")
        assert (found.user_id, found.expires_at, found.used_at) == (user["id"], expires, None)
        await store.spend_token("a" * 64)
        assert (await store.token("a" * 64, "activation")).used_at is not None


async def test_the_session_user_comes_with_grants_only_when_asked(client):
    from backend.domain.accounts import ports

    async with rolled_back():
        user, structure = await make_user(), await make_structure()
        await attach(user["id"], structure["id"])
        plain = await store.session_user(user["id"])
        with_grants = await store.session_user(user["id"], grants_column=ports.current().grants_column)
        assert plain.grants is None and [g[0] for g in with_grants.grants] == [structure["id"]]
        assert await store.session_user(-1) is None
        assert set(await store.session_users([user["id"], -1])) == {user["id"]}


async def test_memberships_leave_out_detached_structures_and_list_profiles(client):
    async with rolled_back():
        user, kept, left = await make_user(), await make_structure(name="B gardée"), await make_structure(name="A quittée")
        await attach(user["id"], kept["id"], profiles={Application.FACTURES_RECUES: Level.CONSULTATION,
                                                       Application.FACTURES_EMISES: Level.MODIFICATION})
        await attach(user["id"], left["id"])
        async with connection() as conn:
            await conn.execute("UPDATE attachment SET status = 'detache' WHERE structure_id = $1", left["id"])
        [membership] = await structures.memberships_of(user["id"])
        assert membership.id == kept["id"] and membership.service_code is None
        assert membership.profiles == [{"application": "factures_emises", "level": "modification"},
                                       {"application": "factures_recues", "level": "consultation"}]
        assert [a.id for a in await structures.attachments_of(user["id"])] == [left["id"], kept["id"]]


async def test_a_request_is_pending_on_its_structure_until_decided(client):
    async with rolled_back():
        asking, structure, other = await make_user(), await make_structure(), await make_structure()
        await structures.ask_attachment(asking["id"], structure["id"], None, "x")
        [request] = await structures.pending_requests([structure["id"]])
        assert (request.user_id, request.structure_id) == (asking["id"], structure["id"])
        assert await structures.pending_requests([other["id"]]) == []
        await structures.decide_request(request.id, approved=True, reason=None)
        assert await structures.pending_requests([structure["id"]]) == []


async def test_a_workspace_is_upserted(client):
    async with rolled_back():
        user, structure = await make_user(), await make_structure()
        await structures.open_workspace(user["id"], "factures_emises")
        await structures.set_workspace(user["id"], "factures_emises", False)
        await structures.set_workspace(user["id"], "factures_recues", True)
        assert {(w.application, w.active) for w in await structures.workspaces_of(user["id"])} == {
            ("factures_emises", False), ("factures_recues", True)}
        await structures.grant_profile(user["id"], structure["id"], "factures_emises", "modification")
        await structures.attach(user["id"], structure["id"])
        [membership] = await structures.memberships_of(user["id"])
        assert membership.profiles == [{"application": "factures_emises", "level": "modification"}]


async def test_search_takes_more_ids_than_a_statement_has_parameters(client):
    async with rolled_back():
        user = await make_user("zz-many@test.chorale.fr")
        found = await store.search("%nobody-matches%", or_ids=[user["id"], *range(-40_000, 0)])
        assert [u.id for u in found] == [user["id"]]


async def test_display_names_skip_unknown_ids(client):
    async with rolled_back():
        named = await make_user(first_name="Ada", last_name="Lovelace")
        assert await store.display_names([named["id"], None, -1]) == {named["id"]: "Ada Lovelace"}
