"""Shared steps of the manual-entry tests: typed lines, a subscribed mandate, a complete header."""

from __future__ import annotations

LINES = [{"description": "Ramettes de papier", "quantity": "10", "unit_price": "4.99", "vat_rate": "20"},
         {"description": "Manuels scolaires", "quantity": "3", "unit_price": "17.35", "vat_rate": "5.5"},
         {"description": "Classeurs", "quantity": "7", "unit_price": "2.15", "vat_rate": "20", "discount": "1.05"}]


async def _mandate(client, structure, user):
    response = await client.post(f"/api/structures/{structure['id']}/mandate", json={
        "name": "Mandat", "postal_address": "1 rue de la Paix, 75002 Paris", "signatory": f"Camille {user['last_name']}",
        "signed_name": f"Camille {user['last_name']}", "accept_terms": True})
    assert response.status_code == 201, response.text


async def _header(recipient, number="M-2026-001"):
    return {"number": number, "invoice_date": "2026-03-12", "recipient_siret": recipient["identifier"],
            "recipient_service_code": recipient["services"][0]["code"], "engagement_number": "EJ-55", "payment_terms": "30 jours"}


async def copy_through_prefill(client, invoice_id: int, route: str = "duplicate", **typed: str):
    """« Dupliquer » (route "duplicate") or « Créer un avoir » ("credit-note") as an API client does it:
    GET the prefilled form, then POST /api/invoices/manual with it (`typed`: header fields filled in, e.g. a
    number). Returns the creation's response; a refused prefill's response when the GET is refused."""
    form = await client.get(f"/api/invoices/{invoice_id}/{route}")
    if form.status_code != 200:
        return form
    prefill = form.json()
    header = {**prefill["header"], "recipient_siret": prefill["recipient_siret"] or "",
              **{f"{key}_siret": validator["siret"] for key, validator in prefill["validators"].items()}, **typed}
    return await client.post("/api/invoices/manual", json={"structure_id": prefill["structure_id"], "header": header,
                                                           "lines": prefill["lines"]})
