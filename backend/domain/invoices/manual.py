"""Saisir une facture: header and lines typed in, totals computed here; duplication and credit notes;
the Factur-X (EN 16931) of every typed invoice.

Lines and totals are written in the invoice's transaction; the header goes through the same parsing
and lookups as a PDF deposit (fields.parse_changes, editing.resolve), and sending uses the same checks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from backend.domain.accounts.identity import Principal
from backend.domain.einvoice.facturx_pdf import make_facturx_pdf
from backend.domain.einvoice.model import DocumentLine, InvoiceDocument, Party, VatBreakdownLine, french_vat_id
from backend.domain.invoices import counters, editing, rules
from backend.domain.invoices.fields import parse_changes
from backend.domain.invoices.lifecycle import invoice_not_found
from backend.domain.structures.mandate import active_mandate, principal_manager_of
from backend.domain.structures.permissions import require
from backend.infra.database import connection
from backend.infra.errors import ChoraleError
from shared.applications import Application, Level
from shared.cadres import InvoiceKind
from shared.invoice_status import InvoiceStatus

LINE_FIELDS = ("description", "quantity", "unit", "unit_price", "discount", "vat_rate", "exemption_reason")


def parse_lines(raw: Sequence[Mapping[str, Any]]) -> list[rules.InvoiceLine]:
    lines = []
    for index, item in enumerate(raw):
        def number(name: str, default: str | None = None) -> Decimal:
            value = str(item.get(name) if item.get(name) not in (None, "") else (default or "")).replace(" ", "").replace(",", ".")
            try:
                return Decimal(value)
            except InvalidOperation:
                raise ChoraleError("nombre_invalide", f"Ligne {index + 1} : valeur numérique invalide ({name}).",
                                   f"Line {index + 1}: invalid number ({name}).", field=f"lines[{index}].{name}") from None
        lines.append(rules.InvoiceLine(
            description=str(item.get("description") or "").strip(), quantity=number("quantity"), unit_price=number("unit_price"),
            vat_rate=number("vat_rate"), unit=str(item.get("unit") or "C62")[:10], discount=number("discount", "0"),
            exemption_reason=(str(item.get("exemption_reason") or "").strip() or None)))
    return lines


def _rule_error(error: rules.InvoiceRuleError) -> ChoraleError:
    return ChoraleError(error.code, error.message_fr, error.message_en, field=error.field, status_code=422)


async def require_mandate(structure_id: int) -> dict:
    mandate = await active_mandate(structure_id)
    if mandate is None:
        manager = await principal_manager_of(structure_id) or "le gestionnaire principal"
        raise ChoraleError(
            "mandat_requis",
            f"Saisir une facture exige un mandat de facturation actif pour cette structure. Son gestionnaire principal, {manager}, "
            "peut le souscrire depuis « Mandat de facturation ».",
            "Typing an invoice in requires an active billing mandate; the organisation's main manager can subscribe it.",
            status_code=409)
    return mandate


async def _write_lines(conn, invoice_id: int, lines: list[rules.InvoiceLine]) -> dict[str, Any]:
    await conn.execute("DELETE FROM invoice_line WHERE invoice_id = $1", invoice_id)
    await conn.execute("DELETE FROM invoice_vat WHERE invoice_id = $1", invoice_id)
    if not lines:
        return {"total_ht": None, "total_tva": None, "total_ttc": None, "net_a_payer": None}
    totals = rules.compute_totals(lines)
    await conn.executemany(
        """INSERT INTO invoice_line (invoice_id, position, description, quantity, unit, unit_price, discount, vat_rate,
                                     exemption_reason, net_amount) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)""",
        [(invoice_id, i, l.description, l.quantity, l.unit, l.unit_price, l.discount, l.vat_rate, l.exemption_reason, l.net_amount)
         for i, l in enumerate(lines, start=1)])
    await conn.executemany(
        "INSERT INTO invoice_vat (invoice_id, rate, category, base, amount, exemption_reason) VALUES ($1, $2, $3, $4, $5, $6)",
        [(invoice_id, b.rate, b.category, b.base, b.amount, b.exemption_reason) for b in totals.vat_breakdown])
    return {"total_ht": totals.total_ht, "total_tva": totals.total_tva, "total_ttc": totals.total_ttc, "net_a_payer": totals.net_a_payer}


async def save_manual(principal: Principal, *, structure_id: int, header: Mapping[str, Any], lines: Sequence[Mapping[str, Any]],
                      invoice_id: int | None = None, source: str = "SAISIE") -> int:
    """Create or update a typed-in draft (BROUILLON); lines may still be empty. Returns the invoice id."""
    await require(principal, structure_id=structure_id, application=Application.FACTURES_EMISES, level=Level.MODIFICATION)
    await require_mandate(structure_id)
    parsed_lines = parse_lines(lines)
    if parsed_lines:
        try:
            rules.validate_lines(parsed_lines)
        except rules.InvoiceRuleError as error:
            raise _rule_error(error) from None
    changes = parse_changes({k: v for k, v in header.items() if k not in ("kind", "credit_note_of_id", "payment_terms")})
    async with connection() as conn:
        async with conn.transaction():
            before = None
            if invoice_id is not None:
                before = await conn.fetchrow("SELECT * FROM invoice WHERE id = $1 FOR UPDATE", invoice_id)
                if before is None or before["supplier_structure_id"] != structure_id:
                    raise invoice_not_found()
                if not InvoiceStatus(before["status"]).editable_by_supplier:
                    raise ChoraleError("non_modifiable", "Cette facture n'est plus modifiable.", "This invoice can no longer be edited.",
                                       status_code=409)
            values = await editing.resolve(conn, changes, supplier_structure_id=structure_id, current=before)
            if before is None:
                row = await editing.insert(conn, {**values, "supplier_structure_id": structure_id, "source": source,
                                                  "status": InvoiceStatus.BROUILLON.value, "created_by": principal.user_id,
                                                  "kind": InvoiceKind(header.get("kind") or "FACTURE").value})
                invoice_id = row["id"]
            totals = await _write_lines(conn, invoice_id, parsed_lines)
            extra = {"payment_terms": (header.get("payment_terms") or None), "credit_note_of_id": header.get("credit_note_of_id")}
            row = await conn.fetchrow(
                """UPDATE invoice SET total_ht = $2, total_tva = $3, total_ttc = $4, net_a_payer = $5, payment_terms = $6,
                       credit_note_of_id = coalesce($7, credit_note_of_id), status = CASE WHEN status = 'PROVISOIRE' THEN 'BROUILLON' ELSE status END
                   WHERE id = $1 RETURNING *""", invoice_id, totals["total_ht"], totals["total_tva"], totals["total_ttc"],
                totals["net_a_payer"], extra["payment_terms"], extra["credit_note_of_id"])
            if values and before is not None:
                row = await editing.write(conn, invoice_id, values)
            removed = await editing.sync_attachments(conn, row, changes["attachments"], principal) if "attachments" in changes else []
            await counters.apply(conn, dict(before) if before else None, dict(row))
    from backend.infra import storage

    for key in removed:
        storage.delete(key)
    return invoice_id


async def _supplier_invoice(principal: Principal, invoice_id: int) -> tuple[Any, list[rules.InvoiceLine]]:
    """The invoice and its stored lines, for a supplier user who may modify it under an active mandate."""
    async with connection() as conn:
        invoice = await conn.fetchrow("SELECT * FROM invoice WHERE id = $1", invoice_id)
        if invoice is None:
            raise invoice_not_found()
        rows = await conn.fetch("SELECT * FROM invoice_line WHERE invoice_id = $1 ORDER BY position", invoice_id)
    await require(principal, structure_id=invoice["supplier_structure_id"], application=Application.FACTURES_EMISES, level=Level.MODIFICATION)
    await require_mandate(invoice["supplier_structure_id"])
    lines = [rules.InvoiceLine(r["description"], r["quantity"], r["unit_price"], r["vat_rate"], r["unit"], r["discount"],
                               r["exemption_reason"]) for r in rows]
    return invoice, lines


async def send_manual(principal: Principal, invoice_id: int) -> dict[str, Any]:
    """Check the lines and the mandate, then the deposit's own checks and lifecycle (send_invoice)."""
    from backend.domain.invoices.services import send_invoice

    _, lines = await _supplier_invoice(principal, invoice_id)
    try:
        rules.validate_lines(lines)
    except rules.InvoiceRuleError as error:
        raise _rule_error(error) from None
    return await send_invoice(principal, invoice_id)


