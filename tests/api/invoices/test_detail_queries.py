"""The invoice detail (« Consulter ») reads its invoice, names, services, files and history in a few
statements, not one per part: counted against the real PostgreSQL."""

from __future__ import annotations

from dataclasses import replace

from backend.domain.accounts.identity import Principal
from backend.domain.invoices import queries
from backend.domain.structures.permissions import grants_of
from tests.support.factories import recipient_with_structure, supplier_with_structure
from tests.support.invoices import send_typed_invoice
from tests.support.query_count import counted_queries


async def test_the_detail_is_read_in_three_statements_with_every_name(client):
    supplier_user, supplier = await supplier_with_structure(name="Atelier Compté")
    _, recipient = await recipient_with_structure(name="Mairie Comptée", services=(("SERV1", "Service un"),))
    invoice_id = await send_typed_invoice(supplier_user, supplier, recipient, number="CPT-1", service_code="SERV1")
    principal = Principal(user_id=supplier_user["id"], email=supplier_user["email"], display_name="Fournisseur")
    principal = replace(principal, grants=await grants_of(principal))  # as an HTTP request has them, read with the session

    with counted_queries() as sent:
        view = await queries.get_invoice(principal, invoice_id)

    assert view["supplier"]["name"] == "Atelier Compté" and view["recipient"]["name"] == "Mairie Comptée"
    assert view["recipient"]["identifier"] == recipient["identifier"]
    assert (view["recipient_service"]["code"], view["recipient_service"]["libelle"]) == ("SERV1", "Service un")
    assert [f["role"] for f in view["files"]] == []  # typed in: no file yet
    assert [h["status_to"] for h in view["history"]][:2] == ["BROUILLON", "DEPOSEE"]
    # The supplier's moves name them; the routing job's (if it ran already) name nobody.
    name = f"{supplier_user['first_name']} {supplier_user['last_name']}"
    assert [h["actor"] for h in view["history"]] == [name if h["actor_user_id"] else None for h in view["history"]]
    assert [h["actor"] for h in view["history"][:2]] == [name, name]
    assert len(sent) <= 3, sent
