"""« Raccordement EDI et API » (`/raccordement-edi-api`): a structure's technical accounts, API clients and
webhooks with their deliveries; and « Suivi des flux » (`/suivi-des-flux`): its deposited flows, live.

Secrets (a technical account's password, an API client's secret, a webhook's signing secret) are shown
once, in the alert that follows their creation; the lists never show them again.
"""

from __future__ import annotations

from reactpy import component, html, use_effect, use_ref, use_state

import shared.i18n_connections  # noqa: F401
import shared.i18n_lots  # noqa: F401
from backend.domain.connections import services
from backend.domain.connections.rules import Scope, WebhookEvent
from backend.domain.lots.services import list_lots
from backend.domain.structures.permissions import Action
from backend.infra.errors import ChoraleError
from frontend.components.data_table import Column, DataTable
from frontend.components.shell import Link
from frontend.context import use_session
from frontend.hooks.pages import use_pages
from frontend.screens.invoice_common import fmt_date, use_issuing_structures


def _structure_choice(select_id: str, structures, chosen, set_chosen, t):
    return html.div({"class_name": "field"},
                    html.label({"html_for": select_id}, t("conn.structure")),
                    html.select({"id": select_id, "value": str(chosen), "on_change": lambda e: set_chosen(int(e["target"]["value"]))},
                                *[html.option({"value": str(s["id"]), "key": str(s["id"])}, f"{s['raison_sociale']} ({s['identifier']})")
                                  for s in structures]))


