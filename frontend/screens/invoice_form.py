"""The deposit form (`/factures-emises/<id>/modifier`): a PROVISOIRE or BROUILLON invoice, prefilled from
its PDF, completed, then « Enregistrer en mode brouillon » or « Valider et envoyer » (with a confirmation
showing the amounts) — which leads to the deposit certificate. « Annuler » removes a PROVISOIRE invoice.
"""

from __future__ import annotations

import asyncio
from typing import Any

from reactpy import component, html, use_effect, use_ref, use_state

import shared.i18n_invoices  # noqa: F401
from backend.domain.invoices.extracted import found_fields
from frontend.components.extraction_preview import PREVIEW, ExtractionPreview, ocr_notice
from backend.domain.invoices.extraction import MANUAL_KINDS
from backend.domain.invoices.fields import parse_money
from backend.domain.invoices.rules import VALIDATORS
from backend.domain.invoices.lookups import recipient_by_siret, services_of, structure_by_id
from backend.domain.invoices.services import check_before_send, delete_invoice, send_invoice, update_draft
from backend.infra.errors import DomainError
from frontend.components.send_confirmation import AMOUNTS, SendConfirmation
from frontend.components.issued_tabs import issued_tabs
from frontend.components.status_badge import StatusBadge
from frontend.context import use_session
from frontend.hooks.state import use_latest_state
from frontend.screens.invoice_common import fmt_money, load_state, not_editable_notice, use_invoice
from frontend.screens.invoice_form_blocks import (AmountsBlock, AttachmentsBlock, IdentificationBlock, RecipientBlock,
                                                  ReferencesBlock, SupplierBlock, validator_blocks)
from shared.invoice_status import InvoiceStatus

UNCHANGED = "unchanged"
# What is typed or attached is saved on the invoice (its status unchanged) this long after the last change,
# and at once when the form is left: nothing a supplier entered is lost by navigating away (issue 16).
AUTOSAVE_SECONDS = 1.0


def field_errors(error: DomainError | None, lang: str = "fr") -> dict[str, str]:
    """Field -> message, in the interface's language, for every problem the error reports (a send reports
    them all at once)."""
    if error is None:
        return {}
    found = {}
    for problem in [*error.problems, error]:
        if problem.field:
            found.setdefault(problem.field, problem.message(lang))
    return found


# The error field(s) and the extraction badge an edit makes stale (the edit's name otherwise: « number »…).
STALE_BY_EDIT = {"recipient_service_id": ("recipient_service",), "recipient": ("recipient", "recipient_service"),
                 "cadre": tuple(v.key for v in VALIDATORS), "attachments": ("attachments",)}


def stale_by(edited: set[str]) -> set[str]:
    """The error fields and badges that no longer describe what the user now has in the form."""
    return {field for name in edited for field in STALE_BY_EDIT.get(name, (name,))}


def selected_of(structure: dict | None) -> dict | None:
    """A structure as SiretAutocomplete shows a chosen establishment."""
    if not structure:
        return None
    return {"siret": structure["identifier"], "label": structure["raison_sociale"], "address": structure.get("address"),
            "postcode": structure.get("postcode"), "city": structure.get("city")}


def party_selected(party: dict | None) -> dict | None:
    """A structure the invoice view names ({id, identifier, name}) as SiretAutocomplete shows a choice."""
    return party and selected_of({"identifier": party["identifier"], "raison_sociale": party["name"]})


