"""Reads of the invoice tables for lists and dashboards: counts from the per-day and monthly counters,
filtered lists with keyset pages, searches, the rows of an export.

The dashboard's counts and the list pages are benchmarked hot paths (`just bench dashboard`, within 1.3×
of the raw statements): their statements stay hand-written SQL run on the task's connection — they reuse
a parameter in several places ($1 of the window, the page's limit in every branch), which Piccolo's `{}`
placeholders cannot say without changing the text the planner sees, and the rows go straight from
asyncpg into typed rows without Piccolo's per-row dicts. The benchmark's raw baseline runs these very
statements (`COUNTS_SQL`, `list_statement`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import msgspec

from backend.domain.invoices.tables import Invoice
from backend.infra.database import connection
from shared.cadres import Cadre, InvoiceSource
from shared.invoice_status import InvoiceStatus

PARIS = ZoneInfo("Europe/Paris")
UNFINISHED = (InvoiceStatus.BROUILLON, InvoiceStatus.PROVISOIRE)


class Owner(Protocol):
    """Whose invoices a list may show: a structure, whole (`service_ids` None) or some of its services."""

    @property
    def id(self) -> int: ...

    @property
    def service_ids(self) -> tuple[int, ...] | None: ...


class Criteria(Protocol):
    """What a list shows (the dashboard's `ListFilter` is one)."""

    side: str
    date_field: str
    date_from: date | None
    date_to: date | None
    number: str
    recipient_siret: str
    engagement: str
    service_code: str
    cadre: Cadre | None
    source: InvoiceSource | None
    amount_min: Decimal | None
    amount_max: Decimal | None
    sort: str
    descending: bool

    @property
    def wanted_statuses(self) -> tuple[InvoiceStatus, ...] | None:
        """None: any state; an empty tuple: no state at all (the list is empty)."""


class CounterTotal(msgspec.Struct, frozen=True):
    """How many invoices of a structure (None: summed over several) are in a status, and their TTC total."""

    structure_id: int | None
    status: str
    n: int
    amount: Decimal | None


class MonthTotal(msgspec.Struct, frozen=True):
    month: str  # YYYY-MM
    amount: Decimal | None


class UnfinishedInvoice(msgspec.Struct, frozen=True):
    id: int
    number: str | None
    status: str
    total_ttc: Decimal | None
    created_at: datetime


class ListedInvoice(msgspec.Struct, frozen=True):
    """A row of a list, a search or an export (fields in the order of `_COLUMNS`)."""

    id: int
    number: str | None
    engagement_number: str | None
    invoice_date: date | None
    deposited_at: datetime | None
    created_at: datetime
    total_ht: Decimal | None
    total_ttc: Decimal | None
    status: str
    status_at: datetime
    cadre: str
    source: str
    supplier_structure_id: int
    recipient_structure_id: int | None
    supplier_name: str
    recipient_name: str | None
    recipient_siret: str | None
    supplier_service_code: str | None
    recipient_service_code: str | None
    recipient_service_libelle: str | None
    attachments_size: Decimal  # sum() of a bigint is a numeric
    main_file_id: int | None
    sort_value: Any  # the sort key's value (a moment, an amount or a number), for the next page's cursor


# Counters --------------------------------------------------------------------------------------------

# The counters of a window [since, today]: whole months from the monthly roll-up, the days of the first,
# partial month from the day rows. $1 side, $2 structures, $3 since, $4 the first whole month.
_WINDOW = """(
    SELECT structure_id, status, month, count, amount_ttc FROM invoice_monthly_count
    WHERE side = $1 AND structure_id = ANY($2::bigint[]) AND month > $3
    UNION ALL
    SELECT structure_id, status, date_trunc('month', day)::date, count, amount_ttc FROM invoice_daily_count
    WHERE side = $1 AND structure_id = ANY($2::bigint[]) AND day >= $3 AND day < $4
) w"""
COUNTS_SQL = f"SELECT structure_id, status, sum(count)::int AS n, sum(amount_ttc) AS amount FROM {_WINDOW} GROUP BY structure_id, status"
_STATUS_TOTALS_SQL = f"SELECT NULL::bigint, status, sum(count)::int AS n, sum(amount_ttc) AS amount FROM {_WINDOW} GROUP BY status"
_MONTHS_SQL = f"""SELECT to_char(month, 'YYYY-MM') AS month, sum(amount_ttc) AS amount FROM {_WINDOW}
                  WHERE status <> ALL($5::text[]) GROUP BY 1 ORDER BY 1"""
# Attached to some services only: count their invoices (few) rather than the structure's counters.
_SERVICES_COUNTS_SQL = """SELECT recipient_structure_id AS structure_id, status, count(*)::int AS n, coalesce(sum(total_ttc), 0) AS amount
   FROM invoice WHERE recipient_structure_id = $1 AND recipient_service_id = ANY($2::bigint[])
     AND coalesce(deposited_at, created_at) >= $3 GROUP BY 1, 2"""


def window_params(side: str, structure_ids: list[int], since: date, first_whole_month: date) -> list:
    return [side, structure_ids, since, first_whole_month]


async def counts(side: str, structure_ids: list[int], since: date, first_whole_month: date) -> list[CounterTotal]:
    """Per structure and status, the invoices of the window, from the counters (hot path: raw, see above)."""
    async with connection() as conn:
        rows = await conn.fetch(COUNTS_SQL, *window_params(side, structure_ids, since, first_whole_month))
    return [CounterTotal(*row) for row in rows]


async def counts_of_services(structure_id: int, service_ids: Sequence[int], since: date) -> list[CounterTotal]:
    """The same for the invoices received by some services of a structure, counted from the invoices."""
    async with connection() as conn:
        rows = await conn.fetch(_SERVICES_COUNTS_SQL, structure_id, list(service_ids), _paris_midnight(since))
    return [CounterTotal(*row) for row in rows]


async def status_totals(side: str, structure_ids: list[int], since: date, first_whole_month: date) -> list[CounterTotal]:
    """Per status, summed over the structures (a UNION ALL over two counter tables: raw SQL)."""
    async with connection() as conn:
        rows = await conn.fetch(_STATUS_TOTALS_SQL, *window_params(side, structure_ids, since, first_whole_month))
    return [CounterTotal(*row) for row in rows]


async def month_amounts(side: str, structure_ids: list[int], since: date, first_whole_month: date) -> list[MonthTotal]:
    """Per month, the TTC total of the invoices past their draft (a UNION ALL over two counter tables: raw SQL)."""
    async with connection() as conn:
        rows = await conn.fetch(_MONTHS_SQL, *window_params(side, structure_ids, since, first_whole_month),
                                [status.value for status in UNFINISHED])
    return [MonthTotal(*row) for row in rows]


async def unfinished(supplier_ids: list[int], limit: int = 20) -> list[UnfinishedInvoice]:
    """The suppliers' latest drafts, newest first."""
    if not supplier_ids:
        return []
    rows = await (Invoice.select(Invoice.id, Invoice.number, Invoice.status, Invoice.total_ttc, Invoice.created_at)
                  .where(Invoice.supplier_structure_id.is_in(supplier_ids) & Invoice.status.is_in([s.value for s in UNFINISHED]))
                  .order_by(Invoice.created_at, ascending=False).limit(limit))
    return [UnfinishedInvoice(**row) for row in rows]


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


def _paris_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), PARIS)


