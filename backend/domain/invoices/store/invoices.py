"""The `invoice` table: the typed `Invoice` row and its reads and writes."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import msgspec

from backend.domain.invoices.tables import Invoice as InvoiceTable
from backend.infra.rows import columns_of
from shared.invoice_status import InvoiceStatus


class Invoice(msgspec.Struct, frozen=True, kw_only=True):
    """One `invoice` row, every column (see tables.Invoice for what each holds)."""

    id: int
    supplier_structure_id: int
    supplier_service_id: int | None
    recipient_structure_id: int | None
    recipient_service_id: int | None
    holder_structure_id: int | None
    project_manager_structure_id: int | None
    cadre: str
    kind: str
    source: str
    number: str | None
    number_norm: str | None
    invoice_date: date | None
    due_date: date | None
    currency: str
    engagement_number: str | None
    purchase_order: str | None
    payment_terms: str | None
    comment: str | None
    total_ht: Decimal | None
    total_tva: Decimal | None
    total_ttc: Decimal | None
    net_a_payer: Decimal | None
    iban: str | None
    status: str
    status_at: datetime
    deposited_at: datetime | None
    deposit_number: str | None
    content_sha256: str | None
    duplicated_from_id: int | None
    credit_note_of_id: int | None
    extraction: Any
    routing_error: str | None
    lot_id: int | None
    paid_amount: Decimal | None
    payment_date: date | None
    version: int
    created_by: int | None
    created_at: datetime
    updated_at: datetime

    def as_dict(self) -> dict[str, Any]:
        """The row as the dict shape services and screens consume (column → value)."""
        return msgspec.structs.asdict(self)

    def replace(self, **changes: Any) -> Invoice:
        return msgspec.structs.replace(self, **changes)


FIELDS: tuple[str, ...] = Invoice.__struct_fields__
_COLUMNS = columns_of(InvoiceTable, FIELDS)

# Columns a change may write besides the status and the bookkeeping the unit of work keeps itself
# (status, status_at, version, updated_at) and what a creation fixes for good (who, where from).
SETTABLE = frozenset(FIELDS) - {"id", "status", "status_at", "version", "created_at", "updated_at", "created_by",
                                "supplier_structure_id", "source", "kind", "lot_id", "duplicated_from_id",
                                "credit_note_of_id"}


def to_invoice(row: Mapping[str, Any]) -> Invoice:
    """An `Invoice` from a mapping holding at least every column (extra keys such as joined names ignored)."""
    return Invoice(**{name: row[name] for name in FIELDS})


async def get(invoice_id: int) -> Invoice | None:
    row = await InvoiceTable.select(*_COLUMNS).where(InvoiceTable.id == invoice_id).first()
    return None if row is None else to_invoice(row)


async def get_for_update(invoice_id: int) -> Invoice | None:
    """The row locked (`FOR UPDATE`) until the end of the current transaction."""
    row = await (InvoiceTable.select(*_COLUMNS).where(InvoiceTable.id == invoice_id)
                 .lock_rows().first())
    return None if row is None else to_invoice(row)


def _checked(values: Mapping[str, Any]) -> dict:
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ValueError(f"invoice has no column {sorted(unknown)}")
    return {InvoiceTable._meta.get_column_by_name(name): value for name, value in values.items()}


async def insert(values: Mapping[str, Any]) -> Invoice:
    """A new row with `values` (column → value); the columns not given take the table's defaults."""
    _checked(values)
    rows = await InvoiceTable.insert(InvoiceTable(**values)).returning(*_COLUMNS)
    return to_invoice(rows[0])


async def update(invoice_id: int, values: Mapping[str, Any]) -> Invoice:
    """Write `values` (column → value) on the row; returns it as written."""
    rows = await InvoiceTable.update(_checked(values)).where(InvoiceTable.id == invoice_id).returning(*_COLUMNS)
    return to_invoice(rows[0])


async def delete(invoice_id: int) -> None:
    """The row and, by cascade, its lines, VAT breakdown, files' rows and history."""
    await InvoiceTable.delete().where(InvoiceTable.id == invoice_id)