@component
def InvoiceForm(invoice: dict):
    session = use_session()
    t = session.t
    edits, set_edits, latest_edits = use_latest_state({})
    chosen, set_chosen = use_state(UNCHANGED)  # the establishment picked in the autocomplete (None: cleared)
    validators, set_validators = use_state({})  # validator key -> the structure picked (None: cleared); absent: unchanged
    lookup, set_lookup = use_state(None)  # the registered structure with the chosen SIRET, if any
    recipient_structure, set_recipient_structure = use_state(None)
    recipient_services, set_recipient_services = use_state([])
    supplier_services, set_supplier_services = use_state([])
    attachments, set_attachments_state = use_state([
        {"file_id": f["id"], "designation": f["designation"], "original_name": f["original_name"],
         "content_type": f["content_type"], "size": f["size"]} for f in invoice["files"] if f["role"] == "piece_jointe"])
    version, set_version = use_state(invoice["version"])
    version_ref = use_ref(invoice["version"])  # the newest, for saves that overlap a render
    saving = use_ref(asyncio.Lock())  # autosave, save and send one at a time: each expects the version the last left
    unsaved, set_unsaved = use_state(0)  # changes since the last save (a counter, so each change restarts the delay)
    unsaved_ref = use_ref(0)
    fields_ref = use_ref(None)  # the newest fields(), for the save when the form is left
    error, set_error = use_state(None)
    saved, set_saved = use_state(False)
    autosaved, set_autosaved = use_state(False)
    edited, set_edited = use_state(frozenset())  # what the user changed since the last error (and ever, for badges)
    ever_edited, set_ever_edited = use_state(frozenset())
    confirming, set_confirming = use_state(False)
    busy, set_busy = use_state(False)
    found = {k: v for k, v in found_fields(invoice["extraction"]).items() if k not in stale_by(ever_edited)}
    highlight, set_highlight = use_state(None)  # the prefilled field whose place the preview outlines

    chosen_siret = chosen["siret"] if chosen not in (UNCHANGED, None) else None
    if chosen == UNCHANGED:
        recipient_id = (invoice["recipient"] or {}).get("id")
    else:
        recipient_id = lookup["id"] if lookup and chosen_siret and lookup["identifier"] == chosen_siret else None

    @use_effect(dependencies=[chosen_siret])
    async def find_recipient():
        set_lookup(await recipient_by_siret(chosen_siret) if chosen_siret else None)

    @use_effect(dependencies=[recipient_id])
    async def load_recipient():
        set_recipient_structure(await structure_by_id(recipient_id))
        set_recipient_services(await services_of(recipient_id))

    @use_effect(dependencies=[])
    async def load_supplier_services():
        set_supplier_services(await services_of(invoice["supplier"]["id"]))

    def changed(name: str) -> None:
        set_edited(lambda old: old | {name})
        set_ever_edited(lambda old: old | {name})
        set_saved(False)
        set_autosaved(False)
        unsaved_ref.current += 1
        set_unsaved(unsaved_ref.current)

    def on_edit(name: str, value: Any) -> None:
        changed(name)
        set_edits(lambda old: {**old, name: value})

    def on_validator(key: str, item: dict | None) -> None:
        changed(key)
        set_validators(lambda old: {**old, key: item})

    def on_select(item: dict | None) -> None:
        changed("recipient")
        set_chosen(item)
        set_edits(lambda old: {**old, "recipient_service_id": ""})

    def set_attachments(update) -> None:
        changed("attachments")
        set_attachments_state(update)

    def fields() -> dict[str, Any]:
        values = dict(latest_edits.current)
        if chosen != UNCHANGED:
            if recipient_id:
                values["recipient_structure_id"] = recipient_id
            else:  # unknown to Chorale (or cleared): the server says so beside the field
                values["recipient_siret"] = chosen_siret
        values["attachments"] = [{"file_id": a["file_id"], "designation": a["designation"]} for a in attachments]
        for key, item in validators.items():
            values[f"{key}_siret"] = item["siret"] if item else ""
        return values

    fields_ref.current = fields

    async def saved_with(action) -> dict:
        """Run a save or send after any other in flight, with the version the last one left."""
        async with saving.current:
            pending = unsaved_ref.current
            try:
                view = await action(version_ref.current)
            except DomainError as failure:
                if "version" in (failure.details or {}):  # saved, then refused (check_before_send)
                    version_ref.current = failure.details["version"]
                raise
            version_ref.current = view["version"]
            if unsaved_ref.current == pending:  # nothing changed meanwhile: all is saved
                unsaved_ref.current = 0
            return view

    async def autosave(values: dict) -> dict:
        return await saved_with(lambda expected: update_draft(session.principal, invoice["id"], values, expected_version=expected))

    @use_effect(dependencies=[unsaved])
    async def save_after_a_pause():
        if not unsaved:
            return
        await asyncio.sleep(AUTOSAVE_SECONDS)
        try:  # shielded: a keystroke during the save must not cut it (the next one follows it)
            view = await asyncio.shield(autosave(fields()))
        except DomainError as failure:
            show_error(failure)  # shown beside its field, as a save would
            return
        set_version(view["version"])  # the errors shown stay: a save is no verdict on a send's checks
        set_autosaved(True)

    @use_effect(dependencies=[])
    def save_when_left():
        async def last_save(values: dict) -> None:
            try:
                await autosave(values)
            except DomainError:
                pass  # no screen left to say it on: the form shows what is wrong when reopened

        def flush():
            if unsaved_ref.current and fields_ref.current:
                asyncio.get_running_loop().create_task(last_save(fields_ref.current()))
        return flush

    def show_error(failure: DomainError | None) -> None:
        set_error(failure)
        set_edited(frozenset())  # a new verdict on the form as it is now

    async def run(action) -> dict | None:
        set_busy(True)
        show_error(None)
        try:
            view = await saved_with(action)
        except DomainError as failure:
            show_error(failure)
            return None
        finally:
            set_busy(False)
        set_version(view["version"])
        return view

    async def save_draft(_):
        if await run(lambda expected: update_draft(session.principal, invoice["id"], fields(), expected_version=expected, save_draft=True)):
            set_saved(True)

    async def check_then_confirm(_):
        """The send's checks first: the confirmation opens only for an invoice that can go."""
        if await run(lambda expected: check_before_send(session.principal, invoice["id"], fields(), expected_version=expected)):
            set_confirming(True)

    async def confirm_send(_):
        set_confirming(False)
        view = await run(lambda expected: send_invoice(session.principal, invoice["id"], fields=fields(), expected_version=expected))
        if view:
            session.navigate(f"/factures-emises/{invoice['id']}/attestation")

    async def cancel(_):
        if invoice["status"] == InvoiceStatus.PROVISOIRE:
            unsaved_ref.current = 0  # removed: nothing left to save
            try:
                await delete_invoice(session.principal, invoice["id"])
            except DomainError as failure:
                show_error(failure)
                return
            session.navigate("/factures-emises")
        else:
            session.navigate(f"/factures-emises/{invoice['id']}")

    stale = stale_by(edited)
    errors = {field: message for field, message in field_errors(error, session.lang).items() if field not in stale}
    # the general message goes with its field's: once that field is changed, the form no longer says it
    error_shown = error is not None and not (error.field and error.field in stale)
    if chosen == UNCHANGED:
        selected = selected_of(recipient_structure) or party_selected(invoice["recipient"])
    else:
        selected = chosen
    service_default = str(edits.get("recipient_service_id", (invoice["recipient_service"] or {}).get("id") or "")) \
        if chosen == UNCHANGED else ""
    reading = (invoice["extraction"] or {}).get("kind")
    return PREVIEW(html.div(
        {"class_name": "invoice-form", "id": "invoice-form", "data-version": str(version)},
        ocr_notice(invoice),
        ExtractionPreview(invoice, highlight),
        html.div({"class_name": "alert", "role": "status", "id": "deposit-manual"},
                 t("deposit.unreadable" if reading == "unreadable" else "deposit.manual")) if reading in MANUAL_KINDS else "",
        html.p({"class_name": "hint"}, t("invform.provisional")) if invoice["status"] == InvoiceStatus.PROVISOIRE else "",
        IdentificationBlock(invoice, edits.get("cadre", invoice["cadre"]), on_edit),
        RecipientBlock(selected, recipient_structure, recipient_services, service_default, on_select, on_edit, errors, found),
        *validator_blocks(edits.get("cadre", invoice["cadre"]), {
            v.key: validators[v.key] if v.key in validators else party_selected(invoice[v.key]) for v in VALIDATORS}, on_validator, errors),
        SupplierBlock(invoice, supplier_services, on_edit),
        ReferencesBlock(invoice, on_edit, errors, found, engagement_required=bool((recipient_structure or {}).get("requires_engagement"))),
        AmountsBlock(invoice, on_edit, errors, found),
        AttachmentsBlock(invoice["supplier"]["id"], attachments, set_attachments, errors.get("attachments")),
        html.div({"class_name": "alert alert-error", "role": "alert", "id": "form-error"}, error.message(session.lang)) if error_shown else "",
        html.div({"class_name": "alert alert-success", "role": "status", "id": "form-saved"}, t("invform.saved")) if saved else "",
        html.p({"class_name": "hint", "role": "status", "id": "form-autosaved"}, t("invform.autosaved")) if autosaved and not saved else "",
        html.div(
            {"class_name": "actions"},
            html.button({"type": "button", "class_name": "btn btn-secondary", "id": "form-cancel", "on_click": cancel}, t("invform.cancel")),
            html.button({"type": "button", "class_name": "btn btn-secondary", "id": "form-save", "on_click": save_draft, "disabled": busy},
                        t("invform.save_draft")),
            html.button({"type": "button", "class_name": "btn", "id": "form-send", "disabled": busy,
                         "on_click": check_then_confirm}, t("invform.send")),
        ),
        ConfirmSend(invoice, edits, selected, confirm_send, lambda: set_confirming(False)) if confirming else "",
    ), value=set_highlight)


