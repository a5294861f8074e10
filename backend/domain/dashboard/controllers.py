from __future__ import annotations

from urllib.parse import parse_qs

from litestar import Controller, Request, get, post
from litestar.params import Parameter
from litestar.response import File

from backend.domain.accounts.identity import Principal
from backend.domain.dashboard import exports, rules, services
from backend.domain.dashboard.schemas import (ExportCreated, ExportRequest, ExportStatus, InvoiceCount, ListPage, MonthTotal, StatusTotal,
                                              StructureCounts, Synthesis)
from backend.infra.openapi import file_response
from backend.infra.schemas import first_cursor, shape


class DashboardController(Controller):
    tags = ["tableau de bord"]

    @get("/api/dashboard", operation_id="dashboard")
    async def dashboard(self, principal: Principal, side: str = "S") -> list[StructureCounts]:
        result = await services.dashboard(principal, "R" if side == "R" else "S")
        return [StructureCounts(structure_id=s.structure.id, structure=s.structure.raison_sociale, siret=s.structure.identifier,
                                counts={c.value: n for c, n in s.counts.items()},
                                amounts={c.value: f"{a:.2f}" for c, a in s.amounts.items()}) for s in result]

    @get("/api/synthesis", operation_id="synthesis")
    async def synthesis(self, principal: Principal, side: str = "S") -> Synthesis:
        """Synthèse: the last two years' counts and amounts per state, amounts per month, drafts to finish."""
        found = await services.synthesis(principal, "R" if side == "R" else "S")
        return Synthesis(
            by_status=[StatusTotal(status=s.value, label=s.label(), label_en=s.label("en"), count=n, amount=f"{a:.2f}")
                       for s, n, a in found.by_status],
            by_month=[MonthTotal(month=str(m), amount=f"{a:.2f}") for m, a in found.by_month],
            to_finish=shape(found.to_finish, list[dict]))

    @get("/api/invoice-list", operation_id="invoiceList")
    async def invoice_list(self, principal: Principal, request: Request, cursor: str | None = None,
                           curseur: str | None = Parameter(default=None, description="The former name of `cursor`.")) -> ListPage:
        """Any filtered list (the dashboard's counts open one): the filter is the query string."""
        f = rules.parse_filter(parse_qs(request.url.query or ""))
        page = await services.list_invoices(principal, f, cursor=first_cursor(cursor, curseur))
        rows = [services.row_view(r) for r in page.rows]
        return shape({"filter": f.to_query(), "items": rows, "next": page.next_cursor, "rows": rows}, ListPage)

    @get("/api/invoice-count", operation_id="invoiceCount")
    async def invoice_count(self, principal: Principal, request: Request) -> InvoiceCount:
        """The total a search announces, for the same filter as /api/invoice-list (its query string)."""
        f = rules.parse_filter(parse_qs(request.url.query or ""))
        return InvoiceCount(total=await services.count_invoices(principal, f), cap=services.COUNT_CAP)

    @post("/api/exports", operation_id="requestExport", status_code=202)
    async def request_export(self, principal: Principal, data: ExportRequest) -> ExportCreated:
        return ExportCreated(id=await exports.request_export(principal, data.query, data.format))

    @get("/api/exports/{export_id:int}/status", operation_id="exportStatus")
    async def status(self, principal: Principal, export_id: int) -> ExportStatus:
        return shape(await exports.export_status(principal, export_id), ExportStatus)

    @get("/api/exports/{export_id:int}", operation_id="downloadExport", responses=file_response(
        "The export: XLSX (typed cells) or CSV (French convention: `;`, decimal comma).", "application/octet-stream"))
    async def download(self, principal: Principal, export_id: int) -> File:
        path, name, _ = await exports.export_file(principal, export_id)
        return File(path=path, filename=name)
