"""What a list of invoices shows, as plain values read from (and written back to) the URL.

The filter lives in the address so a list can be bookmarked and shared; the same filter drives the
page, the search and the exports.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from shared import cursor as shared_cursor
from shared.formatting import parse_amount
from shared.cadres import Cadre, InvoiceSource
from shared.invoice_status import DashboardColumn, InvoiceStatus

DASHBOARD_YEARS = 2
ARCHIVE_YEARS = 10
PAGE_SIZE = 25
SORTS = {"date": "date", "montant": "amount", "numero": "number"}


def dashboard_since(today: date) -> date:
    """The first day the dashboard counts: two years back (older invoices are archived, still searchable)."""
    try:
        return today.replace(year=today.year - DASHBOARD_YEARS)
    except ValueError:  # 29 February
        return today.replace(year=today.year - DASHBOARD_YEARS, day=28)


def first_month_end(since: date) -> date:
    """The first day after the month `since` falls in: the window's days before it are read one by one
    (the partial first month), the whole months from it on from the monthly roll-up."""
    return date(since.year + since.month // 12, since.month % 12 + 1, 1)


def archive_limit(today: date) -> date:
    return today - timedelta(days=365 * ARCHIVE_YEARS + ARCHIVE_YEARS // 4)


@dataclass(frozen=True)
class ListFilter:
    side: str = "S"                     # S: invoices sent by my structures, R: received
    structure_id: int | None = None
    column: DashboardColumn | None = None
    statuses: tuple[InvoiceStatus, ...] = ()
    date_field: str = "depot"           # depot | facture
    date_from: date | None = None
    date_to: date | None = None
    number: str = ""
    recipient_siret: str = ""
    engagement: str = ""
    service_code: str = ""
    cadre: Cadre | None = None
    source: InvoiceSource | None = None
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    sort: str = "date"
    descending: bool = True

    @property
    def wanted_statuses(self) -> tuple[InvoiceStatus, ...] | None:
        """The states asked for: a dashboard column's, narrowed by any chosen states; None when nothing
        narrows the list (a supplier's every state).

        An empty tuple is a filter that nothing passes — chosen states outside the column, or a recipient
        asking for states it never sees (drafts, anything before routing): it must list nothing, not
        everything (issue 20, item 4)."""
        asked = self.column is not None or bool(self.statuses)
        chosen = set(self.statuses) if self.statuses else set(InvoiceStatus)
        if self.column is not None:
            chosen &= set(self.column.statuses)
        if self.side == "R":
            chosen = {s for s in chosen if s.visible_to_recipient}
        elif not asked:
            return None
        return tuple(s for s in InvoiceStatus if s in chosen)

    def to_query(self) -> str:
        params: list[tuple[str, str]] = [("cote", self.side)]
        if self.structure_id:
            params.append(("structure", str(self.structure_id)))
        if self.column:
            params.append(("colonne", self.column.value))
        params += [("etat", s.value) for s in self.statuses]
        if self.date_field != "depot":
            params.append(("periode", self.date_field))
        for key, value in (("du", self.date_from), ("au", self.date_to)):
            if value:
                params.append((key, value.isoformat()))
        for key, value in (("numero", self.number), ("destinataire", self.recipient_siret), ("engagement", self.engagement),
                           ("service", self.service_code)):
            if value:
                params.append((key, value))
        if self.cadre:
            params.append(("cadre", self.cadre.value))
        if self.source:
            params.append(("source", self.source.value))
        if self.amount_min is not None:
            params.append(("min", str(self.amount_min)))
        if self.amount_max is not None:
            params.append(("max", str(self.amount_max)))
        if self.sort != "date" or not self.descending:
            params.append(("tri", ("-" if self.descending else "") + self.sort))
        return urlencode(params)

    def with_(self, **changes) -> "ListFilter":
        return replace(self, **changes)


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _amount(value: str | None) -> Decimal | None:
    try:
        amount = parse_amount(value) if value else None
    except (ValueError, InvalidOperation, AttributeError):
        return None
    # NaN, sNaN, Infinity and 1e999999999 bound nothing (and sNaN cannot even be compared): ignored.
    return amount if amount is not None and amount.is_finite() and amount.adjusted() < 15 else None


def _enum(kind, value):
    try:
        return kind(value) if value else None
    except ValueError:
        return None


def parse_filter(query: dict[str, list[str]]) -> ListFilter:
    """From URL parameters; anything unknown or malformed is ignored rather than failing the page."""
    def one(name: str) -> str:
        values = query.get(name) or [""]
        return values[0].strip()

    structure = one("structure")
    sort = one("tri") or "date"
    descending = sort.startswith("-") or sort == "date"
    sort_key = sort.lstrip("-")
    return ListFilter(
        side="R" if one("cote") == "R" else "S",
        structure_id=int(structure) if structure.isdigit() else None,
        column=_enum(DashboardColumn, one("colonne")),
        statuses=tuple(s for s in (_enum(InvoiceStatus, v) for v in query.get("etat", [])) if s),
        date_field="facture" if one("periode") == "facture" else "depot",
        date_from=_date(one("du")), date_to=_date(one("au")),
        number=one("numero")[:20], recipient_siret="".join(one("destinataire").split())[:14],
        engagement=one("engagement")[:50], service_code=one("service")[:100],
        cadre=_enum(Cadre, one("cadre")), source=_enum(InvoiceSource, one("source")),
        amount_min=_amount(one("min")), amount_max=_amount(one("max")),
        sort=sort_key if sort_key in SORTS else "date", descending=descending if sort_key in SORTS else True,
    )


# A list cursor is [sort value, id], through the app's one codec (shared/cursor.py, signed).
MAX_ID = 2**63 - 1


def encode_cursor(values: list) -> str:
    return shared_cursor.encode_cursor(values)


def decode_cursor(token: str | None) -> list | None:
    """The [sort value, id] of a cursor this app made, else None (the list starts at its first page)."""
    values = shared_cursor.decode_cursor(token)
    if values is None:
        return None
    if not (isinstance(values, list) and len(values) == 2 and isinstance(values[0], (str, int))
            and isinstance(values[1], int) and 0 < values[1] <= MAX_ID):
        return None
    return values


def as_dict(f: ListFilter) -> dict:
    return {k: (str(v) if isinstance(v, (date, Decimal)) else v) for k, v in asdict(f).items()}
