"""Dashboard counts (from the per-day counters), filtered invoice lists with keyset pages, exports."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import partial
from zoneinfo import ZoneInfo

import msgspec

from backend.domain.accounts.identity import Principal
from backend.domain.dashboard import rules
from backend.domain.dashboard.rules import ListFilter
from backend.domain.invoices.store import files as invoice_files
from backend.domain.invoices.store import listing
from backend.domain.invoices.unit_of_work import atomic, change_invoice
from backend.domain.structures.permissions import Action, StructureRef, allowed_structures
from backend.infra import storage
from backend.infra.errors import NotFound
from shared import formatting
from shared.applications import Application
from shared.invoice_status import DashboardColumn, InvoiceStatus, dashboard_column

PARIS = ZoneInfo("Europe/Paris")
APPLICATION = {"S": Application.FACTURES_EMISES, "R": Application.FACTURES_RECUES}
SIDE_ACTION = {"S": Action.VIEW_ISSUED, "R": Action.VIEW_RECEIVED}  # what seeing a side's invoices needs


def today_paris() -> date:
    return datetime.now(PARIS).date()


# The counts' statement and its parameters, as the benchmark's raw baseline runs them.
COUNTS_SQL = listing.COUNTS_SQL


def window_params(side: str, structure_ids: list[int], since: date) -> list:
    return listing.window_params(side, structure_ids, since, rules.first_month_end(since))


@dataclass
class StructureCounts:
    structure: StructureRef
    counts: dict[DashboardColumn, int]
    amounts: dict[DashboardColumn, Decimal]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


async def visible_structures(principal: Principal, side: str, structure_id: int | None = None) -> list[StructureRef]:
    refs = await allowed_structures(principal, SIDE_ACTION[side])
    if structure_id is not None:
        refs = [r for r in refs if r.id == structure_id]
        if not refs:
            raise NotFound('structure')
    return refs


async def dashboard(principal: Principal, side: str = "S", *, today: date | None = None) -> list[StructureCounts]:
    """Per structure, how many invoices of the last two years sit in each column."""
    refs = await visible_structures(principal, side)
    since = rules.dashboard_since(today or today_paris())
    whole = [r.id for r in refs if r.service_ids is None]
    per_service = [r for r in refs if r.service_ids is not None]
    rows: list[listing.CounterTotal] = []
    if whole:
        rows += await listing.counts(side, whole, since, rules.first_month_end(since))
    for ref in per_service:
        rows += await listing.counts_of_services(ref.id, ref.service_ids, since)
    counts: dict[int, dict] = defaultdict(lambda: defaultdict(int))
    amounts: dict[int, dict] = defaultdict(lambda: defaultdict(Decimal))
    for row in rows:
        status = InvoiceStatus(row.status)
        if side == "R" and not status.visible_to_recipient:
            continue
        column = dashboard_column(status)
        counts[row.structure_id][column] += row.n
        amounts[row.structure_id][column] += row.amount or Decimal(0)
    return [StructureCounts(ref, {c: counts[ref.id][c] for c in DashboardColumn}, {c: amounts[ref.id][c] for c in DashboardColumn})
            for ref in refs]


# Lists -----------------------------------------------------------------------------------------------

def list_query(f: ListFilter, refs: list[StructureRef], *, after: list | None = None, limit: int | None = None) -> tuple[str, list]:
    """The SQL of a list (the benchmark's raw baseline runs the page's)."""
    return listing.list_statement(f, refs, after=after, limit=limit)


async def export_rows(f: ListFilter, refs: list[StructureRef]) -> AsyncIterator[dict]:
    """Every row of a list, streamed (iterate inside `transaction()`), in the shape `row_view` reads."""
    async for row in listing.every_row(f, refs):
        yield msgspec.structs.asdict(row)


@dataclass
class InvoicePage:
    rows: list[dict]
    next_cursor: str | None


async def list_invoices(principal: Principal, f: ListFilter, *, cursor: str | None = None,
                        limit: int = rules.PAGE_SIZE) -> InvoicePage:
    refs = await visible_structures(principal, f.side, f.structure_id)
    rows = [msgspec.structs.asdict(r) for r in await listing.page(f, refs, after=rules.decode_cursor(cursor), limit=limit + 1)]
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = rules.encode_cursor([last["sort_value"], last["id"]])
    return InvoicePage(rows=rows, next_cursor=next_cursor)


COUNT_CAP = 10_000


async def count_invoices(principal: Principal, f: ListFilter) -> int:
    """The total a search's results announce: up to COUNT_CAP + 1 (more reads as « more than COUNT_CAP »)."""
    refs = await visible_structures(principal, f.side, f.structure_id)
    return await listing.count(f, refs, cap=COUNT_CAP)


