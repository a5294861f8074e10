"""Saisir une facture: header, lines with the VAT recap recomputed as they change, draft, send; and the
billing mandate screen that typing an invoice in requires."""

from __future__ import annotations

import uuid
from decimal import Decimal

from reactpy import component, html, use_effect, use_state

import shared.i18n_manual  # noqa: F401
from backend.domain.invoices import manual, rules
from backend.domain.invoices.lookups import services_of
from backend.domain.structures import mandate
from backend.domain.structures.permissions import structures_for
from backend.infra.database import connection
from backend.infra.errors import ChoraleError
from frontend.components.dialog import Dialog
from frontend.components.form import TextField, error_for, field_setter, form_alert
from frontend.components.shell import Link
from frontend.components.siret_autocomplete import SiretAutocomplete
from backend.domain.invoices.rules import VALIDATORS
from frontend.screens.invoice_form_blocks import DEPOSIT_CADRES, AttachmentsBlock, validator_blocks
from frontend.context import use_session
from frontend.hooks.state import use_latest_state
from shared.applications import Application, Level
from shared.cadres import VAT_RATES

LINE_COLUMNS = ("description", "quantity", "unit", "unit_price", "discount", "vat_rate", "exemption_reason")


def euros(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:,.2f} €".replace(",", "\u202f").replace(".", ",")


def new_line() -> dict:
    return {"key": uuid.uuid4().hex[:8], "description": "", "quantity": "1", "unit": "C62", "unit_price": "", "discount": "0",
            "vat_rate": "20", "exemption_reason": ""}


def live_totals(lines: list[dict]):
    """The recap as the lines stand; None while a line is incomplete or wrong (the form says why on save)."""
    try:
        parsed = manual.parse_lines([l for l in lines if l["description"] or l["unit_price"]])
        rules.validate_lines(parsed)
        return rules.compute_totals(parsed), parsed
    except (ChoraleError, rules.InvoiceRuleError):
        return None, []


@component
def LineRow(index: int, line: dict, set_lines, can_remove: bool):
    session = use_session()
    t = session.t

    def update(name: str):
        def handle(e):
            value = e["target"]["value"]
            set_lines(lambda old: [{**l, name: value} if l["key"] == line["key"] else l for l in old])
        return handle

    def remove(_):
        set_lines(lambda old: [l for l in old if l["key"] != line["key"]])

    def cell(name: str, width: str = "6rem", input_type: str = "text"):
        return html.td(html.input({"id": f"line-{index}-{name}", "type": input_type, "default_value": line[name], "on_change": update(name),
                                   "aria-label": f"{t('manual.col.' + name if name != 'exemption_reason' else 'manual.col.exemption')} {index + 1}",
                                   "style": {"width": width}, "inputmode": "decimal" if name in ("quantity", "unit_price", "discount") else "text"}))

    try:
        net = manual.parse_lines([line])[0].net_amount if line["unit_price"] else None
    except ChoraleError:
        net = None
    return html.tr(
        {"key": line["key"]},
        cell("description", "16rem"), cell("quantity"), cell("unit", "4rem"), cell("unit_price"), cell("discount"),
        html.td(html.select({"id": f"line-{index}-vat_rate", "default_value": line["vat_rate"], "on_change": update("vat_rate"),
                             "aria-label": f"{t('manual.col.vat_rate')} {index + 1}"},
                            *[html.option({"value": f"{r.normalize():f}", "key": str(r)}, f"{r.normalize():f} %".replace(".", ","))
                              for r in VAT_RATES])),
        cell("exemption_reason", "12rem"),
        html.td({"class_name": "num", "data-col": "net"}, euros(net)),
        html.td(html.button({"type": "button", "class_name": "btn-link", "on_click": remove, "aria-label": t("manual.remove_line")}, "✕")
                if can_remove else ""),
    )


