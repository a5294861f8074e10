"""Routes of typed-in invoices, duplication, credit notes and Factur-X downloads (the services the
manual-entry screen calls too)."""

from __future__ import annotations

from litestar import Controller, Response, get, post, put

from backend.domain.accounts.identity import Principal
from backend.domain.invoices import manual
from backend.domain.invoices.schemas import (AttachmentReuse, Invoice, ManualInvoice, ManualInvoiceCreate, ManualInvoicePrefill,
                                             ManualInvoiceUpdate,
                                             ManualMandate, OfferedAttachment, Service)
from backend.infra.openapi import file_response
from backend.infra.schemas import Created, shape


class ManualInvoiceController(Controller):
    path = "/api/invoices"
    tags = ["factures"]

    @post("/manual", operation_id="createManualInvoice", status_code=201)
    async def create(self, principal: Principal, data: ManualInvoiceCreate) -> Created:
        return Created(id=await manual.save_manual(principal, structure_id=data.structure_id, header=data.header, lines=data.lines))

    @get("/manual/mandate", operation_id="manualEntryMandate")
    async def mandate(self, principal: Principal, structure_id: int) -> ManualMandate:
        """Whether the structure may type invoices in, and who can subscribe its billing mandate."""
        return shape(await manual.mandate_status(principal, structure_id), ManualMandate)

    @get("/manual/recipient-services", operation_id="manualRecipientServices")
    async def recipient_services(self, principal: Principal, siret: str = "") -> list[Service]:
        """The active services of the public structure registered with this SIRET (none when it is not)."""
        return shape(await manual.recipient_services(siret or None), list[Service])

    @get("/{invoice_id:int}/manual", operation_id="getManualInvoice")
    async def form(self, principal: Principal, invoice_id: int) -> ManualInvoice:
        """The draft as the typed-in form edits it (header, lines, attachments)."""
        return shape(await manual.manual_form(principal, invoice_id), ManualInvoice)

    @put("/{invoice_id:int}/manual", operation_id="updateManualInvoice")
    async def update(self, principal: Principal, invoice_id: int, data: ManualInvoiceUpdate) -> Created:
        return Created(id=await manual.save_manual(principal, structure_id=data.structure_id, header=data.header, lines=data.lines,
                                                   invoice_id=invoice_id))

    @post("/{invoice_id:int}/manual/send", operation_id="sendManualInvoice", status_code=200)
    async def send(self, principal: Principal, invoice_id: int) -> Invoice:
        return shape(await manual.send_manual(principal, invoice_id), Invoice)

    # Duplicating and crediting create nothing until saved, for API clients as in the interface: these GETs
    # prefill, and POST /api/invoices/manual with the prefill creates the draft. The POSTs on the same paths,
    # which created a draft at once, are gone (405).
    @get("/{invoice_id:int}/duplicate", operation_id="duplicateInvoiceForm")
    async def duplicate_form(self, principal: Principal, invoice_id: int) -> ManualInvoicePrefill:
        """« Dupliquer »: the form prefilled from the invoice (no number, no date; `header.duplicated_from_id`
        set); creates nothing. The copy is created by `POST /api/invoices/manual` with this `structure_id`,
        `header` (a number and a date filled in) and `lines`. POST on this path no longer exists (405)."""
        return shape(await manual.duplicate_form(principal, invoice_id), ManualInvoicePrefill)

    @get("/{invoice_id:int}/credit-note", operation_id="creditNoteForm")
    async def credit_note_form(self, principal: Principal, invoice_id: int) -> ManualInvoicePrefill:
        """« Créer un avoir »: the credit note's form prefilled from the invoice (`header.kind` AVOIR,
        `header.credit_note_of_id` set); creates nothing. The credit note is created by
        `POST /api/invoices/manual` with this prefill. POST on this path no longer exists (405)."""
        return shape(await manual.duplicate_form(principal, invoice_id, credit_note=True), ManualInvoicePrefill)

    @post("/{invoice_id:int}/duplicate/attachments", operation_id="reuseAttachmentForCopy", status_code=201)
    async def reuse_for_copy(self, principal: Principal, invoice_id: int, data: AttachmentReuse) -> Created:
        """One of the invoice's attachments as the user's pending upload, for a copy not saved yet."""
        return Created(id=await manual.reuse_for_copy(principal, invoice_id, data.file_id))

    @get("/{invoice_id:int}/offered-attachments", operation_id="offeredAttachments")
    async def offered(self, principal: Principal, invoice_id: int) -> list[OfferedAttachment]:
        """On a copy: the original's attachments it does not carry yet."""
        return shape(await manual.offered_attachments(principal, invoice_id), list[OfferedAttachment])

    @post("/{invoice_id:int}/offered-attachments", operation_id="reuseAttachment", status_code=201)
    async def reuse(self, principal: Principal, invoice_id: int, data: AttachmentReuse) -> Created:
        """Copy one of the original's attachments onto the copy (its own stored file)."""
        return Created(id=await manual.reuse_attachment(principal, invoice_id, data.file_id))

    @get("/{invoice_id:int}/facturx.pdf", operation_id="downloadFacturX",
         responses=file_response("The invoice as a Factur-X PDF (EN 16931 profile).", "application/pdf"))
    async def facturx(self, principal: Principal, invoice_id: int) -> Response[bytes]:
        pdf = await manual.facturx_pdf(principal, invoice_id)
        return Response(pdf, media_type="application/pdf",
                        headers={"Content-Disposition": f'attachment; filename="facturx-{invoice_id}.pdf"'})
