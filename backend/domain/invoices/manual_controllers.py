"""Routes of typed-in invoices, duplication, credit notes and Factur-X downloads."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from litestar import Controller, Response, get, post, put

from backend.domain.accounts.identity import Principal
from backend.domain.invoices import manual


@dataclass
class ManualInvoice:
    structure_id: int
    header: dict[str, Any] = field(default_factory=dict)
    lines: list[dict[str, Any]] = field(default_factory=list)


class ManualInvoiceController(Controller):
    path = "/api/invoices"
    tags = ["factures"]

    @post("/manual", operation_id="createManualInvoice", status_code=201)
    async def create(self, principal: Principal, data: ManualInvoice) -> dict:
        return {"id": await manual.save_manual(principal, structure_id=data.structure_id, header=data.header, lines=data.lines)}

    @put("/{invoice_id:int}/manual", operation_id="updateManualInvoice")
    async def update(self, principal: Principal, invoice_id: int, data: ManualInvoice) -> dict:
        return {"id": await manual.save_manual(principal, structure_id=data.structure_id, header=data.header, lines=data.lines,
                                               invoice_id=invoice_id)}

    @post("/{invoice_id:int}/manual/send", operation_id="sendManualInvoice", status_code=200)
    async def send(self, principal: Principal, invoice_id: int) -> dict:
        return await manual.send_manual(principal, invoice_id)

    @post("/{invoice_id:int}/duplicate", operation_id="duplicateInvoice", status_code=201)
    async def duplicate(self, principal: Principal, invoice_id: int) -> dict:
        return {"id": await manual.copy_invoice(principal, invoice_id)}

    @post("/{invoice_id:int}/credit-note", operation_id="createCreditNote", status_code=201)
    async def credit_note(self, principal: Principal, invoice_id: int) -> dict:
        return {"id": await manual.copy_invoice(principal, invoice_id, credit_note=True)}

    @get("/{invoice_id:int}/facturx.pdf", operation_id="downloadFacturX")
    async def facturx(self, principal: Principal, invoice_id: int) -> Response[bytes]:
        pdf = await manual.facturx_pdf(principal, invoice_id)
        return Response(pdf, media_type="application/pdf",
                        headers={"Content-Disposition": f'attachment; filename="facturx-{invoice_id}.pdf"'})
