"""Support: find a user, see their state, unlock, resend activation, act as them; and the journal."""

from __future__ import annotations

from backend.domain.structures.permissions import Action, allows
from zoneinfo import ZoneInfo

from reactpy import component, html, use_effect, use_state

import shared.i18n_sollicitations  # noqa: F401
import shared.i18n_support  # noqa: F401
from backend.domain.support import services
from backend.infra.errors import DomainError
from frontend.components.attachment_summary import attachment_summary
from frontend.context import use_session

PARIS = ZoneInfo("Europe/Paris")


def _when(value):
    return value.astimezone(PARIS).strftime("%d/%m/%Y %H:%M") if value else "—"


@component
def UserPanel(user_id: int):
    session = use_session()
    t = session.t
    detail, set_detail = use_state(None)
    message, set_message = use_state(None)
    version, set_version = use_state(0)

    @use_effect(dependencies=[user_id, version])
    async def load():
        set_detail(await services.user_detail(session.principal, user_id))

    async def unlock(_):
        await services.unlock(session.principal, user_id)
        set_message(t("support.done"))
        set_version(version + 1)

    async def resend(_):
        try:
            await services.resend_activation(session.principal, user_id)
            set_message(t("support.done"))
        except DomainError as e:
            set_message(e.message(session.lang))

    if detail is None:
        return html.p({"aria-busy": "true"}, t("common.loading"))
    user = detail["user"]
    error = session.route.param("erreur")
    return html.section(
        {"class_name": "card", "id": "support-user", "data-user": str(user_id)},
        html.h2(f"{user['first_name']} {user['last_name']} — {user['email']}"),
        html.p(html.strong(t("common.label", label=t("support.state"))), user["status"], " ",
               html.span({"class_name": "badge badge-red"}, t("support.locked")) if user["locked"] else "",
               f" · {t('common.label', label=t('support.col.last_login'))}{_when(user['last_login_at'])}"),
        html.h3(t("support.attachments")),
        html.ul(*[html.li({"key": str(a["id"])}, attachment_summary(a, session.lang)) for a in detail["attachments"]]),
        html.h3(t("support.errors")),
        html.ul(*[html.li({"key": str(e["id"])}, f"{e['number']} — {e['status']} — {e['routing_error'] or ''}") for e in detail["recent_errors"]])
        if detail["recent_errors"] else html.p({"class_name": "empty"}, t("support.no_errors")),
        html.div({"class_name": "actions"},
                 html.button({"type": "button", "class_name": "btn btn-secondary", "on_click": unlock, "id": "support-unlock"}, t("support.unlock")),
                 html.button({"type": "button", "class_name": "btn btn-secondary", "on_click": resend, "id": "support-resend"}, t("support.resend"))
                 if user["status"] == "en_attente" else ""),
        html.div({"class_name": "alert", "role": "status"}, message) if message else "",
        html.form(
            {"method": "post", "action": "/api/support/impersonations/form", "class_name": "form", "id": "impersonate-form"},
            html.h3(t("support.act_as")),
            html.input({"type": "hidden", "name": "user_id", "value": str(user_id)}),
            html.div({"class_name": "field"},
                     html.label({"html_for": "impersonate-reason", "class_name": "required"}, t("support.reason")),
                     html.input({"id": "impersonate-reason", "name": "reason", "type": "text"}),
                     html.span({"class_name": "error", "role": "alert"}, t(f"support.error.{error}")) if error else ""),
            html.div({"class_name": "actions"}, html.button({"type": "submit", "class_name": "btn", "id": "impersonate-start"}, t("support.start"))),
        ),
    )


@component
def SupportScreen():
    session = use_session()
    t = session.t
    principal = session.principal
    query, set_query = use_state("")
    results, set_results = use_state(None)
    selected = session.route.param("utilisateur")

    if not allows(principal, Action.SUPPORT_TOOLS):
        return html.div({"class_name": "screen"}, html.h1(t("support.title")),
                        html.div({"class_name": "alert alert-error", "role": "alert"}, t("support.forbidden")))

    async def search(_):
        set_results(await services.search_users(principal, query))

    def open_user(user_id: int):
        def handle(_):
            session.navigate(f"/support?utilisateur={user_id}")
        return handle

    return html.div(
        {"class_name": "screen"},
        html.h1(t("support.title")),
        html.p(html.a({"href": "/support/journal", "id": "journal-link"}, t("support.journal")), " · ",
               html.a({"href": "/support/sollicitations", "id": "queue-link"}, t("queue.link"))),
        html.div({"class_name": "card filters", "role": "search"},
                 html.div({"class_name": "field", "style": {"flex": "1"}},
                          html.label({"html_for": "support-query"}, t("support.search")),
                          html.input({"id": "support-query", "type": "search", "on_change": lambda e: set_query(e["target"]["value"])})),
                 html.button({"type": "button", "class_name": "btn", "id": "support-search", "on_click": search}, t("support.search_button"))),
        "" if results is None else (html.p({"class_name": "empty"}, t("support.no_user")) if not results else html.table(
            {"class_name": "data", "id": "support-results"},
            html.thead(html.tr(*[html.th(t(f"support.col.{c}")) for c in ("email", "name", "status", "last_login")])),
            html.tbody(*[html.tr({"key": str(u["id"])},
                                 html.td(html.button({"type": "button", "class_name": "btn-link", "on_click": open_user(u["id"]),
                                                      "data-user": str(u["id"])}, u["email"])),
                                 html.td(f"{u['first_name']} {u['last_name']}"),
                                 html.td(u["status"] + (f" ({t('support.locked')})" if u["locked"] else "")),
                                 html.td(_when(u["last_login_at"]))) for u in results]))),
        UserPanel(int(selected)) if selected.isdigit() else "",
    )


@component
def SupportJournalScreen():
    session = use_session()
    t = session.t
    principal = session.principal
    rows, set_rows = use_state(None)
    before, set_before = use_state(None)

    @use_effect(dependencies=[before])
    async def load():
        page = await services.journal(principal, before_id=before)
        set_rows(lambda old: ([*(old or []), *page] if before else page))

    if not allows(principal, Action.SUPPORT_TOOLS):
        return html.div({"class_name": "screen"}, html.div({"class_name": "alert alert-error", "role": "alert"}, t("support.forbidden")))
    if rows is None:
        return html.p({"aria-busy": "true"}, t("common.loading"))
    return html.div(
        {"class_name": "screen wide"},
        html.h1(t("support.journal")),
        html.table({"class_name": "data", "id": "support-journal"},
                   html.thead(html.tr(*[html.th(t(f"support.journal.{c}")) for c in ("at", "agent", "target", "event", "what", "outcome", "request")])),
                   html.tbody(*[html.tr({"key": str(r["id"]), "data-event": r["event"]},
                                        html.td(_when(r["at"])), html.td(r["support_email"]), html.td(r["target_email"] or ""),
                                        html.td(r["event"]), html.td(f"{r['method'] or ''} {r['path'] or r['detail'] or ''}"),
                                        html.td(str(r["status_code"] or "")),
                                        html.td({"data-sollicitation": str(r["sollicitation_id"] or "")},
                                                html.a({"href": f"/support/sollicitations/{r['sollicitation_id']}"},
                                                       t("queue.journal_request", id=r["sollicitation_id"]))
                                                if r["sollicitation_id"] else "")) for r in rows])),
        html.div({"class_name": "actions"},
                 html.button({"type": "button", "class_name": "btn btn-secondary", "on_click": lambda _: set_before(rows[-1]["id"])},
                             t("support.journal.more"))) if len(rows) >= 50 else "",
    )
