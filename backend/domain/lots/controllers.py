"""Lot routes: deposit an archive (raw body, like invoice uploads), list a structure's lots, one report."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post

from backend.domain.accounts.identity import Principal
from backend.domain.invoices.controllers import UPLOAD_BODY_LIMIT, request_chunks
from backend.domain.lots import services


class LotController(Controller):
    path = "/api/lots"
    tags = ["lots"]

    @post("/", operation_id="depositLot", status_code=201, request_max_body_size=UPLOAD_BODY_LIMIT)
    async def deposit(self, request: Request, principal: Principal, structure_id: int, deposit_format: str, syntax: str,
                      name: str = "") -> dict[str, Any]:
        """The ZIP or TAR.GZ archive as the request body (`?name=` its file name). `deposit_format`:
        XML_STRUCTURE (syntax UBL or CII) or PDF_FACTURX (syntax FACTURX). 201 with the lot's number; its
        invoices are then integrated in the background (see GET /api/lots/{id})."""
        return await services.receive_lot(principal, request_chunks(request), content_length=request.content_length, name=name,
                                          structure_id=structure_id, deposit_format=deposit_format, syntax=syntax)

    @get("/", operation_id="listLots")
    async def list_lots(self, principal: Principal, structure_id: int, before: int | None = None, limit: int = 20) -> dict[str, Any]:
        return await services.list_lots(principal, structure_id, before=before, limit=limit)

    @get("/{lot_id:int}", operation_id="getLot")
    async def get_lot(self, principal: Principal, lot_id: int) -> dict[str, Any]:
        """The lot and its integration report: each file, the invoice created from it or its anomalies."""
        return await services.get_lot(principal, lot_id)