# Reads by something other than the id ---------------------------------------------------------------

_DRAFTS = (str(InvoiceStatus.BROUILLON), str(InvoiceStatus.PROVISOIRE))


async def deposited_with_number(supplier_structure_id: int, number_norm: str, *, excluding: int | None) -> Invoice | None:
    """The earliest deposited invoice (not a draft) of the supplier with this normalised number."""
    where = ((InvoiceTable.supplier_structure_id == supplier_structure_id) & (InvoiceTable.number_norm == number_norm)
             & InvoiceTable.status.not_in(list(_DRAFTS)))
    if excluding is not None:
        where &= InvoiceTable.id != excluding
    # Ascending puts invoices never deposited (no date) last, as "NULLS LAST" did.
    row = await (InvoiceTable.select(*_COLUMNS).where(where)
                 .order_by(InvoiceTable.deposited_at).order_by(InvoiceTable.id).first())
    return None if row is None else to_invoice(row)


async def waiting_for_routing(older_than: timedelta, limit: int = 500) -> list[int]:
    """Invoices deposited or being routed for longer than `older_than`, oldest move first."""
    return await (InvoiceTable.select(InvoiceTable.id)
                  .where(InvoiceTable.status.is_in([str(InvoiceStatus.DEPOSEE), str(InvoiceStatus.EN_COURS_ACHEMINEMENT)])
                         & (InvoiceTable.status_at < datetime.now(UTC) - older_than))
                  .order_by(InvoiceTable.status_at).limit(limit).output(as_list=True))


async def supplier_page(supplier_structure_id: int, *, limit: int, service_ids: list[int] | None = None,
                        statuses: list[str] | None = None, before: tuple[datetime, int] | None = None) -> list[Invoice]:
    """The supplier's invoices newest first, `limit` of them, created before `before` (created_at, id)."""
    # Raw: a keyset page compares (created_at, id) as one row value, which lets PostgreSQL walk the
    # invoice_supplier_recent index; the builder can only say it as an OR of two conditions.
    filters, args = [], []
    if service_ids is not None:
        filters.append("AND (supplier_service_id IS NULL OR supplier_service_id = ANY({}::bigint[]))")
        args.append(list(service_ids))
    if statuses:
        filters.append("AND status = ANY({}::text[])")
        args.append(list(statuses))
    if before is not None:
        filters.append("AND (created_at, id) < ({}, {})")
        args += list(before)
    sql = (f"SELECT {', '.join(FIELDS)} FROM invoice WHERE supplier_structure_id = {{}} {' '.join(filters)} "
           "ORDER BY created_at DESC, id DESC LIMIT {}")
    rows = await InvoiceTable.raw(sql, supplier_structure_id, *args, limit)
    return [to_invoice(row) for row in rows]


async def naming_validator(column: str, structure_id: int, *, status: str | None, before: int | None, limit: int) -> list[Invoice]:
    """The sent invoices naming `structure_id` as a validator (`column`: holder_structure_id or
    project_manager_structure_id), newest first: in `status` only when given, ids below `before`."""
    query = InvoiceTable.select(*_COLUMNS).where(
        InvoiceTable._meta.get_column_by_name(column) == structure_id,
        InvoiceTable.status.not_in(list(_DRAFTS)))
    if status is not None:
        query = query.where(InvoiceTable.status == status)
    if before is not None:
        query = query.where(InvoiceTable.id < before)
    return [to_invoice(row) for row in await query.order_by(InvoiceTable.id, ascending=False).limit(limit)]


async def latest_created_by(user_id: int, statuses: list[InvoiceStatus], *, limit: int) -> list[Invoice]:
    """The user's invoices in one of `statuses`, the latest status change first (support's view of a
    user's recent errors)."""
    rows = await InvoiceTable.select(*_COLUMNS).where(
        (InvoiceTable.created_by == user_id) & InvoiceTable.status.is_in([str(s) for s in statuses])
    ).order_by(InvoiceTable.status_at, ascending=False).limit(limit)
    return [to_invoice(row) for row in rows]
