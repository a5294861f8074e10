"""Tableau de bord: counts per structure and column (each a link to exactly those invoices), Synthèse."""

from __future__ import annotations

from reactpy import component, html, use_effect, use_state

import shared.i18n_dashboard  # noqa: F401
from backend.domain.dashboard import rules, services
from backend.domain.dashboard.rules import ListFilter
from backend.infra.events import Event
from frontend.components.charts import bar_chart, line_chart
from frontend.components.issued_tabs import issued_tabs
from frontend.components.shell import Link
from frontend.context import use_session
from frontend.hooks.live import use_live_events
from shared.invoice_status import DashboardColumn


@component
def CountsTable(side: str, rows: list[services.StructureCounts]):
    session = use_session()
    t = session.t
    if not rows:
        return html.p({"class_name": "empty"}, t("dashboard.none"))

    def cell(structure_id: int, column: DashboardColumn, count: int):
        href = "/factures/liste?" + ListFilter(side=side, structure_id=structure_id, column=column).to_query()
        return html.td({"key": column.value, "class_name": "num", "data-column": column.value},
                       Link(href, str(count), label=t("common.label", label=column.label(session.lang)) + str(count)) if count else "0")

    return html.div(
        {"class_name": "table-scroll"},
        html.table(
            {"class_name": "data dashboard", "id": f"dashboard-{side}"},
            html.thead(html.tr(html.th({"scope": "col"}, t("dashboard.structure")),
                               *[html.th({"scope": "col", "key": c.value, "class_name": "num"}, c.label(session.lang)) for c in DashboardColumn],
                               html.th({"scope": "col", "class_name": "num"}, t("dashboard.total")))),
            html.tbody(*[
                html.tr({"key": str(r.structure.id), "data-structure": str(r.structure.id)},
                        html.th({"scope": "row"}, r.structure.raison_sociale, html.br(),
                                html.span({"class_name": "hint"}, r.structure.identifier)),
                        *[cell(r.structure.id, c, r.counts[c]) for c in DashboardColumn],
                        html.td({"class_name": "num", "data-column": "total"}, str(r.total)))
                for r in rows]),
        ),
    )


@component
def SynthesisPanel(side: str, version: int):
    session = use_session()
    t = session.t
    data, set_data = use_state(None)

    @use_effect(dependencies=[side, version])
    async def load():
        set_data(await services.synthesis(session.principal, side))

    if data is None:
        return html.p({"aria-busy": "true"}, t("common.loading"))
    return html.div(
        {"class_name": "grid-2"},
        html.section({"class_name": "card"}, bar_chart([(s.label(session.lang), n) for s, n, _ in data.by_status],
                                                       title=t("dashboard.by_status"), chart_id="chart-status")),
        html.section({"class_name": "card"}, line_chart([(m, float(a)) for m, a in data.by_month],
                                                        title=t("dashboard.by_month"), chart_id="chart-month", lang=session.lang)),
        html.section({"class_name": "card", "id": "to-finish"}, html.h2(t("dashboard.to_finish")),
                     html.ul(*[html.li({"key": str(d["id"])}, Link(f"/factures-emises/{d['id']}/modifier",
                                                                   f"{d['number'] or '(sans numéro)'} — {d['status']}"))
                               for d in data.to_finish]) if data.to_finish else html.p({"class_name": "empty"}, t("dashboard.nothing_to_finish")))
        if side == "S" else "",
    )


@component
def DashboardScreen():
    session = use_session()
    t = session.t
    side = "R" if session.route.param("cote") == "R" else "S"
    tab = session.route.param("onglet", "suivi")
    counts, set_counts = use_state(None)
    version, set_version = use_state(0)

    @use_effect(dependencies=[side, version])
    async def load():
        set_counts(await services.dashboard(session.principal, side))

    def on_event(event: Event) -> None:
        if event.type == "invoice.status":
            set_version(lambda v: v + 1)

    topics = [f"structure:{r.structure.id}" for r in (counts or [])]
    use_live_events(topics, on_event)

    def tab_link(key: str, label: str, href: str):
        return html.li({"key": key}, Link(href, label, class_name="tab active" if key == tab else "tab"))

    def side_link(code: str):
        return html.li({"key": code}, Link(f"/tableau-de-bord?cote={code}", t(f"dashboard.side.{code}"),
                                           class_name="tab active" if code == side else "tab"))

    since = rules.dashboard_since(services.today_paris()).strftime("%d/%m/%Y")
    return html.div(
        {"class_name": "screen wide"},
        html.h1(t("dashboard.title")),
        issued_tabs(t, "dashboard") if side == "S" else "",
        html.ul({"class_name": "tabs", "aria-label": t("search.side")}, side_link("S"), side_link("R")),
        html.ul({"class_name": "tabs small"},
                tab_link("suivi", t("dashboard.tab.counts"), f"/tableau-de-bord?cote={side}"),
                tab_link("synthese", t("dashboard.tab.synthesis"), f"/tableau-de-bord?cote={side}&onglet=synthese")),
        html.p({"class_name": "hint"}, t("dashboard.period", since=since), " ",
               Link(f"/factures/recherche?cote={side}", t("dashboard.search"))),
        (html.p({"aria-busy": "true"}, t("common.loading")) if counts is None else CountsTable(side, counts))
        if tab == "suivi" else SynthesisPanel(side, version),
    )
