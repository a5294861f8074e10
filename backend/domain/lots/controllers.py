"""Lot routes: deposit an archive (raw body, like invoice uploads), list a structure's lots, one report."""

from __future__ import annotations

from litestar import Controller, Request, Response, get, post, put
from litestar.params import Parameter

from backend.domain.accounts.identity import Principal
from backend.domain.lots import services
from backend.domain.lots.schemas import FileReport, FrenchRules, FrenchRulesChange, Lot, LotPage
from backend.infra import rate_limit
from backend.infra.openapi import binary_upload
from backend.infra.rate_limit import Limit, peer_address
from backend.infra.request_body import UPLOAD_BODY_LIMIT, request_chunks
from backend.infra.schemas import id_cursor, paged, shape

# « Valider un fichier » needs no account: each check runs the three layers (tens of ms), so per address.
VALIDATIONS_PER_IP = Limit("validate-file-ip", 30, 600)


class LotController(Controller):
    path = "/api/lots"
    tags = ["lots"]

    @post("/", operation_id="depositLot", status_code=201, request_max_body_size=UPLOAD_BODY_LIMIT,
          opt=binary_upload("The ZIP or TAR.GZ archive, 30 MB at most."))
    async def deposit(self, request: Request, principal: Principal, structure_id: int, deposit_format: str, syntax: str,
                      name: str = "") -> Lot:
        """The ZIP or TAR.GZ archive as the request body (`?name=` its file name). `deposit_format`:
        XML_STRUCTURE (syntax UBL or CII), PDF_FACTURX (syntax FACTURX) or XML_MIXTE (syntax UBL_MIN or
        CII_MIN: each XML carries its invoice's PDF, which becomes the invoice's main file). 201 with the lot's number; its
        invoices are then integrated in the background (see GET /api/lots/{id})."""
        return shape(await services.receive_lot(principal, request_chunks(request), content_length=request.content_length,
                                                name=name, structure_id=structure_id, deposit_format=deposit_format,
                                                syntax=syntax), Lot)

    @get("/", operation_id="listLots")
    async def list_lots(self, principal: Principal, structure_id: int, cursor: str | None = None, limit: int = 20,
                        before: int | None = Parameter(default=None, description="The former cursor: an id.")) -> LotPage:
        """The structure's lots, newest first; `cursor`: a page's `next`."""
        return paged(await services.list_lots(principal, structure_id, before=id_cursor(cursor) or before, limit=limit), LotPage)

    @get("/{lot_id:int}", operation_id="getLot")
    async def get_lot(self, principal: Principal, lot_id: int) -> Lot:
        """The lot and its integration report: each file, the invoice created from it or its anomalies."""
        return shape(await services.get_lot(principal, lot_id), Lot)

    @get("/{lot_id:int}/compte-rendu.json", operation_id="getLotReportJson")
    async def report_json(self, principal: Principal, lot_id: int) -> Response[bytes]:
        """The integration report as a JSON file to download (every anomaly, grouped by rule)."""
        body, name = await services.lot_report(principal, lot_id, "json")
        return Response(body, media_type="application/json", headers={"Content-Disposition": f'attachment; filename="{name}"'})

    @get("/{lot_id:int}/compte-rendu.pdf", operation_id="getLotReportPdf")
    async def report_pdf(self, principal: Principal, lot_id: int) -> Response[bytes]:
        """The integration report as a PDF (embedded fonts)."""
        body, name = await services.lot_report(principal, lot_id, "pdf")
        return Response(body, media_type="application/pdf", headers={"Content-Disposition": f'attachment; filename="{name}"'})


class FileValidationController(Controller):
    path = "/api/validation"
    tags = ["lots"]

    @post("/", operation_id="validateFile", status_code=200, request_max_body_size=UPLOAD_BODY_LIMIT,
          opt=binary_upload("The invoice: a UBL or CII XML, or a Factur-X PDF; 30 MB at most."))
    async def validate(self, request: Request, name: str = "") -> FileReport:
        """An invoice (UBL or CII XML, or a Factur-X PDF) as the request body: its validation report (XSD,
        EN 16931, French rules, Factur-X profile), exactly as a deposit would give it, without depositing.
        No account needed; limited per address (429 with Retry-After)."""
        await rate_limit.hit(VALIDATIONS_PER_IP, peer_address(request.scope))
        return shape(await services.validate_file(await request.body(), name), FileReport)


class FrenchRulesController(Controller):
    path = "/api/structures/{structure_id:int}/regles-francaises"
    tags = ["lots"]

    @get("/", operation_id="getFrenchRules")
    async def get_setting(self, principal: Principal, structure_id: int) -> FrenchRules:
        """Whether the French reform rules (BR-FR) refuse this structure's deposits or only warn (the default)."""
        return shape(await services.french_rules(principal, structure_id), FrenchRules)

    @put("/", operation_id="setFrenchRules")
    async def set_setting(self, principal: Principal, structure_id: int, data: FrenchRulesChange) -> FrenchRules:
        """Make the French rules blocking (or warnings again) for the structure's deposits: « Organisation
        modification » on the structure; journaled."""
        return shape(await services.set_french_rules(principal, structure_id, data.blocking), FrenchRules)
