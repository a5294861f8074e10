"""The workspaces of those who validate before the recipient: « Factures à valider » (`/factures-a-valider`,
the contract holder of subcontractors' and co-contractors' invoices, A9, A12…) and « Factures de travaux »
(`/factures-de-travaux`, the project manager of works invoices). Each lists the invoices waiting for it
(or all of them), live, and opens each one with its actions (« Valider … » / « Refuser »)."""

from __future__ import annotations

from reactpy import component, html, use_state

import shared.i18n_processing  # noqa: F401
from backend.domain.invoices import rules
from backend.domain.invoices.services import VIEW_AS
from backend.domain.processing.services import invoices_to_validate
from frontend.components.data_table import Column, DataTable
from frontend.components.shell import Link
from frontend.components.status_badge import StatusBadge
from frontend.context import use_session
from frontend.hooks.pages import use_pages
from frontend.screens.invoice_common import fmt_date, fmt_money, use_structures
from frontend.screens.invoices_received import ActionableInvoice

PAGE = 20
# Per role: its path, and the prefix of its texts (<prefix>.title, .detail, .intro, .none, .empty).
QUEUES = {rules.Role.HOLDER: ("/factures-a-valider", "validate"), rules.Role.PROJECT_MANAGER: ("/factures-de-travaux", "works")}


@component
def ValidationQueueScreen(role: rules.Role):
    session = use_session()
    t, lang = session.t, session.lang
    path, texts = QUEUES[role]
    structures = use_structures(VIEW_AS[role])
    chosen, set_chosen = use_state(None)
    waiting_only, set_waiting_only = use_state(True)

    structure_id = chosen or (structures[0].id if structures else None)
    pages, more, error, _ = use_pages(
        f"{structure_id}:{waiting_only}" if structure_id else None,
        lambda cursor: invoices_to_validate(session.principal, structure_id, role, waiting_only=waiting_only, before=cursor, limit=PAGE),
        [f"structure:{structure_id}"], lang)

    if structures is None:
        return html.p({"aria-busy": "true"}, t("common.loading"))
    if not structures:
        return html.div({"class_name": "screen"}, html.h1(t(f"{texts}.title")),
                        html.p({"class_name": "empty", "id": "validate-none"}, t(f"{texts}.none")))
    columns = [
        Column("number", t("list.col.number"), render=lambda r: Link(f"{path}/{r['id']}", r["number"] or "—")),
        Column("supplier", t(f"{texts}.col.supplier"), render=lambda r: f"{r['supplier']['name']} ({r['supplier']['identifier']})"),
        Column("cadre", t("deposit.cadre"), render=lambda r: r["cadre"]),
        Column("recipient", t(f"{texts}.col.recipient"), render=lambda r: r["recipient_name"] or "—"),
        Column("date", t("list.col.invoice_date"), render=lambda r: fmt_date(r["invoice_date"], lang)),
        Column("ttc", t("list.col.total_ttc"), numeric=True, render=lambda r: fmt_money(r["total_ttc"], r["currency"], lang)),
        Column("status", t("list.col.status"), render=lambda r: StatusBadge(r["status"], lang)),
    ]
    return html.div(
        {"class_name": "screen wide"},
        html.h1(t(f"{texts}.title")),
        html.p({"class_name": "hint"}, t(f"{texts}.intro")),
        html.div({"class_name": "card filters", "role": "search"},
                 html.div({"class_name": "field"},
                          html.label({"html_for": "validate-structure"}, t("received.structure")),
                          html.select({"id": "validate-structure", "default_value": str(structure_id),
                                       "on_change": lambda e: set_chosen(int(e["target"]["value"]))},
                                      *[html.option({"value": str(s.id), "key": str(s.id)}, f"{s.identifier} - {s.raison_sociale}")
                                        for s in structures])),
                 html.div({"class_name": "field"},
                          html.label({"html_for": "validate-scope"}, t("validate.scope")),
                          html.select({"id": "validate-scope", "default_value": "waiting",
                                       "on_change": lambda e: set_waiting_only(e["target"]["value"] == "waiting")},
                                      html.option({"value": "waiting"}, t(f"{texts}.scope.waiting")),
                                      html.option({"value": "all"}, t("validate.scope.all"))))),
        html.div({"class_name": "alert alert-error", "role": "alert"}, error) if error else "",
        html.p({"aria-busy": "true"}, t("common.loading")) if pages is None else DataTable(
            columns, pages["items"], table_id="validate-list", caption=t(f"{texts}.title"),
            empty_text=t(f"{texts}.empty") if waiting_only else t("list.empty")),
        html.div({"class_name": "actions"},
                 html.button({"type": "button", "class_name": "btn btn-secondary", "on_click": more}, t("common.more")))
        if pages and pages["next"] else "",
    )


@component
def ValidationInvoiceScreen(role: rules.Role, invoice_id: str):
    return ActionableInvoice(invoice_id, role, f"{QUEUES[role][1]}.detail")
