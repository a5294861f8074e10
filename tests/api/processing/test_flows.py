"""Each flow that changes a received invoice leaves its status-history row, moves the counters of both
sides and publishes its `invoice.status` event (and rings the bell of those it notifies)."""

from __future__ import annotations

import httpx
import pytest

from backend.infra.database import connection
from shared.applications import Application, Level
from tests.conftest import BASE_URL, BROWSER_HEADERS
from tests.api.processing.flow_checks import assert_moved, counts_of, events_on, last_history
from tests.support.dashboard_data import make_invoice
from tests.support.factories import attach, login, make_structure, make_user, recipient_with_structure, supplier_with_structure


@pytest.fixture
async def other(app):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE_URL, headers=BROWSER_HEADERS) as c:
        yield c


async def _received(client, status: str) -> tuple[dict, dict, dict, dict]:
    """(invoice, supplier user, recipient user, recipient): an invoice in `status`, the client logged in as its recipient."""
    supplier_user, supplier = await supplier_with_structure()
    recipient_user, recipient = await recipient_with_structure(client)
    invoice = await make_invoice(supplier["id"], recipient["id"], status, recipient_service_id=recipient["services"][0]["id"])
    return invoice, supplier_user, recipient_user, recipient


async def _named(invoice: dict, column: str, structure_id: int, cadre: str) -> None:
    async with connection() as conn:  # the validator as the sent invoice would name it
        await conn.execute(f"UPDATE invoice SET {column} = $2, cadre = $3 WHERE id = $1", invoice["id"], structure_id, cadre)


def _check_history(history: dict, *, status_from: str, status_to: str, action: str, actor: int, reason: str | None) -> None:
    assert (history["status_from"], history["status_to"], history["action"]) == (status_from, status_to, action)
    assert history["actor_user_id"] == actor and history["reason"] == reason


RECIPIENT_ACTIONS = [
    ("MISE_A_DISPOSITION", "VALIDATE", {}, "SERVICE_FAIT", None),
    ("MISE_A_DISPOSITION", "REFUSE", {"reason": "Montant erroné"}, "REFUSEE", "refusée"),
    ("MISE_A_DISPOSITION", "SUSPEND", {"reason": "Bon de livraison manquant"}, "SUSPENDUE", "suspendue"),
    ("MISE_A_DISPOSITION", "RECYCLE", {"reason": "Code service erroné"}, "A_RECYCLER", "à recycler"),
    ("SERVICE_FAIT", "MANDATE", {}, "MANDATEE", None),
    ("SERVICE_FAIT", "PUT_IN_PAYMENT", {"payment_date": "2026-04-02", "paid_amount": "120,00"}, "MISE_EN_PAIEMENT", "mise en paiement"),
    ("A_VALIDER_MOA", "VALIDATE_MOA", {}, "MISE_A_DISPOSITION", None),
]


@pytest.mark.parametrize(("status", "action", "body", "status_to", "notice"), RECIPIENT_ACTIONS,
                         ids=[case[1] for case in RECIPIENT_ACTIONS])
async def test_a_recipient_action_writes_its_history_moves_the_counters_and_is_published(client, status, action, body, status_to,
                                                                                          notice):
    invoice, supplier_user, recipient_user, _ = await _received(client, status)
    before = await counts_of(invoice)
    async with events_on(f"invoice:{invoice['id']}", f"user:{supplier_user['id']}") as events:
        response = await client.post(f"/api/received-invoices/{invoice['id']}/actions",
                                     json={"action": action, "expected_version": invoice["version"], **body})
        assert response.status_code == 200, response.text
        event = await events.next(status=status_to)
        rang = await events.next("notification.new") if notice else None
    done = response.json()
    assert done["status"] == status_to and done["version"] == invoice["version"] + 1
    assert event.data["version"] == done["version"] and event.data["id"] == invoice["id"]
    _check_history(await last_history(invoice["id"]), status_from=status, status_to=status_to, action=action,
                   actor=recipient_user["id"], reason=body.get("reason"))
    await assert_moved(invoice, before, status, status_to)
    if notice:
        assert rang.data == {"invoice": invoice["id"]}
        async with connection() as conn:
            message = await conn.fetchval("SELECT message FROM notification WHERE user_id = $1 AND invoice_id = $2",
                                          supplier_user["id"], invoice["id"])
        assert notice in message


VALIDATIONS = [
    (Application.FACTURES_A_VALIDER, "/api/invoices-to-validate", "holder_structure_id", "A9", "A_VALIDER_TITULAIRE",
     "VALIDATE_HOLDER", "MISE_A_DISPOSITION"),
    (Application.FACTURES_TRAVAUX, "/api/works-invoices", "project_manager_structure_id", "A4", "A_VALIDER_MOE",
     "VALIDATE_MOE", "A_VALIDER_MOA"),
]


@pytest.mark.parametrize(("application", "route", "column", "cadre", "status", "action", "validated"), VALIDATIONS,
                         ids=["holder", "project_manager"])
