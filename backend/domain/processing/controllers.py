from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any
from urllib.parse import parse_qs

from litestar import Controller, Request, get, post
from litestar.params import Parameter
from litestar.response import ServerSentEvent

from backend.domain.accounts.identity import Principal
from backend.domain.invoices import rules
from backend.domain.invoices.schemas import Invoice
from backend.domain.dashboard import rules as list_rules
from backend.domain.dashboard import services as lists
from backend.domain.dashboard.schemas import ListPage
from backend.domain.processing import services
from backend.domain.processing.schemas import (Completed, Completion, InvoiceAction, InvoiceToValidatePage, Notifications,
                                               ReceivedService, Unread)
from backend.domain.structures.schemas import StructureRef
from backend.infra.events import get_hub
from backend.infra.openapi import file_response
from backend.infra.schemas import first_cursor, id_cursor, paged, shape


class ProcessingController(Controller):
    tags = ["factures reçues"]

    @get("/api/received-invoices", operation_id="receivedInvoices")
    async def received(self, principal: Principal, request: Request, cursor: str | None = None,
                       curseur: str | None = Parameter(default=None, description="The former name of `cursor`.")) -> ListPage:
        """The received list: the same filters as any list (service, état, dates, montants…), side R."""
        query = parse_qs(request.url.query or "")
        query["cote"] = ["R"]
        f = list_rules.parse_filter(query)
        page = await lists.list_invoices(principal, f, cursor=first_cursor(cursor, curseur))
        rows = [lists.row_view(r) for r in page.rows]
        return shape({"items": rows, "next": page.next_cursor, "rows": rows}, ListPage)

    @get("/api/received-invoices/structures", operation_id="receivedInvoiceStructures")
    async def structures(self, principal: Principal) -> list[StructureRef]:
        """The structures whose received invoices the user sees."""
        return shape(await services.received_structures(principal), list[StructureRef])

    @get("/api/received-invoices/services", operation_id="receivedInvoiceServices")
    async def services_of(self, principal: Principal, structure_id: int) -> list[ReceivedService]:
        """The services of one of the user's receiving structures, to filter the received list by service."""
        return shape(await services.received_services(principal, structure_id), list[ReceivedService])

    @get("/api/received-invoices/{invoice_id:int}", operation_id="receivedInvoice")
    async def detail(self, principal: Principal, invoice_id: int) -> Invoice:
        return shape(await services.received_invoice(principal, invoice_id), Invoice)

    @post("/api/received-invoices/{invoice_id:int}/actions", operation_id="processInvoice", status_code=200)
    async def act(self, principal: Principal, invoice_id: int, data: InvoiceAction) -> Invoice:
        return shape(await services.act(principal, invoice_id, data.action, reason=data.reason, expected_version=data.expected_version,
                                        extra={"payment_date": data.payment_date, "paid_amount": data.paid_amount}), Invoice)

    @post("/api/invoices/{invoice_id:int}/complete", operation_id="completeInvoice", status_code=200)
    async def complete(self, principal: Principal, invoice_id: int, data: Completion) -> Completed:
        invoice = await services.complete(principal, invoice_id, data.comment, expected_version=data.expected_version)
        return Completed(id=invoice["id"], status=invoice["status"], version=invoice["version"])

    @get("/api/notifications", operation_id="notifications")
    async def notifications(self, principal: Principal) -> Notifications:
        return shape({"unread": await services.unread_count(principal.user_id),
                      "items": [{**n, "created_at": n["created_at"].isoformat(), "read_at": n["read_at"] and n["read_at"].isoformat()}
                                for n in await services.notifications(principal.user_id)]}, Notifications)

    @post("/api/notifications/read", operation_id="readNotifications", status_code=200)
    async def read(self, principal: Principal) -> Unread:
        await services.mark_all_read(principal.user_id)
        return Unread(unread=0)

    @get("/api/events", operation_id="events", responses=file_response(
        "Server-sent events: `ready` (the topics granted), then each event of those topics.", "text/event-stream"))
    async def events(self, principal: Principal, topics: str = "") -> ServerSentEvent:
        """Live events for API clients (the interface gets them over its own socket): only topics the user may see."""
        wanted = [t for t in topics.split(",") if t][:50]
        allowed = await services.allowed_topics(principal, wanted)

        async def stream() -> AsyncGenerator[dict[str, Any], None]:
            yield {"event": "ready", "data": ",".join(allowed)}
            async with get_hub().listen(allowed) as queue:
                while True:
                    event = await queue.get()
                    yield {"event": event.type, "data": event.to_json()}

        return ServerSentEvent(stream())


class ValidationQueue(Controller):
    """What a structure validating before the recipient sees and does: the same three routes for the
    contract holder and the project manager, each subclass naming its role."""

    role: rules.Role

    @get("/")
    async def waiting(self, principal: Principal, structure_id: int, all: bool = False, cursor: str | None = None,
                      limit: int = 20, before: int | None = Parameter(default=None, description="The former cursor: an id.")
                      ) -> InvoiceToValidatePage:
        """Newest first: the invoices waiting for this structure, or every one naming it with `all=true`."""
        return paged(await services.invoices_to_validate(principal, structure_id, self.role, waiting_only=not all,
                                                         before=id_cursor(cursor) or before, limit=limit), InvoiceToValidatePage)

    @get("/{invoice_id:int}")
    async def detail(self, principal: Principal, invoice_id: int) -> Invoice:
        return shape(await services.received_invoice(principal, invoice_id, self.role), Invoice)

    @post("/{invoice_id:int}/actions", status_code=200)
    async def act(self, principal: Principal, invoice_id: int, data: InvoiceAction) -> Invoice:
        """Validate (the invoice goes on) or REFUSE (with a reason)."""
        return shape(await services.act(principal, invoice_id, data.action, reason=data.reason,
                                        expected_version=data.expected_version, role=self.role), Invoice)


class HolderQueueController(ValidationQueue):
    """« Factures à valider »: subcontractors' and co-contractors' invoices (A9, A12…), VALIDATE_HOLDER."""

    path = "/api/invoices-to-validate"
    tags = ["factures à valider"]
    role = rules.Role.HOLDER


class WorksQueueController(ValidationQueue):
    """« Factures de travaux »: works invoices for their project manager (maîtrise d'œuvre), VALIDATE_MOE."""

    path = "/api/works-invoices"
    tags = ["factures de travaux"]
    role = rules.Role.PROJECT_MANAGER
