"""Consulter une facture (`/factures-emises/<id>`): fields, live status, history (who, when, why), files."""

from __future__ import annotations

from reactpy import component, html

import shared.i18n_invoices  # noqa: F401
import shared.i18n_manual  # noqa: F401
import shared.i18n_supplier  # noqa: F401
from backend.domain.invoices.rules import VALIDATORS
from frontend.components.data_table import Column, DataTable
from frontend.components.issued_tabs import issued_tabs
from frontend.components.shell import Link
from frontend.components.status_badge import StatusBadge
from backend.domain.structures.permissions import Action
from frontend.context import use_session
from frontend.hooks.policy import use_allowed
from frontend.screens.invoice_common import fmt_date, fmt_moment, fmt_money, load_state, use_invoice
from shared import formatting
from shared.cadres import InvoiceSource
from shared.invoice_status import InvoiceStatus
from shared.formatting import file_size


def _row(label: str, value, row_id: str | None = None):
    return html._(html.dt(label), html.dd({"id": row_id} if row_id else {}, value))


@component
def InvoiceDetailScreen(invoice_id: str):
    session = use_session()
    t, lang = session.t, session.lang
    invoice, error, _ = use_invoice(int(invoice_id))
    allowed = use_allowed(Action.EDIT_DRAFT, Action.COMPLETE, Action.DUPLICATE)
    waiting = load_state(invoice, error, lang)
    if waiting is not None:
        return html.div({"class_name": "screen"}, waiting)
    supplier = invoice["supplier"]["id"]
    sent = not InvoiceStatus(invoice["status"]).editable_by_supplier
    editable = not sent and supplier in allowed[Action.EDIT_DRAFT]
    from frontend.components.complete_invoice import CompleteInvoice

    return html.div(
        {"class_name": "screen", "data-policy": allowed.marker()},
        html.h1(t("invoices.detail.title"), " ", invoice["number"] or t("issued.provisional_number"), " ",
                StatusBadge(invoice["status"], lang, badge_id="invoice-status")),
        issued_tabs(t, ""),
        html.div({"class_name": "alert alert-error", "role": "alert", "id": "routing-error"},
                 html.strong(t("common.label", label=t("invdetail.routing_error"))), invoice["routing_error"])
        if invoice["routing_error"] else "",
        html.div({"class_name": "actions"},
                 Link(f"/factures-emises/{invoice['id']}/modifier", t("invdetail.resume"), class_name="btn") if editable else "",
                 Link(f"/factures-emises/{invoice['id']}/attestation", t("invdetail.certificate"), class_name="btn btn-secondary")
                 if invoice["deposit_number"] else "",
                 # the guide's entry points on a sent invoice: its Factur-X (typed-in ones), « Dupliquer »
                 html.a({"href": f"/api/invoices/{invoice['id']}/facturx.pdf", "class_name": "btn btn-secondary", "id": "detail-facturx",
                         "download": True}, t("issued.download_facturx"))
                 if sent and invoice["source"] in (InvoiceSource.SAISIE, InvoiceSource.DUPLICATION) else "",
                 Link(f"/factures-emises/{invoice['id']}/dupliquer", t("issued.duplicate"), class_name="btn btn-secondary")
                 if sent and supplier in allowed[Action.DUPLICATE] else ""),
        CompleteInvoice(invoice) if invoice["status"] == InvoiceStatus.SUSPENDUE and supplier in allowed[Action.COMPLETE] else "",
        InvoiceBody(invoice),
    )


