"""`invoice_status_history`: one row per status move, and the CREATE row (no `status_from`) of a creation."""

from __future__ import annotations

from datetime import datetime

import msgspec

from backend.domain.invoices.tables import InvoiceStatusHistory as HistoryTable
from backend.infra.rows import columns_of


class HistoryEntry(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    invoice_id: int
    status_from: str | None
    status_to: str
    action: str
    reason: str | None
    actor_user_id: int | None
    impersonator_user_id: int | None
    acting_as: str | None
    at: datetime

    def as_dict(self) -> dict:
        return msgspec.structs.asdict(self)


FIELDS: tuple[str, ...] = HistoryEntry.__struct_fields__
_COLUMNS = columns_of(HistoryTable, FIELDS)


async def add(*, invoice_id: int, status_from: str | None, status_to: str, action: str, at: datetime,
              reason: str | None = None, actor_user_id: int | None = None, impersonator_user_id: int | None = None,
              acting_as: str | None = None) -> None:
    await HistoryTable.insert(HistoryTable(
        invoice_id=invoice_id, status_from=status_from, status_to=status_to, action=action, reason=reason,
        actor_user_id=actor_user_id, impersonator_user_id=impersonator_user_id, acting_as=acting_as, at=at))


async def for_invoice(invoice_id: int) -> list[HistoryEntry]:
    """The invoice's history, oldest first."""
    rows = await (HistoryTable.select(*_COLUMNS).where(HistoryTable.invoice_id == invoice_id)
                  .order_by(HistoryTable.at, HistoryTable.id))
    return [HistoryEntry(**row) for row in rows]
