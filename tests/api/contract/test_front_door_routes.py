"""The routes added so an API client can do what the screens do (issue 14, « one front door »), against
the real PostgreSQL and Redis: each answers what its service answers the screen, with its access rules."""

from __future__ import annotations

import pytest

from tests.api.accounts.test_signup import establishment, form
from tests.api.invoices.helpers import provisional_invoice, unique_number
from tests.api.manual.helpers import LINES, _header, _mandate, copy_through_prefill
from tests.support.accounts import last_mail, link_in
from tests.support.factories import make_structure, recipient_with_structure, supplier_with_structure


@pytest.fixture(autouse=True)
def _worker_running(worker):
    """PDF reading happens in the worker: the invoices these tests deposit need it running."""
    return worker


async def test_workspaces_are_shown_and_hidden_through_the_api(client):
    await supplier_with_structure(client)
    hidden = await client.post("/api/me/workspaces/sollicitations_emises", json={"active": False})
    assert hidden.status_code == 200 and hidden.json() == {"application": "sollicitations_emises", "active": False}
    assert (await client.get("/api/accounts/me")).json()["workspaces"]["sollicitations_emises"] is False
    await client.post("/api/me/workspaces/sollicitations_emises", json={"active": True})
    assert (await client.get("/api/accounts/me")).json()["workspaces"]["sollicitations_emises"] is True
    # The route Mon compte used to have beside the organisation slice's is gone.
    assert (await client.put("/api/accounts/me/workspaces/sollicitations_emises", json={"active": True})).status_code in (404, 405)
    unknown = await client.post("/api/me/workspaces/nope", json={"active": True})
    assert unknown.status_code == 400 and unknown.json()["code"] == "espace_inconnu"


async def test_the_users_structures_per_application(client):
    _, structure = await supplier_with_structure(client)
    issuing = (await client.get("/api/me/structures", params={"application": "factures_emises", "level": "modification"})).json()
    assert [s["id"] for s in issuing] == [structure["id"]] and issuing[0]["level"] == "modification"
    assert (await client.get("/api/me/structures", params={"application": "factures_recues"})).json() == []
    assert (await client.get("/api/me/structures", params={"application": "rien"})).status_code == 400
    assert (await client.get("/api/received-invoices/structures")).json() == []


async def test_the_synthesis_counts_a_draft(client):
    await provisional_invoice(client)  # a PROVISOIRE invoice: counted among the supplier's states
    body = (await client.get("/api/synthesis")).json()
    assert set(body) == {"by_status", "by_month", "to_finish"}
    assert all({"status", "label", "label_en", "count", "amount"} <= set(s) for s in body["by_status"])


async def test_the_advanced_directory_search_pages_with_a_cursor(client):
    sirets = [await establishment() for _ in range(3)]
    from backend.infra.database import connection

    async with connection() as conn:
        tag = f"Contrat{sirets[0][-6:]}"
        await conn.execute("""UPDATE establishment SET denomination = $1 || ' ' || siret, enseigne = NULL,
                                     name_norm = lower($1) || ' ' || siret WHERE siret = ANY($2)""", tag, sirets)
    first = (await client.get("/api/directory/advanced-search", params={"name": tag, "limit": 2})).json()
    assert len(first["items"]) == 2 and first["next"]
    rest = (await client.get("/api/directory/advanced-search", params={"name": tag, "limit": 2, "cursor": first["next"]})).json()
    assert len(rest["items"]) == 1 and rest["next"] is None
    assert {e["siret"] for e in first["items"] + rest["items"]} == set(sirets)
    forged = (await client.get("/api/directory/advanced-search", params={"name": tag, "limit": 2, "cursor": "AAAA"})).json()
    assert [e["siret"] for e in forged["items"]] == [e["siret"] for e in first["items"]]  # a forged cursor: page one


async def test_structure_lookups_need_a_session_and_answer_null_for_an_unknown_siret(client, anonymous):
    await supplier_with_structure(client)
    recipient = await make_structure(public=True, services=(("S1", "Service un"), ("S2", "Service deux")))
    found = (await client.get(f"/api/lookups/structures/by-siret/{recipient['identifier']}")).json()
    assert found["id"] == recipient["id"] and found["is_public"] is True
    assert (await client.get(f"/api/lookups/structures/{recipient['id']}")).json()["identifier"] == recipient["identifier"]
    services = (await client.get(f"/api/lookups/structures/{recipient['id']}/services")).json()
    assert [s["code"] for s in services] == ["S1", "S2"]
    assert (await client.get("/api/lookups/structures/by-siret/00000000000000")).json() is None
    assert [s["code"] for s in (await client.get("/api/invoices/manual/recipient-services",
                                                 params={"siret": recipient["identifier"]})).json()] == ["S1", "S2"]
    assert (await anonymous.get(f"/api/lookups/structures/{recipient['id']}")).status_code == 401


