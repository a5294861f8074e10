"""Invoice routes (JSON): uploads, creation from an upload, draft edits, sending, reading, files."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.exceptions import InternalServerException
from litestar.response import Stream

from backend.domain.accounts.identity import Principal
from backend.domain.invoices import queries, services, uploads
from backend.domain.invoices.certificate import render_certificate
from backend.infra import storage
from backend.infra.errors import ChoraleError
from backend.infra.files import MAX_UPLOAD_BYTES

# The body limit of the upload route only: the file plus room for the request itself. Bigger bodies
# are cut by Litestar; the service refuses anything past 30 MB with its own message first.
UPLOAD_BODY_LIMIT = MAX_UPLOAD_BYTES + 1024 * 1024


def _int(data: dict[str, Any], key: str, required: bool = False) -> int | None:
    value = data.pop(key, None)
    if value is None and not required:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ChoraleError("champ_invalide", f"Valeur invalide pour {key}.", f"Invalid value for {key}.",
                           field=key, status_code=422) from None


async def request_chunks(request: Request):
    """The request body as it arrives; a client gone midway (« Annuler l'envoi ») is an expected outcome."""
    try:
        async for chunk in request.stream():
            yield chunk
    except InternalServerException:
        raise ChoraleError("envoi_interrompu", "L'envoi a été interrompu.", "The upload was interrupted.",
                           field="file", status_code=400) from None


def _disposition(name: str) -> str:
    ascii_name = name.encode("ascii", "replace").decode().replace('"', "'").replace("?", "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


class InvoiceController(Controller):
    path = "/api/invoices"
    tags = ["factures"]

    @post("/uploads", operation_id="uploadInvoiceFile", status_code=201, request_max_body_size=UPLOAD_BODY_LIMIT)
    async def upload(self, request: Request, principal: Principal, name: str = "", role: str = "principal",
                     structure_id: int | None = None, topic: str | None = None) -> dict[str, Any]:
        """The raw file as the request body (`?name=` its file name). `role`: principal (the invoice PDF,
        read at once) or piece_jointe. 413 past 30 MB, 415 for a refused type."""
        return await uploads.receive_upload(principal, request_chunks(request), content_length=request.content_length, name=name,
                                            role=role, structure_id=structure_id, topic=topic)

    @get("/uploads/{file_id:int}", operation_id="getUpload")
    async def upload_state(self, principal: Principal, file_id: int) -> dict[str, Any]:
        return await uploads.upload_status(principal, file_id)

    @post("/", operation_id="createInvoice", status_code=201)
    async def create(self, principal: Principal, data: dict[str, Any]) -> dict[str, Any]:
        """{upload_id, structure_id, cadre?, draft?, …fields}: a PROVISOIRE (or BROUILLON) invoice from a PDF."""
        data = dict(data)
        upload_id, structure_id = _int(data, "upload_id", True), _int(data, "structure_id", True)
        draft = bool(data.pop("draft", False))
        return await services.create_invoice(principal, upload_id=upload_id, structure_id=structure_id,
                                             cadre=data.pop("cadre", None) or "A1", fields=data, draft=draft)

    @get("/", operation_id="listIssuedInvoices")
    async def list_issued(self, principal: Principal, structure_id: int, after: str | None = None, limit: int = 20,
                          status: list[str] | None = None) -> dict[str, Any]:
        return await queries.list_issued(principal, structure_id, after=after, limit=limit, statuses=tuple(status or ()))

    @get("/{invoice_id:int}", operation_id="getInvoice")
    async def detail(self, principal: Principal, invoice_id: int) -> dict[str, Any]:
        return await queries.get_invoice(principal, invoice_id)

    @patch("/{invoice_id:int}", operation_id="updateDraft")
    async def update(self, principal: Principal, invoice_id: int, data: dict[str, Any]) -> dict[str, Any]:
        """Draft edit; `version` (optional) is the version the edit is based on; `save_draft: true` saves
        a PROVISOIRE invoice as BROUILLON."""
        data = dict(data)
        version, save_draft = _int(data, "version"), bool(data.pop("save_draft", False))
        return await services.update_draft(principal, invoice_id, data, expected_version=version, save_draft=save_draft)

    @delete("/{invoice_id:int}", operation_id="deleteInvoice", status_code=204)
    async def remove(self, principal: Principal, invoice_id: int) -> None:
        await services.delete_invoice(principal, invoice_id)

    @post("/{invoice_id:int}/send", operation_id="sendInvoice", status_code=200)
    async def send(self, principal: Principal, invoice_id: int, data: dict[str, Any] | None = None) -> dict[str, Any]:
        """« Valider et envoyer », with last edits if given; then the invoice is routed in the background."""
        data = dict(data or {})
        version = _int(data, "version")
        return await services.send_invoice(principal, invoice_id, fields=data, expected_version=version)

    @get("/{invoice_id:int}/files/{file_id:int}", operation_id="downloadInvoiceFile")
    async def download(self, principal: Principal, invoice_id: int, file_id: int) -> Stream:
        row = await queries.file_for_download(principal, invoice_id, file_id)
        return Stream(storage.iter_file(row["storage_key"]), media_type=row["content_type"], headers={
            "Content-Disposition": _disposition(row["original_name"]), "Content-Length": str(row["size"]),
            "X-Content-Type-Options": "nosniff"})

    @get("/{invoice_id:int}/certificate.pdf", operation_id="downloadCertificate")
    async def certificate(self, principal: Principal, invoice_id: int) -> Response[bytes]:
        view = await queries.deposited_view(principal, invoice_id)
        return Response(render_certificate(view), media_type="application/pdf", headers={
            "Content-Disposition": _disposition(f"attestation-depot-{view['deposit_number']}.pdf")})
