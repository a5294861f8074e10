"""Factures émises — Synthèse (`/factures-emises`): the structure's invoices, drafts and « Provisoire »
ones included, newest first, with their live status; Consulter / Reprendre; « Déposer une facture »."""

from __future__ import annotations

from reactpy import component, html, use_state

import shared.i18n_invoices  # noqa: F401
from backend.domain.invoices.queries import list_issued
from frontend.components.data_table import Column, DataTable
from frontend.components.issued_tabs import issued_tabs
from frontend.components.shell import Link
from frontend.components.status_badge import StatusBadge
from frontend.context import use_session
from frontend.hooks.pages import use_pages
from frontend.screens.invoice_common import fmt_date, fmt_money, use_issuing_structures
from backend.domain.structures.permissions import Action
from frontend.hooks.policy import use_allowed
from shared.invoice_status import InvoiceStatus

PAGE = 20


@component
def IssuedInvoicesScreen():
    session = use_session()
    t, lang = session.t, session.lang
    structures = use_issuing_structures(Action.VIEW_ISSUED)
    allowed = use_allowed(Action.DEPOSIT, Action.UPLOAD_LOT, Action.EDIT_DRAFT, Action.DUPLICATE)
    chosen, set_chosen = use_state(None)
    structure_id = chosen or (structures[0].id if structures else None)
    pages, more, error, _ = use_pages(
        structure_id, lambda cursor: list_issued(session.principal, structure_id, limit=PAGE, after=cursor),
        [f"structure:{structure_id}"], lang)

    if structures is None:
        return html.p({"aria-busy": "true"}, t("common.loading"))

    def actions(row: dict):
        links = [Link(f"/factures-emises/{row['id']}", t("issued.view"))]
        draft = InvoiceStatus(row["status"]).editable_by_supplier
        if draft and structure_id in allowed[Action.EDIT_DRAFT]:
            links += [" · ", Link(f"/factures-emises/{row['id']}/modifier", t("issued.resume"))]
        elif not draft and structure_id in allowed[Action.DUPLICATE]:  # the guide's « Dupliquer » on each line sent
            links += [" · ", Link(f"/factures-emises/{row['id']}/dupliquer", t("issued.duplicate"),
                                  label=f"{t('issued.duplicate')} {row['number'] or ''}".strip())]
        return html.span(*links)

    columns = [
        Column("number", t("issued.col.number"), render=lambda r: r["number"] or t("issued.provisional_number")),
        Column("recipient", t("issued.col.recipient"), render=lambda r: (r["recipient"] or {}).get("name") or "—"),
        Column("date", t("issued.col.date"), render=lambda r: fmt_date(r["invoice_date"], lang)),
        Column("ttc", t("issued.col.ttc"), numeric=True, render=lambda r: fmt_money(r["total_ttc"], r["currency"], lang)),
        Column("status", t("issued.col.status"), render=lambda r: StatusBadge(r["status"], lang)),
        Column("actions", t("issued.col.actions"), render=actions),
    ]
    return html.div(
        {"class_name": "screen wide", "data-policy": allowed.marker()},
        html.h1(t("invoices.issued.title")),
        issued_tabs(t, "synthese"),
        html.div({"class_name": "actions"},
                 Link("/factures-emises/deposer", t("issued.deposit"), class_name="btn")
                 if structure_id in allowed[Action.DEPOSIT] else "",
                 Link("/factures-emises/lots", t("issued.deposit_lot"), class_name="btn btn-secondary")
                 if structure_id in allowed[Action.UPLOAD_LOT] else ""),
        html.div({"class_name": "field"},
                 html.label({"html_for": "issued-structure"}, t("deposit.structure")),
                 html.select({"id": "issued-structure", "default_value": str(structure_id or ""),
                              "on_change": lambda e: set_chosen(int(e["target"]["value"]))},
                             *[html.option({"value": str(s.id), "key": str(s.id)}, f"{s.identifier} - {s.raison_sociale}")
                               for s in structures])) if len(structures) > 1 else "",
        html.div({"class_name": "alert alert-error", "role": "alert"}, error) if error else "",
        html.section(
            {"class_name": "card", "aria-labelledby": "synthese"},
            html.h2({"id": "synthese"}, t("issued.synthese")),
            html.p({"aria-busy": "true"}, t("common.loading")) if pages is None and structure_id else DataTable(
                columns, (pages or {"items": []})["items"], table_id="issued-table", empty_text=t("issued.empty"),
                caption=t("issued.synthese")),
            html.div({"class_name": "actions"},
                     html.button({"type": "button", "class_name": "btn btn-secondary", "on_click": more}, t("common.more")))
            if pages and pages["next"] else "",
        ),
    )