@component
def ConnectionsScreen():
    session = use_session()
    t, lang, principal = session.t, session.lang, session.principal
    structures, set_structures = use_state(None)
    chosen, set_chosen = use_state(None)
    overview, set_overview = use_state(None)
    shown, set_shown = use_state(None)  # the secret to show once: (alert id, text)
    error, set_error = use_state(None)
    tick, set_tick = use_state(0)
    # The boxes' choices live in refs: a click on « Créer » may reach its handler before the re-render that
    # a box's change causes, and a handler must still read the latest choice.
    scopes = use_ref([str(s) for s in Scope])
    events = use_ref([str(WebhookEvent.INVOICE_STATUS)])
    url, set_url = use_state("")
    client_name, set_client_name = use_state("")
    opened, set_opened = use_state(None)  # the webhook whose deliveries are listed
    deliveries, set_deliveries = use_state([])

    @use_effect(dependencies=[])
    async def load_structures():
        set_structures(await services.managed_structures(principal))

    structure_id = chosen or (structures[0]["id"] if structures else None)

    @use_effect(dependencies=[structure_id, tick])
    async def load():
        if structure_id is not None:
            set_overview(await services.connection_overview(principal, structure_id))
        if opened is not None:
            set_deliveries(await services.deliveries(principal, opened))

    async def attempt(action, alert=None):
        try:
            result = await action()
            set_error(None)
            if alert:
                set_shown(alert(result))
        except ChoraleError as failure:
            set_error(failure.message(lang))
        set_tick(lambda n: n + 1)

    if structures is None:
        return html.p({"aria-busy": "true"}, t("common.loading"))
    if not structures:
        return html.div({"class_name": "screen"}, html.h1(t("conn.title")),
                        html.div({"class_name": "alert alert-warning", "role": "alert", "id": "conn-not-manager"}, t("conn.not_manager")))

    def checkboxes(prefix: str, chosen, options):
        """Uncontrolled boxes (the browser keeps what was clicked); each change updates the chosen values."""
        initially = list(chosen.current)

        def change(value):
            def handle(e):
                others = [v for v in chosen.current if v != value]
                chosen.current = [*others, value] if e["target"]["checked"] else others
            return handle
        return html.fieldset({"class_name": "checks"}, *[
            html.div({"key": value, "class_name": "check"},
                     html.input({"type": "checkbox", "id": f"{prefix}-{value.replace('.', '-')}", "default_checked": value in initially,
                                 "on_change": change(value)}),
                     html.label({"html_for": f"{prefix}-{value.replace('.', '-')}"}, label))
            for value, label in options])

    async def new_account(_):
        await attempt(lambda: services.create_technical_account(principal, [structure_id]),
                      lambda r: ("conn-shown-account", t("conn.password_is", login=r["login"], password=r["password"])))

    async def new_client(_):
        await attempt(lambda: services.create_api_client(principal, [structure_id], scopes.current, name=client_name),
                      lambda r: ("conn-shown-client", t("conn.secret_is", client_id=r["client_id"], secret=r["client_secret"])))

    async def new_webhook(_):
        await attempt(lambda: services.create_endpoint(principal, structure_id, url, events.current),
                      lambda r: ("conn-shown-webhook", t("conn.webhook_secret_is", secret=r["secret"])))

    def state(row):
        return html.span({"class_name": "badge badge-red" if row["revoked"] else "badge badge-green"},
                         t("conn.revoked" if row["revoked"] else "conn.active"))

    def client_actions(row):
        if row["revoked"]:
            return ""
        async def rotate(_):
            await attempt(lambda: services.rotate_api_client(principal, row["id"]),
                          lambda r: ("conn-shown-client", t("conn.secret_is", client_id=r["client_id"], secret=r["client_secret"])))

        async def revoke(_):
            await attempt(lambda: services.revoke_api_client(principal, row["id"]))
        return html.span(html.button({"type": "button", "class_name": "btn btn-secondary", "id": f"rotate-{row['id']}", "on_click": rotate},
                                     t("conn.rotate")), " ",
                         html.button({"type": "button", "class_name": "btn btn-danger", "id": f"revoke-client-{row['id']}",
                                      "on_click": revoke}, t("conn.revoke")))

    def account_actions(row):
        async def revoke(_):
            await attempt(lambda: services.revoke_technical_account(principal, row["id"]))
        return "" if row["revoked"] else html.button({"type": "button", "class_name": "btn btn-danger", "id": f"revoke-account-{row['id']}",
                                                      "on_click": revoke}, t("conn.revoke"))

    def webhook_actions(row):
        async def show(_):
            set_opened(row["id"])
            set_tick(lambda n: n + 1)
        return html.button({"type": "button", "class_name": "btn btn-secondary", "id": f"deliveries-{row['id']}", "on_click": show},
                           t("conn.deliveries"))

    def delivery_actions(row):
        async def replay(_):
            await attempt(lambda: services.replay(principal, row["id"]))
        return html.button({"type": "button", "class_name": "btn btn-secondary", "id": f"replay-{row['id']}", "on_click": replay},
                           t("conn.replay"))

    o = overview or {"technical_accounts": [], "api_clients": [], "webhooks": []}
    return html.div(
        {"class_name": "screen"},
        html.h1(t("conn.title")), html.p(t("conn.intro")),
        _structure_choice("conn-structure", structures, structure_id, set_chosen, t),
        html.div({"class_name": "alert alert-error", "role": "alert", "id": "conn-error"}, error) if error else "",
        html.div({"class_name": "alert alert-success", "role": "status", "id": shown[0]}, shown[1], html.br(),
                 html.strong(t("conn.shown_once"))) if shown else "",
        html.section({"class_name": "card", "aria-labelledby": "conn-accounts-title"},
                     html.h2({"id": "conn-accounts-title"}, t("conn.accounts")),
                     DataTable([Column("login", t("conn.login")), Column("revoked", t("conn.state"), state),
                                Column("id", "", account_actions)], o["technical_accounts"], table_id="conn-accounts",
                               empty_text=t("conn.none")),
                     html.div({"class_name": "actions"}, html.button({"type": "button", "class_name": "btn", "id": "conn-new-account", "on_click": new_account}, t("conn.new_account")))),
        html.section({"class_name": "card", "aria-labelledby": "conn-clients-title"},
                     html.h2({"id": "conn-clients-title"}, t("conn.clients")),
                     DataTable([Column("client_id", "client_id"), Column("name", t("conn.client_name")),
                                Column("scopes", t("conn.scopes"), lambda r: ", ".join(t(f"conn.scope.{s}") for s in r["scopes"])),
                                Column("revoked", t("conn.state"), state), Column("id", "", client_actions)],
                               o["api_clients"], table_id="conn-clients", empty_text=t("conn.none")),
                     html.div({"class_name": "field"}, html.label({"html_for": "conn-client-name"}, t("conn.client_name")),
                              html.input({"id": "conn-client-name", "value": client_name,
                                          "on_change": lambda e: set_client_name(e["target"]["value"])})),
                     html.p(t("conn.scopes")),
                     checkboxes("conn-scope", scopes, [(str(s), t(f"conn.scope.{s}")) for s in Scope]),
                     html.div({"class_name": "actions"}, html.button({"type": "button", "class_name": "btn", "id": "conn-new-client", "on_click": new_client}, t("conn.new_client")))),
        html.section({"class_name": "card", "aria-labelledby": "conn-webhooks-title"},
                     html.h2({"id": "conn-webhooks-title"}, t("conn.webhooks")),
                     DataTable([Column("url", "URL"), Column("events", t("conn.events"),
                                                             lambda r: ", ".join(t(f"conn.event.{e}") for e in r["events"])),
                                Column("id", "", webhook_actions)], o["webhooks"], table_id="conn-webhooks", empty_text=t("conn.none")),
                     html.div({"class_name": "field"}, html.label({"html_for": "conn-webhook-url"}, t("conn.webhook_url")),
                              html.input({"id": "conn-webhook-url", "type": "url", "value": url,
                                          "on_change": lambda e: set_url(e["target"]["value"])})),
                     html.p(t("conn.events")),
                     checkboxes("conn-event", events, [(str(e), t(f"conn.event.{e}")) for e in WebhookEvent]),
                     html.div({"class_name": "actions"}, html.button({"type": "button", "class_name": "btn", "id": "conn-new-webhook", "on_click": new_webhook}, t("conn.new_webhook"))),
                     html.div({"id": "conn-deliveries"}, html.h3(t("conn.deliveries")), DataTable(
                         [Column("event_type", t("conn.event"), lambda r: t(f"conn.event.{r['event_type']}")),
                          Column("status", t("conn.state"), lambda r: html.span({"data-status": r["status"]}, t(f"conn.delivery.{r['status']}"))),
                          Column("attempt_count", t("conn.attempts"), numeric=True), Column("id", "", delivery_actions)],
                         deliveries, table_id="conn-deliveries-table", empty_text=t("conn.no_deliveries"))) if opened else ""),
    )


