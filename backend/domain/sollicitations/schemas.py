"""Request and response bodies of the sollicitations routes (msgspec Structs: checked on the way in,
documented in the OpenAPI schema)."""

from __future__ import annotations

from datetime import datetime

import msgspec

from backend.domain.sollicitations import store


class NewSollicitation(msgspec.Struct, forbid_unknown_fields=True):
    category: str
    subcategory: str
    message: str
    path: str = "/"  # the screen it was asked from: a lot's or invoice's path links it
    file_ids: list[int] = []


class NewMessage(msgspec.Struct, forbid_unknown_fields=True):
    message: str
    file_ids: list[int] = []


class Assignment(msgspec.Struct, forbid_unknown_fields=True):
    assignee_id: int | None = None


class FileOut(msgspec.Struct):
    id: int
    message_id: int | None
    original_name: str
    content_type: str
    size: int


class SollicitationOut(store.Sollicitation, frozen=True, kw_only=True):
    """The request's row, with the names a list shows."""

    author_name: str | None = None
    assignee_name: str | None = None
    structure_name: str | None = None


class SollicitationPage(msgspec.Struct):
    items: list[SollicitationOut]
    next: str | None  # the following page's cursor


class MessageOut(msgspec.Struct):
    id: int
    author_name: str | None
    from_support: bool
    internal: bool
    body: str
    created_at: datetime
    files: list[FileOut]


class InterventionOut(msgspec.Struct):
    id: int
    started_at: datetime
    ended_at: datetime | None
    expires_at: datetime
    reason: str
    support_email: str
    actions_enabled: bool


class SollicitationDetail(SollicitationOut, frozen=True, kw_only=True):
    messages: list[MessageOut] = []
    # Support's only (absent for users):
    author_email: str | None = None
    author_structures: list[dict] | None = None
    interventions: list[InterventionOut] | None = None


class Template(msgspec.Struct):
    key: str
    label: str
    text: str


class InterventionStarted(msgspec.Struct):
    """Support now acts as the request's author; `path`: the screen the request was asked from."""

    status: str
    path: str
