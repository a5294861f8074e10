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
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import asyncpg

from backend.domain.accounts.guards import refuse_while_impersonating
from backend.domain.accounts.identity import Principal
from backend.domain.accounts.services import principal_of_user
from backend.domain.einvoice.mixed_xml import embedded_pdf
from backend.domain.einvoice.reading import ReadInvoice, UnreadableInvoice, parse_invoice_xml, read_parsed, xml_from_facturx
from backend.domain.einvoice.layers import check_document, check_xml
from backend.domain.invoices import rules as invoice_rules
from backend.domain.invoices.services import MONEY_FIELDS, clean_name, deposit_lot_invoice, duplicate_refusal, store_upload
from backend.domain.invoices.unit_of_work import atomic
from backend.domain.lots import archives, report_pdf, rules, store
from backend.domain.lots.rules import DepositFormat, EntryStatus, LotRuleError, Syntax
from backend.domain.structures import store as structures_store
from backend.domain.structures.permissions import Action, Target, can, require, require_found
from backend.domain.system.services import Outbox, durable_transaction
from backend.infra import storage
from backend.infra.database import transaction
from backend.infra.errors import DomainError, NotFound, unavailable
from backend.infra.events import publish
from backend.infra.pages import keyset_page, page_size
from backend.infra.redis import get_arq

log = logging.getLogger(__name__)


def _refusal(error: LotRuleError) -> DomainError:
    return error.with_status(422, field=error.field or "file")


def lot_topics(lot: store.Lot) -> list[str]:
    return [f"lot:{lot.id}", f"lots:{lot.structure_id}"]


def lot_view(lot: store.Lot) -> dict[str, Any]:
    return {
        "id": lot.id, "number": lot.number, "structure_id": lot.structure_id,
        "deposit_format": lot.deposit_format, "syntax": lot.syntax, "original_name": lot.original_name,
        "size": lot.size, "status": lot.status, "entry_count": lot.entry_count,
        "integrated_count": lot.integrated_count, "rejected_count": lot.rejected_count,
        "created_at": lot.created_at.isoformat(), "processed_at": lot.processed_at.isoformat() if lot.processed_at else None,
    }


def entry_view(entry: store.LotEntry, previous: dict[str, Any] | None = None) -> dict[str, Any]:
    """An entry of the report; `previous`: the earlier rejected attempt this one corrects, if any."""
    return {"id": entry.id, "position": entry.position, "name": entry.name, "size": entry.size, "status": entry.status,
            "invoice_id": entry.invoice_id, "invoice_number": entry.invoice_number, "anomalies": entry.anomalies,
            "previous_attempt": previous}


# Receiving ---------------------------------------------------------------------------------------

async def receive_lot(principal: Principal, chunks: AsyncIterable[bytes], *, content_length: int | None, name: str,
                      structure_id: int, deposit_format: str, syntax: str) -> dict[str, Any]:
    """Store the archive, check it as a whole, record the lot and its entries, start the integration.
    Refused with nothing kept: past 30 MB (413), a wrong or unreadable archive, an empty one (422)."""
    refuse_while_impersonating(principal, Action.UPLOAD_LOT)
    try:
        chosen_format, chosen_syntax = rules.check_choice(deposit_format, syntax)
    except LotRuleError as error:
        raise _refusal(error) from None
    await require(principal, Action.UPLOAD_LOT, Target(structure_id))
    stored = await store_upload(chunks, content_length=content_length, area="lots")
    key = stored.key
    outbox = Outbox()  # published after the commit, outside the clean-up of a refused archive
    try:
        kind = rules.archive_kind(name, stored.head)
        members = rules.invoice_members(await asyncio.to_thread(archives.members, storage.path_for(key), kind))
        if (mismatch := rules.format_mismatch(members, chosen_format)) is not None:
            raise LotRuleError(mismatch.code, mismatch.field, variant=mismatch.variant, **mismatch.params)
        async with transaction():
            if (earlier := await store.same_content_lot(structure_id, stored.sha256)) is not None:
                raise LotRuleError("lot_deja_depose", date=f"{earlier.created_at:%d/%m/%Y}",
                                   date_en=f"{earlier.created_at:%Y-%m-%d}", number=earlier.number)
            lot = await store.create_lot(
                structure_id=structure_id, deposit_format=str(chosen_format), syntax=str(chosen_syntax), archive_kind=kind,
                original_name=clean_name(name), size=stored.size, sha256=stored.sha256, storage_key=key,
                entries=[store.NewEntry(rules.display_name(m.name), m.name, m.size) for m in members],
                created_by=principal.user_id, impersonator_user_id=principal.impersonator_id, number_of=rules.lot_number)
            await outbox.add("lot.status", lot_topics(lot), lot_view(lot))
    except LotRuleError as error:
        storage.delete(key)
        raise _refusal(error) from None
    except BaseException:
        storage.delete(key)
        raise
    await enqueue_integration(lot.id)
    await outbox.published()
    return lot_view(lot)


