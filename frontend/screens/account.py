"""Mon compte: details, language, notification preferences, structures and profiles, workspaces."""

from __future__ import annotations

import importlib.util

from reactpy import component, html, use_effect, use_state

import shared.i18n_accounts  # noqa: F401
import shared.i18n_organisation  # noqa: F401
import shared.i18n_connections  # noqa: F401
from backend.domain.accounts import profile
from backend.domain.structures import organisation
from backend.domain.structures.permissions import Action
from backend.infra.errors import DomainError
from frontend.components.form import TextField, error_for, field_setter, form_alert
from frontend.components.shell import Link
from frontend.components.siret_autocomplete import SiretAutocomplete
from frontend.components.service_choice import ServiceChoice
from frontend.context import use_session
from frontend.hooks.policy import use_allowed
from shared.applications import WORKSPACE_PATHS, Application, Level


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
        except DomainError as e:
            set_error(e)
            return
        set_saved(True)
        reload()

    return html.section(
        {"class_name": "card form", "aria-labelledby": "details-title"},
        html.h2({"id": "details-title"}, t("account.details")),
        html.p(html.strong(t("common.label", label=t("signup.email"))), user["email"]),
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


# The guide's labels: « Tous », « Facturation CPRO », and the daily digest.
PREFERENCE_LABELS = {"notify_all": "account.notify_all", "notify_billing": "account.notify_billing_cpro",
                     "notify_digest": "account.notify_digest"}


def _checkbox_setter(set_values, name: str):
    """ReactPy's client sends an input's `value` and `checked` but not its `type`, so a checkbox must be
    read from `checked` (its `value` is always "on": unticking was saved as ticked)."""
    def handle(event):
        checked = bool(event["target"].get("checked"))
        set_values(lambda old: {**old, name: checked})
    return handle


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
                               "on_change": _checkbox_setter(set_values, name)}),
                   html.label({"html_for": f"pref-{name}"}, t(PREFERENCE_LABELS[name])))
          for name in PREFERENCE_LABELS],
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
            html.ul(*[html.li({"key": f"{p['application']}-{p.get('service_code') or ''}"},
                              f"{Application(p['application']).label(lang)} {Level(p['level']).label(lang)}"
                              + (f" ({p['service_code']})" if p.get("service_code") else ""))
                      for p in s["profiles"]]),
        )

    workspace_error, set_workspace_error = use_state(None)

    # Every holder of « Organisation modification » on a structure decides its requests (not only its
    # gestionnaire principal): the policy names the structures, « Approbations »' own service says whether
    # one waits there (a user manages few structures: the first that has one is enough).
    decidable = use_allowed(Action.ORGANISATION_MODIFY)
    waiting, set_waiting = use_state(None)
    structure_ids = sorted(decidable[Action.ORGANISATION_MODIFY])

    @use_effect(dependencies=[decidable.ready, ",".join(map(str, structure_ids))])
    async def count_waiting():
        if decidable.ready:
            for structure_id in structure_ids:
                if await organisation.pending(session.principal, structure_id):
                    set_waiting(True)
                    return
            set_waiting(False)

    async def toggle(application: str, active: bool):
        set_workspace_error(None)
        try:
            await organisation.switch_workspace(session.principal, application, active)
        except DomainError as e:
            set_workspace_error(e)
            return
        reload()

    def workspace_row(app: Application):
        on = account["workspaces"].get(str(app), False)

        async def handle(_):
            await toggle(str(app), not on)
        return html.li({"key": str(app)},
                       html.button({"type": "button", "class_name": "btn-link", "aria-pressed": "true" if on else "false",
                                    "on_click": handle, "data-workspace": str(app)},
                                   ("☑ " if on else "☐ ") + app.label(lang)),
                       *([" ", Link(WORKSPACE_PATHS[app], t("conn.open"), label=f"{t('conn.open')} {app.label(lang)}")]
                         if on and app in WORKSPACE_PATHS else []))

    from shared.applications import WORKSPACE_DESCRIPTIONS

    return html._(
        html.section({"class_name": "card", "aria-labelledby": "structures-title", "id": "my-structures"},
                     html.h2({"id": "structures-title"}, t("account.structures")),
                     *(map(structure_block, structures) if structures else [html.p({"class_name": "empty"}, t("account.no_structure"))])),
        html.section({"class_name": "card", "aria-labelledby": "workspaces-title", "id": "my-workspaces"},
                     html.h2({"id": "workspaces-title"}, t("account.workspaces")),
                     form_alert(workspace_error, lang),
                     html.ul({"class_name": "plain"}, *[workspace_row(app) for app in sorted(WORKSPACE_DESCRIPTIONS, key=lambda a: a.label(lang))])),
        html.section({"class_name": "card", "aria-labelledby": "requests-title", "id": "requests-to-decide"},
                     html.h2({"id": "requests-title"}, t("account.requests")),
                     html.p(Link("/organisation", t("account.requests_link"))))
        if waiting else "",
        # the policy answered and the requests were counted: an absent link is absent, not late
        html.span({"hidden": True, "id": "requests-policy", "data-policy": "ready" if waiting is not None else "loading"}),
    )


