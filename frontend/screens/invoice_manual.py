"""Saisir une facture: header, lines with the VAT recap recomputed as they change, draft, send; and the
billing mandate screen that typing an invoice in requires."""

from __future__ import annotations

import uuid
from decimal import Decimal

from reactpy import component, html, use_effect, use_state

import shared.i18n_manual  # noqa: F401
from backend.domain.invoices import manual, rules
from backend.domain.invoices.lookups import recipient_by_siret
from backend.domain.directory.services import get_establishment
from backend.domain.structures import services as mandate
from backend.domain.structures.permissions import Action, allowed_structures
from backend.infra.errors import DomainError
from frontend.components.send_confirmation import SendConfirmation
from frontend.components.form import TextField, checkbox_setter, error_for, field_setter, form_alert
from frontend.components.shell import Link
from frontend.components.icons import icon
from frontend.components.issued_tabs import issued_tabs
from frontend.components.siret_autocomplete import SiretAutocomplete
from backend.domain.invoices.rules import VALIDATORS
from frontend.screens.invoice_common import not_editable_notice
from frontend.screens.invoice_form_blocks import DEPOSIT_CADRES, AttachmentsBlock, validator_blocks
from frontend.context import use_session
from frontend.hooks.state import use_latest_state
from frontend.hooks.policy import use_allowed
from shared import formatting
from shared.cadres import VAT_RATES
from shared.invoice_status import InvoiceStatus


def euros(value: Decimal | None, lang: str = "fr") -> str:
    return formatting.EMPTY if value is None else f"{formatting.amount(value, lang)} €"


def new_line() -> dict:
    return {"key": uuid.uuid4().hex[:8], "description": "", "quantity": "1", "unit": "C62", "unit_price": "", "discount": "0",
            "vat_rate": "20", "exemption_reason": ""}


MONEY_FIELDS = ("unit_price", "discount")  # typed as amounts; the quantity as a number; the VAT rate is chosen from a list


def typed_line(line: dict, lang: str = "fr") -> dict:
    """A stored line (plain decimals: « 1234.5 ») as the form shows it to be typed over, in the session's
    habits: « 1 234,50 » in French, « 1,234.50 » in English — a duplicated or reopened invoice keeps the
    decimal comma its author typed (the form parses both, shared.formatting.parse_amount)."""
    shown = {name: formatting.amount(line[name], lang) for name in MONEY_FIELDS if line.get(name) not in (None, "")}
    if line.get("quantity") not in (None, ""):
        quantity = formatting.number_input(line["quantity"])
        shown["quantity"] = quantity if lang == "fr" else quantity.replace(",", ".")
    return {**line, **shown}


def filled(lines: list[dict]) -> list[dict]:
    """The lines the user started (a blank row is not a line)."""
    return [l for l in lines if l["description"] or l["unit_price"]]


def lines_problem(lines: list[dict]) -> DomainError | None:
    """Why the lines cannot be sent as they stand (none at all: « au moins une ligne »), or None."""
    try:
        rules.validate_lines(manual.parse_lines(filled(lines)))
    except DomainError as e:
        return e
    except rules.InvoiceRuleError as e:
        return e.with_status(422)
    return None