def list_statement(f: Criteria, owners: Sequence[Owner], *, after: list | None = None, limit: int | None = None) -> tuple[str, list]:
    """The SQL of a list: a keyset page with `limit`, else every matching row (an export)."""
    sort = _SORT_SQL[f.sort]
    params: list[Any] = []

    def p(value) -> str:
        params.append(value)
        return f"${len(params)}"

    statuses = f.wanted_statuses
    if statuses == ():  # a status filter nothing passes lists nothing, like no owner (never « no filter »)
        owners = ()
    owner = "i.supplier_structure_id" if f.side == "S" else "i.recipient_structure_id"
    scope = []
    whole = [r.id for r in owners if r.service_ids is None]
    if len(whole) == 1:
        # An equality (not ANY) lets the planner walk the (structure, status, date) index in order.
        scope.append(f"{owner} = {p(whole[0])}")
    elif whole:
        scope.append(f"{owner} = ANY({p(whole)}::bigint[])")
    for ref in owners:
        if ref.service_ids is not None:
            service = "i.supplier_service_id" if f.side == "S" else "i.recipient_service_id"
            scope.append(f"({owner} = {p(ref.id)} AND {service} = ANY({p(list(ref.service_ids))}::bigint[]))")
    where = [f"({' OR '.join(scope)})" if scope else "FALSE"]
    by_invoice_date = f.date_field == "facture"
    deposit = "coalesce(i.deposited_at, i.created_at)"
    optional = (  # (condition, its parameter or None when the filter leaves it out), in this order
        ("i.invoice_date >= {}", f.date_from if by_invoice_date else None),
        ("i.invoice_date <= {}", f.date_to if by_invoice_date else None),
        (deposit + " >= {}", _paris_midnight(f.date_from) if f.date_from and not by_invoice_date else None),
        (deposit + " < {}", _paris_midnight(f.date_to + timedelta(days=1)) if f.date_to and not by_invoice_date else None),
        ("i.number_norm LIKE {}", f.number.lower().replace("%", "") + "%" if f.number else None),
        ("i.engagement_number ILIKE {}", f.engagement.replace("%", "") + "%" if f.engagement else None),
        ("r.identifier LIKE {}", f.recipient_siret + "%" if f.recipient_siret else None),
        ("rs.code ILIKE {}", f.service_code or None),
        ("i.cadre = {}", f.cadre.value if f.cadre else None),
        ("i.source = {}", f.source.value if f.source else None),
        ("i.total_ttc >= {}", f.amount_min),
        ("i.total_ttc <= {}", f.amount_max),
    )
    where += [condition.format(p(value)) for condition, value in optional if value is not None]
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
        conditions = [[*where, f"i.status = {p(st.value)}"] for st in statuses] if statuses else [where]
        parts = [f"(SELECT i.id, {sort} AS sort_value {inner_from} WHERE {' AND '.join(c)}{order} LIMIT {limit_ref})" for c in conditions]
        outer = "u.sort_value DESC, u.id DESC" if f.descending else "u.sort_value ASC, u.id ASC"
        sql = (_COLUMNS.format(sort=sort) + _FROM.replace("FROM invoice i", f"FROM ({' UNION ALL '.join(parts)}) u JOIN invoice i ON i.id = u.id")
               + f" ORDER BY {outer} LIMIT {limit_ref}")
        return sql, params
    if statuses:
        where.append(f"i.status = ANY({p([st.value for st in statuses])}::text[])")
    return _COLUMNS.format(sort=sort) + _FROM + " WHERE " + " AND ".join(where) + order, params


