"""Factures reçues: the recipient's list (live: new invoices appear) and the detail where it acts."""

from __future__ import annotations

from reactpy import component, html, use_effect, use_state

import shared.i18n_dashboard  # noqa: F401
import shared.i18n_processing  # noqa: F401
from backend.domain.dashboard import services as lists
from backend.domain.dashboard.rules import ListFilter
from backend.domain.invoices import rules
from backend.domain.processing import services
from backend.infra.errors import DomainError
from backend.infra.events import Event
from frontend.components.data_table import Column, DataTable
from frontend.components.dialog import Dialog
from frontend.components.shell import Link
from frontend.components.status_badge import StatusBadge
from frontend.context import use_session
from frontend.hooks.live import use_live_events
from frontend.screens.invoice_common import load_state, use_invoice
from frontend.screens.invoice_detail import InvoiceBody
from shared.invoice_status import InvoiceStatus


@component
def ReceivedInvoicesScreen():
    session = use_session()
    t, lang = session.t, session.lang
    structures, set_structures = use_state(None)
    structure_id, set_structure_id = use_state(None)
    service_code, set_service_code = use_state("")
    state, set_state = use_state("")
    services_list, set_services_list = use_state([])
    page, set_page = use_state(None)
    tick, set_tick = use_state(0)

    @use_effect(dependencies=[])
    async def load_structures():
        refs = await services.received_structures(session.principal)
        set_structures(refs)
        if refs:
            set_structure_id(refs[0].id)

    @use_effect(dependencies=[structure_id])
    async def load_services():
        if structure_id is None:
            return
        set_services_list(await services.received_services(session.principal, structure_id))

    @use_effect(dependencies=[structure_id, service_code, state, tick])
    async def load_page():
        if structure_id is None:
            return
        f = ListFilter(side="R", structure_id=structure_id, service_code=service_code,
                       statuses=(InvoiceStatus(state),) if state else ())
        set_page(await lists.list_invoices(session.principal, f))

    def on_event(event: Event) -> None:
        if event.type == "invoice.status":
            set_tick(lambda n: n + 1)

    use_live_events([f"structure:{structure_id}"] if structure_id else [], on_event)

    if structures is None:
        return html.p({"aria-busy": "true"}, t("common.loading"))
    if not structures:
        return html.div({"class_name": "screen"}, html.h1(t("received.title")), html.p({"class_name": "empty"}, t("received.none")))
    columns = [
        Column("number", t("list.col.number"), render=lambda r: Link(f"/factures-recues/{r['id']}", r["number"] or "—")),
        Column("supplier", "Fournisseur" if lang == "fr" else "Supplier"),
        Column("recipient_service", t("list.col.recipient_service")),
        Column("engagement", t("list.col.engagement")),
        Column("invoice_date", t("list.col.invoice_date")), Column("deposit_date", t("list.col.deposit_date")),
        Column("total_ttc", t("list.col.total_ttc"), numeric=True),
        Column("status", t("list.col.status"), render=lambda r: StatusBadge(r["status"], lang)),
    ]
    rows = [{**lists.row_view(r, lang), "supplier": r["supplier_name"]} for r in page.rows] if page else []
    visible_states = [s for s in InvoiceStatus if s.visible_to_recipient]
    return html.div(
        {"class_name": "screen wide"},
        html.h1(t("received.title")),
        html.div({"class_name": "card filters", "role": "search"},
                 html.div({"class_name": "field"}, html.label({"html_for": "received-structure"}, t("received.structure")),
                          html.select({"id": "received-structure", "on_change": lambda e: set_structure_id(int(e["target"]["value"]))},
                                      *[html.option({"value": str(r.id), "key": str(r.id)}, r.raison_sociale) for r in structures])),
                 html.div({"class_name": "field"}, html.label({"html_for": "received-service"}, t("received.service")),
                          html.select({"id": "received-service", "on_change": lambda e: set_service_code(e["target"]["value"])},
                                      html.option({"value": ""}, t("received.all_services")),
                                      *[html.option({"value": s["code"], "key": s["code"]}, f"{s['code']} — {s['libelle']}") for s in services_list])),
                 html.div({"class_name": "field"}, html.label({"html_for": "received-state"}, t("received.state")),
                          html.select({"id": "received-state", "on_change": lambda e: set_state(e["target"]["value"])},
                                      html.option({"value": ""}, t("received.all_states")),
                                      *[html.option({"value": s.value, "key": s.value}, s.label(lang)) for s in visible_states])),
                 Link(f"/factures/liste?cote=R&structure={structure_id}", t("dashboard.search"))),
        html.p({"aria-busy": "true"}, t("common.loading")) if page is None else
        DataTable(columns, rows, table_id="received-list", empty_text=t("list.empty"), caption=t("received.title")),
    )


