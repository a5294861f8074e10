"""Lot use cases: receive an archive of invoices, integrate each invoice in it, report on the lot.

The archive is checked as a whole while the request is answered (so a wrong file is refused at once,
with nothing kept); its invoices are integrated by a worker job, one transaction each, and every step is
published on the lot's topic so the report fills in live. Integration resumes where it stopped if the
job is cut (the entries already done keep their outcome).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterable
from typing import Any

import asyncpg

from backend.domain.accounts.identity import Principal
from backend.domain.accounts.services import principal_of_user
from backend.domain.einvoice.reading import ReadInvoice, UnreadableInvoice, read_invoice, xml_from_facturx
from backend.domain.einvoice.validation import validate_en16931
from backend.domain.invoices import rules as invoice_rules
from backend.domain.invoices.fields import MONEY_FIELDS
from backend.domain.invoices.sending import after_send, duplicate_error
from backend.domain.invoices.services import deposit_from_lot
from backend.domain.invoices.uploads import clean_name, store_upload
from backend.domain.lots import archives, rules
from backend.domain.lots.rules import DepositFormat, LotRuleError, Syntax
from backend.domain.structures.permissions import require
from backend.domain.support.guards import refuse_while_impersonating
from backend.infra import storage
from backend.infra.database import connection
from backend.infra.errors import ChoraleError, NotFound
from backend.infra.events import publish
from backend.infra.pages import keyset_page, page_size
from backend.infra.redis import get_arq
from shared.applications import Application, Level

MAX_REPORTED_VIOLATIONS = 10
log = logging.getLogger(__name__)


def _refusal(error: LotRuleError) -> ChoraleError:
    return ChoraleError(error.code, error.message_fr, error.message_en, field=error.field or "file", status_code=422)


def lot_topics(lot: dict | asyncpg.Record) -> list[str]:
    return [f"lot:{lot['id']}", f"lots:{lot['structure_id']}"]


def lot_view(row) -> dict[str, Any]:
    return {
        "id": row["id"], "number": row["number"], "structure_id": row["structure_id"],
        "deposit_format": row["deposit_format"], "syntax": row["syntax"], "original_name": row["original_name"],
        "size": row["size"], "status": row["status"], "entry_count": row["entry_count"],
        "integrated_count": row["integrated_count"], "rejected_count": row["rejected_count"],
        "created_at": row["created_at"].isoformat(), "processed_at": row["processed_at"].isoformat() if row["processed_at"] else None,
    }


def entry_view(row) -> dict[str, Any]:
    anomalies = row["anomalies"]
    return {"id": row["id"], "position": row["position"], "name": row["name"], "size": row["size"], "status": row["status"],
            "invoice_id": row["invoice_id"], "invoice_number": row["invoice_number"],
            "anomalies": json.loads(anomalies) if isinstance(anomalies, str) else anomalies}


# Receiving ---------------------------------------------------------------------------------------

async def receive_lot(principal: Principal, chunks: AsyncIterable[bytes], *, content_length: int | None, name: str,
                      structure_id: int, deposit_format: str, syntax: str) -> dict[str, Any]:
    """Store the archive, check it as a whole, record the lot and its entries, start the integration.
    Refused with nothing kept: past 30 MB (413), a wrong or unreadable archive, an empty one (422)."""
    refuse_while_impersonating(principal, "envoyer_facture")
    try:
        chosen_format, chosen_syntax = rules.check_choice(deposit_format, syntax)
    except LotRuleError as error:
        raise _refusal(error) from None
    await require(principal, structure_id=structure_id, application=Application.FACTURES_EMISES, level=Level.MODIFICATION)
    stored = await store_upload(chunks, content_length=content_length, area="lots")
    key = stored.key
    try:
        kind = rules.archive_kind(name, stored.head)
        members = rules.invoice_members(await asyncio.to_thread(archives.members, storage.path_for(key), kind))
        async with connection() as conn:
            async with conn.transaction():
                lot = await conn.fetchrow(
                    """INSERT INTO lot (structure_id, deposit_format, syntax, archive_kind, original_name, size, sha256,
                                        storage_key, entry_count, created_by, impersonator_user_id)
                       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING *""",
                    structure_id, str(chosen_format), str(chosen_syntax), kind, clean_name(name),
                    stored.size, stored.sha256, key, len(members), principal.user_id, principal.impersonator_id)
                lot = await conn.fetchrow("UPDATE lot SET number = $2 WHERE id = $1 RETURNING *",
                                          lot["id"], rules.lot_number(lot["id"], lot["created_at"]))
                await conn.executemany(
                    "INSERT INTO lot_entry (lot_id, position, name, member, size) VALUES ($1, $2, $3, $4, $5)",
                    [(lot["id"], position, rules.display_name(m.name), m.name, m.size) for position, m in enumerate(members, 1)])
    except LotRuleError as error:
        storage.delete(key)
        raise _refusal(error) from None
    except BaseException:
        storage.delete(key)
        raise
    await enqueue_integration(lot["id"])
    await publish("lot.status", lot_topics(lot), lot_view(lot))
    return lot_view(lot)


async def enqueue_integration(lot_id: int) -> None:
    arq = await get_arq()
    # A job that ended (or failed its tries) keeps its result under the same key for a while, which would
    # refuse a resumption; integration is idempotent (entries done keep their outcome), so clear it.
    await arq.delete(f"arq:result:lot:{lot_id}")
    await arq.enqueue_job("integrate_lot", lot_id, _job_id=f"lot:{lot_id}")


async def resume_unfinished(older_than_minutes: int = 5) -> int:
    """Re-enqueue lots the database says are unfinished (a lost queue, a worker stopped midway)."""
    async with connection() as conn:
        rows = await conn.fetch("SELECT id FROM lot WHERE processed_at IS NULL AND created_at < now() - make_interval(mins => $1) "
                                "ORDER BY id LIMIT 100", older_than_minutes)
    for row in rows:
        await enqueue_integration(row["id"])
    return len(rows)


# Reading -----------------------------------------------------------------------------------------

async def list_lots(principal: Principal, structure_id: int, *, before: int | None = None, limit: int = 20) -> dict[str, Any]:
    await require(principal, structure_id=structure_id, application=Application.FACTURES_EMISES, level=Level.CONSULTATION)
    limit = page_size(limit)
    async with connection() as conn:
        rows = await conn.fetch("SELECT * FROM lot WHERE structure_id = $1 AND ($2::bigint IS NULL OR id < $2) "
                                "ORDER BY id DESC LIMIT $3", structure_id, before, limit + 1)
    return keyset_page(rows, limit, lot_view)


async def get_lot(principal: Principal, lot_id: int) -> dict[str, Any]:
    """The lot with its integration report (every entry, its invoice or its anomalies)."""
    async with connection() as conn:
        lot = await conn.fetchrow("SELECT * FROM lot WHERE id = $1", lot_id)
        entries = await conn.fetch("SELECT * FROM lot_entry WHERE lot_id = $1 ORDER BY position", lot_id) if lot else []
    if lot is None:
        raise NotFound("Lot introuvable.", "Lot not found.")
    # Checked once the connection is back in the pool: a socket's permission check reads the database too.
    await require(principal, structure_id=lot["structure_id"], application=Application.FACTURES_EMISES, level=Level.CONSULTATION)
    return {**lot_view(lot), "entries": [entry_view(e) for e in entries]}


# Integrating -------------------------------------------------------------------------------------

class Rejected(Exception):
    """An entry that does not conform: its anomalies, as error bodies ({code, message, message_en, …})."""

    def __init__(self, anomalies: list[dict[str, Any]], number: str | None = None) -> None:
        super().__init__(anomalies[0]["message"])
        self.anomalies, self.number = anomalies, number


def _anomaly(code: str, fr: str, en: str, **extra) -> dict[str, Any]:
    return {"code": code, "message": fr, "message_en": en, **extra}


def _rejected(problem: rules.Problem, number: str | None = None) -> Rejected:
    return Rejected([_anomaly(problem.code, problem.message_fr, problem.message_en,
                              **({"field": problem.field} if problem.field else {}))], number)


async def integrate_lot(lot_id: int) -> str:
    """Integrate every entry still waiting; returns the lot's final status."""
    async with connection() as conn:
        lot = await conn.fetchrow("UPDATE lot SET status = 'EN_COURS' WHERE id = $1 AND status IN ('RECU', 'EN_COURS') RETURNING *",
                                  lot_id)
        if lot is None:
            return "absent_ou_traite"
        structure_siret = await conn.fetchval("SELECT identifier FROM structure WHERE id = $1", lot["structure_id"])
        waiting = await conn.fetch("SELECT * FROM lot_entry WHERE lot_id = $1 AND status = 'ATTENTE' ORDER BY position", lot_id)
    await publish("lot.status", lot_topics(lot), lot_view(lot))
    principal = None
    if lot["created_by"]:
        principal = await principal_of_user(lot["created_by"], impersonator_id=lot["impersonator_user_id"])
    for entry in waiting:
        if principal is None:
            await _reject(lot, entry, Rejected([_anomaly("compte_inactif", "Le compte qui a déposé le lot n'est plus actif.",
                                                         "The account that deposited the lot is no longer active.")]))
            continue
        try:
            read, data, content_type = await _read_entry(lot, entry, structure_siret)
            await _integrate(lot, entry, principal, read, data, content_type)
        except Rejected as rejected:
            await _reject(lot, entry, rejected)
        except Exception:
            # One file must not hold the whole lot back (the job would fail again on every retry): it is
            # reported as a technical failure, to deposit again, and the error is logged for the operators.
            log.exception("lot %s: integrating entry %s failed", lot_id, entry["id"])
            await _reject(lot, entry, Rejected([_anomaly(
                "erreur_technique", "Erreur technique pendant l'intégration de cette facture : déposez-la de nouveau.",
                "Technical error while integrating this invoice: deposit it again.")]))
    async with connection() as conn:
        lot = await conn.fetchrow("SELECT * FROM lot WHERE id = $1", lot_id)
        status = rules.lot_status(lot["integrated_count"], lot["rejected_count"], lot["entry_count"])
        lot = await conn.fetchrow("UPDATE lot SET status = $2, processed_at = now() WHERE id = $1 RETURNING *", lot_id, str(status))
    await publish("lot.status", lot_topics(lot), lot_view(lot))
    return str(status)


