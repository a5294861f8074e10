from __future__ import annotations

from urllib.parse import parse_qs

from litestar import Controller, Request, get, post
from litestar.response import File

from backend.domain.accounts.identity import Principal
from backend.domain.dashboard import exports, rules, services


class DashboardController(Controller):
    tags = ["tableau de bord"]

    @get("/api/dashboard", operation_id="dashboard")
    async def dashboard(self, principal: Principal, side: str = "S") -> list[dict]:
        result = await services.dashboard(principal, "R" if side == "R" else "S")
        return [{"structure_id": s.structure.id, "structure": s.structure.raison_sociale, "siret": s.structure.identifier,
                 "counts": {c.value: n for c, n in s.counts.items()},
                 "amounts": {c.value: f"{a:.2f}" for c, a in s.amounts.items()}} for s in result]

    @get("/api/invoice-list", operation_id="invoiceList")
    async def invoice_list(self, principal: Principal, request: Request, curseur: str | None = None) -> dict:
        f = rules.parse_filter(parse_qs(request.url.query or ""))
        page = await services.list_invoices(principal, f, cursor=curseur)
        return {"filter": f.to_query(), "next": page.next_cursor, "rows": [services.row_view(r) for r in page.rows]}

    @post("/api/exports", operation_id="requestExport", status_code=202)
    async def request_export(self, principal: Principal, data: dict) -> dict:
        export_id = await exports.request_export(principal, str(data.get("query", "")), str(data.get("format", "xlsx")))
        return {"id": export_id}

    @get("/api/exports/{export_id:int}/status", operation_id="exportStatus")
    async def status(self, principal: Principal, export_id: int) -> dict:
        return await exports.export_status(principal, export_id)

    @get("/api/exports/{export_id:int}", operation_id="downloadExport")
    async def download(self, principal: Principal, export_id: int) -> File:
        path, name, _ = await exports.export_file(principal, export_id)
        return File(path=path, filename=name)
