"""`invoice_file`: an invoice's files (main PDF, attachments, Factur-X, certificate) and the uploads not
yet tied to an invoice."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta, UTC
from typing import Any

import msgspec

from backend.domain.invoices.tables import InvoiceFile as FileTable
from backend.infra.rows import columns_of


class InvoiceFile(msgspec.Struct, frozen=True, kw_only=True):
    """One `invoice_file` row (see tables.InvoiceFile)."""

    id: int
    invoice_id: int | None
    role: str
    designation: str | None
    original_name: str
    content_type: str
    size: int
    sha256: str
    storage_key: str
    uploaded_by: int | None
    created_at: datetime
    structure_id: int | None
    extraction_status: str | None
    extraction: Any

    def as_dict(self) -> dict[str, Any]:
        return msgspec.structs.asdict(self)


FIELDS: tuple[str, ...] = InvoiceFile.__struct_fields__
_COLUMNS = columns_of(FileTable, FIELDS)


def _file(row: Mapping[str, Any] | None) -> InvoiceFile | None:
    return None if row is None else InvoiceFile(**{name: row[name] for name in FIELDS})


def _columns(values: Mapping[str, Any]) -> dict:
    return {FileTable._meta.get_column_by_name(name): value for name, value in values.items()}


async def get(file_id: int) -> InvoiceFile | None:
    return _file(await FileTable.select(*_COLUMNS).where(FileTable.id == file_id).first())


async def get_for_update(file_id: int) -> InvoiceFile | None:
    return _file(await FileTable.select(*_COLUMNS).where(FileTable.id == file_id).lock_rows().first())


async def of_invoice(invoice_id: int, file_id: int) -> InvoiceFile | None:
    """File `file_id` if it belongs to invoice `invoice_id`."""
    return _file(await FileTable.select(*_COLUMNS)
                 .where((FileTable.id == file_id) & (FileTable.invoice_id == invoice_id)).first())


async def pending_upload(file_id: int, user_id: int) -> InvoiceFile | None:
    """An upload of `user_id`'s not yet tied to an invoice."""
    return _file(await FileTable.select(*_COLUMNS).where(
        (FileTable.id == file_id) & FileTable.invoice_id.is_null() & (FileTable.uploaded_by == user_id)).first())


async def for_invoice(invoice_id: int, role: str | None = None) -> list[InvoiceFile]:
    """The invoice's files (of `role` when given), the main PDF first, then in upload order."""
    where = FileTable.invoice_id == invoice_id
    if role is not None:
        where &= FileTable.role == role
    rows = await FileTable.select(*_COLUMNS).where(where).order_by(FileTable.id)
    files = [InvoiceFile(**row) for row in rows]
    return sorted(files, key=lambda f: f.role != "principal")  # stable: keeps the id order within each group


async def has_file(invoice_id: int, role: str) -> bool:
    return await FileTable.exists().where((FileTable.invoice_id == invoice_id) & (FileTable.role == role))


async def insert(values: Mapping[str, Any]) -> InvoiceFile:
    """A new row with `values` (column → value); the columns not given take the table's defaults."""
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ValueError(f"invoice_file has no column {sorted(unknown)}")
    return _file((await FileTable.insert(FileTable(**values)).returning(*_COLUMNS))[0])


async def update(file_id: int, values: Mapping[str, Any], *, only_pending: bool = False) -> None:
    """Write `values` on the row (with `only_pending`, only while it is tied to no invoice)."""
    where = FileTable.id == file_id
    if only_pending:
        where &= FileTable.invoice_id.is_null()
    await FileTable.update(_columns(values)).where(where)


async def delete(file_id: int) -> None:
    await FileTable.delete().where(FileTable.id == file_id)


async def delete_orphans(older_than: timedelta, batch: int) -> list[str]:
    """Up to `batch` uploads older than `older_than` and tied to no invoice, deleted oldest first; returns
    their storage keys (the files to remove)."""
    ids = await (FileTable.select(FileTable.id)
                 .where(FileTable.invoice_id.is_null() & (FileTable.created_at < datetime.now(UTC) - older_than))
                 .order_by(FileTable.created_at).limit(batch).output(as_list=True))
    if not ids:
        return []
    rows = await (FileTable.delete().where(FileTable.id.is_in(ids) & FileTable.invoice_id.is_null())
                  .returning(FileTable.storage_key))
    return [row["storage_key"] for row in rows]


async def held_keys(keys: list[str]) -> set[str]:
    """Which of these storage keys a file row holds (the storage sweep keeps those)."""
    if not keys:
        return set()
    return set(await FileTable.select(FileTable.storage_key).where(FileTable.storage_key.is_in(keys)).output(as_list=True))


async def stale_extractions(older_than: timedelta, limit: int = 200) -> list[int]:
    """Uploads whose reading has waited or run for longer than `older_than` (a lost job)."""
    return await (FileTable.select(FileTable.id)
                  .where(FileTable.extraction_status.is_in(["attente", "en_cours"])
                         & (FileTable.created_at < datetime.now(UTC) - older_than))
                  .limit(limit).output(as_list=True))