@component
def WorkspaceToEnable(account, reload):
    """Reached from the notification « une facture attend votre validation »: one button switches the
    workspace on (a link never changes anything by itself)."""
    session = use_session()
    wanted = session.route.param("espace")
    if wanted not in {str(a) for a in Application} or account["workspaces"].get(wanted):
        return ""
    label = Application(wanted).label(session.lang)

    async def enable(_):
        await organisation.switch_workspace(session.principal, wanted, True)
        reload()
    return html.div({"class_name": "alert alert-info", "role": "status", "id": "workspace-to-enable"},
                    html.p(session.t("workspace.enable_title", label=label)),
                    html.button({"type": "button", "class_name": "btn", "id": "workspace-enable", "on_click": enable},
                                session.t("workspace.enable", label=label)))


@component
def MyAttachmentsCard(reload_account):
    """« Mes rattachements »: ask to join a structure (found with the SIRET autocomplete) at structure
    or service level, with a required comment; each request's state."""
    session = use_session()
    t = session.t
    mine, set_mine = use_state(None)
    version, set_version = use_state(0)
    structure, set_structure = use_state(None)  # the registered structure picked, with its services
    unknown, set_unknown = use_state(False)
    service_level, set_service_level = use_state(False)
    ticked, set_ticked = use_state(())
    comment, set_comment = use_state("")
    error, set_error = use_state(None)
    sent, set_sent = use_state(False)

    @use_effect(dependencies=[version])
    async def load():
        set_mine(await organisation.my_requests(session.principal))

    picked, set_picked = use_state(None)  # the autocomplete's choice (its callback is synchronous)

    @use_effect(dependencies=[picked["siret"] if picked else ""])
    async def find_structure():
        set_error(None)
        found = await organisation.structure_by_siret(picked["siret"]) if picked else None
        set_structure(found)
        set_unknown(picked is not None and found is None)
        set_ticked(())

    async def submit(_):
        set_error(None)
        set_sent(False)
        if structure is None:
            set_error(DomainError("structure_obligatoire", "structure"))
            return
        if service_level and not ticked:
            set_error(DomainError("service_obligatoire", "services"))
            return
        try:
            await organisation.ask(session.principal, structure["id"], service_ids=list(ticked) if service_level else [], comment=comment)
        except DomainError as e:
            set_error(e)
            return
        set_sent(True)
        set_version(lambda v: v + 1)
        reload_account()

    def level_radio(value: bool, key: str):
        return html.div({"class_name": "check", "key": key},
                        html.input({"type": "radio", "name": "attach-level", "id": f"attach-level-{key}", "default_checked": not value,
                                    "on_change": lambda _: set_service_level(value)}),
                        html.label({"html_for": f"attach-level-{key}"}, t(f"attach.level_{key}")))

    services = structure["services"] if structure else []
    service_block = ""
    if structure and service_level:
        service_block = ServiceChoice("attach", services, set_ticked, legend=t("attach.services"), ticked=ticked,
                                      empty=t("attach.no_service"))
    field_error = error_for(error, "comment", session.lang)

    def request_row(r):
        return html.tr({"key": str(r["id"]), "data-structure": r["identifier"]},
                       html.td(f"{r['raison_sociale']} ({r['identifier']})"), html.td(r["service_code"] or t("org.whole")),
                       html.td(t(f"attach.status.{r['status']}")), html.td(r["decision_comment"] or r["comment"] or ""))

    return html.section(
        {"class_name": "card form", "aria-labelledby": "attach-title", "id": "my-attachments"},
        html.h2({"id": "attach-title"}, t("attach.title")),
        html.h3(t("attach.mine")),
        (html.table({"class_name": "data", "id": "my-attachment-requests"},
                    html.thead(html.tr(html.th(t("org.structure")), html.th(t("org.col.service")), html.th(t("org.col.status")),
                                       html.th(t("org.col.comment")))),
                    html.tbody(*map(request_row, mine))) if mine else html.p({"class_name": "empty"}, t("attach.none")))
        if mine is not None else "",
        html.h3(t("attach.ask_title")),
        html.p({"class_name": "hint"}, t("attach.required_hint")),
        html.div({"role": "radiogroup", "aria-label": t("org.detach_level")}, level_radio(False, "structure"), level_radio(True, "service")),
        html.p(t("attach.identifier_type")),
        SiretAutocomplete(set_picked, input_id="attach-structure", label=t("attach.structure"), include_closed=False, required=True,
                          selected=picked,
                          error=error_for(error, "structure", session.lang)),
        html.p({"class_name": "alert alert-error", "role": "alert"}, t("attach.unknown")) if unknown else "",
        html.p({"id": "attach-picked"}, f"{structure['raison_sociale']} ({structure['identifier']})") if structure else "",
        service_block,
        html.div({"class_name": "field"},
                 html.label({"html_for": "attach-comment", "class_name": "required"}, t("attach.comment")),
                 html.textarea({"id": "attach-comment", "required": True, "aria-invalid": "true" if field_error else "false",
                                "on_change": lambda e: set_comment(e["target"].get("value") or "")}),
                 html.p({"class_name": "field-error", "role": "alert"}, field_error) if field_error else ""),
        form_alert(error, session.lang, fields=("comment", "structure")),
        html.div({"class_name": "alert alert-success", "role": "status"}, t("attach.sent")) if sent else "",
        html.div({"class_name": "actions"},
                 html.button({"type": "button", "class_name": "btn", "id": "attach-submit", "on_click": submit}, t("attach.submit"))),
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
        WorkspaceToEnable(account, reload),
        StructuresCard(account, reload),
        MyAttachmentsCard(reload),
        _support_activity(),
    )