async def page(f: Criteria, owners: Sequence[Owner], *, after: list | None, limit: int) -> list[ListedInvoice]:
    """Up to `limit` rows after the keyset `after` ([sort value, id] of the previous page's last row)."""
    sql, params = list_statement(f, owners, after=after, limit=limit)
    async with connection() as conn:
        rows = await conn.fetch(sql, *params)
    return [ListedInvoice(*row) for row in rows]


async def count(f: Criteria, owners: Sequence[Owner], *, cap: int) -> int:
    """How many rows match, counted up to `cap` + 1 (a result list says « more than `cap` » rather than
    count a whole archive on each search)."""
    sql, params = list_statement(f, owners)
    async with connection() as conn:
        return await conn.fetchval(f"SELECT count(*) FROM ({sql} LIMIT {int(cap) + 1}) AS matched", *params)


async def every_row(f: Criteria, owners: Sequence[Owner], *, prefetch: int = 500) -> AsyncIterator[ListedInvoice]:
    """Every matching row, through a server-side cursor (never all in memory). Iterate it inside a
    transaction (`async with transaction():`), which the cursor lives in."""
    sql, params = list_statement(f, owners)
    async with connection() as conn:
        async for row in conn.cursor(sql, *params, prefetch=prefetch):
            yield ListedInvoice(*row)


# The archive -----------------------------------------------------------------------------------------

async def deposited_before(moment: datetime) -> list[int]:
    """The invoices deposited (or, never deposited, created) before `moment`, oldest first."""
    before = (Invoice.deposited_at < moment) | (Invoice.deposited_at.is_null() & (Invoice.created_at < moment))
    return await Invoice.select(Invoice.id).where(before).order_by(Invoice.id).output(as_list=True)


async def supplier_has_invoices(supplier_structure_id: int) -> bool:
    return await Invoice.exists().where(Invoice.supplier_structure_id == supplier_structure_id)
