"""The dashboard slice's table: the exports of a list (`invoice_export`), asked for by a user, written by a job."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import msgspec

from backend.domain.dashboard.tables import InvoiceExport

WAITING, RUNNING, READY, FAILED = "en_attente", "en_cours", "pret", "erreur"


class Export(msgspec.Struct, frozen=True):
    id: int
    user_id: int
    params: dict[str, Any]  # {"query": the list's filter as in its URL}
    format: str
    status: str
    rows: int
    path: str | None
    error: str | None
    created_at: datetime
    finished_at: datetime | None


_COLUMNS = (InvoiceExport.id, InvoiceExport.user_id, InvoiceExport.params, InvoiceExport.format, InvoiceExport.status,
            InvoiceExport.rows, InvoiceExport.path, InvoiceExport.error, InvoiceExport.created_at, InvoiceExport.finished_at)


async def create(user_id: int, query: str, fmt: str) -> int:
    rows = await InvoiceExport.insert(InvoiceExport(user_id=user_id, params={"query": query}, format=fmt)).returning(InvoiceExport.id)
    return rows[0]["id"]


async def start(export_id: int) -> Export:
    rows = await InvoiceExport.update({InvoiceExport.status: RUNNING}).where(InvoiceExport.id == export_id).returning(*_COLUMNS)
    return Export(**rows[0])


async def finish(export_id: int, rows: int, path: str) -> None:
    await InvoiceExport.update({InvoiceExport.status: READY, InvoiceExport.rows: rows, InvoiceExport.path: path,
                                InvoiceExport.finished_at: datetime.now(UTC)}).where(InvoiceExport.id == export_id)


async def fail(export_id: int, error: str) -> None:
    await InvoiceExport.update({InvoiceExport.status: FAILED, InvoiceExport.error: error}).where(InvoiceExport.id == export_id)


async def owned(export_id: int, user_id: int) -> Export | None:
    """The export, if it is this user's (nobody else may see or download it)."""
    row = await InvoiceExport.select(*_COLUMNS).where((InvoiceExport.id == export_id) & (InvoiceExport.user_id == user_id)).first()
    return None if row is None else Export(**row)


async def delete_older_than(limit: datetime) -> list[str | None]:
    """Delete the exports asked for before `limit`; their files' paths, for the caller to remove."""
    rows = await InvoiceExport.delete().where(InvoiceExport.created_at < limit).returning(InvoiceExport.path)
    return [row["path"] for row in rows]