def live_totals(lines: list[dict]):
    """The recap as the lines stand; None while a line is incomplete or wrong (the form says why on send)."""
    if lines_problem(lines) is not None:
        return None, []
    parsed = manual.parse_lines(filled(lines))
    return rules.compute_totals(parsed), parsed


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

    def cell(name: str, input_type: str = "text"):
        # widths come from the column headers (#lines is table-layout: fixed), so the row fits its card
        return html.td(html.input({"id": f"line-{index}-{name}", "type": input_type, "default_value": line[name], "on_change": update(name),
                                   "aria-label": f"{t('manual.col.' + name if name != 'exemption_reason' else 'manual.col.exemption')} {index + 1}",
                                   "inputmode": "decimal" if name in ("quantity", "unit_price", "discount") else "text"}))

    try:
        net = manual.parse_lines([line])[0].net_amount if line["unit_price"] else None
    except DomainError:
        net = None
    return html.tr(
        {"key": line["key"]},
        cell("description"), cell("quantity"), cell("unit"), cell("unit_price"), cell("discount"),
        html.td(html.select({"id": f"line-{index}-vat_rate", "default_value": line["vat_rate"], "on_change": update("vat_rate"),
                             "aria-label": f"{t('manual.col.vat_rate')} {index + 1}"},
                            *[html.option({"value": f"{r.normalize():f}", "key": str(r)}, formatting.percent(r, session.lang))
                              for r in VAT_RATES])),
        cell("exemption_reason"),
        html.td({"class_name": "num", "data-col": "net"}, euros(net, session.lang)),
        html.td(html.button({"type": "button", "class_name": "btn-link", "on_click": remove, "aria-label": t("manual.remove_line")}, icon("close"))
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
                                        html.td(formatting.percent(b.rate, session.lang)),
                                        html.td({"class_name": "num"}, euros(b.base, session.lang)), html.td({"class_name": "num"}, euros(b.amount, session.lang)))
                                for b in totals.vat_breakdown])),
        html.dl({"class_name": "totals"},
                html.dt(t("manual.total_ht")), html.dd({"id": "total-ht"}, euros(totals.total_ht, session.lang)),
                html.dt(t("manual.total_tva")), html.dd({"id": "total-tva"}, euros(totals.total_tva, session.lang)),
                html.dt(t("manual.total_ttc")), html.dd({"id": "total-ttc"}, euros(totals.total_ttc, session.lang))),
    )