async def enqueue_integration(lot_id: int) -> None:
    arq = await get_arq()
    # A job that ended (or failed its tries) keeps its result under the same key for a while, which would
    # refuse a resumption; integration is idempotent (entries done keep their outcome), so clear it.
    await arq.delete(f"arq:result:lot:{lot_id}")
    await arq.enqueue_job("integrate_lot", lot_id, _job_id=f"lot:{lot_id}")


async def resume_unfinished(older_than_minutes: int = 5) -> int:
    """Re-enqueue lots the database says are unfinished (a lost queue, a worker stopped midway)."""
    lot_ids = await store.unfinished_lot_ids(older_than=timedelta(minutes=older_than_minutes))
    for lot_id in lot_ids:
        await enqueue_integration(lot_id)
    return len(lot_ids)


# Reading -----------------------------------------------------------------------------------------

async def list_lots(principal: Principal, structure_id: int, *, before: int | None = None, limit: int = 20) -> dict[str, Any]:
    await require(principal, Action.VIEW_LOTS, Target(structure_id))
    limit = page_size(limit)
    lots = await store.lots_page(structure_id, before=before, limit=limit + 1)
    return keyset_page(lots, limit, lot_view, cursor=lambda lot: lot.id)


async def get_lot(principal: Principal, lot_id: int) -> dict[str, Any]:
    """The lot with its integration report (every entry, its invoice or its anomalies)."""
    lot = await require_found(principal, Action.VIEW_LOTS, await store.get_lot(lot_id), lambda lot: Target(lot.structure_id),
                              missing=lambda: NotFound('lot'))
    entries = await store.entries_of(lot_id)
    earlier = await store.attempts(e.previous_entry_id for e in entries if e.previous_entry_id)
    return {**lot_view(lot), "entries": [entry_view(e, earlier.get(e.previous_entry_id)) for e in entries]}


async def lot_report(principal: Principal, lot_id: int, kind: str) -> tuple[bytes, str]:
    """The integration report as a file: JSON (the same data as the screen) or PDF; and its file name."""
    lot = await get_lot(principal, lot_id)
    name = f"compte-rendu-{lot['number']}.{kind}"
    if kind == "pdf":
        return await asyncio.to_thread(report_pdf.render, lot), name
    return json.dumps(lot, ensure_ascii=False, indent=1).encode(), name


# The French rules, blocking or not ------------------------------------------------------------------

async def french_rules(principal: Principal, structure_id: int) -> dict[str, Any]:
    """Whether the French reform rules (BR-FR) refuse the structure's deposits or only warn, and whether the
    user may change it (« Organisation modification » on the structure: Action.FRENCH_RULES)."""
    await require(principal, Action.ORGANISATION_READ, Target(structure_id))
    return {"structure_id": structure_id, "blocking": await structures_store.french_rules_blocking(structure_id),
            "may_change": await can(principal, Action.FRENCH_RULES, Target(structure_id))}


async def set_french_rules(principal: Principal, structure_id: int, blocking: bool) -> dict[str, Any]:
    """A gestionnaire makes the French rules blocking for the structure's deposits (or warnings again, the
    default); kept in the structure's journal, with who decided (and for whom, during an intervention)."""
    refuse_while_impersonating(principal, Action.FRENCH_RULES)
    async with transaction():
        await require(principal, Action.FRENCH_RULES, Target(structure_id))
        if await structures_store.french_rules_blocking(structure_id) != blocking:
            await structures_store.set_french_rules_blocking(structure_id, blocking)
            await structures_store.journal(structure_id, actor_id=principal.user_id, acting_as=principal.acting_as_label,
                                           kind="regles_francaises", details={"bloquantes": blocking})
    return await french_rules(principal, structure_id)


# « Valider un fichier » -----------------------------------------------------------------------------

async def validate_file(data: bytes, name: str) -> dict[str, Any]:
    """The same report a deposit gives (three layers, profile, grouped anomalies), for anyone, keeping
    nothing: the file is checked in memory and forgotten. Its type is read from its content, not its name."""
    if not data:
        raise DomainError("fichier_vide", "file", status_code=422)
    is_pdf = data.lstrip()[:5] == b"%PDF-"
    base = {"name": clean_name(name or "fichier"), "size": len(data), "kind": "pdf" if is_pdf else "xml"}
    try:
        report = await asyncio.to_thread(check_document, data, is_pdf=is_pdf)
    except UnreadableInvoice as error:
        return {**base, "accepted": False, "syntax": None, "profile": None, "profile_xmp": None, "layers": [],
                "anomalies": [{"code": error.code, "severity": "erreur", "message": error.message_fr, "message_en": error.message_en}]}
    return {**base, **report.view()}