async def test_a_copy_takes_over_an_offered_attachment_through_the_api(client):
    user, structure = await supplier_with_structure(client)
    recipient = await make_structure(public=True, services=(("S1", "Service un"),))
    await _mandate(client, structure, user)
    upload = await client.post(f"/api/invoices/uploads?role=piece_jointe&structure_id={structure['id']}",
                               content=b"a;b\n1;2\n", headers={"X-Filename": "annexe.csv"})
    header = {**(await _header(recipient, unique_number("OF"))),
              "attachments": [{"file_id": upload.json()["id"], "designation": "Annexe"}]}
    original = (await client.post("/api/invoices/manual", json={"structure_id": structure["id"], "header": header,
                                                                 "lines": LINES})).json()["id"]
    copy_id = (await copy_through_prefill(client, original)).json()["id"]
    offered = (await client.get(f"/api/invoices/{copy_id}/offered-attachments")).json()
    assert [f["designation"] for f in offered] == ["Annexe"]
    taken = await client.post(f"/api/invoices/{copy_id}/offered-attachments", json={"file_id": offered[0]["id"]})
    assert taken.status_code == 201 and taken.json()["id"] != offered[0]["id"]
    assert (await client.get(f"/api/invoices/{copy_id}/offered-attachments")).json() == []
    again = await client.post(f"/api/invoices/{copy_id}/offered-attachments", json={"file_id": offered[0]["id"]})
    assert again.status_code == 404 and again.json()["code"] == "piece_jointe_introuvable"


async def test_checking_before_sending_saves_the_edits_and_names_each_problem(client):
    invoice, _, _ = await provisional_invoice(client)
    checked = await client.post(f"/api/invoices/{invoice['id']}/check", json={"version": invoice["version"],
                                                                              "purchase_order": "BC-77"})
    assert checked.status_code == 200, checked.text
    assert checked.json()["status"] == invoice["status"] and checked.json()["purchase_order"] == "BC-77"
    refused = await client.post(f"/api/invoices/{invoice['id']}/check", json={"recipient_siret": "", "recipient_structure_id": None})
    assert refused.status_code in (409, 422) and refused.json()["code"]
    assert (await client.get(f"/api/invoices/{invoice['id']}")).json()["purchase_order"] == "BC-77"


async def test_sollicitation_topics_and_the_current_impersonation(client):
    user, structure = await supplier_with_structure(client)
    topics = (await client.get("/api/sollicitations/topics")).json()
    assert f"sollicitations:user:{user['id']}" in topics
    assert (await client.get("/api/support/impersonations/current")).json() == {"impersonated": False, "reason": ""}


async def test_sign_up_identifier_activation_and_reset_question(client):
    siret = await establishment()
    checked = await client.post("/api/accounts/identifier-check", json={"identifier_type": "SIRET", "identifier": siret})
    assert checked.status_code == 200 and checked.json()["siret"] == siret
    assert (await client.post("/api/accounts/identifier-check",
                              json={"identifier_type": "TVA_INTRACOMMUNAUTAIRE", "identifier": "FR40303265045"})).json() is None
    wrong = await client.post("/api/accounts/identifier-check", json={"identifier_type": "SIRET", "identifier": "123"})
    assert wrong.status_code == 400 and wrong.json()["code"] == "siret_invalide"

    body = await form(client, await establishment())
    await client.post("/api/accounts/signup", json=body)
    token = link_in((await last_mail(body["email"]))["body_text"], "/activation/").rsplit("/", 1)[1]
    details = (await client.get("/api/accounts/activation", params={"token": token})).json()
    assert details["email"] == body["email"] and details["first_name"] == body["first_name"]
    assert (await client.get("/api/accounts/activation", params={"token": "nope"})).status_code == 400
    strong = "Bonjour-Chorale-2026"
    await client.post("/api/accounts/activate", json={"token": token, "password": strong, "confirmation": strong,
                                                       "secret_question": "Nom de votre premier animal ?", "secret_answer": "Rex"})
    await client.post("/api/accounts/password-reset", json={"email": body["email"]})
    reset = link_in((await last_mail(body["email"]))["body_text"], "/reinitialisation/").rsplit("/", 1)[1]
    asked = await client.get("/api/accounts/password-reset/question", params={"token": reset})
    assert asked.status_code == 200 and asked.json() == {"question": "Nom de votre premier animal ?"}


async def test_received_structures_list_the_recipients_structures(client):
    _, structure = await recipient_with_structure(client)
    assert [s["id"] for s in (await client.get("/api/received-invoices/structures")).json()] == [structure["id"]]


async def test_sign_up_details_are_checked_at_the_second_step_through_the_api(client):
    body = await form(client, await establishment())
    mismatch = await client.post("/api/accounts/signup/details-check", json={**body, "email_confirmation": "autre@example.fr"})
    assert mismatch.status_code == 400 and mismatch.json()["field"] == "email_confirmation"
    country = await client.post("/api/accounts/signup/details-check", json={**body, "country": "ZZ"})
    assert country.status_code == 400 and country.json()["code"] == "pays_inconnu"
    checked = await client.post("/api/accounts/signup/details-check", json=body)
    assert checked.status_code == 200 and checked.json() == {"status": "verifie"}
    assert (await client.post("/api/accounts/signup", json=body)).status_code == 201  # the pass of step 2 is accepted


async def test_a_searchs_total_through_the_api(client):
    await provisional_invoice(client)
    counted = (await client.get("/api/invoice-count", params={"etat": "PROVISOIRE"})).json()
    assert counted["total"] >= 1 and counted["cap"] == 10_000
