"""The deposit form (`/factures-emises/<id>/modifier`): a PROVISOIRE or BROUILLON invoice, prefilled from
its PDF, completed, then « Enregistrer en mode brouillon » or « Valider et envoyer » (with a confirmation
showing the amounts) — which leads to the deposit certificate. « Annuler » removes a PROVISOIRE invoice.
"""

from __future__ import annotations

from typing import Any

from reactpy import component, html, use_effect, use_state

import shared.i18n_invoices  # noqa: F401
from backend.domain.invoices.extracted import found_fields
from backend.domain.invoices.fields import parse_money
from backend.domain.invoices.rules import VALIDATORS
from backend.domain.invoices.lookups import recipient_by_siret, services_of, structure_by_id
from backend.domain.invoices.services import delete_invoice, send_invoice, update_draft
from backend.infra.errors import ChoraleError
from frontend.components.dialog import Dialog
from frontend.components.shell import Link
from frontend.components.status_badge import StatusBadge
from frontend.context import use_session
from frontend.hooks.state import use_latest_state
from frontend.screens.invoice_common import fmt_money, load_state, use_invoice
from frontend.screens.invoice_form_blocks import (AmountsBlock, AttachmentsBlock, IdentificationBlock, RecipientBlock,
                                                  ReferencesBlock, SupplierBlock, validator_blocks)
from shared.invoice_status import InvoiceStatus

UNCHANGED = "unchanged"


def field_errors(error: ChoraleError | None) -> dict[str, str]:
    """Field -> message for every problem the error reports (a send reports them all at once)."""
    if error is None:
        return {}
    found = {e["field"]: e["message"] for e in (error.details or {}).get("errors", []) if e.get("field")}
    if error.field:
        found.setdefault(error.field, error.message_fr)
    return found


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
    attachments, set_attachments = use_state([
        {"file_id": f["id"], "designation": f["designation"], "original_name": f["original_name"],
         "content_type": f["content_type"], "size": f["size"]} for f in invoice["files"] if f["role"] == "piece_jointe"])
    version, set_version = use_state(invoice["version"])
    error, set_error = use_state(None)
    saved, set_saved = use_state(False)
    confirming, set_confirming = use_state(False)
    busy, set_busy = use_state(False)
    found = found_fields(invoice["extraction"])

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

    def on_edit(name: str, value: Any) -> None:
        set_saved(False)
        set_edits(lambda old: {**old, name: value})

    def on_validator(key: str, item: dict | None) -> None:
        set_saved(False)
        set_validators(lambda old: {**old, key: item})

    def on_select(item: dict | None) -> None:
        set_chosen(item)
        set_edits(lambda old: {**old, "recipient_service_id": ""})

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

    async def run(action) -> dict | None:
        set_busy(True)
        set_error(None)
        try:
            view = await action()
        except ChoraleError as failure:
            set_error(failure)
            return None
        finally:
            set_busy(False)
        set_version(view["version"])
        return view

    async def save_draft(_):
        if await run(lambda: update_draft(session.principal, invoice["id"], fields(), expected_version=version, save_draft=True)):
            set_saved(True)

    async def confirm_send(_):
        set_confirming(False)
        view = await run(lambda: send_invoice(session.principal, invoice["id"], fields=fields(), expected_version=version))
        if view:
            session.navigate(f"/factures-emises/{invoice['id']}/attestation")

    async def cancel(_):
        if invoice["status"] == InvoiceStatus.PROVISOIRE:
            try:
                await delete_invoice(session.principal, invoice["id"])
            except ChoraleError as failure:
                set_error(failure)
                return
            session.navigate("/factures-emises")
        else:
            session.navigate(f"/factures-emises/{invoice['id']}")

    errors = field_errors(error)
    if chosen == UNCHANGED:
        selected = selected_of(recipient_structure) or party_selected(invoice["recipient"])
    else:
        selected = chosen
    service_default = str(edits.get("recipient_service_id", (invoice["recipient_service"] or {}).get("id") or "")) \
        if chosen == UNCHANGED else ""
    scanned = (invoice["extraction"] or {}).get("kind") == "scanned"
    return html.div(
        {"class_name": "invoice-form", "id": "invoice-form", "data-version": str(version)},
        html.div({"class_name": "alert", "role": "status", "id": "deposit-manual"}, t("deposit.manual")) if scanned else "",
        html.p({"class_name": "hint"}, t("invform.provisional")) if invoice["status"] == InvoiceStatus.PROVISOIRE else "",
        IdentificationBlock(invoice, edits.get("cadre", invoice["cadre"]), on_edit),
        RecipientBlock(selected, recipient_structure, recipient_services, service_default, on_select, on_edit, errors, found),
        *validator_blocks(edits.get("cadre", invoice["cadre"]), {
            v.key: validators[v.key] if v.key in validators else party_selected(invoice[v.key]) for v in VALIDATORS}, on_validator, errors),
        SupplierBlock(invoice, supplier_services, on_edit),
        ReferencesBlock(invoice, on_edit, errors, found),
        AmountsBlock(invoice, on_edit, errors, found),
        AttachmentsBlock(invoice["supplier"]["id"], attachments, set_attachments, errors.get("attachments")),
        html.div({"class_name": "alert alert-error", "role": "alert", "id": "form-error"}, error.message(session.lang)) if error else "",
        html.div({"class_name": "alert alert-success", "role": "status", "id": "form-saved"}, t("invform.saved")) if saved else "",
        html.div(
            {"class_name": "actions"},
            html.button({"type": "button", "class_name": "btn btn-secondary", "id": "form-cancel", "on_click": cancel}, t("invform.cancel")),
            html.button({"type": "button", "class_name": "btn btn-secondary", "id": "form-save", "on_click": save_draft, "disabled": busy},
                        t("invform.save_draft")),
            html.button({"type": "button", "class_name": "btn", "id": "form-send", "disabled": busy,
                         "on_click": lambda _: set_confirming(True)}, t("invform.send")),
        ),
        ConfirmSend(invoice, edits, selected, confirm_send, lambda: set_confirming(False)) if confirming else "",
    )