# Integrating -------------------------------------------------------------------------------------

class Rejected(Exception):
    """An entry that does not conform: its anomalies, as error bodies ({code, message, message_en, …})."""

    def __init__(self, anomalies: list[dict[str, Any]], number: str | None = None) -> None:
        super().__init__(anomalies[0]["message"])
        self.anomalies, self.number = anomalies, number


def _anomaly(problem: rules.Problem) -> dict[str, Any]:
    # Stored in the report in both languages: the report is read later, in either.
    return problem.body()


def _rejected(problem: rules.Problem, number: str | None = None) -> Rejected:
    return Rejected([_anomaly(problem)], number)


async def integrate_lot(lot_id: int) -> str:
    """Integrate every entry still waiting; returns the lot's final status."""
    async with durable_transaction() as outbox:
        lot = await store.start_integration(lot_id)
        if lot is not None:
            await outbox.add("lot.status", lot_topics(lot), lot_view(lot))
    if lot is None:
        return "absent_ou_traite"
    structure_siret = await structures_store.structure_identifier(lot.structure_id)
    french_blocking = await structures_store.french_rules_blocking(lot.structure_id)
    waiting = await store.entries_of(lot_id, waiting_only=True)
    principal = None
    if lot.created_by:
        principal = await principal_of_user(lot.created_by, impersonator_id=lot.impersonator_user_id)
    try:
        reader: archives.Reader | LotRuleError = await asyncio.to_thread(archives.Reader, storage.path_for(lot.storage_key),
                                                                         lot.archive_kind)
    except LotRuleError as error:
        reader = error
    try:
        await _integrate_entries(lot, waiting, principal, reader, structure_siret, french_blocking)
    finally:
        if isinstance(reader, archives.Reader):
            await asyncio.to_thread(reader.close)
    async with durable_transaction() as outbox:
        lot = await store.get_lot(lot_id)
        status = rules.lot_status(lot.integrated_count, lot.rejected_count, lot.entry_count)
        lot = await store.finish(lot_id, status)
        await outbox.add("lot.status", lot_topics(lot), lot_view(lot))
    return str(status)


async def _integrate_entries(lot: store.Lot, waiting: list[store.LotEntry], principal: Principal | None,
                             reader: archives.Reader | LotRuleError, structure_siret: str, french_blocking: bool) -> None:
    for entry in waiting:
        if principal is None:
            await _reject(lot, entry, Rejected([_anomaly(DomainError("compte_inactif", variant="deposant"))]))
            continue
        try:
            checked = await _read_entry(lot, entry, reader, structure_siret, french_blocking)
            await _integrate(lot, entry, principal, checked)
        except Rejected as rejected:
            await _reject(lot, entry, rejected)
        except Exception as error:
            if unavailable(error):  # PostgreSQL or Redis away for a moment: the job waits and resumes, no false rejection
                raise
            # One file must not hold the whole lot back (the job would fail again on every retry): it is
            # reported as a technical failure, to deposit again, and the error is logged for the operators.
            log.exception("lot %s: integrating entry %s failed", lot.id, entry.id)
            await _reject(lot, entry, Rejected([_anomaly(DomainError("erreur_technique"))]))


@dataclass(frozen=True)
class CheckedEntry:
    """An entry that passed every check: what was read from it, and the invoice's main file (the entry
    itself, or for an « XML mixte » the PDF it carries), with the warnings the report keeps."""

    read: ReadInvoice
    main_file: bytes
    content_type: str
    file_name: str
    warnings: list[dict[str, Any]]


def _main_file_name(entry_name: str, embedded_name: str | None) -> str:
    """An « XML mixte »'s PDF is named as the XML names it, else after the entry (`a.xml` -> `a.pdf`)."""
    if embedded_name:
        return clean_name(embedded_name)
    stem = entry_name.rsplit("/", 1)[-1].rsplit(".", 1)[0] or "facture"
    return clean_name(f"{stem}.pdf")


