"""« Déposer un lot de factures » (`/factures-emises/lots`) and its « Compte rendu d'intégration »
(`/factures-emises/lots/<id>`).

The archive goes from the browser to `POST /api/lots` (real progress, Cancel); a refused archive is
said beside the field at once. An accepted one gets its number in a confirmation, then its invoices are
integrated by the worker: the list and the report follow live (the lot's topics).
"""

from __future__ import annotations


from reactpy import component, html, use_effect, use_state

import shared.i18n_invoices  # noqa: F401
import shared.i18n_lots  # noqa: F401
import shared.i18n_reports  # noqa: F401
from backend.domain.einvoice.anomalies import field_text
from backend.domain.lots.rules import SYNTAXES, DepositFormat, Syntax, label
from backend.domain.lots.services import get_lot, list_lots
from backend.infra.errors import DomainError
from backend.infra.events import Event
from frontend.components.data_table import Column, DataTable
from frontend.components.dialog import Dialog
from frontend.components.form import Checkbox
from frontend.components.issued_tabs import issued_tabs
from frontend.components.shell import Link
from frontend.components.upload import UploadField
from frontend.context import use_session
from frontend.hooks.live import use_live_events, use_poll
from frontend.hooks.pages import use_pages
from frontend.screens.invoice_common import fmt_date, use_issuing_structures
from backend.domain.structures.permissions import Action
from frontend.hooks.policy import use_allowed
from shared.i18n import message_of
from shared.i18n import t as translate

PAGE = 20
_COLOURS = {"TRAITE": "green", "INTEGREE": "green", "REJETE": "red", "REJETEE": "red", "PARTIEL": "orange"}


@component
def LotBadge(status: str, prefix: str = "lots.status", badge_id: str | None = None):
    session = use_session()
    attrs = {"class_name": f"badge badge-{_COLOURS.get(status, 'blue')}", "data-status": status}
    if badge_id:
        attrs["id"] = badge_id
    return html.span(attrs, session.t(f"{prefix}.{status}"))


def _select(select_id: str, text: str, options: list[tuple[str, str]], on_change=None, *, key: str | None = None):
    """An uncontrolled select: the browser keeps the person's choice (the upload reads it when it sends),
    and no late re-render can put an older value back. A new `key` starts it afresh on its first option."""
    attrs = {"id": select_id, "default_value": options[0][0]}
    if on_change is not None:
        attrs["on_change"] = lambda e: on_change(e["target"]["value"])
    return html.div({"class_name": "field", "key": key or select_id},
                    html.label({"html_for": select_id, "class_name": "required"}, text),
                    html.select(attrs, *[html.option({"value": v, "key": v}, shown) for v, shown in options]))


