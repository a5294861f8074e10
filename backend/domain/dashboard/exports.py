"""Exports of any list or search to XLSX or CSV: all matching rows, streamed, written by a worker job."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from backend.domain.accounts.identity import Principal
from backend.domain.dashboard import rules
from backend.domain.dashboard.services import list_query, row_view, visible_structures
from backend.infra.database import connection
from backend.infra.errors import ChoraleError, NotFound
from backend.infra.events import publish
from backend.infra.redis import get_arq
from backend.settings import get_settings

HEADERS = (("supplier_service", "Code service fournisseur"), ("recipient", "Destinataire"),
           ("recipient_service", "Code service destinataire"), ("executing_service", "Service exécutant"),
           ("number", "Numéro de facture"), ("engagement", "N° d'engagement"), ("invoice_date", "Date de facture"),
           ("deposit_date", "Date de dépôt"), ("total_ht", "Montant HT"), ("total_ttc", "Montant TTC"),
           ("status_label", "État courant"), ("status_date", "Date de l'état"), ("attachments_size", "Taille des pièces jointes"))
PROGRESS_EVERY = 2000
KEEP = timedelta(hours=24)


def export_dir() -> Path:
    path = get_settings().storage_dir / "exports"
    path.mkdir(parents=True, exist_ok=True)
    return path


async def request_export(principal: Principal, query: str, fmt: str, topic: str | None = None) -> int:
    if fmt not in ("xlsx", "csv"):
        raise ChoraleError("format_inconnu", "Format d'export inconnu (xlsx ou csv).", "Unknown export format (xlsx or csv).")
    async with connection() as conn:
        export_id = await conn.fetchval(
            "INSERT INTO invoice_export (user_id, params, format) VALUES ($1, $2::jsonb, $3) RETURNING id",
            principal.user_id, json.dumps({"query": query}), fmt)
    await (await get_arq()).enqueue_job("export_invoices", export_id, principal.user_id, topic, _job_id=f"export:{export_id}")
    return export_id


def _amount_cell(value):
    return None if value is None else float(value)


async def run_export(export_id: int, principal: Principal, topic: str | None = None) -> int:
    """Stream the matching rows through a server-side cursor into the file; never all in memory."""
    from urllib.parse import parse_qs

    async with connection() as conn:
        export = await conn.fetchrow("UPDATE invoice_export SET status = 'en_cours' WHERE id = $1 RETURNING *", export_id)
    f = rules.parse_filter(parse_qs(json.loads(export["params"])["query"]))
    refs = await visible_structures(principal, f.side, f.structure_id)
    sql, params = list_query(f, refs)
    path = export_dir() / f"export-{export_id}.{export['format']}"
    topics = [f"user:{principal.user_id}", *([topic] if topic else [])]
    count = 0
    async with connection() as conn:
        async with conn.transaction():
            cursor = conn.cursor(sql, *params, prefetch=500)
            if export["format"] == "csv":
                with path.open("w", newline="", encoding="utf-8-sig") as handle:
                    writer = csv.writer(handle, delimiter=";")
                    writer.writerow([label for _, label in HEADERS])
                    async for row in cursor:
                        view = row_view(dict(row))
                        writer.writerow([view[key] for key, _ in HEADERS])
                        count += 1
                        if count % PROGRESS_EVERY == 0:
                            await publish("export.progress", topics, {"export": export_id, "rows": count})
            else:
                from openpyxl import Workbook

                book = Workbook(write_only=True)
                sheet = book.create_sheet("Factures")
                sheet.append([label for _, label in HEADERS])
                async for row in cursor:
                    view = row_view(dict(row))
                    values = [view[key] for key, _ in HEADERS]
                    values[8], values[9] = _amount_cell(row["total_ht"]), _amount_cell(row["total_ttc"])
                    sheet.append(values)
                    count += 1
                    if count % PROGRESS_EVERY == 0:
                        await publish("export.progress", topics, {"export": export_id, "rows": count})
                book.save(path)
    async with connection() as conn:
        await conn.execute("UPDATE invoice_export SET status = 'pret', rows = $2, path = $3, finished_at = now() WHERE id = $1",
                           export_id, count, str(path))
    await publish("export.ready", topics, {"export": export_id, "rows": count})
    return count


async def export_file(principal: Principal, export_id: int) -> tuple[Path, str, dict]:
    async with connection() as conn:
        row = await conn.fetchrow("SELECT * FROM invoice_export WHERE id = $1 AND user_id = $2", export_id, principal.user_id)
    if row is None or row["status"] != "pret" or not row["path"] or not Path(row["path"]).exists():
        raise NotFound("Export introuvable ou pas encore prêt.", "Export not found or not ready yet.")
    return Path(row["path"]), f"factures-{export_id}.{row['format']}", dict(row)


async def export_status(principal: Principal, export_id: int) -> dict:
    async with connection() as conn:
        row = await conn.fetchrow("SELECT id, format, status, rows, error FROM invoice_export WHERE id = $1 AND user_id = $2",
                                  export_id, principal.user_id)
    if row is None:
        raise NotFound("Export introuvable.", "Export not found.")
    return dict(row)


async def purge_old_exports(now: datetime | None = None) -> int:
    limit = (now or datetime.now(UTC)) - KEEP
    async with connection() as conn:
        rows = await conn.fetch("DELETE FROM invoice_export WHERE created_at < $1 RETURNING path", limit)
    for row in rows:
        if row["path"]:
            Path(row["path"]).unlink(missing_ok=True)
    return len(rows)