async def _read_entry(lot: store.Lot, entry: store.LotEntry, reader: archives.Reader | LotRuleError, structure_siret: str,
                      french_blocking: bool) -> CheckedEntry:
    """The entry's bytes, checked: a file of the declared kind, readable, from this supplier, through the three
    layers (XSD, EN 16931, French rules); with the warnings an accepted invoice keeps in the report."""
    deposit_format = DepositFormat(lot.deposit_format)
    refused = rules.entry_problem(entry.member, entry.size, deposit_format)
    if refused:
        raise _rejected(refused)
    try:
        if isinstance(reader, LotRuleError):
            raise reader
        data = await asyncio.to_thread(reader.read, entry.member, rules.MAX_ENTRY_BYTES)
    except LotRuleError as error:
        raise _rejected(error.problem) from None
    if len(data) > rules.MAX_ENTRY_BYTES:  # the archive's directory said less than the member holds
        raise _rejected(rules.TOO_LARGE)
    is_pdf, mixed = deposit_format == DepositFormat.PDF_FACTURX, deposit_format == DepositFormat.XML_MIXTE
    try:
        xml = xml_from_facturx(data) if is_pdf else data
        root = parse_invoice_xml(xml)  # once: read, then checked by every layer
        read = read_parsed(root)
    except UnreadableInvoice as error:
        raise Rejected([_anomaly(error)]) from None
    problem = rules.invoice_problem(read.syntax, read.type_code, read.supplier_siret, declared=Syntax(lot.syntax),
                                    structure_siret=structure_siret)
    if problem is not None:
        raise _rejected(problem, read.number)
    if mixed:
        try:
            embedded = await asyncio.to_thread(embedded_pdf, root)
        except UnreadableInvoice as error:
            raise Rejected([_anomaly(error)], read.number) from None
    report = await asyncio.to_thread(check_xml, xml, pdf=data if is_pdf else None, french_blocking=french_blocking,
                                     minimum=mixed, root=root)
    if not report.accepted:
        raise Rejected(report.errors(), read.number)
    if mixed:
        return CheckedEntry(read, embedded.data, "application/pdf", _main_file_name(entry.name, embedded.filename),
                            report.warnings())
    return CheckedEntry(read, data, "application/pdf" if is_pdf else "application/xml", clean_name(entry.name),
                        report.warnings())


def _fields(read: ReadInvoice) -> dict[str, Any]:
    fields = {"number": read.number, "invoice_date": read.invoice_date.isoformat() if read.invoice_date else None,
              "currency": read.currency or "EUR", "engagement_number": read.engagement_number,
              "recipient_siret": read.recipient_siret,
              **{name: None if getattr(read, name) is None else str(getattr(read, name)) for name in MONEY_FIELDS}}
    if read.service_code:
        fields["recipient_service_code"] = read.service_code
    return fields


async def _integrate(lot: store.Lot, entry: store.LotEntry, principal: Principal, checked: CheckedEntry) -> None:
    """The entry's invoice created and sent, and the entry marked integrated, in one transaction: the
    invoice's event and its routing follow the commit, then the report's entry."""
    read = checked.read
    # The key is the entry's own, not a random one: if the worker dies between this write and the commit,
    # the entry's re-run writes the same file again, and the committed invoice points to it (no orphan).
    stored = storage.save_bytes(checked.main_file, key=f"invoices/lots/{lot.id}/{entry.id}")
    try:
        try:
            async with atomic():
                invoice = await deposit_lot_invoice(
                    principal, structure_id=lot.structure_id, lot_id=lot.id, kind=rules.kind_of(read.type_code),
                    fields=_fields(read), file=stored, file_name=checked.file_name, content_type=checked.content_type)
                previous = await store.earlier_rejected_attempt(lot.structure_id, invoice.number, entry.id)
                lot_row = await store.mark_integrated(lot.id, entry.id, invoice_id=invoice.id, invoice_number=invoice.number,
                                                     anomalies=checked.warnings, previous_entry_id=previous)
        except DomainError as error:
            raise Rejected([_without_details(problem.body()) for problem in error.problems or [error]], read.number) from None
        except asyncpg.UniqueViolationError as error:
            # Another deposit of the same number committed between the checks and the insert.
            if getattr(error, "constraint_name", None) != "invoice_number_per_supplier" or not read.number:
                raise
            duplicate = await duplicate_refusal(lot.structure_id, invoice_rules.invoice_number_key(read.number), read.number, None)
            body = duplicate.body() if duplicate else _anomaly(
                DomainError("numero_deja_utilise", variant="lot", number=read.number))
            raise Rejected([_without_details(body)], read.number) from None
    except BaseException:
        storage.delete(stored.key)
        raise
    await _entry_done(lot_row, entry, EntryStatus.INTEGREE)


def _without_details(body: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in body.items() if key != "details"}


async def _reject(lot: store.Lot, entry: store.LotEntry, rejected: Rejected) -> None:
    number = (rejected.number or "")[:100] or None
    async with transaction():
        previous = await store.earlier_rejected_attempt(lot.structure_id, number, entry.id)
        lot_row = await store.mark_rejected(lot.id, entry.id, anomalies=rejected.anomalies, invoice_number=number,
                                            previous_entry_id=previous)
    if lot_row is not None:
        await _entry_done(lot_row, entry, EntryStatus.REJETEE)


async def _entry_done(lot: store.Lot, entry: store.LotEntry, status: EntryStatus) -> None:
    await publish("lot.entry", lot_topics(lot), {"lot": lot_view(lot), "entry_id": entry.id, "status": str(status)})
