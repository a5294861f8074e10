from __future__ import annotations

from dataclasses import dataclass

from litestar import Controller, delete, get, post

from backend.domain.accounts.identity import Principal
from backend.domain.structures import mandate


@dataclass
class MandateForm:
    name: str
    postal_address: str
    signatory: str
    signed_name: str
    accept_terms: bool = False


class MandateController(Controller):
    path = "/api/structures/{structure_id:int}/mandate"
    tags = ["structures"]

    @get("/", operation_id="mandate")
    async def get_mandate(self, principal: Principal, structure_id: int) -> dict:
        form = await mandate.mandate_form(principal, structure_id)
        return {"active": await mandate.active_mandate(structure_id), "prefill": form}

    @post("/", operation_id="subscribeMandate", status_code=201)
    async def subscribe(self, principal: Principal, structure_id: int, data: MandateForm) -> dict:
        return await mandate.subscribe(principal, structure_id, **data.__dict__)

    @delete("/", operation_id="revokeMandate", status_code=200)
    async def revoke(self, principal: Principal, structure_id: int) -> dict:
        await mandate.revoke(principal, structure_id)
        return {"status": "revoque"}