@component
def ManualInvoiceScreen(invoice_id: str | None = None, duplicate_of: str | None = None, credit_note: bool = False):
    """`invoice_id`: a draft reopened. `duplicate_of`: « Dupliquer » (or, with `credit_note`, « Créer un
    avoir ») of that invoice — the form is prefilled from it and nothing exists until the first save."""
    session = use_session()
    t = session.t
    lang = session.lang
    structures, set_structures = use_state(None)
    structure_id, set_structure_id = use_state(None)
    mandate_state, set_mandate_state = use_state(None)  # {"active": bool, "manager": str, "principal": bool}
    header, set_header, latest_header = use_latest_state({"cadre": "A1", "currency": "EUR"})
    recipient, set_recipient = use_state(None)
    recipient_party, set_recipient_party = use_state(None)  # the registered structure: what it requires
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
    loaded, set_loaded = use_state(invoice_id is None and duplicate_of is None)
    locked, set_locked = use_state(False)
    unreadable, set_unreadable = use_state(None)  # the draft or the invoice to duplicate could not be read

    @use_effect(dependencies=[])
    async def load_structures():
        refs = await allowed_structures(session.principal, Action.DEPOSIT)
        set_structures(refs)
        if not (invoice_id or duplicate_of):
            if len(refs) == 1:
                set_structure_id(refs[0].id)
            return
        try:
            form = (await manual.manual_form(session.principal, int(invoice_id)) if invoice_id
                    else await manual.duplicate_form(session.principal, int(duplicate_of), credit_note=credit_note))
        except DomainError as e:
            set_unreadable(e)
            set_loaded(True)
            return
        if invoice_id and not InvoiceStatus(form["status"]).editable_by_supplier:
            set_locked(True)  # sent: the form would only answer « plus modifiable » on save
            set_loaded(True)
            return
        set_structure_id(form["structure_id"])
        set_header(form["header"])
        set_validators(form["validators"])
        if form["recipient_siret"]:
            found = await get_establishment(form["recipient_siret"])
            set_recipient(found.to_dict() if found else {"siret": form["recipient_siret"], "label": form["recipient_siret"],
                                                         "denomination": form["recipient_siret"]})
        set_attachments(form["attachments"])
        set_offered(form["offered"])
        if form["lines"]:
            set_lines([{"key": uuid.uuid4().hex[:8], **typed_line(line, lang)} for line in form["lines"]])
        set_loaded(True)

    @use_effect(dependencies=[structure_id])
    async def load_mandate():
        if structure_id is None:
            return
        set_mandate_state(await manual.mandate_status(session.principal, structure_id))

    @use_effect(dependencies=[recipient["siret"] if recipient else None])
    async def load_services():
        set_services(await manual.recipient_services(recipient["siret"]) if recipient else [])
        set_recipient_party(await recipient_by_siret(recipient["siret"]) if recipient else None)

    if structures is None or not loaded:
        return html.p({"aria-busy": "true"}, t("common.loading"))
    if unreadable is not None:  # not found, not the user's: nothing to show or prefill
        return html.div({"class_name": "screen"}, html.h1(t("manual.title")), issued_tabs(t, "manual"), form_alert(unreadable, lang))
    if not structures:
        return html.div({"class_name": "screen"}, html.h1(t("manual.title")), issued_tabs(t, "manual"),
                        html.p({"class_name": "empty"}, t("manual.no_structure")))
    if locked:
        return html.div({"class_name": "screen narrow"}, html.h1(t("manual.title")), issued_tabs(t, "manual"),
                        not_editable_notice(int(invoice_id), t))

    def payload():
        typed = latest_header.current  # not `header`: a click right after typing may come before the re-render
        return {"header": {**{k: v for k, v in typed.items() if v not in (None, "")},
                           "comment": typed.get("comment") or "",  # even emptied: a comment can be taken back
                           "recipient_siret": recipient["siret"] if recipient else "",
                           **{f"{v.key}_siret": (validators.get(v.key) or {}).get("siret", "") if v.needed(typed.get("cadre")) else ""
                              for v in VALIDATORS},
                           "attachments": [{"file_id": a["file_id"], "designation": a["designation"]} for a in attachments]},
                "lines": [{k: l[k] for k in manual.LINE_FIELDS} for l in latest_lines.current if l["description"] or l["unit_price"]]}

    async def save() -> int | None:
        set_error(None)
        set_message(None)
        body = payload()
        try:
            saved = await manual.save_manual(session.principal, structure_id=structure_id, header=body["header"], lines=body["lines"],
                                             invoice_id=current_id)
        except DomainError as e:
            set_error(e)
            return None
        set_current_id(saved)
        return saved

    def reuse(file: dict):
        async def handle(_):
            if current_id is None:  # a copy not saved yet: the file becomes the user's upload, tied on the first save
                new_id = await manual.reuse_for_copy(session.principal, int(duplicate_of), file["id"])
            else:
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
        except DomainError as e:
            set_error(e)
            return
        set_sent(invoice)

    def check_then_confirm(_):
        """The lines are checked before the dialog opens: « au moins une ligne » shows on the lines at once."""
        problem = lines_problem(latest_lines.current)
        set_error(problem)
        set_confirming(problem is None)

    if sent:
        return html.div(
            {"class_name": "screen narrow"},
            html.h1(t("manual.title")),
            issued_tabs(t, "manual"),
            html.div({"class_name": "alert alert-success", "role": "status", "id": "manual-sent"},
                     t("manual.sent"), " ", sent.get("deposit_number") or ""),
            html.div({"class_name": "actions"},
                     html.a({"href": f"/api/invoices/{sent['id']}/facturx.pdf", "class_name": "btn btn-secondary", "id": "download-facturx",
                             "download": True}, t("manual.facturx")),
                     Link(f"/factures-emises/{sent['id']}/attestation", "Attestation de dépôt", class_name="btn btn-secondary"),
                     html.button({"type": "button", "class_name": "btn", "id": "duplicate",
                                  "on_click": lambda _: session.navigate(f"/factures-emises/{sent['id']}/dupliquer")}, t("manual.duplicate")),
                     html.button({"type": "button", "class_name": "btn btn-secondary", "id": "credit-note",
                                  "on_click": lambda _: session.navigate(f"/factures-emises/{sent['id']}/avoir")}, t("manual.credit_note"))),
        )

    mandate_block = ""
    if mandate_state is not None and not mandate_state["active"]:
        mandate_block = html.div(
            {"class_name": "alert alert-warning", "role": "alert", "id": "mandate-missing"}, t("manual.mandate_missing"), " ",
            Link(f"/mandat?structure={structure_id}", t("manual.mandate_link")) if mandate_state["principal"]
            else t("manual.mandate_ask", manager=mandate_state["manager"]))

    totals, _ = live_totals(lines)

    party = recipient_party or {}

    def head(name: str, key: str, input_type: str = "text", required: bool = False):
        return TextField(name, t(key), field_setter(set_header, name), input_type=input_type, default=header.get(name, ""),
                         error=error_for(error, name, lang), id_prefix="h", required=required)

    lines_error = error_for(error, "lines", lang)

    return html.div(
        {"class_name": "screen wide"},
        html.h1(t("manual.title")),
        issued_tabs(t, "manual"),
        html.div({"class_name": "field", "style": {"max_width": "420px"}},
                 html.label({"html_for": "h-structure", "class_name": "required"}, t("manual.structure")),
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
                         html.div({"class_name": "field"}, html.label({"html_for": "h-cadre", "class_name": "required"}, t("manual.cadre")),
                                  html.select({"id": "h-cadre", "default_value": header.get("cadre", "A1"), "on_change": field_setter(set_header, "cadre")},
                                              *[html.option({"value": c.value, "key": c.value}, c.label(lang)) for c in DEPOSIT_CADRES])),
                         head("number", "manual.number", required=True), head("invoice_date", "manual.date", "date", required=True),
                         head("currency", "manual.currency", required=True)),
                SiretAutocomplete(lambda item: set_recipient(item), input_id="manual-recipient", label=t("manual.recipient"),
                                  public_only=True, include_closed=False, selected=recipient, error=error_for(error, "recipient", lang),
                                  required=True),
                *validator_blocks(header.get("cadre"), validators, lambda key, item: set_validators(lambda old: {**old, key: item}),
                                  {v.key: error_for(error, v.key, lang) or error_for(error, f"{v.key}_siret", lang) for v in VALIDATORS},
                                  id_prefix="manual"),
                html.div({"class_name": "form-row"},
                         html.div({"class_name": "field"}, html.label({"html_for": "h-service",
                                                                       "class_name": "required" if party.get("requires_service_code") else ""},
                                                                      t("manual.service")),
                                  html.select({"id": "h-service", "default_value": header.get("recipient_service_code", ""),
                                               "on_change": field_setter(set_header, "recipient_service_code"), "key": str(len(services))},
                                              html.option({"value": ""}, t("manual.no_service")),
                                              *[html.option({"value": s["code"], "key": s["code"]}, f"{s['code']} — {s['libelle']}") for s in services]),
                                  html.span({"class_name": "error"}, error_for(error, "recipient_service", lang) or "")),
                         head("engagement_number", "manual.engagement", required=bool(party.get("requires_engagement"))),
                         head("payment_terms", "manual.terms")),
            ),
            html.section(
                {"class_name": "card"},
                html.h2({"class_name": "required", "id": "lines-title"}, t("manual.lines")),
                html.p({"class_name": "hint", "id": "lines-hint"}, t("manual.lines_required")),
                html.div({"class_name": "table-scroll"}, html.table(
                    {"class_name": "data", "id": "lines", "aria-labelledby": "lines-title",
                     "aria-describedby": "lines-hint lines-error" if lines_error else "lines-hint"},
                    html.thead(html.tr(*[html.th({"class_name": f"col-{c}", "scope": "col"}, t(f"manual.col.{c if c != 'exemption_reason' else 'exemption'}"))
                                         for c in ("description", "quantity", "unit", "unit_price", "discount", "vat_rate", "exemption_reason", "net")],
                                       html.th({"class_name": "col-remove"}, html.span({"class_name": "visually-hidden"}, t("manual.remove_line"))))),
                    html.tbody(*[LineRow(i, line, set_lines, len(lines) > 1) for i, line in enumerate(lines)]))),
                html.p({"class_name": "error", "id": "lines-error", "role": "alert"}, lines_error) if lines_error else "",
                html.button({"type": "button", "class_name": "btn btn-secondary", "id": "add-line",
                             "on_click": lambda _: set_lines(lambda old: [*old, new_line()])}, t("manual.add_line")),
            ),
            Recap(lines),
            html.section(
                {"class_name": "card form", "id": "block-comment", "style": {"max_width": "none"}},
                html.h2(t("manual.comment")),
                html.div({"class_name": "field"},
                         html.label({"html_for": "h-comment"}, t("manual.comment")),
                         html.span({"class_name": "hint", "id": "h-comment-hint"}, t("manual.comment_hint")),
                         html.textarea({"id": "h-comment", "rows": 3, "maxlength": 2000, "default_value": header.get("comment", ""),
                                        "aria-describedby": "h-comment-hint", "on_change": field_setter(set_header, "comment")}),
                         html.span({"class_name": "error", "role": "alert"}, error_for(error, "comment", lang) or ""))),
            html.section({"class_name": "card"}, AttachmentsBlock(structure_id, attachments, set_attachments,
                                                                  error_for(error, "attachments", lang)),
                         html.div({"id": "offered-attachments"},
                                  html.h3(t("manual.offered")),
                                  html.ul(*[html.li({"key": str(f["id"])}, f"{f['designation'] or f['original_name']} ",
                                                    html.button({"type": "button", "class_name": "btn-link", "on_click": reuse(f),
                                                                 "data-file": str(f["id"])}, t("manual.reuse")))
                                            for f in offered])) if offered else ""),
            form_alert(error, lang, fields=("number", "invoice_date", "recipient", "recipient_service", "lines", "comment", *(v.key for v in VALIDATORS),
                                                  *(f"{v.key}_siret" for v in VALIDATORS))),
            html.div({"class_name": "alert alert-success", "role": "status"}, message) if message else "",
            html.div({"class_name": "actions"},
                     html.button({"type": "button", "class_name": "btn btn-secondary", "id": "manual-save", "on_click": handle_save}, t("manual.save")),
                     html.button({"type": "button", "class_name": "btn", "id": "manual-send", "on_click": check_then_confirm}, t("manual.send"))),
            # the deposit's own dialog: number, recipient as « SIRET name », HT, TVA, TTC and Net à payer
            SendConfirmation(latest_header.current.get("number") or "",
                             f"{recipient['siret']} {recipient.get('label') or ''}" if recipient else "",
                             {name: euros(getattr(totals, name), lang) for name in ("total_ht", "total_tva", "total_ttc", "net_a_payer")},
                             handle_send, lambda: set_confirming(False)) if confirming and totals else "",
        ),
    )