@component
def Recap(lines: list[dict]):
    session = use_session()
    t = session.t
    totals, _ = live_totals(lines)
    if totals is None:
        return html.section({"class_name": "card", "id": "vat-recap", "aria-live": "polite"}, html.h2(t("manual.recap")), html.p("—"))
    return html.section(
        {"class_name": "card", "id": "vat-recap", "aria-live": "polite"},
        html.h2(t("manual.recap")),
        html.table({"class_name": "data"},
                   html.thead(html.tr(html.th(t("manual.rate")), html.th({"class_name": "num"}, t("manual.base")),
                                      html.th({"class_name": "num"}, t("manual.vat")))),
                   html.tbody(*[html.tr({"key": str(b.rate), "data-rate": f"{b.rate.normalize():f}"},
                                        html.td(f"{b.rate.normalize():f} %".replace(".", ",")),
                                        html.td({"class_name": "num"}, euros(b.base)), html.td({"class_name": "num"}, euros(b.amount)))
                                for b in totals.vat_breakdown])),
        html.dl({"class_name": "totals"},
                html.dt(t("manual.total_ht")), html.dd({"id": "total-ht"}, euros(totals.total_ht)),
                html.dt(t("manual.total_tva")), html.dd({"id": "total-tva"}, euros(totals.total_tva)),
                html.dt(t("manual.total_ttc")), html.dd({"id": "total-ttc"}, euros(totals.total_ttc))),
    )