async def _read_entry(lot, entry, structure_siret: str) -> tuple[ReadInvoice, bytes, str]:
    """The entry's bytes, checked: a file of the declared kind, readable, valid EN 16931, from this supplier."""
    deposit_format = DepositFormat(lot["deposit_format"])
    refused = rules.entry_problem(entry["member"], entry["size"], deposit_format)
    if refused:
        raise _rejected(refused)
    try:
        data = await asyncio.to_thread(archives.read_member, storage.path_for(lot["storage_key"]), lot["archive_kind"],
                                       entry["member"], rules.MAX_ENTRY_BYTES)
    except LotRuleError as error:
        raise _rejected(error.problem) from None
    if len(data) > rules.MAX_ENTRY_BYTES:  # the archive's directory said less than the member holds
        raise _rejected(rules.TOO_LARGE)
    try:
        xml = xml_from_facturx(data) if deposit_format == DepositFormat.PDF_FACTURX else data
        read = read_invoice(xml)
    except UnreadableInvoice as error:
        raise Rejected([_anomaly(error.code, error.message_fr, error.message_en)]) from None
    problem = rules.invoice_problem(read.syntax, read.type_code, read.supplier_siret, declared=Syntax(lot["syntax"]),
                                    structure_siret=structure_siret)
    if problem is not None:
        raise _rejected(problem, read.number)
    report = await asyncio.to_thread(validate_en16931, xml, read.syntax)
    if not report.valid:
        fatal = [v for v in report.violations if v.flag == "fatal"]
        raise Rejected([_anomaly("regle_en16931", f"{v.rule_id} : {v.text}", f"{v.rule_id}: {v.text}", rule=v.rule_id)
                        for v in fatal[:MAX_REPORTED_VIOLATIONS]], read.number)
    content_type = "application/pdf" if deposit_format == DepositFormat.PDF_FACTURX else "application/xml"
    return read, data, content_type