@component
def ConfirmSend(invoice: dict, edits: dict, recipient: dict | None, on_confirm, on_close):
    session = use_session()

    def value(name: str) -> str:
        raw = edits[name] if name in edits else invoice[name]
        try:
            amount = parse_money(name, raw)
        except DomainError:
            return str(raw)  # shown as typed; the send will say what is wrong with it
        return fmt_money(None if amount is None else str(amount), edits.get("currency") or invoice["currency"], session.lang)

    number = edits.get("number", invoice["number"]) or "—"
    who = f"{recipient['siret']} {recipient.get('label') or ''}" if recipient else "—"
    return SendConfirmation(number, who, {name: value(name) for name, _ in AMOUNTS}, on_confirm, on_close)


@component
def InvoiceEditScreen(invoice_id: str):
    session = use_session()
    invoice, error, _ = use_invoice(int(invoice_id))
    waiting = load_state(invoice, error, session.lang)
    if waiting is not None:
        return html.div({"class_name": "screen"}, waiting)
    editable = InvoiceStatus(invoice["status"]).editable_by_supplier
    return html.div(
        {"class_name": "screen"},
        html.h1(session.t("invoices.edit.title"), " ", StatusBadge(invoice["status"], session.lang, badge_id="invoice-status")),
        issued_tabs(session.t, "deposit"),  # the deposit's form page: the tabs of Factures émises as on every one of its screens
        InvoiceForm(invoice, key=f"form-{invoice['id']}") if editable else not_editable_notice(invoice["id"], session.t),
    )
