"""The filtered list of invoices the dashboard's counts open; the filter lives in the URL."""

from __future__ import annotations

from reactpy import component, html, use_effect, use_state

import shared.i18n_dashboard  # noqa: F401
import shared.i18n_supplier  # noqa: F401
from backend.domain.dashboard import exports, rules, services
from backend.infra.events import Event
from frontend.components.data_table import Column, DataTable
from frontend.components.shell import Link
from frontend.context import use_session
from frontend.hooks.live import use_live_events
from frontend.hooks.policy import use_allowed
from backend.domain.structures.permissions import Action

BADGE = {"MISE_A_DISPOSITION": "badge-blue", "SERVICE_FAIT": "badge-green", "MISE_EN_PAIEMENT": "badge-green",
         "REFUSEE": "badge-red", "REJETEE": "badge-red", "ERREUR_ACHEMINEMENT": "badge-red", "A_RECYCLER": "badge-red",
         "SUSPENDUE": "badge-orange"}


def status_badge(row: dict):
    return html.span({"class_name": f"badge {BADGE.get(row['status'], '')}", "data-status": row["status"]}, row["status_label"])


@component
def ExportButtons(f: rules.ListFilter):
    session = use_session()
    t = session.t
    state, set_state = use_state(None)  # {"id", "rows", "ready"}

    def on_event(event: Event) -> None:
        if state and event.data.get("export") == state["id"]:
            set_state({**state, "rows": event.data["rows"], "ready": event.type == "export.ready"})

    use_live_events([session.session_topic], on_event)

    def start(fmt: str):
        async def handle(_):
            export_id = await exports.request_export(session.principal, f.to_query(), fmt, session.session_topic)
            set_state({"id": export_id, "rows": 0, "ready": False, "format": fmt})
        return handle

    status = ""
    if state:
        status = (html.span({"id": "export-ready"}, t("list.export_ready", rows=state["rows"]), " ",
                            html.a({"href": f"/api/exports/{state['id']}", "id": "export-download", "download": True},
                                   t("list.export_download")))
                  if state["ready"] else html.span({"aria-busy": "true", "id": "export-running"}, t("list.export_running", rows=state["rows"])))
    return html.div({"class_name": "actions"},
                    html.button({"type": "button", "class_name": "btn btn-secondary", "id": "export-xlsx", "on_click": start("xlsx")},
                                t("list.export_xlsx")),
                    html.button({"type": "button", "class_name": "btn btn-secondary", "id": "export-csv", "on_click": start("csv")},
                                t("list.export_csv")),
                    html.span({"role": "status", "aria-live": "polite"}, status))


def criteria(f: rules.ListFilter, t, lang: str) -> list[tuple[str, str]]:
    """The filter in words, as the results recall it: (criterion, value) pairs, only those that narrow."""
    day = lambda d: d.strftime("%d/%m/%Y")  # noqa: E731
    found: list[tuple[str, str]] = [(t("search.side"), t(f"dashboard.side.{f.side}"))]
    if f.column:
        found.append((t("dashboard.title"), f.column.label(lang)))
    if f.date_from or f.date_to:
        period = t(f"search.period.{'facture' if f.date_field == 'facture' else 'depot'}")
        span = " – ".join(x for x in (day(f.date_from) if f.date_from else "…", day(f.date_to) if f.date_to else "…"))
        found.append((f"{t('search.period')} {period}", span))
    for key, value in (("search.number", f.number), ("search.recipient", f.recipient_siret), ("search.engagement", f.engagement),
                       ("search.service", f.service_code)):
        if value:
            found.append((t(key), value))
    if f.statuses:
        found.append((t("search.states"), ", ".join(s.label(lang) for s in f.statuses)))
    if f.cadre:
        found.append((t("search.cadre"), f.cadre.label(lang)))
    if f.source:
        found.append((t("search.source"), f.source.label(lang)))
    if f.amount_min is not None:
        found.append((t("search.amount_min"), f"{f.amount_min}".replace(".", ",") if lang == "fr" else f"{f.amount_min}"))
    if f.amount_max is not None:
        found.append((t("search.amount_max"), f"{f.amount_max}".replace(".", ",") if lang == "fr" else f"{f.amount_max}"))
    return found


@component
def ResultsSummary(f: rules.ListFilter, version: int):
    """« n facture(s) trouvée(s) » and the criteria used, above a search's results."""
    session = use_session()
    t = session.t
    total, set_total = use_state(None)
    query = f.to_query()

    @use_effect(dependencies=[query, version])
    async def load():
        set_total(await services.count_invoices(session.principal, f))

    shown = criteria(f, t, session.lang)
    count = "" if total is None else (t("results.count_more") if total > services.COUNT_CAP else t("results.count", count=total))
    return html.section(
        {"class_name": "card results-summary", "aria-labelledby": "results-count"},
        html.p({"id": "results-count", "role": "status", "class_name": "results-count"}, count),
        html.h2({"class_name": "visually-hidden"}, t("results.criteria")),
        html.dl({"class_name": "facts", "id": "results-criteria"},
                *[html._(html.dt({"key": f"k{i}"}, label), html.dd({"key": f"v{i}"}, value)) for i, (label, value) in enumerate(shown)]),
        html.p(Link(f"/factures/recherche?cote={f.side}", t("results.change"))),
    )


