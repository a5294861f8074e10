"""Rechercher une facture: the criteria become a list filter in the URL, shown by the same list."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from reactpy import component, html, use_state

import shared.i18n_dashboard  # noqa: F401
from backend.domain.dashboard.rules import ListFilter
from frontend.components.form import field_setter
from frontend.components.issued_tabs import issued_tabs
from frontend.components.siret_autocomplete import SiretAutocomplete
from frontend.context import use_session
from frontend.hooks.state import use_latest_state
from shared.cadres import Cadre, InvoiceSource
from shared.invoice_status import InvoiceStatus


def _date(value: str | None):
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _amount(value: str | None):
    try:
        return Decimal(value.replace(",", ".")) if value else None
    except InvalidOperation:
        return None


@component
def InvoiceSearchScreen():
    session = use_session()
    t = session.t
    lang = session.lang
    # latest: « Rechercher » clicked right after typing must search what was typed (see frontend/hooks/state.py)
    values, set_values, latest = use_latest_state({"cote": "R" if session.route.param("cote") == "R" else "S", "periode": "depot"})
    recipient, set_recipient = use_state(None)
    states, set_states = use_state(set())

    def text(name: str, key: str, input_type: str = "text"):
        return html.div({"class_name": "field"}, html.label({"html_for": f"s-{name}"}, t(key)),
                        html.input({"id": f"s-{name}", "type": input_type, "on_change": field_setter(set_values, name)}))

    def toggle_state(status: str):
        def handle(e):
            checked = e["target"]["checked"]
            set_states(lambda old: (old | {status}) if checked else (old - {status}))
        return handle

    def submit(_):
        values = latest.current
        f = ListFilter(side=values.get("cote", "S"), date_field=values.get("periode", "depot"),
                       date_from=_date(values.get("du")), date_to=_date(values.get("au")),
                       number=values.get("numero", "") or "", recipient_siret=recipient["siret"] if recipient else "",
                       statuses=tuple(InvoiceStatus(s) for s in sorted(states)), engagement=values.get("engagement", "") or "",
                       service_code=values.get("service", "") or "",
                       cadre=Cadre(values["cadre"]) if values.get("cadre") else None,
                       source=InvoiceSource(values["source"]) if values.get("source") else None,
                       amount_min=_amount(values.get("min")), amount_max=_amount(values.get("max")))
        session.navigate("/factures/liste?" + f.to_query())

    def select(name: str, key: str, options):
        return html.div({"class_name": "field"}, html.label({"html_for": f"s-{name}"}, t(key)),
                        html.select({"id": f"s-{name}", "on_change": field_setter(set_values, name)},
                                    html.option({"value": ""}, t("search.any")),
                                    *[html.option({"value": v, "key": v}, label) for v, label in options]))

    return html.div(
        {"class_name": "screen"},
        html.h1(t("search.title")),
        issued_tabs(t, "search") if values["cote"] == "S" else "",
        html.div(
            {"class_name": "card form", "role": "search", "style": {"max_width": "960px"}},
            html.div({"class_name": "form-row"},
                     html.div({"class_name": "field"}, html.label({"html_for": "s-cote"}, t("search.side")),
                              html.select({"id": "s-cote", "default_value": values["cote"], "on_change": field_setter(set_values, "cote")},
                                          html.option({"value": "S"}, t("dashboard.side.S")), html.option({"value": "R"}, t("dashboard.side.R")))),
                     html.div({"class_name": "field"}, html.label({"html_for": "s-periode"}, t("search.period")),
                              html.select({"id": "s-periode", "on_change": field_setter(set_values, "periode")},
                                          html.option({"value": "depot"}, t("search.period.depot")),
                                          html.option({"value": "facture"}, t("search.period.facture")))),
                     text("du", "list.from", "date"), text("au", "list.to", "date")),
            SiretAutocomplete(set_recipient, input_id="search-recipient", label=t("search.recipient"), public_only=True,
                              selected=recipient),
            text("numero", "search.number"),
            html.fieldset(html.legend(t("search.states")),
                          html.div({"class_name": "states"},
                                   *[html.div({"class_name": "check", "key": s.value},
                                              html.input({"type": "checkbox", "id": f"state-{s.value}", "on_change": toggle_state(s.value)}),
                                              html.label({"html_for": f"state-{s.value}"}, s.label(lang)))
                                     for s in InvoiceStatus])),
            html.details(html.summary(t("search.advanced")),
                         html.div({"class_name": "form-row"}, text("min", "search.amount_min"), text("max", "search.amount_max"),
                                  text("engagement", "search.engagement"), text("service", "search.service")),
                         html.div({"class_name": "form-row"},
                                  select("cadre", "search.cadre", [(c.value, c.label(lang)) for c in Cadre]),
                                  select("source", "search.source", [(s.value, s.label(lang)) for s in InvoiceSource]))),
            html.div({"class_name": "actions"},
                     html.button({"type": "button", "class_name": "btn", "id": "search-submit", "on_click": submit}, t("search.submit"))),
        ),
    )