async def copy_invoice(principal: Principal, invoice_id: int, *, credit_note: bool = False) -> int:
    """A new draft with everything but the number, dates, status, history and certificate; attachments are
    not copied (the form offers them). A credit note references the invoice it cancels."""
    source, copied = await _supplier_invoice(principal, invoice_id)
    if credit_note and InvoiceStatus(source["status"]) in (InvoiceStatus.BROUILLON, InvoiceStatus.PROVISOIRE):
        raise ChoraleError("avoir_impossible", "Un avoir se crée à partir d'une facture envoyée.", "A credit note needs a sent invoice.")
    async with connection() as conn:
        async with conn.transaction():
            row = await editing.insert(conn, {
                "supplier_structure_id": source["supplier_structure_id"], "source": "DUPLICATION", "status": InvoiceStatus.BROUILLON.value,
                "created_by": principal.user_id, "kind": "AVOIR" if credit_note else source["kind"], "cadre": source["cadre"],
                "recipient_structure_id": source["recipient_structure_id"], "recipient_service_id": source["recipient_service_id"],
                "supplier_service_id": source["supplier_service_id"], "engagement_number": source["engagement_number"],
                "purchase_order": source["purchase_order"], "currency": source["currency"], "comment": source["comment"]})
            totals = await _write_lines(conn, row["id"], copied)
            after = await conn.fetchrow(
                """UPDATE invoice SET total_ht = $2, total_tva = $3, total_ttc = $4, net_a_payer = $5, payment_terms = $6,
                       duplicated_from_id = $7, credit_note_of_id = $8 WHERE id = $1 RETURNING *""",
                row["id"], totals["total_ht"], totals["total_tva"], totals["total_ttc"], totals["net_a_payer"], source["payment_terms"],
                invoice_id, invoice_id if credit_note else None)
            await counters.apply(conn, None, dict(after))
    return row["id"]