@component
def InvoiceListScreen():
    session = use_session()
    allowed = use_allowed(Action.DUPLICATE)
    t = session.t
    route = session.route
    f = rules.parse_filter(route.query)
    cursor = route.param("curseur") or None
    page, set_page = use_state(None)
    version, set_version = use_state(0)
    dates, set_dates = use_state({"du": f.date_from.isoformat() if f.date_from else "", "au": f.date_to.isoformat() if f.date_to else ""})
    query = f.to_query()

    @use_effect(dependencies=[query, cursor, version])
    async def load():
        set_page(await services.list_invoices(session.principal, f, cursor=cursor))

    def on_event(event: Event) -> None:
        if event.type == "invoice.status":
            set_version(lambda v: v + 1)

    topics = [f"structure:{f.structure_id}"] if f.structure_id else []
    use_live_events(topics, on_event)

    detail = "/factures-emises" if f.side == "S" else "/factures-recues"

    def actions(row):
        links = [Link(f"{detail}/{row['id']}", t("list.consult"))]
        if f.side == "S" and row["supplier_structure_id"] in allowed[Action.DUPLICATE]:
            links += [" · ", Link(f"/factures-emises/{row['id']}/dupliquer", t("list.duplicate"))]
        if row["main_file_id"]:
            links += [" · ", html.a({"href": f"/api/invoices/{row['id']}/files/{row['main_file_id']}"}, t("list.download"))]
        return html.span(*links)

    columns = [
        Column("supplier_service", t("list.col.supplier_service")), Column("recipient", t("list.col.recipient")),
        Column("recipient_service", t("list.col.recipient_service")), Column("executing_service", t("list.col.executing_service")),
        Column("number", t("list.col.number")), Column("engagement", t("list.col.engagement")),
        Column("invoice_date", t("list.col.invoice_date")), Column("deposit_date", t("list.col.deposit_date")),
        Column("total_ht", t("list.col.total_ht"), numeric=True), Column("total_ttc", t("list.col.total_ttc"), numeric=True),
        Column("status", t("list.col.status"), render=status_badge), Column("status_date", t("list.col.status_date")),
        Column("attachments_size", t("list.col.attachments"), numeric=True), Column("actions", t("list.col.actions"), render=actions),
    ]

    def apply_dates(_):
        from datetime import date

        def parse(value):
            try:
                return date.fromisoformat(value) if value else None
            except ValueError:
                return None
        session.navigate("/factures/liste?" + f.with_(date_from=parse(dates["du"]), date_to=parse(dates["au"])).to_query())

    def sort_by(e):
        value = e["target"]["value"]
        session.navigate("/factures/liste?" + f.with_(sort=value.lstrip("-"), descending=value.startswith("-")).to_query())

    heading = t("list.title")
    if f.column:
        heading += " — " + f.column.label(session.lang)
    # With its supplier structure: the screen asks the policy whether Dupliquer is offered on it.
    rows = [{**services.row_view(r, session.lang), "supplier_structure_id": r["supplier_structure_id"]} for r in page.rows] if page else []
    return html.div(
        {"class_name": "screen wide", "data-policy": allowed.marker()},
        html.h1(heading),
        html.div(
            {"class_name": "card filters", "role": "search"},
            html.div({"class_name": "field"}, html.label({"html_for": "filter-from"}, t("list.from")),
                     html.input({"type": "date", "id": "filter-from", "default_value": dates["du"],
                                 "on_change": lambda e: set_dates(lambda d: {**d, "du": e["target"]["value"]})})),
            html.div({"class_name": "field"}, html.label({"html_for": "filter-to"}, t("list.to")),
                     html.input({"type": "date", "id": "filter-to", "default_value": dates["au"],
                                 "on_change": lambda e: set_dates(lambda d: {**d, "au": e["target"]["value"]})})),
            html.button({"type": "button", "class_name": "btn", "id": "filter-apply", "on_click": apply_dates}, t("list.apply")),
            html.div({"class_name": "field"}, html.label({"html_for": "sort"}, t("list.sort")),
                     html.select({"id": "sort", "on_change": sort_by, "default_value": ("-" if f.descending else "") + f.sort},
                                 *[html.option({"value": ("-" if k == "date" else "") + k, "key": k}, t(f"list.sort.{k}"))
                                   for k in ("date", "montant", "numero")])),
        ),
        ResultsSummary(f, version),
        ExportButtons(f),
        html.p({"aria-busy": "true"}, t("common.loading")) if page is None else DataTable(
            columns, rows, table_id="invoice-list", empty_text=t("list.empty"), caption=heading, class_name="fit"),
        html.div({"class_name": "pager"},
                 Link("/factures/liste?" + query, t("list.first")) if cursor else "",
                 Link("/factures/liste?" + query + "&curseur=" + page.next_cursor, t("list.next")) if page and page.next_cursor else ""),
    )