def _fields(read: ReadInvoice) -> dict[str, Any]:
    fields = {"number": read.number, "invoice_date": read.invoice_date.isoformat() if read.invoice_date else None,
              "currency": read.currency or "EUR", "engagement_number": read.engagement_number,
              "recipient_siret": read.recipient_siret,
              **{name: None if getattr(read, name) is None else str(getattr(read, name)) for name in MONEY_FIELDS}}
    if read.service_code:
        fields["recipient_service_code"] = read.service_code
    return fields


async def _integrate(lot, entry, principal: Principal, read: ReadInvoice, data: bytes, content_type: str) -> None:
    stored = storage.save_bytes(data, key=storage.new_key("invoices"))
    try:
        async with connection() as conn:
            try:
                async with conn.transaction():
                    invoice = await deposit_from_lot(
                        conn, principal, structure_id=lot["structure_id"], lot_id=lot["id"], kind=rules.kind_of(read.type_code),
                        fields=_fields(read), file=stored, file_name=clean_name(entry["name"]), content_type=content_type)
                    await conn.execute(
                        """UPDATE lot_entry SET status = 'INTEGREE', invoice_id = $2, invoice_number = $3, processed_at = now()
                           WHERE id = $1""", entry["id"], invoice["id"], invoice["number"])
                    lot_row = await conn.fetchrow("UPDATE lot SET integrated_count = integrated_count + 1 WHERE id = $1 RETURNING *",
                                                  lot["id"])
            except ChoraleError as error:
                raise Rejected([_without_details(body) for body in error.details.get("errors") or [error.body()]], read.number) from None
            except asyncpg.UniqueViolationError as error:
                # Another deposit of the same number committed between the checks and the insert.
                if getattr(error, "constraint_name", None) != "invoice_number_per_supplier" or not read.number:
                    raise
                duplicate = await duplicate_error(conn, lot["structure_id"], invoice_rules.invoice_number_key(read.number), read.number, None)
                body = duplicate.body() if duplicate else _anomaly(
                    "numero_deja_utilise", f"Le numéro {read.number} est déjà utilisé.", f"Number {read.number} is already used.")
                raise Rejected([_without_details(body)], read.number) from None
    except BaseException:
        storage.delete(stored.key)
        raise
    await after_send(invoice)
    await publish("lot.entry", lot_topics(lot_row), {"lot": lot_view(lot_row), "entry_id": entry["id"], "status": "INTEGREE"})


def _without_details(body: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in body.items() if key != "details"}


async def _reject(lot, entry, rejected: Rejected) -> None:
    async with connection() as conn:
        async with conn.transaction():
            # Only an entry still waiting: one integrated just before a later step failed keeps its outcome.
            updated = await conn.fetchval(
                """UPDATE lot_entry SET status = 'REJETEE', anomalies = $2::jsonb, invoice_number = $3, processed_at = now()
                   WHERE id = $1 AND status = 'ATTENTE' RETURNING id""",
                entry["id"], json.dumps(rejected.anomalies, default=str), (rejected.number or "")[:100] or None)
            if updated is None:
                return
            lot_row = await conn.fetchrow("UPDATE lot SET rejected_count = rejected_count + 1 WHERE id = $1 RETURNING *", lot["id"])
    await publish("lot.entry", lot_topics(lot_row), {"lot": lot_view(lot_row), "entry_id": entry["id"], "status": "REJETEE"})
