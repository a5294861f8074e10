"""Annuaire: pick a structure with the live autocomplete, or search by name, postcode, city and type."""

from __future__ import annotations

from reactpy import component, html, use_state

import shared.i18n_directory  # noqa: F401
from backend.domain.directory.services import advanced_search
from frontend.components.siret_autocomplete import SiretAutocomplete, establishment_line
from frontend.context import use_session

PAGE = 20


@component
def AdvancedSearch():
    session = use_session()
    criteria, set_criteria = use_state({"name": "", "postcode": "", "city": "", "kind": ""})
    rows, set_rows = use_state(None)
    more, set_more = use_state(False)
    busy, set_busy = use_state(False)

    def setter(name):
        return lambda e: set_criteria(lambda old: {**old, name: e["target"]["value"]})

    async def run(after: str | None = None):
        set_busy(True)
        found = await advanced_search(**criteria, after=after, limit=PAGE + 1)
        page = found[:PAGE]
        set_rows(lambda old: ([*(old or []), *page] if after else page))
        set_more(len(found) > PAGE)
        set_busy(False)

    async def handle_search(_):
        await run()

    async def handle_more(_):
        last = rows[-1]
        from backend.domain.directory.rules import normalise

        await run(f"{normalise(last.denomination + ' ' + (last.enseigne or ''))}|{last.siret}")

    def field(name: str, key: str, input_type: str = "text"):
        return html.div({"class_name": "field"},
                        html.label({"html_for": f"adv-{name}"}, session.t(key)),
                        html.input({"id": f"adv-{name}", "type": input_type, "on_change": setter(name)}))

    table = ""
    if rows is not None:
        table = html.p({"class_name": "empty"}, session.t("directory.no_result")) if not rows else html.table(
            {"class_name": "data", "id": "advanced-results"},
            html.thead(html.tr(*[html.th(session.t(f"directory.col.{c}")) for c in ("siret", "name", "address", "state")])),
            html.tbody(*[html.tr({"key": r.siret},
                                 html.td(r.siret), html.td(r.label),
                                 html.td(establishment_line({"address": r.address, "postcode": r.postcode, "city": r.city})),
                                 html.td(session.t("directory.active") if r.active else session.t("directory.closed")))
                         for r in rows]),
        )
    return html.section(
        {"class_name": "card", "aria-labelledby": "advanced-title"},
        html.h2({"id": "advanced-title"}, session.t("directory.advanced")),
        html.div({"class_name": "form-row"},
                 field("name", "directory.name"), field("postcode", "directory.postcode"), field("city", "directory.city"),
                 html.div({"class_name": "field"},
                          html.label({"html_for": "adv-kind"}, session.t("directory.kind")),
                          html.select({"id": "adv-kind", "on_change": setter("kind")},
                                      html.option({"value": ""}, session.t("directory.kind.all")),
                                      html.option({"value": "public"}, session.t("directory.kind.public")),
                                      html.option({"value": "private"}, session.t("directory.kind.private"))))),
        html.div({"class_name": "actions"},
                 html.button({"type": "button", "class_name": "btn", "id": "adv-search", "on_click": handle_search,
                              "disabled": busy, "aria-busy": "true" if busy else "false"}, session.t("directory.search"))),
        table,
        html.div({"class_name": "actions"},
                 html.button({"type": "button", "class_name": "btn btn-secondary", "on_click": handle_more},
                             session.t("directory.more"))) if more else "",
    )


@component
def DirectorySearchScreen():
    session = use_session()
    selected, set_selected = use_state(None)
    return html.div(
        {"class_name": "screen"},
        html.h1(session.t("directory.title")),
        html.section({"class_name": "card"}, SiretAutocomplete(set_selected, input_id="annuaire-siret", selected=selected)),
        AdvancedSearch(),
    )
