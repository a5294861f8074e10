"""Response bodies of the dashboard, the invoice lists, the synthesis and the exports."""

from __future__ import annotations

import msgspec

from backend.infra.schemas import UNSET, Unset


class StructureCounts(msgspec.Struct):
    """One structure's tile: counts and amounts (text, two decimals) per dashboard column."""

    structure_id: int
    structure: str
    siret: str
    counts: dict[str, int]
    amounts: dict[str, str]


class ListRow(msgspec.Struct):
    """A row of a filtered list, with display values (dates in Paris time, amounts in French)."""

    id: int
    number: str
    engagement: str
    supplier_service: str
    recipient: str
    recipient_service: str
    executing_service: str
    invoice_date: str
    deposit_date: str
    total_ht: str
    total_ttc: str
    status: str
    status_label: str
    status_date: str
    attachments_size: str
    main_file_id: int | None


class ListPage(msgspec.Struct, kw_only=True):
    """A page of a filtered list. `rows` repeats `items` for clients written before lists had one shape."""

    items: list[ListRow]
    next: str | None
    rows: list[ListRow]
    filter: str | Unset = UNSET


class InvoiceCount(msgspec.Struct):
    """How many invoices a filter finds, counted up to `cap` + 1 (`total` > `cap` reads « more than cap »)."""

    total: int
    cap: int


class StatusTotal(msgspec.Struct):
    status: str
    label: str
    label_en: str
    count: int
    amount: str


class MonthTotal(msgspec.Struct):
    month: str
    amount: str


class Synthesis(msgspec.Struct):
    """Synthèse: counts and amounts per state, amounts per month (the last two years), drafts to finish."""

    by_status: list[StatusTotal]
    by_month: list[MonthTotal]
    to_finish: list[dict]


class ExportRequest(msgspec.Struct):
    """A list's filter (its query string) and the file's format: xlsx or csv."""

    query: str = ""
    format: str = "xlsx"


class ExportCreated(msgspec.Struct):
    id: int


class ExportStatus(msgspec.Struct):
    id: int
    format: str
    status: str
    rows: int | None
    error: str | None
