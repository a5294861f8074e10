"""Support routes: JSON for tools and tests, form posts for the interface (the cookie is HttpOnly)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect

from backend.domain.accounts.identity import Principal, with_session_cookie
from backend.domain.support import services
from backend.domain.support.middleware import client_ip
from backend.domain.support.schemas import (Confirmation, CurrentImpersonation, FoundUser, ImpersonationStart, Intervention,
                                            JournalEntry, UserDetail)
from backend.infra.errors import ChoraleError, DomainError
from backend.infra.openapi import redirect_response
from backend.infra.schemas import Status, shape

ImpersonationForm, ConfirmForm = ImpersonationStart, Confirmation


def _ip(request: Request) -> str | None:
    return client_ip(request.scope)


class SupportController(Controller):
    path = "/api/support"
    tags = ["support"]

    @get("/users", operation_id="supportSearchUsers")
    async def users(self, principal: Principal, q: str = "") -> list[FoundUser]:
        return shape(await services.search_users(principal, q), list[FoundUser])

    @get("/users/{user_id:int}", operation_id="supportUser")
    async def user(self, principal: Principal, user_id: int) -> UserDetail:
        return shape(await services.user_detail(principal, user_id), UserDetail)

    @post("/users/{user_id:int}/unlock", operation_id="supportUnlock", status_code=200)
    async def unlock(self, principal: Principal, request: Request, user_id: int) -> Status:
        await services.unlock(principal, user_id, _ip(request))
        return Status(status="deverrouille")

    @post("/users/{user_id:int}/resend-activation", operation_id="supportResendActivation", status_code=202)
    async def resend(self, principal: Principal, request: Request, user_id: int) -> Status:
        await services.resend_activation(principal, user_id, _ip(request))
        return Status(status="envoye")

    @post("/impersonations", operation_id="startImpersonation", status_code=201)
    async def start(self, principal: Principal, request: Request, data: ImpersonationForm) -> Response[Status]:
        token = await services.start_impersonation(principal, data.user_id, data.reason, _ip(request))
        return with_session_cookie(Response(Status(status="en_cours"), status_code=201), token)

    @get("/impersonations/current", operation_id="currentImpersonation")
    async def current(self, principal: Principal) -> CurrentImpersonation:
        """Whether the session acts as someone for support, and the reason support gave (the banner)."""
        return CurrentImpersonation(impersonated=principal.impersonated, reason=await services.impersonation_reason(principal))

    @post("/impersonations/form", operation_id="startImpersonationForm", status_code=303,
          responses=redirect_response("On to the home screen as the user, or back to /support with the error code."))
    async def start_form(self, principal: Principal, request: Request,
                         data: Annotated[ImpersonationForm, Body(media_type=RequestEncodingType.URL_ENCODED)]) -> Response[Any]:
        try:
            token = await services.start_impersonation(principal, data.user_id, data.reason, _ip(request))
        except DomainError as error:
            return Redirect(f"/support?utilisateur={data.user_id}&erreur={error.code}", status_code=303)
        return with_session_cookie(Redirect("/", status_code=303), token)

    @post("/impersonations/current/enable-actions", operation_id="enableImpersonationActions", status_code=200)
    async def enable(self, principal: Principal, request: Request, data: ConfirmForm) -> Response[Status]:
        token = await services.enable_actions(principal, data.confirm, _ip(request))
        return with_session_cookie(Response(Status(status="actions_activees")), token)

    @post("/impersonations/current/enable-actions/form", operation_id="enableImpersonationActionsForm", status_code=303,
          responses=redirect_response("Back to the home screen, actions enabled."))
    async def enable_form(self, principal: Principal, request: Request,
                          data: Annotated[ConfirmForm, Body(media_type=RequestEncodingType.URL_ENCODED)]) -> Response[Any]:
        token = await services.enable_actions(principal, data.confirm, _ip(request))
        return with_session_cookie(Redirect("/", status_code=303), token)

    @delete("/impersonations/current", operation_id="endImpersonation", status_code=200)
    async def end(self, principal: Principal, request: Request) -> Response[Status]:
        token = await services.end_impersonation(principal, _ip(request))
        return with_session_cookie(Response(Status(status="terminee")), token)

    @post("/impersonations/current/end", operation_id="endImpersonationForm", status_code=303,
          responses=redirect_response("Back to /support as the support agent."))
    async def end_form(self, principal: Principal, request: Request) -> Response[Any]:
        token = await services.end_impersonation(principal, _ip(request))
        return with_session_cookie(Redirect("/support", status_code=303), token)

    @get("/journal", operation_id="supportJournal")
    async def journal(self, principal: Principal, user_id: int | None = None, support_user_id: int | None = None,
                      before: int | None = None) -> list[JournalEntry]:
        """Newest first; `before`: the id of the oldest entry already shown."""
        return shape(await services.journal(principal, user_id=user_id, support_user_id=support_user_id, before_id=before),
                     list[JournalEntry])

    @get("/my-interventions", operation_id="myInterventions")
    async def mine(self, principal: Principal) -> list[Intervention]:
        return shape(await services.my_interventions(principal), list[Intervention])
