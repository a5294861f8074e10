from __future__ import annotations

from collections.abc import AsyncGenerator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from litestar import Controller, Request, get, post
from litestar.response import ServerSentEvent

from backend.domain.accounts.identity import Principal
from backend.domain.invoices import rules
from backend.domain.dashboard import rules as list_rules
from backend.domain.dashboard import services as lists
from backend.domain.processing import services
from backend.infra.errors import Forbidden
from backend.infra.events import get_hub


@dataclass
class ActionForm:
    action: str
    expected_version: int | None = None
    reason: str | None = None
    payment_date: str | None = None
    paid_amount: str | None = None


@dataclass
class CompleteForm:
    comment: str
    expected_version: int | None = None


class ProcessingController(Controller):
    tags = ["factures reçues"]

    @get("/api/received-invoices", operation_id="receivedInvoices")
    async def received(self, principal: Principal, request: Request, curseur: str | None = None) -> dict:
        """The received list: the same filters as any list (service, état, dates, montants…), side R."""
        query = parse_qs(request.url.query or "")
        query["cote"] = ["R"]
        f = list_rules.parse_filter(query)
        page = await lists.list_invoices(principal, f, cursor=curseur)
        return {"next": page.next_cursor, "rows": [lists.row_view(r) for r in page.rows]}

    @get("/api/received-invoices/{invoice_id:int}", operation_id="receivedInvoice")
    async def detail(self, principal: Principal, invoice_id: int) -> dict:
        return await services.received_invoice(principal, invoice_id)

    @post("/api/received-invoices/{invoice_id:int}/actions", operation_id="processInvoice", status_code=200)
    async def act(self, principal: Principal, invoice_id: int, data: ActionForm) -> dict:
        return await services.act(principal, invoice_id, data.action, reason=data.reason, expected_version=data.expected_version,
                                  extra={"payment_date": data.payment_date, "paid_amount": data.paid_amount})

    @post("/api/invoices/{invoice_id:int}/complete", operation_id="completeInvoice", status_code=200)
    async def complete(self, principal: Principal, invoice_id: int, data: CompleteForm) -> dict:
        invoice = await services.complete(principal, invoice_id, data.comment, expected_version=data.expected_version)
        return {"id": invoice["id"], "status": invoice["status"], "version": invoice["version"]}

    @get("/api/notifications", operation_id="notifications")
    async def notifications(self, principal: Principal) -> dict:
        return {"unread": await services.unread_count(principal.user_id),
                "items": [{**n, "created_at": n["created_at"].isoformat(), "read_at": n["read_at"] and n["read_at"].isoformat()}
                          for n in await services.notifications(principal.user_id)]}

    @post("/api/notifications/read", operation_id="readNotifications", status_code=200)
    async def read(self, principal: Principal) -> dict:
        await services.mark_all_read(principal.user_id)
        return {"unread": 0}

    @get("/api/events", operation_id="events")
    async def events(self, principal: Principal, topics: str = "") -> ServerSentEvent:
        """Live events for API clients (the interface gets them over its own socket): only topics the user may see."""
        wanted = [t for t in topics.split(",") if t][:50]
        allowed = await _allowed_topics(principal, wanted)

        async def stream() -> AsyncGenerator[dict[str, Any], None]:
            yield {"event": "ready", "data": ",".join(allowed)}
            async with get_hub().listen(allowed) as queue:
                while True:
                    event = await queue.get()
                    yield {"event": event.type, "data": event.to_json()}

        return ServerSentEvent(stream())


async def _allowed_topics(principal: Principal, topics: list[str]) -> list[str]:
    from backend.domain.invoices.queries import visible_invoice
    from backend.infra.database import connection

    async with connection() as conn:
        mine = {r["structure_id"] for r in await conn.fetch(
            "SELECT structure_id FROM attachment WHERE user_id = $1 AND status = 'approuve'", principal.user_id)}
    allowed = []
    for topic in topics:
        kind, _, value = topic.partition(":")
        if kind == "user" and value == str(principal.user_id):
            allowed.append(topic)
        elif kind == "structure" and value.isdigit() and int(value) in mine:
            allowed.append(topic)
        elif kind == "invoice" and value.isdigit():
            await visible_invoice(principal, int(value))
            allowed.append(topic)
        else:
            raise Forbidden("Sujet d'événements non autorisé.", "Event topic not allowed.", code="sujet_refuse")
    return allowed


class ValidationQueue(Controller):
    """What a structure validating before the recipient sees and does: the same three routes for the
    contract holder and the project manager, each subclass naming its role."""

    role: rules.Role

    @get("/")
    async def waiting(self, principal: Principal, structure_id: int, all: bool = False, before: int | None = None,
                      limit: int = 20) -> dict:
        """Newest first: the invoices waiting for this structure, or every one naming it with `all=true`."""
        return await services.invoices_to_validate(principal, structure_id, self.role, waiting_only=not all, before=before, limit=limit)

    @get("/{invoice_id:int}")
    async def detail(self, principal: Principal, invoice_id: int) -> dict:
        return await services.received_invoice(principal, invoice_id, self.role)

    @post("/{invoice_id:int}/actions", status_code=200)
    async def act(self, principal: Principal, invoice_id: int, data: ActionForm) -> dict:
        """Validate (the invoice goes on) or REFUSE (with a reason)."""
        return await services.act(principal, invoice_id, data.action, reason=data.reason, expected_version=data.expected_version,
                                  role=self.role)


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