async def invoice_document(invoice_id: int) -> InvoiceDocument:
    """The invoice in EN 16931 terms, from its stored header, lines and VAT breakdown."""
    async with connection() as conn:
        invoice = await conn.fetchrow("SELECT * FROM invoice WHERE id = $1", invoice_id)
        if invoice is None:
            raise invoice_not_found()
        lines = await conn.fetch("SELECT * FROM invoice_line WHERE invoice_id = $1 ORDER BY position", invoice_id)
        vats = await conn.fetch("SELECT * FROM invoice_vat WHERE invoice_id = $1 ORDER BY rate DESC", invoice_id)
        seller = await conn.fetchrow("SELECT * FROM structure WHERE id = $1", invoice["supplier_structure_id"])
        buyer = await conn.fetchrow("SELECT * FROM structure WHERE id = $1", invoice["recipient_structure_id"])
        service = await conn.fetchval("SELECT code FROM service WHERE id = $1", invoice["recipient_service_id"])
        preceding = await conn.fetchval("SELECT number FROM invoice WHERE id = $1", invoice["credit_note_of_id"])
    if not lines or buyer is None or invoice["number"] is None or invoice["invoice_date"] is None:
        raise ChoraleError("facturx_indisponible", "Le Factur-X est produit pour les factures saisies complètes (lignes, destinataire, numéro, date).",
                           "Factur-X is produced for complete typed-in invoices.", status_code=409)

    def party(row) -> Party:
        siret = row["identifier"] if row["identifier_type"] == "SIRET" else None
        return Party(name=row["raison_sociale"], siret=siret, vat_id=french_vat_id(siret[:9]) if siret and not row["is_public"] else None,
                     address=row["address"], postcode=row["postcode"], city=row["city"], country_code=row["country"])

    return InvoiceDocument(
        number=invoice["number"], issue_date=invoice["invoice_date"], seller=party(seller), buyer=party(buyer),
        lines=tuple(DocumentLine(str(l["position"]), l["description"], l["quantity"], l["unit_price"], l["net_amount"],
                                 "E" if l["vat_rate"] == 0 else "S", l["vat_rate"], unit_code=l["unit"], discount=l["discount"])
                    for l in lines),
        vat_breakdown=tuple(VatBreakdownLine(v["category"], v["rate"], v["base"], v["amount"], v["exemption_reason"]) for v in vats),
        total_ht=invoice["total_ht"], total_tva=invoice["total_tva"], total_ttc=invoice["total_ttc"], net_a_payer=invoice["net_a_payer"],
        type_code=InvoiceKind(invoice["kind"]).type_code, currency=invoice["currency"], buyer_reference=service,
        purchase_order_reference=invoice["engagement_number"], preceding_invoice_reference=preceding,
        payment_terms=invoice["payment_terms"], iban=invoice["iban"])


