"""Attestation de dépôt (`/factures-emises/<id>/attestation`): the récapitulatif after « Confirmer et
envoyer », its PDF export, and links to view and follow the invoice (whose status updates live)."""

from __future__ import annotations

from reactpy import component, html

import shared.i18n_invoices  # noqa: F401
from frontend.components.issued_tabs import issued_tabs
from frontend.components.shell import Link
from frontend.components.status_badge import StatusBadge
from frontend.context import use_session
from frontend.screens.invoice_common import fmt_date, fmt_moment, fmt_money, load_state, use_invoice


@component
def InvoiceCertificateScreen(invoice_id: str):
    session = use_session()
    t, lang = session.t, session.lang
    invoice, error, _ = use_invoice(int(invoice_id))
    waiting = load_state(invoice, error, lang)
    if waiting is not None:
        return html.div({"class_name": "screen"}, waiting)
    if not invoice["deposit_number"]:
        return html.div({"class_name": "screen"}, html.h1(t("invoices.certificate.title")),
                        html.div({"class_name": "alert", "role": "status"}, t("invcert.not_deposited")))
    money = lambda name: fmt_money(invoice[name], invoice["currency"], lang)  # noqa: E731
    supplier, recipient = invoice["supplier"], invoice["recipient"] or {}

    def line(label: str, value, line_id: str | None = None):
        return html._(html.dt(label), html.dd({"id": line_id} if line_id else {}, value))

    return html.div(
        {"class_name": "screen"},
        html.h1(t("invoices.certificate.title")),
        issued_tabs(t, "deposit"),
        html.section(
            {"class_name": "card certificate", "id": "certificate"},
            html.p({"class_name": "lead"}, t("invcert.sent", number=invoice["number"])),
            html.p(StatusBadge(invoice["status"], lang, badge_id="invoice-status")),
            html.dl({"class_name": "facts"},
                    line(t("invcert.number"), html.strong(invoice["deposit_number"]), "certificate-number"),
                    line(t("invcert.date"), fmt_moment(invoice["deposited_at"], lang), "certificate-date"),
                    line(t("invcert.supplier"), f"{supplier['identifier']} - {supplier['name']}"),
                    line(t("invcert.recipient"), f"{recipient.get('identifier', '')} - {recipient.get('name', '')}"),
                    line(t("invform.date"), fmt_date(invoice["invoice_date"], lang)),
                    line(t("invform.total_ht"), money("total_ht")), line(t("invform.total_tva"), money("total_tva")),
                    line(t("invform.total_ttc"), money("total_ttc"), "certificate-ttc"),
                    line(t("invform.net_a_payer"), money("net_a_payer"))),
            html.div({"class_name": "actions"},
                     html.a({"href": f"/api/invoices/{invoice['id']}/certificate.pdf", "class_name": "btn", "download": True,
                             "id": "certificate-export"}, t("invcert.export")),
                     Link(f"/factures-emises/{invoice['id']}", t("invcert.view"), class_name="btn btn-secondary"),
                     Link(f"/factures-emises/{invoice['id']}#historique", t("invcert.follow"), class_name="btn btn-secondary")),
        ),
    )