@component
def FlowsScreen():
    session = use_session()
    t, lang = session.t, session.lang
    structures = use_issuing_structures(Action.VIEW_LOTS)  # a flow is a lot: who may follow lots follows flows
    chosen, set_chosen = use_state(None)
    structure_id = chosen or (structures[0].id if structures else None)
    pages, more, error, _ = use_pages(structure_id, lambda cursor: list_lots(session.principal, structure_id, limit=20, before=cursor),
                                      [f"lots:{structure_id}"], lang)
    if structures is None:
        return html.p({"aria-busy": "true"}, t("common.loading"))
    if not structures:
        return html.div({"class_name": "screen"}, html.h1(t("flows.title")),
                        html.div({"class_name": "alert alert-warning", "role": "alert"}, t("deposit.no_structure")))

    def flow_state(row):
        state = services.flow_state(row["status"])
        return html.span({"class_name": "badge", "data-state": state}, t(f"flows.state.{state}"))

    columns = [Column("number", t("flows.number")), Column("original_name", t("flows.file")),
               Column("created_at", t("flows.date"), lambda r: fmt_date(r["created_at"])),
               Column("status", t("flows.state"), flow_state),
               Column("integrated_count", t("flows.counts"), lambda r: f"{r['integrated_count']} / {r['rejected_count']}", numeric=True),
               Column("id", t("flows.report"), lambda r: Link(f"/factures-emises/lots/{r['id']}", t("flows.report")))]
    choices = [{"id": s.id, "identifier": s.identifier, "raison_sociale": s.raison_sociale} for s in structures]
    return html.div(
        {"class_name": "screen"},
        html.h1(t("flows.title")), html.p(t("flows.intro")),
        _structure_choice("flows-structure", choices, structure_id, set_chosen, t),
        html.div({"class_name": "alert alert-error", "role": "alert"}, error) if error else "",
        DataTable(columns, pages["items"] if pages else [], table_id="flows-table", empty_text=t("flows.empty")),
        html.button({"type": "button", "class_name": "btn btn-secondary", "id": "flows-more", "on_click": more}, t("flows.more")) if pages and pages["next"] else "",
    )