@component
def DuplicateInvoiceScreen(invoice_id: str):
    """« Dupliquer » (from any list, the detail, the sent message): the form prefilled from the invoice;
    the copy exists once the user saves or sends it, and leaving the form leaves nothing behind."""
    return ManualInvoiceScreen(duplicate_of=invoice_id)


@component
def CreditNoteScreen(invoice_id: str):
    """« Créer un avoir »: the credit note's form prefilled from the invoice it credits; nothing until saved."""
    return ManualInvoiceScreen(duplicate_of=invoice_id, credit_note=True)


@component
def MandateScreen():
    session = use_session()
    t = session.t
    structures, set_structures = use_state(None)
    structure_id, set_structure_id = use_state(int(session.route.param("structure")) if session.route.param("structure").isdigit() else None)
    allowed = use_allowed(Action.DEPOSIT)
    state, set_state = use_state(None)
    values, set_values = use_state({})
    error, set_error = use_state(None)
    version, set_version = use_state(0)

    @use_effect(dependencies=[])
    async def load():
        refs = await allowed_structures(session.principal, Action.BILLING_MANDATE)
        set_structures(refs)
        if structure_id is None and refs:
            set_structure_id(refs[0].id)

    @use_effect(dependencies=[structure_id, version])
    async def load_state():
        if structure_id is None:
            return
        try:
            prefill = await mandate.mandate_form(session.principal, structure_id)
        except DomainError as e:
            set_error(e)
            return
        set_values(prefill)
        set_state({"active": await mandate.active_mandate(structure_id), "prefill": prefill})

    async def sign(_):
        set_error(None)
        try:
            await mandate.subscribe(session.principal, structure_id, name=values.get("name", ""), signed_name=values.get("signed_name", ""),
                                    accept_terms=bool(values.get("accept_terms")))
        except DomainError as e:
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
                                     Link("/factures-emises/saisir", t("mandate.to_entry"), class_name="btn")
                                     if structure_id in allowed[Action.DEPOSIT] else "",
                                     html.button({"type": "button", "class_name": "btn btn-secondary", "on_click": revoke}, t("mandate.revoke"))))
    elif state:
        prefill = state["prefill"]
        body = html.section(
            {"class_name": "card form", "id": "mandate-form"},
            html.p(t("mandate.intro")),
            TextField("name", t("mandate.name"), field_setter(set_values, "name"), default=prefill["name"], required=True, id_prefix="m"),
            # the structure's address and the user's name: prefilled and not modifiable (the guide)
            *[TextField(name, t(label), lambda _: None, default=prefill[name], id_prefix="m", hint=t("mandate.prefilled"),
                        extra={"read_only": True}) for name, label in (("postal_address", "mandate.address"), ("signatory", "mandate.signatory"))],
            html.div({"class_name": "check"},
                     html.input({"type": "checkbox", "id": "m-accept", "on_change": checkbox_setter(set_values, "accept_terms")}),
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
