"""Support routes: JSON for tools and tests, form posts for the interface (the cookie is HttpOnly)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect

from backend.domain.accounts.controllers import with_session_cookie
from backend.domain.accounts.identity import Principal
from backend.domain.support import services
from backend.domain.support.middleware import client_ip
from backend.infra.errors import ChoraleError


@dataclass
class ImpersonationForm:
    user_id: int
    reason: str = ""


@dataclass
class ConfirmForm:
    confirm: bool = False


def _ip(request: Request) -> str | None:
    return client_ip(request.scope)


class SupportController(Controller):
    path = "/api/support"
    tags = ["support"]

    @get("/users", operation_id="supportSearchUsers")
    async def users(self, principal: Principal, q: str = "") -> list[dict]:
        return await services.search_users(principal, q)

    @get("/users/{user_id:int}", operation_id="supportUser")
    async def user(self, principal: Principal, user_id: int) -> dict:
        return await services.user_detail(principal, user_id)

    @post("/users/{user_id:int}/unlock", operation_id="supportUnlock", status_code=200)
    async def unlock(self, principal: Principal, request: Request, user_id: int) -> dict:
        await services.unlock(principal, user_id, _ip(request))
        return {"status": "deverrouille"}

    @post("/users/{user_id:int}/resend-activation", operation_id="supportResendActivation", status_code=202)
    async def resend(self, principal: Principal, request: Request, user_id: int) -> dict:
        await services.resend_activation(principal, user_id, _ip(request))
        return {"status": "envoye"}

    @post("/impersonations", operation_id="startImpersonation", status_code=201)
    async def start(self, principal: Principal, request: Request, data: ImpersonationForm) -> Response[dict]:
        token = await services.start_impersonation(principal, data.user_id, data.reason, _ip(request))
        return with_session_cookie(Response({"status": "en_cours"}, status_code=201), token)

    @post("/impersonations/form", operation_id="startImpersonationForm", status_code=303)
    async def start_form(self, principal: Principal, request: Request,
                         data: Annotated[ImpersonationForm, Body(media_type=RequestEncodingType.URL_ENCODED)]) -> Response[Any]:
        try:
            token = await services.start_impersonation(principal, data.user_id, data.reason, _ip(request))
        except ChoraleError as error:
            return Redirect(f"/support?utilisateur={data.user_id}&erreur={error.code}", status_code=303)
        return with_session_cookie(Redirect("/", status_code=303), token)

    @post("/impersonations/current/enable-actions", operation_id="enableImpersonationActions", status_code=200)
    async def enable(self, principal: Principal, request: Request, data: ConfirmForm) -> Response[dict]:
        token = await services.enable_actions(principal, data.confirm, _ip(request))
        return with_session_cookie(Response({"status": "actions_activees"}), token)

    @post("/impersonations/current/enable-actions/form", operation_id="enableImpersonationActionsForm", status_code=303)
    async def enable_form(self, principal: Principal, request: Request,
                          data: Annotated[ConfirmForm, Body(media_type=RequestEncodingType.URL_ENCODED)]) -> Response[Any]:
        token = await services.enable_actions(principal, data.confirm, _ip(request))
        return with_session_cookie(Redirect("/", status_code=303), token)

    @delete("/impersonations/current", operation_id="endImpersonation", status_code=200)
    async def end(self, principal: Principal, request: Request) -> Response[dict]:
        token = await services.end_impersonation(principal, _ip(request))
        return with_session_cookie(Response({"status": "terminee"}), token)

    @post("/impersonations/current/end", operation_id="endImpersonationForm", status_code=303)
    async def end_form(self, principal: Principal, request: Request) -> Response[Any]:
        token = await services.end_impersonation(principal, _ip(request))
        return with_session_cookie(Redirect("/support", status_code=303), token)

    @get("/journal", operation_id="supportJournal")
    async def journal(self, principal: Principal, user_id: int | None = None, support_user_id: int | None = None,
                      before: int | None = None) -> list[dict]:
        return await services.journal(principal, user_id=user_id, support_user_id=support_user_id, before_id=before)

    @get("/my-interventions", operation_id="myInterventions")
    async def mine(self, principal: Principal) -> list[dict]:
        return await services.my_interventions(principal)
