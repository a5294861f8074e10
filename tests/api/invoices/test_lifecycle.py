"""A status change through the unit of work (tests.support.invoice_actions): one transaction for the status, the history, the counters; events after."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from decimal import Decimal

import pytest

from backend.domain.accounts.identity import Principal
from backend.domain.invoices import rules
from backend.domain.invoices.counters import counter_day
from backend.domain.invoices.routing import route_invoice
from backend.infra.database import connection
from backend.infra.errors import DomainError
from backend.infra.events import get_hub
from tests.api.invoices.helpers import counts, provisional_invoice
from tests.support.factories import make_user
from tests.support.invoice_actions import apply_action


def principal_of(user_id: int, **kwargs) -> Principal:
    return Principal(user_id=user_id, email=kwargs.pop("email", "x@test.chorale.fr"), display_name="Camille", **kwargs)


async def creator_of(invoice_id: int) -> int:
    async with connection() as conn:
        return await conn.fetchval("SELECT created_by FROM invoice WHERE id = $1", invoice_id)


async def test_counters_follow_an_invoice_on_both_sides_through_its_statuses(client):
    invoice, structure, target = await provisional_invoice(client)
    amount = Decimal("255.50")
    assert await counts(structure["id"]) == {"PROVISOIRE": (1, amount)}
    assert await counts(target["id"], "R") == {"PROVISOIRE": (1, amount)}
    user = await creator_of(invoice["id"])
    await apply_action(invoice["id"], rules.Action.SEND, principal_of(user), role=rules.Role.SUPPLIER)
    await apply_action(invoice["id"], "ROUTE", None, role="SYSTEM")
    assert await counts(structure["id"]) == {"EN_COURS_ACHEMINEMENT": (1, amount)}
    assert await counts(target["id"], "R") == {"EN_COURS_ACHEMINEMENT": (1, amount)}


async def test_a_draft_edit_moves_the_amount_and_the_recipient_side_of_the_counters(client):
    invoice, structure, target = await provisional_invoice(client)
    _, _, new_target = await provisional_invoice(client, structure=structure)
    response = await client.patch(f"/api/invoices/{invoice['id']}", json={
        "recipient_siret": new_target["identifier"], "total_ht": "100", "total_tva": "20", "total_ttc": "120",
        "net_a_payer": "120", "save_draft": True})
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "BROUILLON"
    assert await counts(target["id"], "R") == {}
    both = {"BROUILLON": (1, Decimal("120.00")), "PROVISOIRE": (1, Decimal("255.50"))}  # with the second invoice
    assert await counts(new_target["id"], "R") == both
    assert await counts(structure["id"]) == both


async def test_the_history_names_the_support_agent_acting_for_the_user(client):
    invoice, _, _ = await provisional_invoice(client)
    user = await creator_of(invoice["id"])
    agent = await make_user(is_support=True)
    support = principal_of(user, email="fournisseur@test.chorale.fr", impersonator_id=agent["id"],
                           impersonator_email="agent@support.chorale.fr", impersonation_id=1)
    await apply_action(invoice["id"], rules.Action.SAVE_DRAFT, support, role=rules.Role.SUPPLIER)
    async with connection() as conn:
        row = await conn.fetchrow("SELECT * FROM invoice_status_history WHERE invoice_id = $1 ORDER BY id DESC LIMIT 1", invoice["id"])
    assert (row["status_from"], row["status_to"], row["action"]) == ("PROVISOIRE", "BROUILLON", "SAVE_DRAFT")
    assert row["actor_user_id"] == user and row["impersonator_user_id"] == agent["id"]
    assert row["acting_as"] == "par support agent@support.chorale.fr pour le compte de fournisseur@test.chorale.fr"


async def test_a_move_the_table_does_not_allow_changes_nothing(client):
    invoice, structure, _ = await provisional_invoice(client)
    before = await counts(structure["id"])
    with pytest.raises(DomainError) as refused:
        await apply_action(invoice["id"], rules.Action.VALIDATE, None, role=rules.Role.RECIPIENT)
    assert refused.value.code == "transition_interdite" and refused.value.status_code == 409
    with pytest.raises(DomainError) as stale:
        await apply_action(invoice["id"], rules.Action.SAVE_DRAFT, None, role=rules.Role.SUPPLIER, expected_version=99)
    assert stale.value.code == "deja_traitee"
    assert await counts(structure["id"]) == before
    assert (await client.get(f"/api/invoices/{invoice['id']}")).json()["version"] == invoice["version"]


async def test_a_status_change_is_published_to_the_invoice_and_both_structures(client):
    invoice, structure, target = await provisional_invoice(client)
    topics = [f"invoice:{invoice['id']}", f"structure:{structure['id']}", f"structure:{target['id']}"]
    async with get_hub().listen(topics) as queue:
        result = await apply_action(invoice["id"], rules.Action.SAVE_DRAFT, None, role=rules.Role.SUPPLIER)
        event = await asyncio.wait_for(queue.get(), 5)
    assert event.type == "invoice.status"
    assert set(event.topics) == set(topics[:2])  # a draft is its supplier's alone (issue 20, item 4)
    assert event.data == {"id": invoice["id"], "number": invoice["number"], "status": "BROUILLON",
                          "status_label_fr": "Brouillon", "version": invoice["version"] + 1}
    assert result["status_label_fr"] == "Brouillon" and result["version"] == invoice["version"] + 1


async def test_counters_are_kept_by_deposit_day(client):
    invoice, structure, _ = await provisional_invoice(client)
    user = await creator_of(invoice["id"])
    from datetime import UTC, datetime, timedelta

    yesterday = datetime.now(UTC) - timedelta(days=1)
    async with connection() as conn:  # an invoice created the day before its deposit
        await conn.execute("UPDATE invoice SET created_at = $2 WHERE id = $1", invoice["id"], yesterday)
        await conn.execute("UPDATE invoice_daily_count SET day = day - 1 WHERE side = 'S' AND structure_id = $1", structure["id"])
    sent = await apply_action(invoice["id"], rules.Action.SEND, principal_of(user), role=rules.Role.SUPPLIER,
                              extra={"deposited_at": datetime.now(UTC)})
    async with connection() as conn:
        rows = await conn.fetch("SELECT status, day, count FROM invoice_daily_count WHERE side = 'S' AND structure_id = $1 AND count <> 0",
                                structure["id"])
    assert [(r["status"], r["day"], r["count"]) for r in rows] == [("DEPOSEE", counter_day(sent), 1)]


async def routed_after(client, change_sql: str) -> dict:
    invoice, _, target = await provisional_invoice(client)
    user = await creator_of(invoice["id"])
    await apply_action(invoice["id"], rules.Action.SEND, principal_of(user), role=rules.Role.SUPPLIER)
    async with connection() as conn:
        await conn.execute(change_sql, target["id"])
    await route_invoice(invoice["id"])
    return (await client.get(f"/api/invoices/{invoice['id']}")).json()


async def test_routing_to_a_recipient_deactivated_since_the_deposit_is_a_routing_error(client):
    routed = await routed_after(client, "UPDATE structure SET active = false WHERE id = $1")
    assert routed["status"] == "ERREUR_ACHEMINEMENT"
    assert "n'est plus actif sur Chorale" in routed["routing_error"]
    assert routed["history"][-1]["reason"] == routed["routing_error"]


async def test_routing_to_a_service_deactivated_since_the_deposit_sends_it_back_for_correction(client):
    routed = await routed_after(client, "UPDATE service SET active = false WHERE structure_id = $1")
    assert routed["status"] == "A_RECYCLER"
    assert routed["routing_error"] == ("Le service 28E du destinataire est inactif depuis le dépôt : "
                                       "corrigez le code service et renvoyez la facture.")


async def test_routing_twice_changes_nothing_the_second_time(client):
    routed = await routed_after(client, "SELECT $1::bigint")
    assert routed["status"] == "MISE_A_DISPOSITION"
    assert await route_invoice(routed["id"]) == "MISE_A_DISPOSITION"
    again = (await client.get(f"/api/invoices/{routed['id']}")).json()
    assert len(again["history"]) == len(routed["history"])


async def test_the_monthly_roll_up_follows_day_rows_moved_across_months_and_deleted(client):
    invoice, structure, _ = await provisional_invoice(client)
    amount = Decimal("255.50")

    async def months() -> dict:
        async with connection() as conn:
            rows = await conn.fetch("""SELECT month, count, amount_ttc FROM invoice_monthly_count
                                       WHERE side = 'S' AND structure_id = $1 AND (count <> 0 OR amount_ttc <> 0)""", structure["id"])
        return {r["month"]: (r["count"], r["amount_ttc"]) for r in rows}

    async with connection() as conn:
        day = await conn.fetchval("SELECT day FROM invoice_daily_count WHERE side = 'S' AND structure_id = $1", structure["id"])
    assert await months() == {day.replace(day=1): (1, amount)}
    async with connection() as conn:
        await conn.execute("UPDATE invoice_daily_count SET day = day - 40 WHERE side = 'S' AND structure_id = $1", structure["id"])
    earlier = (day - timedelta(days=40)).replace(day=1)
    assert await months() == {earlier: (1, amount)}
    async with connection() as conn:
        await conn.execute("DELETE FROM invoice_daily_count WHERE side = 'S' AND structure_id = $1", structure["id"])
    assert await months() == {}
