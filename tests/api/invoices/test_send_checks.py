"""« Valider et envoyer » refuses what cannot be deposited, with a French message, and changes nothing."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import asyncio

from backend.domain.accounts.identity import Principal
from backend.domain.invoices import services
from backend.domain.invoices.store import history
from backend.infra.database import connection
from backend.infra.errors import DomainError
from tests.api.invoices.helpers import provisional_invoice, unique_number
from tests.support.factories import make_structure, random_siret


async def snapshot(invoice_id: int) -> tuple:
    async with connection() as conn:
        row = await conn.fetchrow("SELECT status, version, number, deposit_number FROM invoice WHERE id = $1", invoice_id)
        history = await conn.fetchval("SELECT count(*) FROM invoice_status_history WHERE invoice_id = $1", invoice_id)
    return tuple(row), history


async def send(client, invoice: dict, **fields):
    return await client.post(f"/api/invoices/{invoice['id']}/send", json=fields)


async def test_a_second_deposit_with_the_same_number_names_the_earlier_invoice(client, worker):
    number = unique_number()
    first, structure, _ = await provisional_invoice(client, number=number)
    deposited = (await send(client, first)).json()
    second, _, _ = await provisional_invoice(client, number=number, structure=structure)
    before = await snapshot(second["id"])
    response = await send(client, second)
    assert response.status_code == 409
    # The message names the deposit's day in Paris, which is the next UTC day after 23:00 UTC in winter.
    day = datetime.fromisoformat(deposited["deposited_at"]).astimezone(ZoneInfo("Europe/Paris")).strftime("%d/%m/%Y")
    assert response.json()["message"] == (
        f"Le numéro {number} est déjà utilisé par la facture déposée le {day} (n° de dépôt {deposited['deposit_number']}).")
    assert response.json()["field"] == "number"
    assert await snapshot(second["id"]) == before


async def test_the_number_is_compared_without_case_or_extra_spaces(client, worker):
    number = unique_number("fa")
    first, structure, _ = await provisional_invoice(client, number=number)
    assert (await send(client, first)).status_code == 200
    second, _, _ = await provisional_invoice(client, number=unique_number(), structure=structure)
    response = await send(client, second, number=f"  {number.upper()} ")
    assert response.status_code == 409 and response.json()["code"] == "numero_deja_utilise"


async def test_the_same_number_may_be_used_by_another_supplier(client, worker):
    number = unique_number()
    first, _, _ = await provisional_invoice(client, number=number)
    assert (await send(client, first)).status_code == 200
    other, _, _ = await provisional_invoice(client, number=number)  # a new supplier
    assert (await send(client, other)).status_code == 200


async def test_two_simultaneous_deposits_of_one_number_let_one_through_and_explain_the_other(client, worker):
    number = unique_number()
    first, structure, _ = await provisional_invoice(client, number=number)
    second, _, _ = await provisional_invoice(client, number=number, structure=structure)
    responses = await asyncio.gather(send(client, first), send(client, second))
    codes = sorted(r.status_code for r in responses)
    assert codes == [200, 409]
    refused = next(r for r in responses if r.status_code == 409).json()
    assert refused["message"].startswith(f"Le numéro {number} est déjà utilisé par la facture déposée le ")


async def test_amounts_that_do_not_add_up_are_refused(client):
    invoice, _, _ = await provisional_invoice(client)
    before = await snapshot(invoice["id"])
    response = await send(client, invoice, total_ttc="300.00")
    assert response.status_code == 422
    assert response.json()["code"] == "montants_incoherents"
    assert response.json()["message"] == "Montants incohérents : HT 225.00 + TVA 30.50 = 255.50, mais le TTC indiqué est 300.00."
    assert await snapshot(invoice["id"]) == before
    assert (await client.get(f"/api/invoices/{invoice['id']}")).json()["total_ttc"] == "255.50"  # not half-saved


async def test_an_amount_due_above_the_total_is_refused(client):
    invoice, _, _ = await provisional_invoice(client)
    response = await send(client, invoice, net_a_payer="255,51")
    assert response.status_code == 422
    assert response.json()["message"] == "Le net à payer doit être compris entre 0 et le montant TTC."


async def test_a_missing_amount_and_a_missing_date_are_all_reported(client):
    invoice, _, _ = await provisional_invoice(client)
    response = await send(client, invoice, total_tva=None, invoice_date=None)
    fields = [e["field"] for e in response.json()["details"]["errors"]]
    assert response.status_code == 422
    assert fields == ["invoice_date", "total_tva"]
    assert response.json()["message"] == "La date de facture est obligatoire."


async def test_an_unknown_recipient_siret_is_refused(client):
    invoice, _, _ = await provisional_invoice(client)
    siret = random_siret()
    response = await send(client, invoice, recipient_siret=siret)
    assert response.status_code == 422
    assert response.json()["code"] == "destinataire_inconnu"
    assert siret in response.json()["message"]


async def test_an_inactive_or_private_recipient_is_refused(client):
    invoice, _, target = await provisional_invoice(client, recipient_kwargs={"active": False})
    response = await send(client, invoice)
    assert response.status_code == 422
    assert response.json()["message"] == "Le destinataire n'est pas une structure publique active."
    company = await make_structure()  # a private company is no recipient
    response = await send(client, invoice, recipient_siret=company["identifier"])
    assert response.json()["code"] == "destinataire_invalide"


async def test_a_recipient_requiring_an_engagement_number_refuses_a_deposit_without_one(client):
    invoice, _, _ = await provisional_invoice(client, recipient_kwargs={"requires_engagement": True},
                                              pdf_kwargs={"engagement_number": None})
    assert invoice["engagement_number"] is None
    response = await send(client, invoice)
    assert response.status_code == 422
    assert response.json()["message"] == "Ce destinataire exige un numéro d'engagement."
    assert response.json()["field"] == "engagement_number"
    assert (await send(client, invoice, engagement_number="EJ-42")).status_code == 200


async def test_a_recipient_requiring_a_service_code_refuses_a_deposit_without_one(client):
    invoice, _, _ = await provisional_invoice(client, recipient_kwargs={"requires_service_code": True},
                                              pdf_kwargs={"service_code": None})
    response = await send(client, invoice)
    assert response.json()["code"] == "code_service_obligatoire"
    unknown = await send(client, invoice, recipient_service_code="NOPE")
    assert unknown.json()["message"] == "Le code service NOPE n'existe pas chez ce destinataire."
    assert (await send(client, invoice, recipient_service_code="serv2")).status_code == 200


async def test_an_inactive_service_of_the_recipient_is_refused(client):
    invoice, _, target = await provisional_invoice(client)
    async with connection() as conn:
        await conn.execute("UPDATE service SET active = false WHERE id = $1", invoice["recipient_service"]["id"])
    response = await send(client, invoice)
    assert response.json()["message"] == "Le service 28E du destinataire est inactif : choisissez-en un autre."


async def test_an_invoice_changed_since_it_was_displayed_is_not_sent(client):
    invoice, _, _ = await provisional_invoice(client)
    edited = await client.patch(f"/api/invoices/{invoice['id']}", json={"purchase_order": "BC-1", "version": invoice["version"]})
    assert edited.status_code == 200
    stale = await send(client, invoice, version=invoice["version"])
    assert stale.status_code == 409
    assert stale.json() == {"code": "deja_traitee", "message": "Cette facture a déjà été traitée par ailleurs : rechargez-la.",
                            "message_en": "This invoice was already handled elsewhere: reload it."}


async def test_a_sent_invoice_can_no_longer_be_edited_or_sent_again(client, worker):
    invoice, _, _ = await provisional_invoice(client)
    assert (await send(client, invoice)).status_code == 200
    assert (await client.patch(f"/api/invoices/{invoice['id']}", json={"number": "X"})).json()["code"] == "non_modifiable"
    assert (await send(client, invoice)).status_code == 409


async def test_support_acting_as_the_supplier_cannot_send_unless_actions_were_enabled(client):
    from backend.domain.accounts.identity import Principal
    from backend.domain.invoices.services import send_invoice
    from backend.infra.errors import DomainError

    invoice, _, _ = await provisional_invoice(client)
    async with connection() as conn:
        owner = await conn.fetchrow("SELECT u.id, u.email FROM user_account u JOIN invoice i ON i.created_by = u.id WHERE i.id = $1",
                                    invoice["id"])
    agent = Principal(user_id=owner["id"], email=owner["email"], display_name="Camille", impersonator_id=owner["id"],
                      impersonator_email="agent@support.chorale.fr", impersonation_id=1)
    try:
        await send_invoice(agent, invoice["id"])
    except DomainError as refused:
        assert refused.code == "bloque_pendant_intervention"
        assert refused.message_fr.startswith("Action bloquée pendant une intervention du support : envoyer une facture")
    else:
        raise AssertionError("sent while impersonated")
    assert (await client.get(f"/api/invoices/{invoice['id']}")).json()["status"] == "PROVISOIRE"


async def test_the_checks_before_the_confirmation_save_the_edits_and_report_every_problem(client, worker):
    """« Valider et envoyer » asks check_before_send first: what was typed is kept, the invoice stays
    « Provisoire », and each blocking problem is named with its field (issue 16)."""
    invoice, _, _ = await provisional_invoice(client, recipient_kwargs={"requires_engagement": True},
                                              pdf_kwargs={"engagement_number": None})
    [created] = await history.for_invoice(invoice["id"])
    supplier = Principal(user_id=created.actor_user_id, email="f@test.chorale.fr", display_name="Camille")
    try:
        await services.check_before_send(supplier, invoice["id"], {"purchase_order": "BC-1", "cadre": "A9"},
                                         expected_version=invoice["version"])
    except DomainError as error:
        refused = error
    else:
        raise AssertionError("the checks let an invoice without engagement nor titulaire through")
    fields = {e["field"] for e in refused.details["errors"]}
    assert {"engagement_number", "holder"} <= fields, fields
    saved = (await client.get(f"/api/invoices/{invoice['id']}")).json()
    assert saved["purchase_order"] == "BC-1" and saved["status"] == "PROVISOIRE"
    assert refused.details["version"] == saved["version"] > invoice["version"]
    # given what was missing, the same checks pass and nothing is sent yet
    holder = await make_structure()
    view = await services.check_before_send(supplier, invoice["id"], {"engagement_number": "EJ-1", "holder_siret": holder["identifier"]},
                                            expected_version=saved["version"])
    assert view["status"] == "PROVISOIRE"
