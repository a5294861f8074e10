"""Exports of any list or search to XLSX or CSV: all matching rows, streamed, written by a worker job."""

from __future__ import annotations

import csv
from contextlib import aclosing
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qs

import msgspec

from backend.domain.accounts.identity import Principal
from backend.domain.dashboard import rules, store
from backend.domain.dashboard.cells import csv_value, paris_day, xlsx_cell
from backend.domain.dashboard.services import export_rows, row_view, visible_structures
from backend.infra.database import transaction
from backend.infra.errors import DomainError, NotFound
from backend.infra.events import publish
from backend.infra.redis import get_arq
from backend.settings import get_settings

HEADERS = (("supplier_service", "Code service fournisseur"), ("recipient", "Destinataire"),
           ("recipient_service", "Code service destinataire"), ("executing_service", "Service exécutant"),
           ("number", "Numéro de facture"), ("engagement", "N° d'engagement"), ("invoice_date", "Date de facture"),
           ("deposit_date", "Date de dépôt"), ("total_ht", "Montant HT"), ("total_ttc", "Montant TTC"),
           ("status_label", "État courant"), ("status_date", "Date de l'état"),
           ("attachments_size", "Taille des pièces jointes (octets)"))
PROGRESS_EVERY = 2000
KEEP = timedelta(hours=24)


def export_dir() -> Path:
    path = get_settings().storage_dir / "exports"
    path.mkdir(parents=True, exist_ok=True)
    return path


async def request_export(principal: Principal, query: str, fmt: str, topic: str | None = None) -> int:
    if fmt not in ("xlsx", "csv"):
        raise DomainError('format_inconnu', variant='format_export_inconnu')
    export_id = await store.create(principal.user_id, query, fmt)
    await (await get_arq()).enqueue_job("export_invoices", export_id, principal.user_id, topic, _job_id=f"export:{export_id}")
    return export_id


def export_values(row: dict) -> list:
    """One exported line, typed: amounts as Decimal, days as dates (in Paris), sizes in bytes, the rest text."""
    view = row_view(row)
    typed = {"invoice_date": paris_day(row["invoice_date"]), "deposit_date": paris_day(row["deposited_at"]),
             "status_date": paris_day(row["status_at"]), "attachments_size": row["attachments_size"] or 0,
             "total_ht": None if row["total_ht"] is None else Decimal(row["total_ht"]),
             "total_ttc": None if row["total_ttc"] is None else Decimal(row["total_ttc"])}
    return [typed[key] if key in typed else view[key] for key, _ in HEADERS]


async def run_export(export_id: int, principal: Principal, topic: str | None = None) -> int:
    """Stream the matching rows through a server-side cursor into the file; never all in memory."""
    export = await store.start(export_id)
    f = rules.parse_filter(parse_qs(export.params["query"]))
    refs = await visible_structures(principal, f.side, f.structure_id)
    path = export_dir() / f"export-{export_id}.{export.format}"
    topics = [f"user:{principal.user_id}", *([topic] if topic else [])]
    count = 0
    async with transaction():  # the server-side cursor lives in it
        async with aclosing(export_rows(f, refs)) as cursor:
            if export.format == "csv":
                with path.open("w", newline="", encoding="utf-8-sig") as handle:
                    writer = csv.writer(handle, delimiter=";")
                    writer.writerow([label for _, label in HEADERS])
                    async for row in cursor:
                        writer.writerow([csv_value(value) for value in export_values(dict(row))])
                        count += 1
                        if count % PROGRESS_EVERY == 0:
                            await publish("export.progress", topics, {"export": export_id, "rows": count})
            else:
                from openpyxl import Workbook

                book = Workbook(write_only=True)
                sheet = book.create_sheet("Factures")
                sheet.append([label for _, label in HEADERS])
                async for row in cursor:
                    sheet.append([xlsx_cell(sheet, value) for value in export_values(dict(row))])
                    count += 1
                    if count % PROGRESS_EVERY == 0:
                        await publish("export.progress", topics, {"export": export_id, "rows": count})
                book.save(path)
    await store.finish(export_id, count, str(path))
    await publish("export.ready", topics, {"export": export_id, "rows": count})
    return count


async def export_file(principal: Principal, export_id: int) -> tuple[Path, str, dict]:
    export = await store.owned(export_id, principal.user_id)
    if export is None or export.status != store.READY or not export.path or not Path(export.path).exists():
        raise NotFound('export_en_cours')
    return Path(export.path), f"factures-{export_id}.{export.format}", msgspec.structs.asdict(export)


async def export_status(principal: Principal, export_id: int) -> dict:
    export = await store.owned(export_id, principal.user_id)
    if export is None:
        raise NotFound('export_absent')
    return {"id": export.id, "format": export.format, "status": export.status, "rows": export.rows, "error": export.error}


async def purge_old_exports(now: datetime | None = None) -> int:
    limit = (now or datetime.now(UTC)) - KEEP
    paths = await store.delete_older_than(limit)
    for path in paths:
        if path:
            Path(path).unlink(missing_ok=True)
    return len(paths)
