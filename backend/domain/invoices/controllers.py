"""Invoice routes (JSON): uploads, creation from an upload, draft edits, sending, reading, files."""

from __future__ import annotations

from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.params import Parameter
from litestar.response import Stream

from backend.domain.accounts.identity import Principal
from backend.domain.invoices import lookups, queries, services, uploads
from backend.domain.invoices.certificate import render_certificate
from backend.domain.invoices.schemas import (Invoice, InvoiceCreate, InvoicePage, InvoiceSend, InvoiceUpdate, Party, Service,
                                             Upload, present)
from backend.infra.openapi import binary_upload, file_response
from backend.infra.request_body import UPLOAD_BODY_LIMIT, content_disposition, request_chunks
from backend.infra.schemas import first_cursor, shape
from backend.infra.uploads import stored_download


class InvoiceController(Controller):
    path = "/api/invoices"
    tags = ["factures"]

    @post("/uploads", operation_id="uploadInvoiceFile", status_code=201, request_max_body_size=UPLOAD_BODY_LIMIT,
          opt=binary_upload("The invoice PDF or the attachment (BMP, PNG, XML, CSV, TIF, PDF), 30 MB at most."))
    async def upload(self, request: Request, principal: Principal, name: str = "", role: str = "principal",
                     structure_id: int | None = None, topic: str | None = None) -> Upload:
        """The raw file as the request body (`?name=` its file name). `role`: principal (the invoice PDF,
        read at once) or piece_jointe. 413 past 30 MB, 415 for a refused type."""
        return shape(await uploads.receive_upload(principal, request_chunks(request), content_length=request.content_length,
                                                  name=name, role=role, structure_id=structure_id, topic=topic), Upload)

    @get("/uploads/{file_id:int}", operation_id="getUpload")
    async def upload_state(self, principal: Principal, file_id: int) -> Upload:
        return shape(await uploads.upload_status(principal, file_id), Upload)

    @post("/", operation_id="createInvoice", status_code=201)
    async def create(self, principal: Principal, data: InvoiceCreate) -> Invoice:
        """A PROVISOIRE (or, with `draft`, BROUILLON) invoice from an uploaded PDF."""
        fields = present(data)
        cadre = fields.pop("cadre", None) or "A1"
        return shape(await services.create_invoice(principal, upload_id=data.upload_id, structure_id=data.structure_id,
                                                   cadre=cadre, fields=fields, draft=data.draft), Invoice)

    @get("/", operation_id="listIssuedInvoices")
    async def list_issued(self, principal: Principal, structure_id: int, cursor: str | None = None, limit: int = 20,
                          status: list[str] | None = None,
                          after: str | None = Parameter(default=None, description="The former name of `cursor`.")) -> InvoicePage:
        """The structure's invoices, newest first; `cursor`: a page's `next`."""
        return shape(await queries.list_issued(principal, structure_id, after=first_cursor(cursor, after), limit=limit,
                                               statuses=tuple(status or ())), InvoicePage)

    @get("/{invoice_id:int}", operation_id="getInvoice")
    async def detail(self, principal: Principal, invoice_id: int) -> Invoice:
        return shape(await queries.get_invoice(principal, invoice_id), Invoice)

    @patch("/{invoice_id:int}", operation_id="updateDraft")
    async def update(self, principal: Principal, invoice_id: int, data: InvoiceUpdate) -> Invoice:
        """Draft edit; `version` (optional) is the version the edit is based on; `save_draft: true` saves
        a PROVISOIRE invoice as BROUILLON."""
        return shape(await services.update_draft(principal, invoice_id, present(data), expected_version=data.version,
                                                 save_draft=data.save_draft), Invoice)

    @post("/{invoice_id:int}/check", operation_id="checkInvoiceBeforeSend", status_code=200)
    async def check(self, principal: Principal, invoice_id: int, data: InvoiceSend) -> Invoice:
        """Before « Valider et envoyer » confirms: the last edits saved, then every check the send makes
        (422 with each problem, the edits kept)."""
        return shape(await services.check_before_send(principal, invoice_id, present(data), expected_version=data.version),
                     Invoice)

    @delete("/{invoice_id:int}", operation_id="deleteInvoice", status_code=204)
    async def remove(self, principal: Principal, invoice_id: int) -> None:
        await services.delete_invoice(principal, invoice_id)

    @post("/{invoice_id:int}/send", operation_id="sendInvoice", status_code=200)
    async def send(self, principal: Principal, invoice_id: int, data: InvoiceSend | None = None) -> Invoice:
        """« Valider et envoyer », with last edits if given; then the invoice is routed in the background."""
        data = data or InvoiceSend()
        return shape(await services.send_invoice(principal, invoice_id, fields=present(data), expected_version=data.version),
                     Invoice)

    @get("/{invoice_id:int}/files/{file_id:int}", operation_id="downloadInvoiceFile",
         responses=file_response("The file as uploaded (PDF, image, XML, CSV).", "application/octet-stream"))
    async def download(self, principal: Principal, invoice_id: int, file_id: int) -> Stream:
        row = await queries.file_for_download(principal, invoice_id, file_id)
        return stored_download(row["storage_key"], content_type=row["content_type"], name=row["original_name"], size=row["size"])

    @get("/{invoice_id:int}/files/{file_id:int}/pages/{page:int}", operation_id="previewInvoicePage",
         responses=file_response("A page of the invoice's PDF (1 to 3) as a PNG, for the form's preview.", "image/png"))
    async def page_preview(self, principal: Principal, invoice_id: int, file_id: int, page: int) -> Response[bytes]:
        """A page of the invoice's PDF as a PNG: the form shows where each prefilled field was read."""
        png = await queries.page_preview(principal, invoice_id, file_id, page)
        return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=3600",
                                                              "X-Content-Type-Options": "nosniff"})

    @get("/{invoice_id:int}/certificate.pdf", operation_id="downloadCertificate",
         responses=file_response("The deposit certificate (attestation de dépôt).", "application/pdf"))
    async def certificate(self, principal: Principal, invoice_id: int) -> Response[bytes]:
        view = await queries.deposited_view(principal, invoice_id)
        return Response(render_certificate(view), media_type="application/pdf", headers={
            "Content-Disposition": content_disposition(f"attestation-depot-{view['deposit_number']}.pdf")})


class LookupController(Controller):
    """What the invoice forms look up while a person types: registered structures and their services."""

    path = "/api/lookups"
    tags = ["factures"]

    @get("/structures/by-siret/{siret:str}", operation_id="structureBySiret")
    async def by_siret(self, principal: Principal, siret: str) -> Party | None:
        """The registered structure with this SIRET (public ones first), null when none is registered."""
        found = await lookups.recipient_by_siret(siret)
        return None if found is None else shape(found, Party)

    @get("/structures/{structure_id:int}", operation_id="structureById")
    async def by_id(self, principal: Principal, structure_id: int) -> Party | None:
        found = await lookups.structure_by_id(structure_id)
        return None if found is None else shape(found, Party)

    @get("/structures/{structure_id:int}/services", operation_id="structureServices")
    async def services_of(self, principal: Principal, structure_id: int, active_only: bool = True) -> list[Service]:
        return shape(await lookups.services_of(structure_id, active_only=active_only), list[Service])