@component
def LotsScreen():
    session = use_session()
    t, lang = session.t, session.lang
    structures = use_issuing_structures(Action.VIEW_LOTS)
    allowed = use_allowed(Action.UPLOAD_LOT)
    chosen, set_chosen = use_state(None)
    deposit_format, set_format = use_state(str(DepositFormat.XML_STRUCTURE))
    confirmed, set_confirmed = use_state(None)  # the lot just deposited, for the confirmation
    upload_key, set_upload_key = use_state(0)
    picked, set_picked = use_state(None)  # the file chosen, sent by « Continuer »
    structure_id = chosen or (structures[0].id if structures else None)
    pages, more, error, reload = use_pages(
        structure_id, lambda cursor: list_lots(session.principal, structure_id, limit=PAGE, before=cursor),
        [f"lots:{structure_id}"], lang)
    use_poll(bool(pages and any(item["processed_at"] is None for item in pages["items"])), pages, reload)

    if structures is None:
        return html.p({"aria-busy": "true"}, t("common.loading"))
    if not structures:
        return html.div({"class_name": "screen"}, html.h1(t("lots.title")), issued_tabs(t, "deposit"),
                        html.div({"class_name": "alert alert-warning", "role": "alert"}, t("deposit.no_structure")))

    def handle_done(body: dict) -> None:
        set_confirmed(body)
        set_upload_key(lambda n: n + 1)  # a fresh field for the next lot
        reload()

    may_deposit = structure_id in allowed[Action.UPLOAD_LOT]
    # The guide's steps: the file, its format and syntax, the Structure, then « Continuer ». The choices are
    # read by the browser when « Continuer » sends the file (params_from), so they go where the form shows.
    choices = {"deposit_format": "lots-format", "syntax": "lots-syntax", "structure_id": "lots-structure"}
    url = "/api/lots"
    columns = [
        Column("number", t("lots.col.number"), render=lambda r: Link(f"/factures-emises/lots/{r['id']}", r["number"])),
        Column("file", t("lots.col.file"), render=lambda r: r["original_name"]),
        Column("date", t("lots.col.date"), render=lambda r: fmt_date(r["created_at"], lang)),
        Column("format", t("lots.col.format"), render=lambda r: f"{label(DepositFormat(r['deposit_format']), lang)} — {label(Syntax(r['syntax']), lang)}"),
        Column("status", t("lots.col.status"), render=lambda r: LotBadge(r["status"])),
        Column("result", t("lots.col.result"), numeric=True,
               render=lambda r: f"{r['integrated_count']} / {r['rejected_count']} ({r['entry_count']})"),
    ]
    return html.div(
        {"class_name": "screen"},
        html.h1(t("lots.title")), issued_tabs(t, "deposit"),
        html.section(
            {"class_name": "card form", "aria-labelledby": "lots-new", "id": "lots-form"},
            html.h2({"id": "lots-new"}, t("lots.new")),
            html.p({"class_name": "hint"}, t("lots.rules")),
            UploadField(url, input_id="lots-file", label=t("lots.file"), hint=t("lots.file_hint"),
                        accept=".zip,.tar.gz,.tgz,application/zip,application/gzip", on_done=handle_done,
                        on_start=lambda _info: set_picked(None), on_error=lambda _body: set_picked(None),
                        disabled=structure_id is None, required=True, key=f"upload-{upload_key}",
                        params_from=choices, submit_id="lots-continue", on_chosen=set_picked)
            if may_deposit else html.div({"class_name": "alert alert-warning", "role": "alert"}, t("deposit.no_structure")),
            html.p({"id": "lots-picked", "class_name": "hint"}, t("lots.picked", name=picked["name"])) if picked else "",
            html.div(
                {"class_name": "form-row"},
                _select("lots-format", t("lots.format"), [(str(f), label(f, lang)) for f in DepositFormat], set_format),
                _select("lots-syntax", t("lots.syntax"), [(str(s), label(s, lang)) for s in SYNTAXES[DepositFormat(deposit_format)]],
                        key=f"syntax-{deposit_format}"),
            ),
            html.h3(t("lots.more_info")),
            html.div({"class_name": "field"},
                     html.label({"html_for": "lots-structure"}, t("deposit.structure")),
                     html.select({"id": "lots-structure", "default_value": str(structure_id or ""),
                                  "on_change": lambda e: set_chosen(int(e["target"]["value"]))},
                                 *[html.option({"value": str(s.id), "key": str(s.id)}, f"{s.identifier} - {s.raison_sociale}")
                                   for s in structures])),
            html.div({"class_name": "actions"},
                     html.button({"type": "button", "class_name": "btn", "id": "lots-continue", "disabled": not picked},
                                 t("lots.continue"))) if may_deposit else "",
        ),
        html.div({"class_name": "alert alert-error", "role": "alert"}, error) if error else "",
        html.section(
            {"class_name": "card", "aria-labelledby": "lots-list"},
            html.h2({"id": "lots-list"}, t("lots.list")),
            html.p({"aria-busy": "true"}, t("common.loading")) if pages is None else DataTable(
                columns, pages["items"], table_id="lots-table", empty_text=t("lots.empty"), caption=t("lots.list")),
            html.div({"class_name": "actions"},
                     html.button({"type": "button", "class_name": "btn btn-secondary", "on_click": more}, t("common.more")))
            if pages and pages["next"] else "",
        ),
        Dialog(t("lots.confirm_title"), html.p({"id": "lot-confirmation"}, t("lots.confirmed", number=confirmed["number"])),
               actions=(html.button({"type": "button", "class_name": "btn btn-secondary", "id": "lot-confirm-close", "autofocus": True,
                                     "on_click": lambda _: set_confirmed(None)}, t("lots.close")),
                        Link(f"/factures-emises/lots/{confirmed['id']}", t("lots.see_report"), class_name="btn")),
               on_close=lambda: set_confirmed(None), dialog_id="lot-confirm") if confirmed else "",
    )


