"""The support store (impersonation, support_journal), and the structures search support uses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from backend.domain.structures import store as structures
from backend.domain.support import store
from tests.support.factories import attach, make_structure, make_user
from tests.support.rollback import rolled_back


async def _impersonation(agent: dict, user: dict, *, minutes: int = 30, reason: str = "TICKET-1") -> int:
    return await store.open_impersonation(support_user_id=agent["id"], target_user_id=user["id"], reason=reason,
                                          expires_at=datetime.now(UTC) + timedelta(minutes=minutes), client_ip="10.0.0.1")


async def test_an_impersonation_is_open_until_ended_or_expired(client):
    async with rolled_back():
        agent, user = await make_user(is_support=True), await make_user()
        running, expired = await _impersonation(agent, user), await _impersonation(agent, user, minutes=-1)
        assert await store.is_open(running) and not await store.is_open(expired)
        assert await store.enable_actions(running) is not None
        await store.end_impersonation(running)
        assert not await store.is_open(running) and await store.enable_actions(running) is None
        assert await store.reason_of(running) == "TICKET-1" and await store.reason_of(-1) is None


async def test_a_user_s_impersonations_come_newest_first(client):
    async with rolled_back():
        agent, user, other = await make_user(is_support=True), await make_user(), await make_user()
        first = await _impersonation(agent, user, reason="premier")
        await _impersonation(agent, other)
        second = await _impersonation(agent, user, reason="second")
        found = await store.impersonations_of(user["id"])
        assert [i.id for i in found] == [second, first] and found[1].ended_at is None and found[1].actions_enabled_at is None


async def test_the_journal_filters_by_target_and_agent_and_pages_back(client):
    async with rolled_back():
        agent, other_agent, user = await make_user(is_support=True), await make_user(is_support=True), await make_user()
        for event in ("debut", "requete", "fin"):
            await store.append_journal(support_user_id=agent["id"], target_user_id=user["id"], event=event, path="/x")
        await store.append_journal(support_user_id=other_agent["id"], target_user_id=user["id"], event="deverrouillage")
        mine = await store.journal(target_user_id=user["id"], support_user_id=agent["id"])
        assert [e.event for e in mine] == ["fin", "requete", "debut"] and mine[0].path == "/x"
        assert [e.event for e in await store.journal(target_user_id=user["id"], before_id=mine[0].id, limit=1)] == ["requete"]
        assert [e.event for e in await store.journal(support_user_id=other_agent["id"])] == ["deverrouillage"]


async def test_users_are_found_by_the_structures_they_are_attached_to(client):
    async with rolled_back():
        user, structure = await make_user(), await make_structure(name="Boulangerie Dupain")
        await attach(user["id"], structure["id"])
        assert await structures.users_attached_to_matching(structure["identifier"][:9], "%nothing%") == [user["id"]]
        assert await structures.users_attached_to_matching("none", "%dupain%") == [user["id"]]
        assert await structures.users_attached_to_matching("none", "%nothing%") == []


async def test_a_user_s_latest_invoices_in_given_statuses_come_latest_change_first(client):
    # invoices.store.latest_created_by, added for support's view of a user's recent errors.
    from backend.domain.invoices.store import invoices
    from shared.invoice_status import InvoiceStatus

    async with rolled_back():
        user, other, supplier = await make_user(), await make_user(), await make_structure()
        now = datetime.now(UTC)

        async def invoice(creator: dict, status: InvoiceStatus, minutes_ago: int) -> int:
            row = await invoices.insert({"supplier_structure_id": supplier["id"], "created_by": creator["id"], "source": "SAISIE",
                                         "status": str(status), "status_at": now - timedelta(minutes=minutes_ago)})
            return row.id

        older = await invoice(user, InvoiceStatus.REJETEE, 10)
        newer = await invoice(user, InvoiceStatus.ERREUR_ACHEMINEMENT, 1)
        await invoice(user, InvoiceStatus.BROUILLON, 0)
        await invoice(other, InvoiceStatus.REJETEE, 0)
        errors = [InvoiceStatus.ERREUR_ACHEMINEMENT, InvoiceStatus.REJETEE]
        assert [i.id for i in await invoices.latest_created_by(user["id"], errors, limit=10)] == [newer, older]
        assert [i.id for i in await invoices.latest_created_by(user["id"], errors, limit=1)] == [newer]
