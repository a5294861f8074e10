"""Archives (`/factures-emises/archives`): invoices issued more than two years ago — gone from the
dashboard — kept ten years from their deposit, searchable by number and deposit period, downloadable."""

from __future__ import annotations

from datetime import date, timedelta

from reactpy import component, html, use_effect, use_state

import shared.i18n_dashboard  # noqa: F401
import shared.i18n_supplier  # noqa: F401
from backend.domain.dashboard import rules, services
from frontend.components.data_table import Column, DataTable
from frontend.components.issued_tabs import issued_tabs
from frontend.components.shell import Link
from frontend.context import use_session
from frontend.screens.invoice_list import status_badge


def archive_window(today: date) -> tuple[date, date]:
    """The deposit days the archives hold: from ten years back to the day before the dashboard's first."""
    return rules.archive_limit(today), rules.dashboard_since(today) - timedelta(days=1)


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@component
def ArchivesScreen():
    session = use_session()
    t, lang = session.t, session.lang
    start, end = archive_window(services.today_paris())
    typed, set_typed = use_state({"numero": "", "du": "", "au": ""})
    asked, set_asked = use_state({"numero": "", "du": "", "au": ""})
    cursor, set_cursor = use_state(None)
    page, set_page = use_state(None)

    # the user's period, kept inside the archive's window (younger invoices are the dashboard's)
    date_from = max(filter(None, (_day(asked["du"]), start)))
    date_to = min(filter(None, (_day(asked["au"]), end)))
    f = rules.ListFilter(side="S", date_field="depot", date_from=date_from, date_to=date_to, number=asked["numero"].strip())

    @use_effect(dependencies=[f.to_query(), cursor])
    async def load():
        set_page(await services.list_invoices(session.principal, f, cursor=cursor))

    def field(name: str, key: str, input_type: str = "text", **extra):
        return html.div({"class_name": "field"}, html.label({"html_for": f"archives-{name}"}, t(key)),
                        html.input({"id": f"archives-{name}", "type": input_type, "default_value": typed[name],
                                    "on_change": lambda e: set_typed(lambda old: {**old, name: e["target"]["value"]}), **extra}))

    def submit(_):
        set_cursor(None)
        set_page(None)
        set_asked(dict(typed))

    def actions(row: dict):
        links = [Link(f"/factures-emises/{row['id']}", t("list.consult"))]
        if row["main_file_id"]:
            links += [" · ", html.a({"href": f"/api/invoices/{row['id']}/files/{row['main_file_id']}", "download": True,
                                     "data-download": str(row["id"])}, t("archives.download"))]
        return html.span(*links)

    columns = [
        Column("number", t("list.col.number")), Column("recipient", t("list.col.recipient")),
        Column("invoice_date", t("list.col.invoice_date")), Column("deposit_date", t("list.col.deposit_date")),
        Column("total_ttc", t("list.col.total_ttc"), numeric=True), Column("status", t("list.col.status"), render=status_badge),
        Column("actions", t("list.col.actions"), render=actions),
    ]
    rows = [services.row_view(r, lang) for r in page.rows] if page else []
    return html.div(
        {"class_name": "screen wide"},
        html.h1(t("archives.title")),
        issued_tabs(t, "archives"),
        html.p({"class_name": "hint", "id": "archives-window"},
               t("archives.intro", start=start.strftime("%d/%m/%Y"), end=end.strftime("%d/%m/%Y"))),
        html.div({"class_name": "card filters", "role": "search"},
                 field("numero", "archives.number"),
                 field("du", "archives.from", "date", min=start.isoformat(), max=end.isoformat()),
                 field("au", "archives.to", "date", min=start.isoformat(), max=end.isoformat()),
                 html.button({"type": "button", "class_name": "btn", "id": "archives-submit", "on_click": submit}, t("archives.submit"))),
        html.p({"aria-busy": "true"}, t("common.loading")) if page is None else DataTable(
            columns, rows, table_id="archives-list", empty_text=t("archives.empty"), caption=t("archives.title"), class_name="fit"),
        html.div({"class_name": "pager"},
                 html.button({"type": "button", "class_name": "btn btn-secondary", "id": "archives-more",
                              "on_click": lambda _: set_cursor(page.next_cursor)}, t("list.next"))
                 if page and page.next_cursor else ""),
    )