@component
def LotReportScreen(lot_id: str):
    session = use_session()
    t, lang = session.t, session.lang
    lot, set_lot = use_state(None)
    error, set_error = use_state(None)
    tick, set_tick = use_state(0)
    only_rejected, set_only_rejected = use_state(False)

    @use_effect(dependencies=[lot_id, tick])
    async def load():
        try:
            set_lot(await get_lot(session.principal, int(lot_id)))
        except DomainError as failure:
            set_error(failure.message(lang))

    def on_event(_event: Event) -> None:
        set_tick(lambda n: n + 1)

    use_live_events([f"lot:{lot_id}"], on_event)
    running = lot is not None and lot["processed_at"] is None
    use_poll(running, lot, lambda: set_tick(lambda n: n + 1))

    if error:
        return html.div({"class_name": "screen"}, html.h1(t("lots.detail")), issued_tabs(t, "deposit"),
                        html.div({"class_name": "alert alert-error", "role": "alert"}, error))
    if lot is None:
        return html.p({"aria-busy": "true"}, t("common.loading"))

    done = lot["integrated_count"] + lot["rejected_count"]
    entries = [e for e in lot["entries"] if e["status"] == "REJETEE"] if only_rejected else lot["entries"]

    def invoice_cell(entry: dict):
        if entry["invoice_id"]:
            return Link(f"/factures-emises/{entry['invoice_id']}", entry["invoice_number"] or str(entry["invoice_id"]))
        return entry["invoice_number"] or "—"

    def entry_cell(entry: dict):
        earlier = entry.get("previous_attempt")
        if not earlier:
            return entry["name"]
        return html.span(entry["name"], html.br(), html.small(
            {"class_name": "previous-attempt"}, t("report.previous_attempt", name=earlier["name"]), " ",
            Link(f"/factures-emises/lots/{earlier['lot_id']}", earlier["lot_number"])))

    def anomalies_cell(entry: dict):
        if not entry["anomalies"]:
            return ""
        return html.ul({"class_name": "anomalies"}, *[anomaly_item(i, a, lang) for i, a in enumerate(entry["anomalies"])])

    columns = [
        Column("position", t("lots.col.position"), numeric=True, render=lambda e: str(e["position"])),
        Column("name", t("lots.col.entry"), render=entry_cell),
        Column("status", t("lots.col.status"), render=lambda e: LotBadge(e["status"], "lots.entry")),
        Column("invoice", t("lots.col.invoice"), render=invoice_cell),
        Column("anomalies", t("lots.col.anomalies"), render=anomalies_cell),
    ]
    return html.div(
        {"class_name": "screen"},
        html.p(Link("/factures-emises/lots", "← " + t("lots.back"))),
        html.h1(t("lots.detail"), " ", lot["number"], " ", LotBadge(lot["status"], badge_id="lot-status")),
        issued_tabs(t, "deposit"),
        html.section(
            {"class_name": "card"},
            html.p(f"{lot['original_name']} — {label(DepositFormat(lot['deposit_format']), lang)}, "
                   f"{label(Syntax(lot['syntax']), lang)} — "
                   f"{fmt_date(lot['created_at'], lang)}"),
            html.div({"class_name": "progress", "role": "progressbar", "aria-valuemin": "0", "aria-valuemax": str(lot["entry_count"]),
                      "aria-valuenow": str(done), "id": "lot-progress"},
                     html.span({"style": {"width": f"{(100 * done // max(lot['entry_count'], 1))}%"}})) if running else "",
            html.p({"id": "lot-summary", "role": "status", "aria-live": "polite"},
                   t("lots.progress", done=done, total=lot["entry_count"]) if running else
                   t("lots.summary", integrated=lot["integrated_count"], rejected=lot["rejected_count"], total=lot["entry_count"])),
            html.p({"class_name": "hint"}, t("lots.redeposit")) if lot["rejected_count"] and not running else "",
            html.p({"class_name": "downloads"},
                   html.a({"href": f"/api/lots/{lot['id']}/compte-rendu.pdf", "download": "", "id": "report-pdf"},
                          t("report.download_pdf")), " · ",
                   html.a({"href": f"/api/lots/{lot['id']}/compte-rendu.json", "download": "", "id": "report-json"},
                          t("report.download_json"))) if not running else "",
        ),
        html.section(
            {"class_name": "card"},
            Checkbox("only-rejected", t("lots.only_rejected"), lambda e: set_only_rejected(bool(e["target"]["checked"])),
                     checked=only_rejected, id_prefix="lot"),
            DataTable(columns, entries, table_id="lot-entries", caption=t("lots.detail"),
                      empty_text=t("lots.none_rejected") if only_rejected else t("lots.empty")),
        ),
    )


def anomaly_item(index: int, anomaly: dict, lang: str):
    """One failed rule: its id once, the explanation, the form's field, where in the file (path, line,
    value found and expected) and the suggested fix; a rule failed several times shows its count."""
    pick = (lambda key: anomaly.get(f"{key}_en")) if lang == "en" else anomaly.get
    count = anomaly.get("count") or 1
    head = [html.strong(anomaly["rule"]), " — "] if anomaly.get("rule") else []
    if anomaly.get("severity") == "avertissement":
        head = [html.span({"class_name": "badge badge-orange"}, translate("report.warning", lang)), " ", *head]
    details = []
    if field := field_text(anomaly, lang):
        details.append(html.li({"class_name": "anomaly-field"}, translate("report.field", lang, field=field)))
    for place in (anomaly.get("places") or [])[:3]:
        where = translate("report.line", lang, path=place["path"], line=place["line"]) if place.get("line") else place["path"]
        values = [translate(f"report.{kind}", lang, value=place[kind]) for kind in ("found", "expected") if place.get(kind) is not None]
        details.append(html.li({"class_name": "anomaly-place"}, (translate("common.label", lang, label=where) + ", ".join(values)) if values else where))
    if pick("hint"):
        details.append(html.li({"class_name": "anomaly-hint"}, translate("report.hint", lang, hint=pick("hint"))))
    times = [translate("report.count", lang, count=count)] if count > 1 else []
    return html.li({"key": str(index), "data-code": anomaly["code"], "data-rule": anomaly.get("rule") or ""},
                   *head, pick("message"), *times, html.ul(*details) if details else "")