@component
def InvoiceBody(invoice: dict):
    """Fields, history and files of an invoice: the same on the supplier's and the recipient's side."""
    session = use_session()
    t, lang = session.t, session.lang
    money = lambda name: fmt_money(invoice[name], invoice["currency"], lang)  # noqa: E731
    recipient = invoice["recipient"] or {}
    service = invoice["recipient_service"] or {}
    history_columns = [
        Column("at", t("invdetail.col.at"), render=lambda h: fmt_moment(h["at"], lang)),
        Column("status", t("invdetail.col.status"), render=lambda h: StatusBadge(h["status_to"], lang)),
        Column("who", t("invdetail.col.who"), render=lambda h: (
            f"{h['actor']} ({h['acting_as']})" if h["acting_as"] else (h["actor"] or t("invdetail.system")))),
        Column("reason", t("invdetail.col.reason"), render=lambda h: h["reason"] or ""),
    ]
    file_columns = [
        Column("name", t("invform.attachment.name"), render=lambda f: html.a(
            {"href": f"/api/invoices/{invoice['id']}/files/{f['id']}", "download": True}, f["original_name"])),
        Column("designation", t("invform.attachment.designation"), render=lambda f: f["designation"] or t("invform.main_file")),
        Column("type", t("invform.attachment.type"), render=lambda f: f["content_type"].split("/")[-1].upper()),
        Column("size", t("invform.attachment.size"), numeric=True, render=lambda f: file_size(f["size"], lang)),
    ]
    return html._(
        html.section(
            {"class_name": "card", "aria-labelledby": "detail-fields"},
            html.h2({"id": "detail-fields"}, t("invdetail.fields")),
            html.dl({"class_name": "facts"},
                    _row(t("deposit.cadre"), invoice["cadre"]),
                    _row(t("invform.block.supplier"), f"{invoice['supplier']['identifier']} - {invoice['supplier']['name']}"),
                    _row(t("invform.block.recipient"), f"{recipient.get('identifier', '—')} - {recipient.get('name', '')}", "detail-recipient"),
                    _row(t("invform.recipient_service"), f"{service['code']} - {service['libelle']}" if service else "—"),
                    *[_row(t(f"invform.block.{v.key}"), f"{invoice[v.key]['identifier']} - {invoice[v.key]['name']}",
                           f"detail-{v.key.replace('_', '-')}") for v in VALIDATORS if invoice[v.key]],
                    _row(t("invform.number"), invoice["number"] or "—", "detail-number"),
                    _row(t("invform.date"), fmt_date(invoice["invoice_date"], lang)),
                    _row(t("invform.engagement"), invoice["engagement_number"] or "—"),
                    _row(t("invform.purchase_order"), invoice["purchase_order"] or "—"),
                    _row(t("invform.total_ht"), money("total_ht")), _row(t("invform.total_tva"), money("total_tva")),
                    _row(t("invform.total_ttc"), money("total_ttc"), "detail-ttc"), _row(t("invform.net_a_payer"), money("net_a_payer")),
                    _row(t("invdetail.deposited_at"), fmt_moment(invoice["deposited_at"], lang)),
                    _row(t("invdetail.deposit_number"), invoice["deposit_number"] or "—")),
        ),
        InvoiceLines(invoice) if invoice.get("lines") else "",
        html.section(
            {"class_name": "card", "aria-labelledby": "historique", "id": "history"},
            html.h2({"id": "historique"}, t("invdetail.history")),
            DataTable(history_columns, [{**h, "key": i} for i, h in enumerate(invoice["history"])], row_key="key",
                      table_id="history-table", caption=t("invdetail.history")),
        ),
        html.section(
            {"class_name": "card", "aria-labelledby": "detail-files"},
            html.h2({"id": "detail-files"}, t("invdetail.files")),
            DataTable(file_columns, invoice["files"], table_id="files-table", caption=t("invdetail.files"),
                      empty_text=t("invdetail.no_files")),
        ),
    )


@component
def InvoiceLines(invoice: dict):
    """The invoice's lines, read-only (a typed-in invoice, or one submitted through the API in SAISIE_API)."""
    session = use_session()
    t, lang = session.t, session.lang
    money = lambda value: fmt_money(value, invoice["currency"], lang)  # noqa: E731
    columns = [
        Column("description", t("manual.col.description")),
        Column("quantity", t("manual.col.quantity"), numeric=True, render=lambda l: formatting.number(l["quantity"], lang)),
        Column("unit", t("manual.col.unit")),
        Column("unit_price", t("manual.col.unit_price"), numeric=True, render=lambda l: money(l["unit_price"])),
        Column("discount", t("manual.col.discount"), numeric=True, render=lambda l: money(l["discount"])),
        Column("vat_rate", t("manual.col.vat_rate"), numeric=True, render=lambda l: formatting.percent(l["vat_rate"], lang)),
        Column("net_amount", t("manual.col.net"), numeric=True, render=lambda l: money(l["net_amount"])),
    ]
    return html.section(
        {"class_name": "card", "aria-labelledby": "detail-lines"},
        html.h2({"id": "detail-lines"}, t("manual.lines")),
        DataTable(columns, invoice["lines"], row_key="position", table_id="lines-table", caption=t("manual.lines")),
    )
