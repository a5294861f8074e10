"""Dashboard counts (from the per-day counters), filtered invoice lists with keyset pages, exports."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from backend.domain.accounts.identity import Principal
from backend.domain.dashboard import rules
from backend.domain.dashboard.rules import ListFilter
from backend.domain.structures.permissions import StructureRef, structures_for
from backend.infra.database import connection
from backend.infra.errors import NotFound
from shared.applications import Application
from shared.invoice_status import DashboardColumn, InvoiceStatus, dashboard_column

PARIS = ZoneInfo("Europe/Paris")
APPLICATION = {"S": Application.FACTURES_EMISES, "R": Application.FACTURES_RECUES}


def today_paris() -> date:
    return datetime.now(PARIS).date()


# The counters of the dashboard's window [since, today]: whole months from the monthly roll-up, the days of
# the first, partial month from the day rows. $1 side, $2 structures, $3 since, $4 first_month_end(since).
_WINDOW = """(
    SELECT structure_id, status, month, count, amount_ttc FROM invoice_monthly_count
    WHERE side = $1 AND structure_id = ANY($2::bigint[]) AND month > $3
    UNION ALL
    SELECT structure_id, status, date_trunc('month', day)::date, count, amount_ttc FROM invoice_daily_count
    WHERE side = $1 AND structure_id = ANY($2::bigint[]) AND day >= $3 AND day < $4
) w"""
COUNTS_SQL = f"SELECT structure_id, status, sum(count)::int AS n, sum(amount_ttc) AS amount FROM {_WINDOW} GROUP BY structure_id, status"


def window_params(side: str, structure_ids: list[int], since: date) -> list:
    return [side, structure_ids, since, rules.first_month_end(since)]


@dataclass
class StructureCounts:
    structure: StructureRef
    counts: dict[DashboardColumn, int]
    amounts: dict[DashboardColumn, Decimal]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


async def visible_structures(principal: Principal, side: str, structure_id: int | None = None) -> list[StructureRef]:
    refs = await structures_for(principal, APPLICATION[side])
    if structure_id is not None:
        refs = [r for r in refs if r.id == structure_id]
        if not refs:
            raise NotFound("Structure introuvable.", "Organisation not found.")
    return refs


async def dashboard(principal: Principal, side: str = "S", *, today: date | None = None) -> list[StructureCounts]:
    """Per structure, how many invoices of the last two years sit in each column."""
    refs = await visible_structures(principal, side)
    since = rules.dashboard_since(today or today_paris())
    whole = [r.id for r in refs if r.service_ids is None]
    per_service = [r for r in refs if r.service_ids is not None]
    rows: list = []
    async with connection() as conn:
        if whole:
            rows += await conn.fetch(COUNTS_SQL, *window_params(side, whole, since))
        for ref in per_service:
            # Attached to some services only: count their invoices (few) rather than the structure's counters.
            rows += await conn.fetch(
                """SELECT recipient_structure_id AS structure_id, status, count(*)::int AS n, coalesce(sum(total_ttc), 0) AS amount
                   FROM invoice WHERE recipient_structure_id = $1 AND recipient_service_id = ANY($2::bigint[])
                     AND coalesce(deposited_at, created_at) >= $3 GROUP BY 1, 2""",
                ref.id, list(ref.service_ids), datetime.combine(since, time(), PARIS))
    counts: dict[int, dict] = defaultdict(lambda: defaultdict(int))
    amounts: dict[int, dict] = defaultdict(lambda: defaultdict(Decimal))
    for row in rows:
        status = InvoiceStatus(row["status"])
        if side == "R" and not status.visible_to_recipient:
            continue
        column = dashboard_column(status)
        counts[row["structure_id"]][column] += row["n"]
        amounts[row["structure_id"]][column] += row["amount"] or Decimal(0)
    return [StructureCounts(ref, {c: counts[ref.id][c] for c in DashboardColumn}, {c: amounts[ref.id][c] for c in DashboardColumn})
            for ref in refs]


# Lists -----------------------------------------------------------------------------------------------

_SORT_SQL = {"date": "coalesce(i.deposited_at, i.created_at)", "montant": "coalesce(i.total_ttc, 0)",
             "numero": "coalesce(i.number_norm, '')"}

_FROM = """
FROM invoice i
JOIN structure s ON s.id = i.supplier_structure_id
LEFT JOIN structure r ON r.id = i.recipient_structure_id
LEFT JOIN service ss ON ss.id = i.supplier_service_id
LEFT JOIN service rs ON rs.id = i.recipient_service_id
"""
_COLUMNS = """
SELECT i.id, i.number, i.engagement_number, i.invoice_date, i.deposited_at, i.created_at, i.total_ht, i.total_ttc,
       i.status, i.status_at, i.cadre, i.source, i.supplier_structure_id, i.recipient_structure_id,
       s.raison_sociale AS supplier_name, r.raison_sociale AS recipient_name, r.identifier AS recipient_siret,
       ss.code AS supplier_service_code, rs.code AS recipient_service_code, rs.libelle AS recipient_service_libelle,
       (SELECT coalesce(sum(size), 0) FROM invoice_file f WHERE f.invoice_id = i.id AND f.role = 'piece_jointe') AS attachments_size,
       (SELECT f.id FROM invoice_file f WHERE f.invoice_id = i.id AND f.role = 'principal' LIMIT 1) AS main_file_id,
       {sort} AS sort_value
