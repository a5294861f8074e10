"""The only code that reads and writes `sollicitation`, `sollicitation_message` and `sollicitation_file`.

Every function joins the transaction open in the current task, so a service composes several in one.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

import msgspec

from backend.domain.sollicitations import tables as t


class Sollicitation(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    author_id: int
    structure_id: int | None
    category: str
    subcategory: str
    state: str
    subject_kind: str
    subject_id: int | None
    subject_path: str
    subject_label: str | None
    assignee_id: int | None
    created_at: datetime
    updated_at: datetime


class Message(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    sollicitation_id: int
    author_id: int
    from_support: bool
    internal: bool
    body: str
    created_at: datetime


class File(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    sollicitation_id: int | None
    message_id: int | None
    uploaded_by: int
    original_name: str
    content_type: str
    size: int
    sha256: str
    storage_key: str
    created_at: datetime


class QueueFilter(msgspec.Struct, frozen=True, kw_only=True):
    """Support's queue filters; None: any."""

    state: str | None = None
    category: str | None = None
    assignee_id: int | None = None
    unassigned: bool = False
    structure_id: int | None = None
    older_than: datetime | None = None


_SOLLICITATION = tuple(getattr(t.Sollicitation, name) for name in Sollicitation.__struct_fields__)
_MESSAGE = tuple(getattr(t.SollicitationMessage, name) for name in Message.__struct_fields__)
_FILE = tuple(getattr(t.SollicitationFile, name) for name in File.__struct_fields__)


def _now() -> datetime:
    return datetime.now(UTC)


async def create(*, author_id: int, structure_id: int | None, category: str, subcategory: str, state: str, subject_kind: str,
                 subject_id: int | None, subject_path: str, subject_label: str | None) -> Sollicitation:
    now = _now()
    rows = await t.Sollicitation.insert(t.Sollicitation(
        author_id=author_id, structure_id=structure_id, category=category, subcategory=subcategory, state=state,
        subject_kind=subject_kind, subject_id=subject_id, subject_path=subject_path, subject_label=subject_label, assignee_id=None,
        created_at=now, updated_at=now)).returning(*_SOLLICITATION)
    return Sollicitation(**rows[0])


async def get(sollicitation_id: int, *, for_update: bool = False) -> Sollicitation | None:
    query = t.Sollicitation.select(*_SOLLICITATION).where(t.Sollicitation.id == sollicitation_id)
    if for_update:
        query = query.lock_rows("NO KEY UPDATE")
    rows = await query
    return Sollicitation(**rows[0]) if rows else None


async def update(sollicitation_id: int, **changes) -> Sollicitation:
    values = {getattr(t.Sollicitation, name): value for name, value in changes.items()}
    values[t.Sollicitation.updated_at] = _now()
    rows = await t.Sollicitation.update(values).where(t.Sollicitation.id == sollicitation_id).returning(*_SOLLICITATION)
    return Sollicitation(**rows[0])


async def visible_page(user_id: int, managed_structures: Iterable[int], *, before: int | None, limit: int) -> list[Sollicitation]:
    """The user's own requests and those of the structures they manage, newest first (keyset on id)."""
    where = t.Sollicitation.author_id == user_id
    managed = sorted(set(managed_structures))
    if managed:
        where |= t.Sollicitation.structure_id.is_in(managed)
    query = t.Sollicitation.select(*_SOLLICITATION).where(where)
    if before is not None:
        query = query.where(t.Sollicitation.id < before)
    return [Sollicitation(**row) for row in await query.order_by(t.Sollicitation.id, ascending=False).limit(limit)]


async def queue_page(filters: QueueFilter, *, before: int | None, limit: int) -> list[Sollicitation]:
    """Every request matching support's filters, newest first (keyset on id)."""
    s = t.Sollicitation
    query = s.select(*_SOLLICITATION)
    if filters.state:
        query = query.where(s.state == filters.state)
    if filters.category:
        query = query.where(s.category == filters.category)
    if filters.unassigned:
        query = query.where(s.assignee_id.is_null())
    elif filters.assignee_id is not None:
        query = query.where(s.assignee_id == filters.assignee_id)
    if filters.structure_id is not None:
        query = query.where(s.structure_id == filters.structure_id)
    if filters.older_than is not None:
        query = query.where(s.created_at < filters.older_than)
    if before is not None:
        query = query.where(s.id < before)
    return [Sollicitation(**row) for row in await query.order_by(s.id, ascending=False).limit(limit)]


async def add_message(sollicitation_id: int, *, author_id: int, from_support: bool, internal: bool, body: str) -> Message:
    rows = await t.SollicitationMessage.insert(t.SollicitationMessage(
        sollicitation_id=sollicitation_id, author_id=author_id, from_support=from_support, internal=internal, body=body,
        created_at=_now())).returning(*_MESSAGE)
    return Message(**rows[0])


async def messages_of(sollicitation_id: int, *, with_internal: bool) -> list[Message]:
    m = t.SollicitationMessage
    query = m.select(*_MESSAGE).where(m.sollicitation_id == sollicitation_id)
    if not with_internal:
        query = query.where(m.internal == False)  # noqa: E712
    return [Message(**row) for row in await query.order_by(m.id)]


async def add_file(*, uploaded_by: int, original_name: str, content_type: str, size: int, sha256: str, storage_key: str) -> File:
    rows = await t.SollicitationFile.insert(t.SollicitationFile(
        sollicitation_id=None, message_id=None, uploaded_by=uploaded_by, original_name=original_name, content_type=content_type,
        size=size, sha256=sha256, storage_key=storage_key, created_at=_now())).returning(*_FILE)
    return File(**rows[0])


async def attach_files(file_ids: Iterable[int], *, uploaded_by: int, sollicitation_id: int, message_id: int) -> int:
    """Ties the uploader's unattached files to a message; returns how many were tied (others' or
    already attached files are left alone)."""
    ids = sorted(set(file_ids))
    if not ids:
        return 0
    f = t.SollicitationFile
    rows = await f.update({f.sollicitation_id: sollicitation_id, f.message_id: message_id}).where(
        f.id.is_in(ids) & (f.uploaded_by == uploaded_by) & f.message_id.is_null()).returning(f.id)
    return len(rows)


async def files_of(sollicitation_id: int) -> list[File]:
    f = t.SollicitationFile
    return [File(**row) for row in await f.select(*_FILE).where(f.sollicitation_id == sollicitation_id).order_by(f.id)]


async def file(sollicitation_id: int, file_id: int) -> File | None:
    f = t.SollicitationFile
    rows = await f.select(*_FILE).where((f.id == file_id) & (f.sollicitation_id == sollicitation_id))
    return File(**rows[0]) if rows else None


async def delete_unsent_files(older_than: timedelta, limit: int) -> list[str]:
    """Rows of files uploaded but never sent with a message, older than `older_than`; returns their storage
    keys (the caller removes the files once the rows are gone)."""
    f = t.SollicitationFile
    stale = f.select(f.id).where(f.message_id.is_null() & (f.created_at < _now() - older_than)).order_by(f.id).limit(limit)
    rows = await f.delete().where(f.id.is_in(stale)).returning(f.storage_key)
    return [row["storage_key"] for row in rows]
