"""Mon compte: details, language, notification preferences, structures and profiles, workspaces."""

from __future__ import annotations

import importlib.util

from reactpy import component, html, use_effect, use_state

import shared.i18n_accounts  # noqa: F401
from backend.domain.accounts import profile
from backend.infra.errors import ChoraleError
from frontend.components.form import TextField, error_for, field_setter, form_alert
from frontend.context import use_session
from shared.applications import Application, Level


@component
def DetailsCard(account, reload):
    session = use_session()
    t = session.t
    user = account["user"]
    values, set_values = use_state({})
    error, set_error = use_state(None)
    saved, set_saved = use_state(False)

    async def save(_):
        set_error(None)
        set_saved(False)
        try:
            await profile.update_details(session.principal, first_name=values.get("first_name"), last_name=values.get("last_name"),
                                         contact_email=values.get("contact_email"))
        except ChoraleError as e:
            set_error(e)
            return
        set_saved(True)
        reload()

    return html.section(
        {"class_name": "card form", "aria-labelledby": "details-title"},
        html.h2({"id": "details-title"}, t("account.details")),
        html.p(html.strong(t("signup.email"), " : "), user["email"]),
        html.div({"class_name": "form-row"},
                 TextField("last_name", t("signup.last_name"), field_setter(set_values, "last_name"), default=user["last_name"], required=True),
                 TextField("first_name", t("signup.first_name"), field_setter(set_values, "first_name"), default=user["first_name"], required=True)),
        TextField("contact_email", t("account.contact_email"), field_setter(set_values, "contact_email"), input_type="email",
                  default=user["contact_email"] or "", error=error_for(error, "contact_email", session.lang)),
        form_alert(error, session.lang, fields=("contact_email",)),
        html.div({"class_name": "alert alert-success", "role": "status"}, t("account.saved")) if saved else "",
        html.div({"class_name": "actions"}, html.button({"type": "button", "class_name": "btn", "id": "details-save", "on_click": save},
                                                        t("account.save"))),
    )


@component
def PreferencesCard(account, reload):
    session = use_session()
    t = session.t
    user = account["user"]
    values, set_values = use_state({"notify_all": user["notify_all"], "notify_billing": user["notify_billing"],
                                    "notify_digest": user["notify_digest"]})
    saved, set_saved = use_state(False)

    async def choose_lang(lang: str):
        await profile.update_details(session.principal, lang=lang)
        session.set_lang(lang)

    async def save(_):
        await profile.update_details(session.principal, notify_all=bool(values["notify_all"]), notify_billing=bool(values["notify_billing"]),
                                     notify_digest=bool(values["notify_digest"]))
        set_saved(True)
        reload()

    def lang_button(code: str, label: str):
        async def handle(_):
            await choose_lang(code)
        return html.button({"type": "button", "aria-pressed": "true" if session.lang == code else "false", "on_click": handle,
                            "id": f"lang-{code}"}, label)

    return html.section(
        {"class_name": "card", "aria-labelledby": "prefs-title"},
        html.h2({"id": "prefs-title"}, t("account.language")),
        html.div({"class_name": "toggle-group", "role": "group", "aria-label": t("account.language")},
                 lang_button("fr", "Français"), lang_button("en", "English")),
        html.h2({"style": {"margin_top": "1.5rem"}}, t("account.notifications")),
        *[html.div({"class_name": "check", "key": name},
                   html.input({"type": "checkbox", "id": f"pref-{name}", "default_checked": bool(values[name]),
                               "on_change": field_setter(set_values, name)}),
                   html.label({"html_for": f"pref-{name}"}, t(f"account.{name}")))
          for name in ("notify_all", "notify_billing", "notify_digest")],
        html.div({"class_name": "alert alert-success", "role": "status"}, t("account.saved")) if saved else "",
        html.div({"class_name": "actions"},
                 html.button({"type": "button", "class_name": "btn", "id": "prefs-save", "on_click": save}, t("account.save"))),
    )