def row_view(row: dict, lang: str = "fr") -> dict:
    """A list row with display values (dates in Paris time, amounts with two decimals, state label)."""
    def day(value):
        if value is None:
            return ""
        if isinstance(value, datetime):
            value = value.astimezone(PARIS)
        return f"{value.day:02d}/{value.month:02d}/{value.year}"  # strftime costs 3× more, 78 times a page

    def amount(value):
        return "" if value is None else formatting.amount(value, lang)

    return {
        "id": row["id"], "number": row["number"] or "", "engagement": row["engagement_number"] or "",
        "supplier_service": row["supplier_service_code"] or "", "recipient": row["recipient_name"] or "",
        "recipient_service": row["recipient_service_code"] or "", "executing_service": row["recipient_service_libelle"] or "",
        "invoice_date": day(row["invoice_date"]), "deposit_date": day(row["deposited_at"]),
        "total_ht": amount(row["total_ht"]), "total_ttc": amount(row["total_ttc"]),
        "status": row["status"], "status_label": InvoiceStatus(row["status"]).label(lang), "status_date": day(row["status_at"]),
        "attachments_size": _size(row["attachments_size"]), "main_file_id": row["main_file_id"],
    }


def _size(size: int | None) -> str:
    if not size:
        return "—"
    for unit, factor in (("Mo", 1024 * 1024), ("ko", 1024)):
        if size >= factor:
            return f"{size / factor:.1f} {unit}".replace(".", ",")
    return f"{size} o"


@dataclass
class Synthesis:
    by_status: list[tuple[InvoiceStatus, int, Decimal]]
    by_month: list[tuple[str, Decimal]]
    to_finish: list[dict]


async def synthesis(principal: Principal, side: str = "S", *, today: date | None = None) -> Synthesis:
    refs = [r for r in await visible_structures(principal, side) if r.service_ids is None]
    since = rules.dashboard_since(today or today_paris())
    ids = [r.id for r in refs]
    first_whole_month = rules.first_month_end(since)
    statuses = await listing.status_totals(side, ids, since, first_whole_month)
    months = await listing.month_amounts(side, ids, since, first_whole_month)
    drafts = await listing.unfinished(ids) if side == "S" else []
    order = {s: i for i, s in enumerate(InvoiceStatus)}
    by_status = sorted(((InvoiceStatus(r.status), r.n, r.amount or Decimal(0)) for r in statuses
                        if r.n and (side == "S" or InvoiceStatus(r.status).visible_to_recipient)), key=lambda t: order[t[0]])
    return Synthesis(by_status=by_status, by_month=[(r.month, r.amount or Decimal(0)) for r in months],
                     to_finish=[msgspec.structs.asdict(r) for r in drafts])


async def purge_invoices(older_than_years: int = rules.ARCHIVE_YEARS, *, dry_run: bool = False, today: date | None = None) -> int:
    """Delete invoices past the archive period, with their files and counters (a command, not a job).

    One transaction: each invoice locked, loaded and deleted by its unit of work (its lines, files' rows
    and history by cascade, out of the counters); the stored files are removed once it has committed."""
    limit = datetime.combine((today or today_paris()) - timedelta(days=365 * older_than_years + older_than_years // 4), time(), PARIS)
    ids = await listing.deposited_before(limit)
    if dry_run:
        return len(ids)
    deleted = 0
    async with atomic():
        for invoice_id in ids:
            try:
                async with change_invoice(invoice_id, None) as change:
                    for stored in await invoice_files.for_invoice(invoice_id):
                        change.after_commit(partial(storage.delete, stored.storage_key))
                    change.delete()
            except NotFound:  # deleted since it was listed (another purge)
                continue
            deleted += 1
    return deleted