"""


def list_query(f: ListFilter, refs: list[StructureRef], *, after: list | None = None, limit: int | None = None) -> tuple[str, list]:
    """The SQL of a list (shared by the page, the export and the benchmark's raw baseline)."""
    sort = _SORT_SQL[f.sort]
    params: list[Any] = []

    def p(value) -> str:
        params.append(value)
        return f"${len(params)}"

    owner = "i.supplier_structure_id" if f.side == "S" else "i.recipient_structure_id"
    scope = []
    whole = [r.id for r in refs if r.service_ids is None]
    if len(whole) == 1:
        # An equality (not ANY) lets the planner walk the (structure, status, date) index in order.
        scope.append(f"{owner} = {p(whole[0])}")
    elif whole:
        scope.append(f"{owner} = ANY({p(whole)}::bigint[])")
    for ref in refs:
        if ref.service_ids is not None:
            service = "i.supplier_service_id" if f.side == "S" else "i.recipient_service_id"
            scope.append(f"({owner} = {p(ref.id)} AND {service} = ANY({p(list(ref.service_ids))}::bigint[]))")
    where = [f"({' OR '.join(scope)})" if scope else "FALSE"]
    statuses = f.wanted_statuses
    if f.date_field == "facture":
        if f.date_from:
            where.append(f"i.invoice_date >= {p(f.date_from)}")
        if f.date_to:
            where.append(f"i.invoice_date <= {p(f.date_to)}")
    else:
        if f.date_from:
            where.append(f"coalesce(i.deposited_at, i.created_at) >= {p(datetime.combine(f.date_from, time(), PARIS))}")
        if f.date_to:
            where.append(f"coalesce(i.deposited_at, i.created_at) < {p(datetime.combine(f.date_to + timedelta(days=1), time(), PARIS))}")
    if f.number:
        where.append(f"i.number_norm LIKE {p(f.number.lower().replace('%', '') + '%')}")
    if f.engagement:
        where.append(f"i.engagement_number ILIKE {p(f.engagement.replace('%', '') + '%')}")
    if f.recipient_siret:
        where.append(f"r.identifier LIKE {p(f.recipient_siret + '%')}")
    if f.service_code:
        where.append(f"rs.code ILIKE {p(f.service_code)}")
    if f.cadre:
        where.append(f"i.cadre = {p(f.cadre.value)}")
    if f.source:
        where.append(f"i.source = {p(f.source.value)}")
    if f.amount_min is not None:
        where.append(f"i.total_ttc >= {p(f.amount_min)}")
    if f.amount_max is not None:
        where.append(f"i.total_ttc <= {p(f.amount_max)}")
    direction = "DESC" if f.descending else "ASC"
    if after is not None:
        value = after[0]
        if f.sort == "date":
            value = datetime.fromisoformat(value)
        elif f.sort == "montant":
            value = Decimal(value)
        comparison = "<" if f.descending else ">"
        where.append(f"({sort}, i.id) {comparison} ({p(value)}, {p(int(after[1]))})")
    order = f" ORDER BY {sort} {direction}, i.id {direction}"
    if limit is not None:
        # A page: one ordered index scan per state (structure, status, date) stopping after a page, merged,
        # then joined for display — instead of collecting every matching row of a large supplier to sort it.
        limit_ref = p(limit)
        inner_from = "FROM invoice i"
        if f.recipient_siret:
            inner_from += " LEFT JOIN structure r ON r.id = i.recipient_structure_id"
        if f.service_code:
            inner_from += " LEFT JOIN service rs ON rs.id = i.recipient_service_id"
        conditions = [[*where, f"i.status = {p(st.value)}"] for st in statuses] or [where]
        parts = [f"(SELECT i.id, {sort} AS sort_value {inner_from} WHERE {' AND '.join(c)}{order} LIMIT {limit_ref})" for c in conditions]
        outer = "u.sort_value DESC, u.id DESC" if f.descending else "u.sort_value ASC, u.id ASC"
        sql = (_COLUMNS.format(sort=sort) + _FROM.replace("FROM invoice i", f"FROM ({' UNION ALL '.join(parts)}) u JOIN invoice i ON i.id = u.id")
               + f" ORDER BY {outer} LIMIT {limit_ref}")
        return sql, params
    if statuses:
        where.append(f"i.status = ANY({p([st.value for st in statuses])}::text[])")
    return _COLUMNS.format(sort=sort) + _FROM + " WHERE " + " AND ".join(where) + order, params


@dataclass
class InvoicePage:
    rows: list[dict]
    next_cursor: str | None


async def list_invoices(principal: Principal, f: ListFilter, *, cursor: str | None = None,
                        limit: int = rules.PAGE_SIZE) -> InvoicePage:
    refs = await visible_structures(principal, f.side, f.structure_id)
    sql, params = list_query(f, refs, after=rules.decode_cursor(cursor), limit=limit + 1)
    async with connection() as conn:
        rows = [dict(r) for r in await conn.fetch(sql, *params)]
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = rules.encode_cursor([last["sort_value"], last["id"]])
    return InvoicePage(rows=rows, next_cursor=next_cursor)


def row_view(row: dict, lang: str = "fr") -> dict:
    """A list row with display values (dates in Paris time, amounts with two decimals, state label)."""
    def day(value):
        if value is None:
            return ""
        if isinstance(value, datetime):
            value = value.astimezone(PARIS)
        return f"{value.day:02d}/{value.month:02d}/{value.year}"  # strftime costs 3× more, 78 times a page

    def amount(value):
        return "" if value is None else f"{Decimal(value):,.2f}".replace(",", "\u202f").replace(".", ",")

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
    async with connection() as conn:
        statuses = await conn.fetch(f"SELECT status, sum(count)::int AS n, sum(amount_ttc) AS amount FROM {_WINDOW} GROUP BY status",
                                    *window_params(side, ids, since))
        months = await conn.fetch(
            f"""SELECT to_char(month, 'YYYY-MM') AS month, sum(amount_ttc) AS amount FROM {_WINDOW}
                WHERE status NOT IN ('BROUILLON', 'PROVISOIRE') GROUP BY 1 ORDER BY 1""", *window_params(side, ids, since))
        drafts = await conn.fetch(
            """SELECT id, number, status, total_ttc, created_at FROM invoice
               WHERE supplier_structure_id = ANY($1::bigint[]) AND status IN ('BROUILLON', 'PROVISOIRE')
               ORDER BY created_at DESC LIMIT 20""", ids) if side == "S" else []
    order = {s: i for i, s in enumerate(InvoiceStatus)}
    by_status = sorted(((InvoiceStatus(r["status"]), r["n"], r["amount"] or Decimal(0)) for r in statuses
                        if r["n"] and (side == "S" or InvoiceStatus(r["status"]).visible_to_recipient)), key=lambda t: order[t[0]])
    return Synthesis(by_status=by_status, by_month=[(r["month"], r["amount"] or Decimal(0)) for r in months],
                     to_finish=[dict(r) for r in drafts])


async def purge_invoices(older_than_years: int = rules.ARCHIVE_YEARS, *, dry_run: bool = False, today: date | None = None) -> int:
    """Delete invoices past the archive period, with their files and counters (a command, not a job)."""
    from backend.domain.invoices import counters

    limit = datetime.combine((today or today_paris()) - timedelta(days=365 * older_than_years + older_than_years // 4), time(), PARIS)
    async with connection() as conn:
        async with conn.transaction():
            rows = await conn.fetch("SELECT * FROM invoice WHERE coalesce(deposited_at, created_at) < $1 FOR UPDATE", limit)
            if dry_run or not rows:
                return len(rows)
            ids = [r["id"] for r in rows]
            files = await conn.fetch("SELECT storage_key FROM invoice_file WHERE invoice_id = ANY($1::bigint[])", ids)
            for row in rows:
                await counters.apply(conn, dict(row), None)
            await conn.execute("DELETE FROM invoice WHERE id = ANY($1::bigint[])", ids)
    from backend.settings import get_settings

    for f in files:
        (get_settings().storage_dir / f["storage_key"]).unlink(missing_ok=True)
    return len(rows)
