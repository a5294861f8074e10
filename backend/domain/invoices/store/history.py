"""`invoice_status_history`: one row per status move, and the CREATE row (no `status_from`) of a creation."""

from __future__ import annotations

from datetime import datetime

import msgspec

from backend.domain.accounts.rules import display_name
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
    actor_name: str | None = None  # the actor's display name (accounts.rules.display_name), read with the row

    def as_dict(self) -> dict:
        return msgspec.structs.asdict(self)


FIELDS: tuple[str, ...] = tuple(f for f in HistoryEntry.__struct_fields__ if f != "actor_name")
_COLUMNS = columns_of(HistoryTable, FIELDS)


async def add(*, invoice_id: int, status_from: str | None, status_to: str, action: str, at: datetime,
              reason: str | None = None, actor_user_id: int | None = None, impersonator_user_id: int | None = None,
              acting_as: str | None = None) -> None:
    await HistoryTable.insert(HistoryTable(
        invoice_id=invoice_id, status_from=status_from, status_to=status_to, action=action, reason=reason,
        actor_user_id=actor_user_id, impersonator_user_id=impersonator_user_id, acting_as=acting_as, at=at))


async def for_invoice(invoice_id: int) -> list[HistoryEntry]:
    """The invoice's history, oldest first, each entry with its actor's name."""
    # The actor's name through the foreign key, in the same statement: the account is only read, for display.
    actor = HistoryTable.actor_user_id
    rows = await (HistoryTable.select(*_COLUMNS, actor.first_name.as_alias("actor_first_name"), actor.last_name.as_alias("actor_last_name"),
                                      actor.email.as_alias("actor_email"))
                  .where(HistoryTable.invoice_id == invoice_id).order_by(HistoryTable.at, HistoryTable.id))
    return [HistoryEntry(**{name: row[name] for name in FIELDS},
                         actor_name=None if row["actor_user_id"] is None else display_name(
                             row["actor_first_name"], row["actor_last_name"], row["actor_email"]))
            for row in rows]