@component
def ManualInvoiceScreen(invoice_id: str | None = None):
    session = use_session()
    t = session.t
    lang = session.lang
    structures, set_structures = use_state(None)
    structure_id, set_structure_id = use_state(None)
    mandate_state, set_mandate_state = use_state(None)  # {"active": bool, "manager": str, "principal": bool}
    header, set_header, latest_header = use_latest_state({"cadre": "A1", "currency": "EUR"})
    recipient, set_recipient = use_state(None)
    validators, set_validators = use_state({})  # validator key -> {"siret", "label"} as the autocomplete shows it
    services, set_services = use_state([])
    lines, set_lines, latest_lines = use_latest_state([new_line()])
    attachments, set_attachments = use_state([])
    offered, set_offered = use_state([])
    current_id, set_current_id = use_state(int(invoice_id) if invoice_id else None)
    error, set_error = use_state(None)
    message, set_message = use_state(None)
    confirming, set_confirming = use_state(False)
    sent, set_sent = use_state(None)
    loaded, set_loaded = use_state(invoice_id is None)

    @use_effect(dependencies=[])
    async def load_structures():
        refs = await structures_for(session.principal, Application.FACTURES_EMISES, Level.MODIFICATION)
        set_structures(refs)
        if invoice_id:
            async with connection() as conn:
                row = await conn.fetchrow("SELECT i.*, r.identifier AS recipient_siret, s.code AS service_code FROM invoice i "
                                          "LEFT JOIN structure r ON r.id = i.recipient_structure_id LEFT JOIN service s ON s.id = i.recipient_service_id "
                                          "WHERE i.id = $1", int(invoice_id))
                named = await conn.fetch("SELECT id, identifier, raison_sociale FROM structure WHERE id = ANY($1::bigint[])",
                                         [row[v.column] for v in VALIDATORS if row and row[v.column]])
                rows = await conn.fetch("SELECT * FROM invoice_line WHERE invoice_id = $1 ORDER BY position", int(invoice_id))
            if row is None or row["supplier_structure_id"] not in [r.id for r in refs]:
                set_error(ChoraleError("introuvable", "Facture introuvable.", "Invoice not found."))
                return
            set_structure_id(row["supplier_structure_id"])
            set_header({"cadre": row["cadre"], "currency": row["currency"], "number": row["number"] or "",
                        "invoice_date": row["invoice_date"].isoformat() if row["invoice_date"] else "",
                        "engagement_number": row["engagement_number"] or "", "payment_terms": row["payment_terms"] or "",
                        "recipient_service_code": row["service_code"] or ""})
            by_id = {s["id"]: {"siret": s["identifier"], "label": s["raison_sociale"]} for s in named}
            set_validators({v.key: by_id[row[v.column]] for v in VALIDATORS if row[v.column] in by_id})
            if row["recipient_siret"]:
                from backend.domain.directory.services import get_establishment

                found = await get_establishment(row["recipient_siret"])
                set_recipient(found.to_dict() if found else {"siret": row["recipient_siret"], "label": row["recipient_siret"],
                                                             "denomination": row["recipient_siret"]})
            async with connection() as conn:
                files = await conn.fetch("SELECT id, designation, original_name, content_type, size FROM invoice_file "
                                         "WHERE invoice_id = $1 AND role = 'piece_jointe' ORDER BY id", int(invoice_id))
            set_attachments([{"file_id": f["id"], "designation": f["designation"], "original_name": f["original_name"],
                              "content_type": f["content_type"], "size": f["size"]} for f in files])
            set_offered(await manual.offered_attachments(session.principal, int(invoice_id)))
            if rows:
                set_lines([{"key": uuid.uuid4().hex[:8], "description": r["description"], "quantity": f"{r['quantity'].normalize():f}",
                            "unit": r["unit"], "unit_price": f"{r['unit_price'].normalize():f}", "discount": f"{r['discount']:f}",
                            "vat_rate": f"{r['vat_rate'].normalize():f}", "exemption_reason": r["exemption_reason"] or ""} for r in rows])
            set_loaded(True)
        elif len(refs) == 1:
            set_structure_id(refs[0].id)

    @use_effect(dependencies=[structure_id])
    async def load_mandate():
        if structure_id is None:
            return
        active = await mandate.active_mandate(structure_id)
        manager = await mandate.principal_manager_of(structure_id)
        async with connection() as conn:
            is_principal = bool(await conn.fetchval("SELECT is_principal FROM attachment WHERE user_id = $1 AND structure_id = $2",
                                                    session.principal.user_id, structure_id))
        set_mandate_state({"active": active is not None, "manager": manager or "", "principal": is_principal})

    @use_effect(dependencies=[recipient["siret"] if recipient else None])
    async def load_services():
        if not recipient:
            set_services([])
            return
        async with connection() as conn:
            structure = await conn.fetchval("SELECT id FROM structure WHERE identifier = $1 AND is_public", recipient["siret"])
        set_services(await services_of(structure) if structure else [])

    if structures is None or not loaded:
        return html.p({"aria-busy": "true"}, t("common.loading"))
    if not structures:
        return html.div({"class_name": "screen"}, html.h1(t("manual.title")), html.p({"class_name": "empty"}, t("manual.no_structure")))

    def payload():
        typed = latest_header.current  # not `header`: a click right after typing may come before the re-render
        return {"header": {**{k: v for k, v in typed.items() if v not in (None, "")},
                           "recipient_siret": recipient["siret"] if recipient else "",
                           **{f"{v.key}_siret": (validators.get(v.key) or {}).get("siret", "") if v.needed(typed.get("cadre")) else ""
                              for v in VALIDATORS},
                           "attachments": [{"file_id": a["file_id"], "designation": a["designation"]} for a in attachments]},
                "lines": [{k: l[k] for k in LINE_COLUMNS} for l in latest_lines.current if l["description"] or l["unit_price"]]}

    async def save() -> int | None:
        set_error(None)
        set_message(None)
        body = payload()
        try:
            saved = await manual.save_manual(session.principal, structure_id=structure_id, header=body["header"], lines=body["lines"],
                                             invoice_id=current_id)
        except ChoraleError as e:
            set_error(e)
            return None
        set_current_id(saved)
        return saved

    def reuse(file: dict):
        async def handle(_):
            new_id = await manual.reuse_attachment(session.principal, current_id, file["id"])
            set_attachments(lambda old: [*old, {"file_id": new_id, "designation": file["designation"], "original_name": file["original_name"],
                                                "content_type": "application/octet-stream", "size": file["size"]}])
            set_offered(lambda old: [f for f in old if f["id"] != file["id"]])
        return handle

    async def handle_save(_):
        if await save():
            set_message(t("manual.saved"))

    async def handle_send(_):
        set_confirming(False)
        saved = await save()
        if not saved:
            return
        try:
            invoice = await manual.send_manual(session.principal, saved)
        except ChoraleError as e:
            set_error(e)
            return
        set_sent(invoice)

    async def handle_duplicate(_):
        copy_id = await manual.copy_invoice(session.principal, sent["id"])
        session.navigate(f"/factures-emises/{copy_id}/saisie")

    async def handle_credit_note(_):
        copy_id = await manual.copy_invoice(session.principal, sent["id"], credit_note=True)
        session.navigate(f"/factures-emises/{copy_id}/saisie")

    if sent:
        return html.div(
            {"class_name": "screen narrow"},
            html.h1(t("manual.title")),
            html.div({"class_name": "alert alert-success", "role": "status", "id": "manual-sent"},
                     t("manual.sent"), " ", sent.get("deposit_number") or ""),
            html.div({"class_name": "actions"},
                     html.a({"href": f"/api/invoices/{sent['id']}/facturx.pdf", "class_name": "btn btn-secondary", "id": "download-facturx",
                             "download": True}, t("manual.facturx")),
                     Link(f"/factures-emises/{sent['id']}/attestation", "Attestation de dépôt", class_name="btn btn-secondary"),
                     html.button({"type": "button", "class_name": "btn", "id": "duplicate", "on_click": handle_duplicate}, t("manual.duplicate")),
                     html.button({"type": "button", "class_name": "btn btn-secondary", "id": "credit-note", "on_click": handle_credit_note},
                                 t("manual.credit_note"))),
        )

    mandate_block = ""
    if mandate_state is not None and not mandate_state["active"]:
        mandate_block = html.div(
            {"class_name": "alert alert-warning", "role": "alert", "id": "mandate-missing"}, t("manual.mandate_missing"), " ",
            Link(f"/mandat?structure={structure_id}", t("manual.mandate_link")) if mandate_state["principal"]
            else t("manual.mandate_ask", manager=mandate_state["manager"]))

    totals, _ = live_totals(lines)

    def head(name: str, key: str, input_type: str = "text"):
        return TextField(name, t(key), field_setter(set_header, name), input_type=input_type, default=header.get(name, ""),
                         error=error_for(error, name, lang), id_prefix="h")

    return html.div(
        {"class_name": "screen wide"},
        html.h1(t("manual.title")),
        html.div({"class_name": "field", "style": {"max_width": "420px"}},
                 html.label({"html_for": "h-structure"}, t("manual.structure")),
                 html.select({"id": "h-structure", "default_value": str(structure_id or ""),
                              "on_change": lambda e: set_structure_id(int(e["target"]["value"]) if e["target"]["value"] else None)},
                             html.option({"value": ""}, "—"),
                             *[html.option({"value": str(r.id), "key": str(r.id)}, f"{r.raison_sociale} ({r.identifier})") for r in structures])),
        mandate_block,
        "" if not (mandate_state and mandate_state["active"]) else html._(
            html.section(
                {"class_name": "card form", "style": {"max_width": "none"}},
                html.h2(t("manual.header")),
                html.div({"class_name": "form-row"},
                         html.div({"class_name": "field"}, html.label({"html_for": "h-cadre"}, t("manual.cadre")),
                                  html.select({"id": "h-cadre", "default_value": header.get("cadre", "A1"), "on_change": field_setter(set_header, "cadre")},
                                              *[html.option({"value": c.value, "key": c.value}, c.label(lang)) for c in DEPOSIT_CADRES])),
                         head("number", "manual.number"), head("invoice_date", "manual.date", "date"), head("currency", "manual.currency")),
                SiretAutocomplete(lambda item: set_recipient(item), input_id="manual-recipient", label=t("manual.recipient"),
                                  public_only=True, include_closed=False, selected=recipient, error=error_for(error, "recipient", lang)),
                *validator_blocks(header.get("cadre"), validators, lambda key, item: set_validators(lambda old: {**old, key: item}),
                                  {v.key: error_for(error, v.key, lang) or error_for(error, f"{v.key}_siret", lang) for v in VALIDATORS},
                                  id_prefix="manual"),
                html.div({"class_name": "form-row"},
                         html.div({"class_name": "field"}, html.label({"html_for": "h-service"}, t("manual.service")),
                                  html.select({"id": "h-service", "default_value": header.get("recipient_service_code", ""),
                                               "on_change": field_setter(set_header, "recipient_service_code"), "key": str(len(services))},
                                              html.option({"value": ""}, t("manual.no_service")),
                                              *[html.option({"value": s["code"], "key": s["code"]}, f"{s['code']} — {s['libelle']}") for s in services]),
                                  html.span({"class_name": "error"}, error_for(error, "recipient_service", lang) or "")),
                         head("engagement_number", "manual.engagement"), head("payment_terms", "manual.terms")),
            ),
            html.section(
                {"class_name": "card"},
                html.h2(t("manual.lines")),
                html.div({"class_name": "table-scroll"}, html.table(
                    {"class_name": "data", "id": "lines"},
                    html.thead(html.tr(*[html.th(t(f"manual.col.{c}")) for c in ("description", "quantity", "unit", "unit_price", "discount",
                                                                                 "vat_rate", "exemption", "net")], html.th(""))),
                    html.tbody(*[LineRow(i, line, set_lines, len(lines) > 1) for i, line in enumerate(lines)]))),
                html.button({"type": "button", "class_name": "btn btn-secondary", "id": "add-line",
                             "on_click": lambda _: set_lines(lambda old: [*old, new_line()])}, t("manual.add_line")),
            ),
            Recap(lines),
            html.section({"class_name": "card"}, AttachmentsBlock(structure_id, attachments, set_attachments,
                                                                  error_for(error, "attachments", lang)),
                         html.div({"id": "offered-attachments"},
                                  html.h3(t("manual.offered")),
                                  html.ul(*[html.li({"key": str(f["id"])}, f"{f['designation'] or f['original_name']} ",
                                                    html.button({"type": "button", "class_name": "btn-link", "on_click": reuse(f),
                                                                 "data-file": str(f["id"])}, t("manual.reuse")))
                                            for f in offered])) if offered else ""),
            form_alert(error, lang, fields=("number", "invoice_date", "recipient", "recipient_service", *(v.key for v in VALIDATORS),
                                                  *(f"{v.key}_siret" for v in VALIDATORS))),
            html.div({"class_name": "alert alert-success", "role": "status"}, message) if message else "",
            html.div({"class_name": "actions"},
                     html.button({"type": "button", "class_name": "btn btn-secondary", "id": "manual-save", "on_click": handle_save}, t("manual.save")),
                     html.button({"type": "button", "class_name": "btn", "id": "manual-send", "on_click": lambda _: set_confirming(True),
                                  "disabled": totals is None}, t("manual.send"))),
            Dialog(t("manual.confirm_title"),
                   html.p(t("manual.confirm_text", number=header.get("number") or "—", recipient=(recipient or {}).get("label", "—"))),
                   html.dl({"class_name": "totals"},
                           html.dt(t("manual.total_ht")), html.dd(euros(totals.total_ht if totals else None)),
                           html.dt(t("manual.total_tva")), html.dd(euros(totals.total_tva if totals else None)),
                           html.dt(t("manual.total_ttc")), html.dd({"id": "confirm-ttc"}, euros(totals.total_ttc if totals else None))),
                   actions=[html.button({"type": "button", "class_name": "btn btn-secondary", "on_click": lambda _: set_confirming(False)},
                                        t("manual.cancel")),
                            html.button({"type": "button", "class_name": "btn", "id": "manual-confirm", "on_click": handle_send}, t("manual.confirm"))],
                   on_close=lambda: set_confirming(False), dialog_id="manual-confirm-dialog", role="alertdialog") if confirming else "",
        ),
    )


