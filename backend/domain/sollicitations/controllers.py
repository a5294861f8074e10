"""Sollicitations routes: the user's (`/api/sollicitations`) and support's queue (`/api/support/sollicitations`)."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.params import Parameter
from litestar.response import Redirect, Stream

from backend.domain.accounts.identity import Principal, with_session_cookie
from backend.infra.request_body import UPLOAD_BODY_LIMIT, request_chunks
from backend.domain.sollicitations import services
from backend.domain.sollicitations.schemas import (Assignment, FileOut, InterventionStarted, NewMessage, NewSollicitation,
                                                   SollicitationDetail, SollicitationOut, SollicitationPage, Template)
from backend.infra.openapi import binary_upload, file_response, redirect_response
from backend.infra.schemas import MAX_ID, id_cursor, paged
from backend.infra.security import client_ip
from backend.infra.uploads import stored_download
from backend.infra.errors import lang_of
from shared.i18n import normalise_lang


def _out(value: dict[str, Any], kind: type) -> Any:
    return msgspec.convert(value, kind, from_attributes=True)


def _before(cursor: str | None, before: str | None) -> int | None:
    """The id to list before: a page's `next` (a cursor), or a bare id as clients sent it before cursors."""
    if before and before.isdigit():
        return int(before) if int(before) <= MAX_ID else None
    return id_cursor(cursor or before)


class SollicitationController(Controller):
    path = "/api/sollicitations"
    tags = ["sollicitations"]

    @post("/", operation_id="createSollicitation", status_code=201)
    async def create(self, principal: Principal, data: NewSollicitation) -> SollicitationOut:
        """« Posez une question »: `path` is the screen it is asked from (a lot's or invoice's links it)."""
        return _out(await services.create(principal, category=data.category, subcategory=data.subcategory, message=data.message,
                                          path=data.path, file_ids=data.file_ids), SollicitationOut)

    @get("/", operation_id="listSollicitations")
    async def list_mine(self, principal: Principal, cursor: str | None = None, limit: int = 20,
                        before: str | None = Parameter(default=None, description="The former cursor (an id, or a page's `next`).")
                        ) -> SollicitationPage:
        return paged(await services.list_mine(principal, before=_before(cursor, before), limit=limit), SollicitationPage)

    @get("/topics", operation_id="sollicitationTopics")
    async def topics(self, principal: Principal) -> list[str]:
        """The live topics « Sollicitations émises » listens to (see GET /api/events)."""
        return await services.live_topics(principal)

    @post("/files", operation_id="uploadSollicitationFile", status_code=201, request_max_body_size=UPLOAD_BODY_LIMIT,
          opt=binary_upload("A file for the question (PDF, image…), 30 MB at most."))
    async def upload(self, request: Request, principal: Principal, name: str = "") -> FileOut:
        """The file as the request body (`?name=` its name); then name its id in `file_ids` when sending."""
        return _out(await services.upload_file(principal, request_chunks(request), content_length=request.content_length,
                                               name=name), FileOut)

    @get("/{sollicitation_id:int}", operation_id="getSollicitation")
    async def detail(self, principal: Principal, sollicitation_id: int) -> SollicitationDetail:
        return _out(await services.detail(principal, sollicitation_id), SollicitationDetail)

    @post("/{sollicitation_id:int}/messages", operation_id="replySollicitation", status_code=201)
    async def reply(self, principal: Principal, sollicitation_id: int, data: NewMessage) -> SollicitationOut:
        """The user's reply, or support's answer (support agents only, not while acting as someone)."""
        return _out(await services.reply(principal, sollicitation_id, data.message, data.file_ids), SollicitationOut)

    @post("/{sollicitation_id:int}/close", operation_id="closeSollicitation", status_code=200)
    async def close(self, principal: Principal, sollicitation_id: int) -> SollicitationOut:
        return _out(await services.close(principal, sollicitation_id), SollicitationOut)

    @get("/{sollicitation_id:int}/files/{file_id:int}", operation_id="downloadSollicitationFile",
         responses=file_response("The file as it was sent.", "application/octet-stream"))
    async def download(self, principal: Principal, sollicitation_id: int, file_id: int) -> Stream:
        found = await services.attachment(principal, sollicitation_id, file_id)
        return stored_download(found.storage_key, content_type=found.content_type, name=found.original_name, size=found.size)


