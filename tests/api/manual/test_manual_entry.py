from __future__ import annotations

import asyncio
import io

import pytest
from facturx import get_xml_from_pdf

from backend.domain.einvoice.layers import check_xml
from backend.domain.einvoice.validation import validate_en16931
from backend.infra.database import connection
from tests.api.manual.helpers import LINES, _header, _mandate, copy_through_prefill
from tests.support.factories import attach, login, make_structure, make_user, supplier_with_structure
from shared.applications import Application, Level


async def test_without_a_mandate_typing_an_invoice_is_refused_and_says_who_can_fix_it(client):
    user, structure = await supplier_with_structure(client)
    recipient = await make_structure(public=True, services=(("S1", "Service"),))
    response = await client.post("/api/invoices/manual", json={"structure_id": structure["id"], "header": await _header(recipient)})
    assert response.status_code == 409 and response.json()["code"] == "mandat_requis"
    assert user["email"] in response.json()["message"]


async def test_only_the_gestionnaire_principal_subscribes_the_mandate_with_a_matching_signature(client, anonymous):
    user, structure = await supplier_with_structure(client)
    colleague = await make_user()
    await attach(colleague["id"], structure["id"], profiles={Application.FACTURES_EMISES: Level.MODIFICATION})
    await login(anonymous, colleague["email"], colleague["password"])
    body = {"name": "Mandat", "signed_name": f"Camille {user['last_name']}", "accept_terms": True}
    assert (await anonymous.post(f"/api/structures/{structure['id']}/mandate", json=body)).status_code == 403
    bad = await client.post(f"/api/structures/{structure['id']}/mandate", json={**body, "signed_name": "Quelqu'un d'autre"})
    assert bad.status_code == 400 and bad.json()["code"] == "signature_invalide"
    unaccepted = await client.post(f"/api/structures/{structure['id']}/mandate", json={**body, "accept_terms": False})
    assert unaccepted.json()["code"] == "conditions_non_acceptees"