@component
def DuplicateInvoiceScreen(invoice_id: str):
    """Dupliquer (from any list): makes the copy, then opens it for editing."""
    session = use_session()
    failure, set_failure = use_state(None)

    @use_effect(dependencies=[invoice_id])
    async def run():
        try:
            copy_id = await manual.copy_invoice(session.principal, int(invoice_id))
        except ChoraleError as e:
            set_failure(e.message(session.lang))
            return
        session.navigate(f"/factures-emises/{copy_id}/saisie")

    return html.div({"class_name": "screen"}, html.div({"class_name": "alert alert-error", "role": "alert"}, failure)) if failure else html.p(
        {"aria-busy": "true"}, session.t("common.loading"))


@component
def MandateScreen():
    session = use_session()
    t = session.t
    structures, set_structures = use_state(None)
    structure_id, set_structure_id = use_state(int(session.route.param("structure")) if session.route.param("structure").isdigit() else None)
    state, set_state = use_state(None)
    values, set_values = use_state({})
    error, set_error = use_state(None)
    version, set_version = use_state(0)

    @use_effect(dependencies=[])
    async def load():
        refs = await structures_for(session.principal, Application.ORGANISATION, Level.MODIFICATION)
        set_structures(refs)
        if structure_id is None and refs:
            set_structure_id(refs[0].id)

    @use_effect(dependencies=[structure_id, version])
    async def load_state():
        if structure_id is None:
            return
        try:
            prefill = await mandate.mandate_form(session.principal, structure_id)
        except ChoraleError as e:
            set_error(e)
            return
        set_values(prefill)
        set_state({"active": await mandate.active_mandate(structure_id), "prefill": prefill})

    async def sign(_):
        set_error(None)
        try:
            await mandate.subscribe(session.principal, structure_id, name=values.get("name", ""), postal_address=values.get("postal_address", ""),
                                    signatory=values.get("signatory", ""), signed_name=values.get("signed_name", ""),
                                    accept_terms=bool(values.get("accept_terms")))
        except ChoraleError as e:
            set_error(e)
            return
        set_version(version + 1)

    async def revoke(_):
        await mandate.revoke(session.principal, structure_id)
        set_version(version + 1)

    if structures is None:
        return html.p({"aria-busy": "true"}, t("common.loading"))
    body = ""
    if state and state["active"]:
        active = state["active"]
        body = html.section({"class_name": "card", "id": "mandate-active"},
                            html.p(t("mandate.active", name=active["signed_name"], date=active["signed_at"].strftime("%d/%m/%Y"))),
                            html.div({"class_name": "actions"},
                                     Link("/factures-emises/saisir", t("mandate.to_entry"), class_name="btn"),
                                     html.button({"type": "button", "class_name": "btn btn-secondary", "on_click": revoke}, t("mandate.revoke"))))
    elif state:
        prefill = state["prefill"]
        body = html.section(
            {"class_name": "card form", "id": "mandate-form"},
            html.p(t("mandate.intro")),
            TextField("name", t("mandate.name"), field_setter(set_values, "name"), default=prefill["name"], required=True, id_prefix="m"),
            TextField("postal_address", t("mandate.address"), field_setter(set_values, "postal_address"), default=prefill["postal_address"],
                      required=True, id_prefix="m"),
            TextField("signatory", t("mandate.signatory"), field_setter(set_values, "signatory"), default=prefill["signatory"],
                      required=True, id_prefix="m"),
            html.div({"class_name": "check"},
                     html.input({"type": "checkbox", "id": "m-accept", "on_change": field_setter(set_values, "accept_terms")}),
                     html.label({"html_for": "m-accept"}, t("mandate.terms"))),
            TextField("signed_name", t("mandate.sign"), field_setter(set_values, "signed_name"), required=True, id_prefix="m",
                      error=error_for(error, "signed_name", session.lang)),
            form_alert(error, session.lang, fields=("signed_name",)),
            html.div({"class_name": "actions"}, html.button({"type": "button", "class_name": "btn", "id": "mandate-sign", "on_click": sign},
                                                            t("mandate.submit"))))
    elif error:
        body = form_alert(error, session.lang)
    return html.div(
        {"class_name": "screen"},
        html.h1(t("mandate.title")),
        html.div({"class_name": "field", "style": {"max_width": "420px"}},
                 html.label({"html_for": "m-structure"}, t("manual.structure")),
                 html.select({"id": "m-structure", "default_value": str(structure_id or ""),
                              "on_change": lambda e: set_structure_id(int(e["target"]["value"]))},
                             *[html.option({"value": str(r.id), "key": str(r.id)}, f"{r.raison_sociale} ({r.identifier})") for r in structures])),
        body,
    )