@component
def StructuresCard(account, reload):
    session = use_session()
    t = session.t
    lang = session.lang
    structures = account["structures"]

    def structure_block(s):
        badges = []
        if s["is_principal"]:
            badges.append(html.span({"class_name": "badge badge-blue"}, t("account.principal")))
        if s["status"] == "demande":
            badges.append(html.span({"class_name": "badge badge-orange"}, t("account.requested")))
        return html.article(
            {"key": str(s["id"]), "class_name": "structure", "data-identifier": s["identifier"]},
            html.h3(s["raison_sociale"], " ", *badges),
            html.p({"class_name": "hint"}, f"SIRET {s['identifier']}"),
            html.ul(*[html.li({"key": p["application"]},
                              f"{Application(p['application']).label(lang)} {Level(p['level']).label(lang)}")
                      for p in s["profiles"]]),
        )

    async def toggle(application: str, active: bool):
        await profile.set_workspace(session.principal, application, active)
        reload()

    def workspace_row(app: Application):
        on = account["workspaces"].get(str(app), False)

        async def handle(_):
            await toggle(str(app), not on)
        return html.li({"key": str(app)},
                       html.button({"type": "button", "class_name": "btn-link", "aria-pressed": "true" if on else "false",
                                    "on_click": handle, "data-workspace": str(app)},
                                   ("☑ " if on else "☐ ") + app.label(lang)))

    async def decide(request_id: int, approve: bool):
        await profile.decide_attachment(session.principal, request_id, approve)
        reload()

    def request_row(r):
        async def approve(_):
            await decide(r["id"], True)

        async def refuse(_):
            await decide(r["id"], False)
        return html.tr({"key": str(r["id"])}, html.td(f"{r['first_name']} {r['last_name']} ({r['email']})"), html.td(r["raison_sociale"]),
                       html.td(html.button({"type": "button", "class_name": "btn", "on_click": approve}, t("account.approve")), " ",
                               html.button({"type": "button", "class_name": "btn btn-secondary", "on_click": refuse}, t("account.refuse"))))

    from shared.applications import WORKSPACE_DESCRIPTIONS

    return html._(
        html.section({"class_name": "card", "aria-labelledby": "structures-title", "id": "my-structures"},
                     html.h2({"id": "structures-title"}, t("account.structures")),
                     *(map(structure_block, structures) if structures else [html.p({"class_name": "empty"}, t("account.no_structure"))])),
        html.section({"class_name": "card", "aria-labelledby": "workspaces-title", "id": "my-workspaces"},
                     html.h2({"id": "workspaces-title"}, t("account.workspaces")),
                     html.ul({"class_name": "plain"}, *[workspace_row(app) for app in sorted(WORKSPACE_DESCRIPTIONS, key=lambda a: a.label(lang))])),
        html.section({"class_name": "card", "aria-labelledby": "requests-title"},
                     html.h2({"id": "requests-title"}, t("account.requests")),
                     html.table({"class_name": "data"}, html.tbody(*map(request_row, account["attachment_requests"]))))
        if account["attachment_requests"] else "",
    )


def _support_activity():
    """The support slice's "Interventions du support" section, when that slice is installed."""
    if importlib.util.find_spec("frontend.components.support_activity") is None:
        return ""
    from frontend.components.support_activity import SupportActivity

    return SupportActivity()


@component
def AccountScreen():
    session = use_session()
    account, set_account = use_state(None)
    version, set_version = use_state(0)

    @use_effect(dependencies=[version])
    async def load():
        set_account(await profile.my_account(session.principal))

    if account is None:
        return html.p({"aria-busy": "true"}, session.t("common.loading"))

    def reload():
        set_version(lambda v: v + 1)

    return html.div(
        {"class_name": "screen"},
        html.h1(session.t("account.title")),
        html.div({"class_name": "grid-2"}, DetailsCard(account, reload), PreferencesCard(account, reload)),
        StructuresCard(account, reload),
        _support_activity(),
    )