@component
def ProcessingPanel(invoice: dict, actions: list[dict], role: rules.Role = rules.Role.RECIPIENT):
    """The actions `role` may take on the invoice now, each confirmed in a dialog (with its reason)."""
    session = use_session()
    t = session.t
    chosen, set_chosen = use_state(None)
    values, set_values = use_state({})
    error, set_error = use_state(None)

    if not actions:
        return html.section({"class_name": "card", "id": "processing"}, html.h2(t("received.actions")),
                            html.p({"class_name": "empty"}, t("received.no_action")))

    async def confirm(_):
        set_error(None)
        try:
            await services.act(session.principal, invoice["id"], chosen["action"], reason=values.get("reason"),
                               expected_version=invoice["version"], role=role,
                               extra={"payment_date": values.get("payment_date"), "paid_amount": values.get("paid_amount")})
        except DomainError as e:
            set_error(e.message(session.lang))
            return
        set_chosen(None)

    def choose(action: dict):
        def handle(_):
            set_error(None)
            set_values({"paid_amount": (invoice.get("net_a_payer") or "").replace(".", ",")} if action["action"] == "PUT_IN_PAYMENT" else {})
            set_chosen(action)
        return handle

    label = lambda a: a["label"] if session.lang == "fr" else a["label_en"]  # noqa: E731
    dialog = ""
    if chosen:
        fields = []
        if chosen["needs_reason"]:
            fields.append(html.div({"class_name": "field"},
                                   html.label({"html_for": "action-reason", "class_name": "required"}, t("received.reason")),
                                   html.textarea({"id": "action-reason", "rows": 3,
                                                  "on_change": lambda e: set_values(lambda v: {**v, "reason": e["target"]["value"]})})))
        if chosen["action"] == "PUT_IN_PAYMENT":
            fields += [html.div({"class_name": "field"}, html.label({"html_for": "payment-date"}, t("received.payment_date")),
                                html.input({"type": "date", "id": "payment-date",
                                            "on_change": lambda e: set_values(lambda v: {**v, "payment_date": e["target"]["value"]})})),
                       html.div({"class_name": "field"}, html.label({"html_for": "paid-amount"}, t("received.paid_amount")),
                                html.input({"type": "text", "id": "paid-amount", "default_value": values.get("paid_amount", ""),
                                            "on_change": lambda e: set_values(lambda v: {**v, "paid_amount": e["target"]["value"]})}))]
        dialog = Dialog(label(chosen),
                        html.p(t("received.confirm_text", action=label(chosen), number=invoice["number"] or "—",
                                 amount=f"{invoice.get('total_ttc') or '—'} {invoice['currency']}")),
                        *fields,
                        html.div({"class_name": "alert alert-error", "role": "alert", "id": "action-error"}, error) if error else "",
                        actions=[html.button({"type": "button", "class_name": "btn btn-secondary", "on_click": lambda _: set_chosen(None)},
                                             t("received.cancel")),
                                 html.button({"type": "button", "class_name": "btn", "id": "action-confirm", "on_click": confirm},
                                             t("received.confirm"))],
                        on_close=lambda: set_chosen(None), dialog_id="action-dialog", role="alertdialog")
    return html.section(
        {"class_name": "card", "id": "processing"},
        html.h2(t("received.actions")),
        html.div({"class_name": "actions"},
                 *[html.button({"type": "button", "key": a["action"], "data-action": a["action"],
                                "class_name": "btn btn-danger" if a["action"] == "REFUSE" else "btn" if a["action"].startswith("VALIDATE")
                                else "btn btn-secondary",
                                "on_click": choose(a)}, label(a)) for a in actions]),
        html.div({"class_name": "alert alert-error", "role": "alert"}, error) if error and not chosen else "",
        dialog,
    )


@component
def ReceivedInvoiceScreen(invoice_id: str):
    return ActionableInvoice(invoice_id, rules.Role.RECIPIENT, "received.detail")


@component
def ActionableInvoice(invoice_id: str, role: rules.Role, title_key: str):
    """An invoice as its recipient or its contract holder sees it: the actions it may take, then the invoice."""
    session = use_session()
    t, lang = session.t, session.lang
    invoice, error, _ = use_invoice(int(invoice_id))
    detail, set_detail = use_state(None)
    failure, set_failure = use_state(None)
    version = invoice["version"] if invoice else None

    @use_effect(dependencies=[invoice_id, version])
    async def load_actions():
        try:
            set_detail(await services.received_invoice(session.principal, int(invoice_id), role))
        except DomainError as e:
            set_failure(e)

    waiting = load_state(invoice, failure or error, lang)
    if waiting is not None:
        return html.div({"class_name": "screen"}, waiting)
    return html.div(
        {"class_name": "screen"},
        html.h1(t(title_key), " ", invoice["number"] or "—", " ", StatusBadge(invoice["status"], lang, badge_id="invoice-status")),
        html.p(html.a({"href": f"/api/invoices/{invoice['id']}/facturx.pdf"}, t("received.facturx")))
        if invoice["source"] in ("SAISIE", "DUPLICATION") else "",
        ProcessingPanel(invoice, detail["actions"] if detail and detail["version"] == invoice["version"] else [], role),
        InvoiceBody(invoice),
    )