class SupportSollicitationController(Controller):
    path = "/api/support/sollicitations"
    tags = ["support", "sollicitations"]

    @get("/", operation_id="supportSollicitationQueue")
    async def queue(self, principal: Principal, etat: str | None = None, category: str | None = None,
                    assignee: str | None = None, structure_id: int | None = None, siret: str | None = None,
                    older_than_days: int | None = None, cursor: str | None = None, limit: int = 20,
                    before: str | None = Parameter(default=None, description="The former cursor (an id, or a page's `next`).")
                    ) -> SollicitationPage:
        """Every request. `etat`: the state (`state` is a name Litestar keeps); `assignee`: "moi", "aucun" or
        an agent's id; the structure by `structure_id` or `siret`; `older_than_days`: the age filter."""
        return paged(await services.queue(principal, state=etat, category=category, assignee=assignee, structure_id=structure_id,
                                         siret=siret, older_than_days=older_than_days, before=_before(cursor, before), limit=limit),
                     SollicitationPage)

    @get("/templates", operation_id="supportAnswerTemplates")
    async def templates(self, principal: Principal, request: Request,
                        lang: str | None = Parameter(default=None, description="fr or en; else the request's language.")
                        ) -> list[Template]:
        """Support's answer templates, their label and text in `lang`, else in the request's language (its
        `lang` cookie, else `Accept-Language`)."""
        services.support.require_support(principal)
        return _out(services.templates(normalise_lang(lang) if lang else lang_of(request)), list[Template])

    @post("/{sollicitation_id:int}/notes", operation_id="supportSollicitationNote", status_code=201)
    async def note(self, principal: Principal, sollicitation_id: int, data: NewMessage) -> SollicitationOut:
        """An internal note, never shown to the user."""
        return _out(await services.add_note(principal, sollicitation_id, data.message), SollicitationOut)

    @post("/{sollicitation_id:int}/assign", operation_id="supportSollicitationAssign", status_code=200)
    async def assign(self, principal: Principal, sollicitation_id: int, data: Assignment) -> SollicitationOut:
        return _out(await services.assign(principal, sollicitation_id, data.assignee_id), SollicitationOut)

    @post("/{sollicitation_id:int}/resolve", operation_id="supportSollicitationResolve", status_code=200)
    async def resolve(self, principal: Principal, sollicitation_id: int) -> SollicitationOut:
        return _out(await services.resolve(principal, sollicitation_id), SollicitationOut)

    @post("/{sollicitation_id:int}/intervention", operation_id="supportSollicitationIntervention", status_code=201)
    async def intervene(self, principal: Principal, request: Request, sollicitation_id: int) -> Response[InterventionStarted]:
        """Act as the request's author, the request being the reason (the session cookie changes)."""
        token, path = await services.start_intervention(principal, sollicitation_id, client_ip(request.scope))
        return with_session_cookie(Response(InterventionStarted(status="en_cours", path=path), status_code=201), token)

    @post("/{sollicitation_id:int}/intervention/form", operation_id="supportSollicitationInterventionForm", status_code=303,
          responses=redirect_response("On to the screen the request was asked from, as its author."))
    async def intervene_form(self, principal: Principal, request: Request, sollicitation_id: int) -> Response[Any]:
        """The same from the interface (the cookie is HttpOnly): on to the screen the request was asked from."""
        token, path = await services.start_intervention(principal, sollicitation_id, client_ip(request.scope))
        return with_session_cookie(Redirect(path, status_code=303), token)