@pytest.mark.parametrize("refusing", [False, True], ids=["validates", "refuses"])
async def test_a_validator_validates_or_refuses_with_history_counters_and_event(client, application, route, column, cadre, status,
                                                                                 action, validated, refusing):
    supplier_user, supplier = await supplier_with_structure()
    _, recipient = await recipient_with_structure()
    validator_user, validator = await make_user(), await make_structure()
    await attach(validator_user["id"], validator["id"], principal=True, profiles={application: Level.MODIFICATION})
    invoice = await make_invoice(supplier["id"], recipient["id"], status)
    await _named(invoice, column, validator["id"], cadre)
    await login(client, validator_user["email"], validator_user["password"])
    before = await counts_of(invoice)
    body = {"action": "REFUSE", "reason": "Travaux non réalisés"} if refusing else {"action": action}
    status_to = "REFUSEE" if refusing else validated
    async with events_on(f"invoice:{invoice['id']}", f"structure:{validator['id']}", f"user:{supplier_user['id']}") as events:
        response = await client.post(f"{route}/{invoice['id']}/actions", json={**body, "expected_version": invoice["version"]})
        assert response.status_code == 200, response.text
        event = await events.next(status=status_to)
        assert set(event.topics) >= {f"invoice:{invoice['id']}", f"structure:{validator['id']}", f"structure:{recipient['id']}"}
        if refusing:
            await events.next("notification.new", invoice=invoice["id"])
    assert response.json()["status"] == status_to
    _check_history(await last_history(invoice["id"]), status_from=status, status_to=status_to, action=body["action"],
                   actor=validator_user["id"], reason=body.get("reason"))
    await assert_moved(invoice, before, status, status_to)
    if refusing:  # the supplier is told who refused: the validator, not the recipient
        async with connection() as conn:
            message = await conn.fetchval("SELECT message FROM notification WHERE user_id = $1 AND invoice_id = $2",
                                          supplier_user["id"], invoice["id"])
        assert validator["raison_sociale"] in message and "Travaux non réalisés" in message


async def test_the_supplier_completes_a_suspended_invoice_with_history_counters_and_event(client, other):
    invoice, supplier_user, recipient_user, _ = await _received(client, "SUSPENDUE")
    await login(other, supplier_user["email"], supplier_user["password"])
    before = await counts_of(invoice)
    async with events_on(f"invoice:{invoice['id']}", f"user:{recipient_user['id']}") as events:
        response = await other.post(f"/api/invoices/{invoice['id']}/complete",
                                    json={"comment": "Bon de livraison joint", "expected_version": invoice["version"]})
        assert response.status_code == 200, response.text
        event = await events.next(status="COMPLETEE")
        await events.next("notification.new", invoice=invoice["id"])
    assert response.json() == {"id": invoice["id"], "status": "COMPLETEE", "version": invoice["version"] + 1}
    assert event.data["version"] == invoice["version"] + 1
    _check_history(await last_history(invoice["id"]), status_from="SUSPENDUE", status_to="COMPLETEE", action="COMPLETE",
                   actor=supplier_user["id"], reason="Bon de livraison joint")
    await assert_moved(invoice, before, "SUSPENDUE", "COMPLETEE")
    async with connection() as conn:
        assert await conn.fetchval("SELECT comment FROM invoice WHERE id = $1", invoice["id"]) == "Bon de livraison joint"


async def test_the_received_list_offers_the_services_of_the_structure_only_to_its_users(client, other):
    _, recipient = await recipient_with_structure(client, services=(("B", "Service B"), ("A", "Service A")))
    response = await client.get("/api/received-invoices/services", params={"structure_id": recipient["id"]})
    assert response.json() == [{"code": "A", "libelle": "Service A"}, {"code": "B", "libelle": "Service B"}]
    await supplier_with_structure(other)
    assert (await other.get("/api/received-invoices/services", params={"structure_id": recipient["id"]})).status_code == 404


async def test_live_topics_are_the_user_s_own_its_structures_and_the_invoices_it_sees(client):
    from backend.domain.accounts.services import principal_of_user
    from backend.domain.processing.services import allowed_topics
    from backend.infra.errors import Forbidden, NotFound

    invoice, supplier_user, recipient_user, recipient = await _received(client, "MISE_A_DISPOSITION")
    principal = await principal_of_user(recipient_user["id"])
    mine = [f"user:{recipient_user['id']}", f"structure:{recipient['id']}", f"invoice:{invoice['id']}"]
    assert await allowed_topics(principal, mine) == mine
    with pytest.raises(Forbidden):
        await allowed_topics(principal, [f"user:{supplier_user['id']}"])
    with pytest.raises(Forbidden):
        await allowed_topics(principal, [f"structure:{invoice['supplier_structure_id']}"])
    elsewhere = await make_invoice(invoice["supplier_structure_id"], (await make_structure(public=True))["id"], "MISE_A_DISPOSITION")
    with pytest.raises(NotFound):
        await allowed_topics(principal, [f"invoice:{elsewhere['id']}"])