async def test_a_typed_invoice_with_two_rates_is_sent_routed_and_its_facturx_validates(client, worker):
    user, structure = await supplier_with_structure(client)
    recipient = await make_structure(public=True, services=(("S1", "Service un"),))
    await _mandate(client, structure, user)
    created = await client.post("/api/invoices/manual", json={"structure_id": structure["id"], "header": await _header(recipient),
                                                               "lines": LINES})
    assert created.status_code == 201, created.text
    invoice_id = created.json()["id"]
    async with connection() as conn:
        row = await conn.fetchrow("SELECT * FROM invoice WHERE id = $1", invoice_id)
        vats = await conn.fetch("SELECT rate, base, amount FROM invoice_vat WHERE invoice_id = $1 ORDER BY rate DESC", invoice_id)
    # 49.90 + 14.00 (= 15.05 - 1.05 discount) at 20 %, 52.05 at 5.5 % (2.86275 → 2.86)
    assert [(str(v["rate"]), str(v["base"]), str(v["amount"])) for v in vats] == [("20.00", "63.90", "12.78"), ("5.50", "52.05", "2.86")]
    assert str(row["total_ht"]) == "115.95" and str(row["total_ttc"]) == "131.59" and row["status"] == "BROUILLON"
    sent = await client.post(f"/api/invoices/{invoice_id}/manual/send")
    assert sent.status_code == 200, sent.text
    for _ in range(50):
        async with connection() as conn:
            status = await conn.fetchval("SELECT status FROM invoice WHERE id = $1", invoice_id)
        if status == "MISE_A_DISPOSITION":
            break
        await asyncio.sleep(0.1)
    assert status == "MISE_A_DISPOSITION"
    pdf = await client.get(f"/api/invoices/{invoice_id}/facturx.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    _, xml = get_xml_from_pdf(pdf.content, check_xsd=True)
    report = validate_en16931(xml)
    assert report.valid, report.fatal_rules
    # Every layer, the French reform rules included (legal notes, business process, SIREN, electronic addresses).
    layers = check_xml(xml, pdf=pdf.content)
    assert {layer.name: layer.status for layer in layers.layers} == {"xsd": "conforme", "en16931": "conforme", "fr": "conforme"}, \
        [a["rule"] for a in layers.warnings()]


async def test_duplicating_copies_all_but_number_dates_status_and_a_credit_note_references_its_invoice(client, worker):
    user, structure = await supplier_with_structure(client)
    recipient = await make_structure(public=True, services=(("S1", "Service un"),))
    await _mandate(client, structure, user)
    invoice_id = (await client.post("/api/invoices/manual", json={"structure_id": structure["id"], "header": await _header(recipient, "M-9"),
                                                                  "lines": LINES})).json()["id"]
    assert (await client.post(f"/api/invoices/{invoice_id}/manual/send")).status_code == 200
    copy_id = (await copy_through_prefill(client, invoice_id)).json()["id"]
    async with connection() as conn:
        copy = await conn.fetchrow("SELECT * FROM invoice WHERE id = $1", copy_id)
        lines = await conn.fetchval("SELECT count(*) FROM invoice_line WHERE invoice_id = $1", copy_id)
    assert copy["number"] is None and copy["invoice_date"] is None and copy["status"] == "BROUILLON" and copy["deposit_number"] is None
    assert copy["recipient_structure_id"] == recipient["id"] and lines == 3 and str(copy["total_ttc"]) == "131.59"
    same_number = await client.put(f"/api/invoices/{copy_id}/manual", json={"structure_id": structure["id"],
                                                                             "header": {"number": "M-9", "invoice_date": "2026-03-13"},
                                                                             "lines": LINES})
    assert same_number.status_code == 200
    refused = await client.post(f"/api/invoices/{copy_id}/manual/send")
    assert refused.status_code in (409, 422) and "M-9" in refused.json()["message"]
    avoir = (await copy_through_prefill(client, invoice_id, "credit-note")).json()["id"]
    async with connection() as conn:
        credit = await conn.fetchrow("SELECT kind, credit_note_of_id FROM invoice WHERE id = $1", avoir)
    assert credit["kind"] == "AVOIR" and credit["credit_note_of_id"] == invoice_id


@pytest.mark.parametrize("line,code", [
    ({"description": "X", "quantity": "0", "unit_price": "1", "vat_rate": "20"}, "quantite_invalide"),
    ({"description": "X", "quantity": "-2", "unit_price": "1", "vat_rate": "20"}, "quantite_invalide"),
    ({"description": "X", "quantity": "1", "unit_price": "1", "vat_rate": "19.6"}, "taux_tva_inconnu"),
    ({"description": "X", "quantity": "1", "unit_price": "1", "vat_rate": "0"}, "motif_exoneration"),
    ({"description": "X", "quantity": "99999999", "unit_price": "99999999", "vat_rate": "20"}, "montant_trop_grand"),
    ({"description": "X", "quantity": "abc", "unit_price": "1", "vat_rate": "20"}, "nombre_invalide"),
])
async def test_bad_lines_are_refused_and_nothing_is_saved(client, line, code):
    user, structure = await supplier_with_structure(client)
    recipient = await make_structure(public=True, services=(("S1", "Service un"),))
    await _mandate(client, structure, user)
    response = await client.post("/api/invoices/manual", json={"structure_id": structure["id"], "header": await _header(recipient),
                                                               "lines": [line]})
    assert response.status_code in (400, 422) and response.json()["code"] == code
    async with connection() as conn:
        assert await conn.fetchval("SELECT count(*) FROM invoice WHERE supplier_structure_id = $1", structure["id"]) == 0


async def test_sending_without_any_line_is_refused(client):
    user, structure = await supplier_with_structure(client)
    recipient = await make_structure(public=True, services=(("S1", "Service un"),))
    await _mandate(client, structure, user)
    invoice_id = (await client.post("/api/invoices/manual", json={"structure_id": structure["id"], "header": await _header(recipient)})).json()["id"]
    response = await client.post(f"/api/invoices/{invoice_id}/manual/send")
    assert response.status_code == 422 and response.json()["code"] == "ligne_obligatoire"


async def test_a_typed_invoice_carries_its_attachments(client):
    user, structure = await supplier_with_structure(client)
    recipient = await make_structure(public=True, services=(("S1", "Service un"),))
    await _mandate(client, structure, user)
    upload = await client.post(f"/api/invoices/uploads?role=piece_jointe&structure_id={structure['id']}",
                               content=b"numero;montant\nF-1;12,00\nF-2;13,00\n", headers={"X-Filename": "detail.csv"})
    assert upload.status_code == 201, upload.text
    file_id = upload.json()["id"]
    header = {**(await _header(recipient, "PJ-1")), "attachments": [{"file_id": file_id, "designation": "Détail des prestations"}]}
    invoice_id = (await client.post("/api/invoices/manual", json={"structure_id": structure["id"], "header": header, "lines": LINES})).json()["id"]
    async with connection() as conn:
        row = await conn.fetchrow("SELECT invoice_id, designation FROM invoice_file WHERE id = $1", file_id)
    assert row["invoice_id"] == invoice_id and row["designation"] == "Détail des prestations"


async def test_a_copy_offers_the_original_attachments_instead_of_copying_them(client):
    from backend.domain.accounts.identity import Principal
    from backend.domain.invoices import manual

    user, structure = await supplier_with_structure(client)
    recipient = await make_structure(public=True, services=(("S1", "Service un"),))
    await _mandate(client, structure, user)
    upload = await client.post(f"/api/invoices/uploads?role=piece_jointe&structure_id={structure['id']}",
                               content=b"a;b\n1;2\n3;4\n", headers={"X-Filename": "annexe.csv"})
    header = {**(await _header(recipient, "OF-1")), "attachments": [{"file_id": upload.json()["id"], "designation": "Annexe"}]}
    original = (await client.post("/api/invoices/manual", json={"structure_id": structure["id"], "header": header, "lines": LINES})).json()["id"]
    copy_id = (await copy_through_prefill(client, original)).json()["id"]
    principal = Principal(user_id=user["id"], email=user["email"], display_name="x")
    async with connection() as conn:
        assert await conn.fetchval("SELECT count(*) FROM invoice_file WHERE invoice_id = $1", copy_id) == 0  # not silently copied
    offered = await manual.offered_attachments(principal, copy_id)
    assert [f["designation"] for f in offered] == ["Annexe"]
    new_id = await manual.reuse_attachment(principal, copy_id, offered[0]["id"])
    assert new_id != offered[0]["id"] and await manual.offered_attachments(principal, copy_id) == []


async def test_the_mandates_address_and_signatory_are_the_structures_and_the_users_whatever_is_sent(client):
    user, structure = await supplier_with_structure(client)
    response = await client.post(f"/api/structures/{structure['id']}/mandate", json={
        "name": "Mandat", "postal_address": "Ailleurs", "signatory": "Quelqu'un d'autre",
        "signed_name": f"Camille {user['last_name']}", "accept_terms": True})
    assert response.status_code == 201, response.text
    active = (await client.get(f"/api/structures/{structure['id']}/mandate")).json()["active"]
    assert active["postal_address"] == "1 rue de la Paix, 75002 Paris"
    assert active["signatory"] == f"Camille {user['last_name']}"
