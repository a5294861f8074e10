"""The blocks of the deposit form, as in the guide: Identification, Destinataire, Fournisseur,
Références, Montants totaux, Pièces jointes. Inputs are uncontrolled; each change goes to `on_edit`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reactpy import component, html

import shared.i18n_invoices  # noqa: F401
from backend.domain.invoices.extracted import sure
from frontend.components.extraction_preview import show_handlers
from frontend.components.siret_autocomplete import SiretAutocomplete
from frontend.components.upload import UploadField
from frontend.context import use_session
from frontend.screens.invoice_common import money_input
from backend.domain.invoices.rules import VALIDATORS, Validator
from shared.cadres import Cadre
from shared.formatting import file_size

# The cadres a supplier deposits with: the guide's four for a PDF (A1, A2, A9, A12), and the works
# documents of a contractor, subcontractor or co-contractor (they go to the project manager first). The
# cadres of documents deposited by a project manager or owner (A15–A20, A24, A25) are not offered.
DEPOSIT_CADRES = (Cadre.A1, Cadre.A2, Cadre.A4, Cadre.A5, Cadre.A7, Cadre.A9, Cadre.A10, Cadre.A11, Cadre.A12, Cadre.A13,
                  Cadre.A14)


def found_hint(found: dict[str, Any] | None, t, hint_id: str) -> Any:
    """The small « trouvé p.1 (90 %) » beside a prefilled field: its own element (`hint_id`, which the
    field names in aria-describedby), never inside the label, so the field's name stays its label alone.
    A value read without enough confidence was not prefilled: the badge shows it to check instead. Hovering
    the badge outlines where it was read on the page preview. The caller passes no `found` once the value
    was edited: the badge no longer describes it."""
    if not found:
        return ""
    confidence = round(float(found.get("confidence", 0)) * 100)
    level = "low" if not sure(found) else ("high" if confidence >= 90 else "medium")
    if level == "low":
        text = (t("extraction.low", value=found.get("value"), page=found["page"], confidence=confidence) if found.get("page")
                else t("extraction.low_short", value=found.get("value")))
    else:
        text = t("invform.found", page=found["page"], confidence=confidence) if found.get("page") else t("invform.found_short")
    return html.span({"class_name": f"found-hint found-{level}", "id": hint_id, "title": found.get("snippet") or "",
                      "data-confidence": str(confidence), "data-level": level, **show_handlers(found)}, text)


def described_by(*ids: str | None) -> dict[str, str]:
    """The aria-describedby attribute naming the given elements (none: no attribute)."""
    present = " ".join(i for i in ids if i)
    return {"aria-describedby": present} if present else {}


def text_input(name: str, label: str, on_edit: Callable, *, default: str | None, found=None, error: str | None = None,
               required: bool = False, input_type: str = "text", t=None, inputmode: str | None = None):
    input_id = f"inv-{name}"
    attrs = {"id": input_id, "name": name, "type": input_type, "default_value": default or "",
             "aria-invalid": "true" if error else "false", "on_change": lambda e: on_edit(name, e["target"]["value"])}
    if inputmode:
        attrs["inputmode"] = inputmode
    attrs |= described_by(found and f"{input_id}-found", error and f"{input_id}-error")
    attrs |= show_handlers(found)
    return html.div(
        {"class_name": "field", "key": name},
        html.div({"class_name": "label-row"},
                 html.label({"html_for": input_id, "class_name": "required" if required else ""}, label),
                 found_hint(found, t, f"{input_id}-found")),
        html.input(attrs),
        html.span({"class_name": "error", "id": f"{input_id}-error", "role": "alert"}, error) if error else "",
    )


@component
def IdentificationBlock(invoice: dict, cadre: str, on_edit: Callable):
    t = use_session().t
    lang = use_session().lang
    main = next((f for f in invoice["files"] if f["role"] == "principal"), None)
    return html.fieldset(
        {"id": "block-identification"},
        html.legend(t("invform.block.identification")),
        html.div({"class_name": "form-row"},
                 html.div({"class_name": "field"},
                          html.label({"html_for": "inv-cadre", "class_name": "required"}, t("deposit.cadre")),
                          html.select({"id": "inv-cadre", "default_value": cadre, "on_change": lambda e: on_edit("cadre", e["target"]["value"])},
                                      *[html.option({"value": str(c), "key": str(c)}, c.label(lang))
                                        for c in (*DEPOSIT_CADRES, *([Cadre(cadre)] if Cadre(cadre) not in DEPOSIT_CADRES else []))])),
                 html.div({"class_name": "field"}, html.span({"class_name": "label"}, t("deposit.structure")),
                          html.span({"id": "inv-structure"}, f"{invoice['supplier']['identifier']} - {invoice['supplier']['name']}")),
                 html.div({"class_name": "field"}, html.span({"class_name": "label"}, t("invform.format")),
                          html.span(t("invform.format.pdf")))),
        html.p(html.span({"class_name": "label"}, t("common.label", label=t("invform.main_file"))),
               html.a({"href": f"/api/invoices/{invoice['id']}/files/{main['id']}", "id": "inv-main-file"}, main["original_name"]))
        if main else "",
    )


def recipient_hint(found: dict[str, Any] | None, selected: dict | None, t) -> Any:
    """The badge describes the SIRET in the field only when the field holds the one read; a SIRET read that is
    not a known recipient (the field left empty) is said in words, with what was read, never as « trouvé »."""
    if not found:
        return ""
    read = "".join(ch for ch in str(found.get("value") or "") if ch.isdigit())
    if selected and selected.get("siret") == read:
        return found_hint(found, t, "inv-recipient-found")
    if selected:
        return ""
    return html.p({"class_name": "hint", "id": "inv-recipient-unknown", "role": "status", **show_handlers(found)},
                  t("invform.recipient_unknown", value=found.get("value") or ""))


@component
def RecipientBlock(selected: dict | None, structure: dict | None, services: list[dict], service_default: str,
                   on_select: Callable, on_edit: Callable, errors: dict, found: dict):
    session = use_session()
    t = session.t
    requirements = []
    if structure and structure.get("requires_engagement"):
        requirements.append(t("invform.recipient_required_engagement"))
    if structure and structure.get("requires_service_code"):
        requirements.append(t("invform.recipient_required_service"))
    return html.fieldset(
        {"id": "block-recipient"},
        html.legend(t("invform.block.recipient")),
        recipient_hint(found.get("recipient"), selected, t),
        SiretAutocomplete(on_select, input_id="inv-recipient", label=t("invform.recipient"), public_only=True,
                          selected=selected, error=errors.get("recipient"), required=True),
        html.ul({"class_name": "hint", "id": "inv-requirements"}, *[html.li({"key": r}, r) for r in requirements]) if requirements else "",
        html.div(
            {"class_name": "field", "key": f"service-{structure['id'] if structure else 0}"},
            html.div({"class_name": "label-row"},
                     html.label({"html_for": "inv-recipient-service",
                                 "class_name": "required" if structure and structure.get("requires_service_code") else ""},
                                t("invform.recipient_service")),
                     found_hint(found.get("recipient_service"), t, "inv-recipient-service-found")),
            html.select({"id": "inv-recipient-service", "default_value": service_default, "disabled": not structure,
                         **described_by(found.get("recipient_service") and "inv-recipient-service-found"),
                         "aria-invalid": "true" if errors.get("recipient_service") else "false",
                         "on_change": lambda e: on_edit("recipient_service_id", e["target"]["value"])},
                        html.option({"value": "", "key": "none"}, t("invform.recipient_service.none")),
                        *[html.option({"value": str(s["id"]), "key": str(s["id"])}, f"{s['code']} - {s['libelle']}") for s in services]),
            html.span({"class_name": "error", "role": "alert"}, errors["recipient_service"]) if errors.get("recipient_service") else "",
        ),
    )


@component
def ValidatorBlock(validator: Validator, cadre: str | None, selected: dict | None, on_select: Callable,
                   error: str | None = None, *, id_prefix: str = "inv"):
    """The structure the invoice goes to before its recipient, when its cadre needs one: « Titulaire du
    marché » (a subcontractor's or co-contractor's invoice, A9, A12…), « Maîtrise d'œuvre » (works).
    Chosen with the SIRET autocomplete; nothing for other cadres."""
    t = use_session().t
    if not validator.needed(cadre):
        return ""
    key = validator.key.replace("_", "-")
    return html.fieldset(
        {"id": f"block-{key}"},
        html.legend(t(f"invform.block.{validator.key}")),
        html.p({"class_name": "hint"}, t(f"invform.{validator.key}_hint")),
        SiretAutocomplete(on_select, input_id=f"{id_prefix}-{key}", label=t(f"invform.{validator.key}"), include_closed=False,
                          selected=selected, error=error, required=True),
    )


def validator_blocks(cadre: str | None, chosen: dict[str, dict | None], on_choose: Callable, errors: dict, id_prefix: str = "inv"):
    """One ValidatorBlock per validator, `chosen[key]` its current choice, `on_choose(key, item)`."""
    return [ValidatorBlock(v, cadre, chosen.get(v.key), lambda item, key=v.key: on_choose(key, item),
                           errors.get(v.key) or errors.get(f"{v.key}_siret"), id_prefix=id_prefix, key=v.key)
            for v in VALIDATORS]


@component
def SupplierBlock(invoice: dict, services: list[dict], on_edit: Callable):
    t = use_session().t
    current = str(invoice["supplier_service_id"] or "")
    return html.fieldset(
        {"id": "block-supplier"},
        html.legend(t("invform.block.supplier")),
        html.p({"id": "inv-supplier"}, f"{invoice['supplier']['identifier']} - {invoice['supplier']['name']}"),
        html.div({"class_name": "field"},
                 html.label({"html_for": "inv-supplier-service"}, t("invform.supplier_service")),
                 html.select({"id": "inv-supplier-service", "default_value": current,
                              "on_change": lambda e: on_edit("supplier_service_id", e["target"]["value"])},
                             html.option({"value": "", "key": "none"}, "—"),
                             *[html.option({"value": str(s["id"]), "key": str(s["id"])}, f"{s['code']} - {s['libelle']}") for s in services]))
        if services else "",
    )


@component
def ReferencesBlock(invoice: dict, on_edit: Callable, errors: dict, found: dict, engagement_required: bool = False):
    """`engagement_required`: the chosen recipient requires an engagement number (its asterisk shows at once)."""
    t = use_session().t
    return html.fieldset(
        {"id": "block-references"},
        html.legend(t("invform.block.references")),
        html.div({"class_name": "form-row"},
                 text_input("number", t("invform.number"), on_edit, default=invoice["number"], found=found.get("number"),
                            error=errors.get("number"), required=True, t=t),
                 text_input("invoice_date", t("invform.date"), on_edit, default=invoice["invoice_date"], input_type="date",
                            found=found.get("invoice_date"), error=errors.get("invoice_date"), required=True, t=t)),
        html.div({"class_name": "form-row"},
                 text_input("engagement_number", t("invform.engagement"), on_edit, default=invoice["engagement_number"],
                            found=found.get("engagement_number"), error=errors.get("engagement_number"), t=t,
                            required=engagement_required),
                 text_input("purchase_order", t("invform.purchase_order"), on_edit, default=invoice["purchase_order"],
                            found=found.get("purchase_order"), error=errors.get("purchase_order"), t=t)),
    )


@component
def AmountsBlock(invoice: dict, on_edit: Callable, errors: dict, found: dict):
    t = use_session().t

    def amount(name: str, key: str, required: bool = True):
        return text_input(name, t(key), on_edit, default=money_input(invoice[name]), found=found.get(name),
                          error=errors.get(name), required=required, t=t, inputmode="decimal")

    return html.fieldset(
        {"id": "block-amounts"},
        html.legend(t("invform.block.amounts")),
        html.div({"class_name": "form-row"}, amount("total_ht", "invform.total_ht"), amount("total_tva", "invform.total_tva"),
                 amount("total_ttc", "invform.total_ttc")),
        html.div({"class_name": "form-row"}, amount("net_a_payer", "invform.net_a_payer"),
                 text_input("currency", t("invform.currency"), on_edit, default=invoice["currency"], found=found.get("currency"),
                            error=errors.get("currency"), t=t)),
    )


@component
def AttachmentsBlock(structure_id: int, attachments: list[dict], on_change: Callable, error: str | None):
    session = use_session()
    t = session.t

    def added(body: dict) -> None:
        on_change(lambda old: [*old, {"file_id": body["id"], "designation": body["original_name"], "original_name": body["original_name"],
                                  "content_type": body["content_type"], "size": body["size"]}])

    # updates as functions of the newest list: two uploads ending together both stay
    def remove(file_id: int):
        return lambda _: on_change(lambda old: [a for a in old if a["file_id"] != file_id])

    def rename(file_id: int):
        return lambda e: on_change(lambda old: [{**a, "designation": e["target"]["value"]} if a["file_id"] == file_id else a for a in old])

    rows = [html.tr(
        {"key": str(a["file_id"]), "data-file": str(a["file_id"])},
        html.td(html.input({"type": "text", "default_value": a["designation"] or "", "aria-label": t("invform.attachment.designation"),
                            "on_change": rename(a["file_id"]), "id": f"attachment-{a['file_id']}-designation"})),
        html.td(a["content_type"].split("/")[-1].upper()),
        html.td(a["original_name"]),
        html.td({"class_name": "num"}, file_size(a["size"], session.lang)),
        html.td(html.button({"type": "button", "class_name": "btn-link", "on_click": remove(a["file_id"])}, t("invform.attachment.remove"))),
    ) for a in attachments]
    return html.fieldset(
        {"id": "block-attachments"},
        html.legend(t("invform.block.attachments")),
        html.table({"class_name": "data", "id": "attachments"},
                   html.thead(html.tr(*[html.th({"key": k}, t(f"invform.attachment.{k}")) for k in ("designation", "type", "name", "size")],
                                      html.th({"key": "actions"}, ""))),
                   html.tbody(*rows)) if rows else html.p({"class_name": "hint", "id": "attachments-empty"}, t("invform.attachment.none")),
        html.div({"class_name": "error", "role": "alert"}, error) if error else "",
        UploadField(f"/api/invoices/uploads?role=piece_jointe&structure_id={structure_id}", input_id="attachment-file",
                    label=t("invform.attachment.file"), hint=t("invform.attachment.hint"),
                    accept=".pdf,.png,.bmp,.tif,.tiff,.xml,.csv", on_done=added),
    )