async def facturx_pdf(principal: Principal, invoice_id: int) -> bytes:
    """Supplier and recipient alike may download it (the same visibility as the invoice)."""
    from backend.domain.invoices.queries import visible_invoice

    await visible_invoice(principal, invoice_id)
    return make_facturx_pdf(await invoice_document(invoice_id))


async def offered_attachments(principal: Principal, invoice_id: int) -> list[dict]:
    """On a copy: the original invoice's attachments, offered rather than copied silently."""
    async with connection() as conn:
        row = await conn.fetchrow("SELECT supplier_structure_id, duplicated_from_id FROM invoice WHERE id = $1", invoice_id)
        if row is None or row["duplicated_from_id"] is None:
            return []
        await require(principal, structure_id=row["supplier_structure_id"], application=Application.FACTURES_EMISES, level=Level.MODIFICATION)
        files = await conn.fetch(
            """SELECT f.id, f.designation, f.original_name, f.size FROM invoice_file f WHERE f.invoice_id = $1 AND f.role = 'piece_jointe'
               AND NOT EXISTS (SELECT 1 FROM invoice_file c WHERE c.invoice_id = $2 AND c.role = 'piece_jointe' AND c.sha256 = f.sha256)
               ORDER BY f.id""", row["duplicated_from_id"], invoice_id)
    return [dict(f) for f in files]


async def reuse_attachment(principal: Principal, invoice_id: int, file_id: int) -> int:
    """Copy one of the original's attachments onto the copy (its own stored file, so deleting one keeps the other)."""
    from backend.infra import storage

    offered = {f["id"] for f in await offered_attachments(principal, invoice_id)}
    if file_id not in offered:
        raise ChoraleError("piece_jointe_introuvable", "Pièce jointe introuvable.", "Attachment not found.", status_code=404)
    async with connection() as conn:
        source = await conn.fetchrow("SELECT * FROM invoice_file WHERE id = $1", file_id)
        key = storage.new_key("attachments")
        storage.save_bytes(storage.path_for(source["storage_key"]).read_bytes(), key=key)
        try:
            return await conn.fetchval(
                """INSERT INTO invoice_file (invoice_id, role, designation, original_name, content_type, size, sha256, storage_key, uploaded_by)
                   VALUES ($1, 'piece_jointe', $2, $3, $4, $5, $6, $7, $8) RETURNING id""",
                invoice_id, source["designation"], source["original_name"], source["content_type"], source["size"], source["sha256"],
                key, principal.user_id)
        except Exception:
            storage.delete(key)
            raise