@component
def ConfirmSend(invoice: dict, edits: dict, recipient: dict | None, on_confirm, on_close):
    session = use_session()
    t = session.t

    def value(name: str) -> str:
        raw = edits[name] if name in edits else invoice[name]
        try:
            amount = parse_money(name, raw)
        except ChoraleError:
            return str(raw)  # shown as typed; the send will say what is wrong with it
        return fmt_money(None if amount is None else str(amount), edits.get("currency") or invoice["currency"], session.lang)

    number = edits.get("number", invoice["number"]) or "—"
    who = f"{recipient['siret']} {recipient.get('label') or ''}" if recipient else "—"
    return Dialog(
        t("invconfirm.title"),
        html.p(t("invconfirm.body", number=number, recipient=who)),
        html.ul({"id": "confirm-amounts"},
                html.li(t("invform.total_ht"), " : ", value("total_ht")), html.li(t("invform.total_tva"), " : ", value("total_tva")),
                html.li(t("invconfirm.ttc"), " : ", value("total_ttc")), html.li(t("invform.net_a_payer"), " : ", value("net_a_payer"))),
        actions=(html.button({"type": "button", "class_name": "btn btn-secondary", "id": "confirm-cancel", "on_click": lambda _: on_close()},
                             t("invconfirm.cancel")),
                 html.button({"type": "button", "class_name": "btn", "id": "confirm-send", "on_click": on_confirm, "autofocus": True},
                             t("invconfirm.send"))),
        on_close=on_close, dialog_id="confirm-dialog", role="alertdialog",
    )


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
        InvoiceForm(invoice, key=f"form-{invoice['id']}") if editable else html.div(
            {"class_name": "alert", "role": "status"}, session.t("invform.not_editable"), " ",
            Link(f"/factures-emises/{invoice['id']}", session.t("issued.view"))),
    )
