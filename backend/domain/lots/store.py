"""The only code that reads and writes `lot` and `lot_entry`; it returns typed rows.

Every function runs inside the transaction open in the current task (`transaction()`, or a
`connection()` block), so a service composes several of them in one transaction by opening it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec

from backend.domain.lots import tables as t
from backend.domain.lots.rules import EntryStatus, LotStatus


class Lot(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    number: str | None
    structure_id: int
    deposit_format: str
    syntax: str
    archive_kind: str
    original_name: str
    size: int
    sha256: str
    storage_key: str
    status: str
    entry_count: int
    integrated_count: int
    rejected_count: int
    created_by: int | None
    impersonator_user_id: int | None
    created_at: datetime
    processed_at: datetime | None


class LotEntry(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    lot_id: int
    position: int
    name: str
    member: str
    size: int
    status: str
    invoice_id: int | None
    invoice_number: str | None
    anomalies: list[dict[str, Any]]
    processed_at: datetime | None
    previous_entry_id: int | None = None


class NewEntry(msgspec.Struct, frozen=True):
    """One file of an archive as the lot records it before integration."""

    name: str
    member: str
    size: int


_LOT = tuple(getattr(t.Lot, name) for name in Lot.__struct_fields__)
_ENTRY = tuple(getattr(t.LotEntry, name) for name in LotEntry.__struct_fields__)


def _lot(rows: Sequence[dict[str, Any]]) -> Lot | None:
    return Lot(**rows[0]) if rows else None


def _now() -> datetime:
    return datetime.now(UTC)


async def create_lot(*, structure_id: int, deposit_format: str, syntax: str, archive_kind: str, original_name: str,
                     size: int, sha256: str, storage_key: str, entries: Iterable[NewEntry], created_by: int | None,
                     impersonator_user_id: int | None, number_of: Callable[[int, datetime], str]) -> Lot:
    """The lot and its entries (positions from 1); `number_of(id, created_at)` gives its number, which
    needs the id the insert assigns. Call it inside a transaction."""
    # Piccolo's Timestamptz defaults to now(): the unset timestamps are given as None explicitly.
    entries = list(entries)
    inserted = await t.Lot.insert(t.Lot(
        structure_id=structure_id, deposit_format=deposit_format, syntax=syntax, archive_kind=archive_kind,
        original_name=original_name, size=size, sha256=sha256, storage_key=storage_key, entry_count=len(entries),
        created_by=created_by, impersonator_user_id=impersonator_user_id, created_at=_now(), processed_at=None,
        number=None, status=str(LotStatus.RECU))).returning(t.Lot.id, t.Lot.created_at)
    lot_id = inserted[0]["id"]
    rows = await t.Lot.update({t.Lot.number: number_of(lot_id, inserted[0]["created_at"])}).where(
        t.Lot.id == lot_id).returning(*_LOT)
    if entries:
        await t.LotEntry.insert(*[t.LotEntry(lot_id=lot_id, position=position, name=e.name, member=e.member, size=e.size,
                                             status=str(EntryStatus.ATTENTE), anomalies=[],
                                             invoice_id=None, invoice_number=None, processed_at=None)
                                  for position, e in enumerate(entries, 1)])
    return Lot(**rows[0])


async def same_content_lot(structure_id: int, sha256: str) -> Lot | None:
    """The structure's earlier lot with exactly this content (its archive's SHA-256), if any."""
    return _lot(await t.Lot.select(*_LOT).where(t.Lot.structure_id == structure_id, t.Lot.sha256 == sha256).order_by(
        t.Lot.id).limit(1))


async def get_lot(lot_id: int) -> Lot | None:
    return _lot(await t.Lot.select(*_LOT).where(t.Lot.id == lot_id))


async def entries_of(lot_id: int, *, waiting_only: bool = False) -> list[LotEntry]:
    query = t.LotEntry.select(*_ENTRY).where(t.LotEntry.lot_id == lot_id)
    if waiting_only:
        query = query.where(t.LotEntry.status == str(EntryStatus.ATTENTE))
    return [LotEntry(**row) for row in await query.order_by(t.LotEntry.position)]


async def lots_page(structure_id: int, *, before: int | None, limit: int) -> list[Lot]:
    """Newest first, `limit` rows after the keyset cursor `before` (an id)."""
    query = t.Lot.select(*_LOT).where(t.Lot.structure_id == structure_id)
    if before is not None:
        query = query.where(t.Lot.id < before)
    return [Lot(**row) for row in await query.order_by(t.Lot.id, ascending=False).limit(limit)]


async def unfinished_lot_ids(*, older_than: timedelta, limit: int = 100) -> list[int]:
    rows = await t.Lot.select(t.Lot.id).where(t.Lot.processed_at.is_null(), t.Lot.created_at < _now() - older_than).order_by(
        t.Lot.id).limit(limit)
    return [row["id"] for row in rows]


async def start_integration(lot_id: int) -> Lot | None:
    """The lot marked EN_COURS, or None when it is absent or already processed."""
    return _lot(await t.Lot.update({t.Lot.status: str(LotStatus.EN_COURS)}).where(
        t.Lot.id == lot_id, t.Lot.status.is_in([str(LotStatus.RECU), str(LotStatus.EN_COURS)])).returning(*_LOT))


async def finish(lot_id: int, status: LotStatus) -> Lot:
    return Lot(**(await t.Lot.update({t.Lot.status: str(status), t.Lot.processed_at: _now()}).where(
        t.Lot.id == lot_id).returning(*_LOT))[0])


async def earlier_rejected_attempt(structure_id: int, invoice_number: str | None, before_entry_id: int) -> int | None:
    """The structure's latest rejected entry of an earlier lot carrying this invoice number (the attempt a
    re-deposited, corrected invoice follows), or None."""
    if not invoice_number:
        return None
    rows = await t.LotEntry.select(t.LotEntry.id).where(
        t.LotEntry.lot_id.structure_id == structure_id, t.LotEntry.invoice_number == invoice_number,
        t.LotEntry.status == str(EntryStatus.REJETEE), t.LotEntry.id < before_entry_id).order_by(
        t.LotEntry.id, ascending=False).limit(1)
    return rows[0]["id"] if rows else None


async def attempts(entry_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """{entry id: {entry_id, lot_id, lot_number, name}} for these (earlier) entries."""
    ids = sorted(set(entry_ids))
    if not ids:
        return {}
    rows = await t.LotEntry.select(t.LotEntry.id, t.LotEntry.lot_id, t.LotEntry.lot_id.number.as_alias("lot_number"),
                                   t.LotEntry.name).where(t.LotEntry.id.is_in(ids))
    return {row["id"]: {"entry_id": row["id"], "lot_id": row["lot_id"], "lot_number": row["lot_number"], "name": row["name"]}
            for row in rows}


async def mark_integrated(lot_id: int, entry_id: int, *, invoice_id: int, invoice_number: str | None,
                          anomalies: list[dict[str, Any]] | None = None, previous_entry_id: int | None = None) -> Lot:
    """The entry's invoice (with the warnings it passed with), and the lot's count of integrated entries."""
    await t.LotEntry.update({t.LotEntry.status: str(EntryStatus.INTEGREE), t.LotEntry.invoice_id: invoice_id,
                             t.LotEntry.anomalies: anomalies or [], t.LotEntry.previous_entry_id: previous_entry_id,
                             t.LotEntry.invoice_number: invoice_number, t.LotEntry.processed_at: _now()}).where(
        t.LotEntry.id == entry_id)
    return Lot(**(await t.Lot.update({t.Lot.integrated_count: t.Lot.integrated_count + 1}).where(
        t.Lot.id == lot_id).returning(*_LOT))[0])


async def mark_rejected(lot_id: int, entry_id: int, *, anomalies: list[dict[str, Any]], invoice_number: str | None,
                        previous_entry_id: int | None = None) -> Lot | None:
    """The entry's anomalies, and the lot's count of rejected entries; returns the lot, or None when the
    entry no longer waits (an entry integrated just before a later step failed keeps its outcome)."""
    updated = await t.LotEntry.update({t.LotEntry.status: str(EntryStatus.REJETEE), t.LotEntry.anomalies: anomalies,
                                       t.LotEntry.invoice_number: invoice_number, t.LotEntry.processed_at: _now(),
                                       t.LotEntry.previous_entry_id: previous_entry_id}).where(
        t.LotEntry.id == entry_id, t.LotEntry.status == str(EntryStatus.ATTENTE)).returning(t.LotEntry.id)
    if not updated:
        return None
    return Lot(**(await t.Lot.update({t.Lot.rejected_count: t.Lot.rejected_count + 1}).where(
        t.Lot.id == lot_id).returning(*_LOT))[0])


async def held_keys(keys: list[str]) -> set[str]:
    """Which of these storage keys a lot holds (the storage sweep keeps those)."""
    if not keys:
        return set()
    return set(await t.Lot.select(t.Lot.storage_key).where(t.Lot.storage_key.is_in(keys)).output(as_list=True))
