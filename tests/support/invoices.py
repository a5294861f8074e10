"""An invoice sent by a supplier through the real services (typed in, mandate included)."""

from __future__ import annotations

from backend.domain.accounts.identity import Principal
from backend.domain.invoices import manual
from backend.infra.database import connection


async def send_typed_invoice(supplier_user: dict, supplier: dict, recipient: dict, *, number: str, service_code: str | None = None) -> int:
    async with connection() as conn:
        await conn.execute(
            """INSERT INTO billing_mandate (structure_id, name, postal_address, signatory, signed_name, signed_by)
               SELECT $1, 'Mandat', '1 rue', 'X', 'X', $2 WHERE NOT EXISTS
               (SELECT 1 FROM billing_mandate WHERE structure_id = $1 AND revoked_at IS NULL)""", supplier["id"], supplier_user["id"])
    principal = Principal(user_id=supplier_user["id"], email=supplier_user["email"], display_name="Fournisseur")
    header = {"number": number, "invoice_date": "2026-03-12", "recipient_siret": recipient["identifier"]}
    if service_code:
        header["recipient_service_code"] = service_code
    invoice_id = await manual.save_manual(principal, structure_id=supplier["id"], header=header,
                                          lines=[{"description": "Prestation", "quantity": "2", "unit_price": "50", "vat_rate": "20"}])
    await manual.send_manual(principal, invoice_id)
    return invoice_id
