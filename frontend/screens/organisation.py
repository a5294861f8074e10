"""« Activités du gestionnaire »: Approbations (pending attachment requests: approve with the profiles
chosen, or refuse with a reason), the users' habilitations (the guide's table: Structure, Contact,
Service, Statut du service, Profil; edit, detach) and the structure's history. Everything through
backend.domain.structures.organisation, which checks the Organisation profile itself."""

from __future__ import annotations

from urllib.parse import quote

from reactpy import component, html, use_effect, use_state

import shared.i18n_organisation  # noqa: F401
from backend.domain.structures import organisation, structure_files
from backend.domain.structures.rules import ASSIGNABLE
from backend.infra.errors import DomainError
from frontend.components.dialog import Dialog
from frontend.components.form import form_alert
from frontend.components.french_rules import FrenchRulesSetting
from frontend.components.service_choice import ServiceChoice
from frontend.components.tabs import tab_panel, tab_strip
from frontend.components.upload import UploadField
from frontend.context import use_session
from shared.applications import Application, Level
from shared import i18n
from shared.formatting import moment

TABS = ("approvals", "users", "services", "structure", "files", "journal")


def _profile_label(application: str, level: str, lang: str) -> str:
    return f"{Application(application).label(lang)} {Level(level).label(lang)}"


def _text_value(event) -> str:
    return event["target"].get("value") or ""


@component
def ProfileChoice(prefix: str, initial: dict, on_change, applications=ASSIGNABLE):
    """One select per application: none, consultation, modification (keyboard-usable native selects).
    Uncontrolled, from `initial` (what the dialog was opened with, never a state still on its way): a
    controlled select could be reset by a render the server sends just after the person's choice.
    `on_change(application, level)` reports each choice; callers keep only those changes."""
    session = use_session()
    t = session.t

    def row(app: Application):
        select_id = f"{prefix}-{app}"

        def handle(event):
            on_change(str(app), event["target"].get("value") or None)
        return html.div({"class_name": "form-row", "key": str(app)},
                        html.label({"html_for": select_id}, app.label(session.lang)),
                        html.select({"id": select_id, "default_value": initial.get(str(app)) or "", "on_change": handle},
                                    html.option({"value": ""}, t("org.none_level")),
                                    *[html.option({"value": str(lv)}, lv.label(session.lang)) for lv in Level]))
    return html.div({"class_name": "profile-choice", "key": prefix}, *[row(app) for app in applications])


def _approval_start(request: dict) -> dict:
    """A request to a recipient's service starts from Factures reçues consultation."""
    return {str(Application.FACTURES_RECUES): str(Level.CONSULTATION)} if request["service_id"] else {}


@component
def ApprovalsTab(structure: dict, reload, version):
    session = use_session()
    t = session.t
    requests, set_requests = use_state(None)
    deciding, set_deciding = use_state(None)  # (request, "approve" | "refuse")
    profiles, set_profiles = use_state({})
    reason, set_reason = use_state("")
    error, set_error = use_state(None)
    done, set_done = use_state(None)

    @use_effect(dependencies=[structure["id"], version])
    async def load():
        set_requests(await organisation.pending(session.principal, structure["id"]))

    if requests is None:
        return html.p({"aria-busy": "true"}, t("common.loading"))
    writable = structure["level"] == str(Level.MODIFICATION)

    def open_dialog(request, mode):
        def handle(_):
            set_error(None)
            set_reason("")
            set_profiles({})
            set_deciding((request, mode))
        return handle

    async def confirm(_):
        request, mode = deciding
        try:
            if mode == "approve":
                await organisation.approve(session.principal, request["id"], {**_approval_start(request), **profiles})
            else:
                await organisation.refuse(session.principal, request["id"], reason)
        except DomainError as e:
            set_error(e)
            return
        set_deciding(None)
        set_done(t("org.approved" if mode == "approve" else "org.refused"))
        reload()

    def row(r):
        name = r["user"]["name"]
        return html.tr({"key": str(r["id"]), "data-request": str(r["id"])},
                       html.td(name, html.br(), html.span({"class_name": "hint"}, r["user"]["email"])),
                       html.td(r["service_code"] or t("org.whole")),
                       html.td(r["comment"] or ""),
                       html.td(html.button({"type": "button", "class_name": "btn", "on_click": open_dialog(r, "approve"),
                                            "aria-label": f"{t('org.approve')} {name}"}, t("org.approve")), " ",
                               html.button({"type": "button", "class_name": "btn btn-secondary", "on_click": open_dialog(r, "refuse"),
                                            "aria-label": f"{t('org.refuse')} {name}"}, t("org.refuse")))
                       if writable else html.td(""))

    dialog = ""
    if deciding is not None:
        request, mode = deciding
        name = request["user"]["name"]
        if mode == "approve":
            body = ProfileChoice(f"approve-{request['id']}", _approval_start(request), lambda app, lv: set_profiles(lambda old: {**old, app: lv}))
        else:
            body = html.div({"class_name": "field"},
                            html.label({"html_for": "refuse-reason", "class_name": "required"}, t("org.reason")),
                            html.textarea({"id": "refuse-reason", "required": True, "on_change": lambda e: set_reason(_text_value(e))}))
        dialog = Dialog(t(f"org.{mode}_title", name=name), body, form_alert(error, session.lang), dialog_id="decision-dialog",
                        role="alertdialog", on_close=lambda: set_deciding(None),
                        actions=[html.button({"type": "button", "class_name": "btn btn-secondary", "on_click": lambda _: set_deciding(None)},
                                             t("org.cancel")),
                                 html.button({"type": "button", "class_name": "btn", "id": "decision-confirm", "on_click": confirm},
                                             t(f"org.confirm_{mode}"))])
    return html.div(
        html.div({"class_name": "alert alert-success", "role": "status"}, done) if done else "",
        html.table({"class_name": "data", "id": "approvals"},
                   html.thead(html.tr(html.th(t("org.col.user")), html.th(t("org.col.service")), html.th(t("org.col.comment")),
                                      html.th(t("org.col.actions")))),
                   html.tbody(*map(row, requests))) if requests else html.p({"class_name": "empty"}, t("org.approvals.empty")),
        dialog,
    )


@component
def UserDetail(user: dict, export_href: str):
    """The guide's detail of a user: addresses, notification choice, dates, language, status; « Exporter »."""
    session = use_session()
    t = session.t

    def when(value):
        return value.strftime("%d/%m/%Y %H:%M:%S") if value else "—"
    items = [("org.detail.email", user["email"]), ("org.detail.contact_email", user["contact_email"] or "—"),
             ("org.detail.notifications", t("org.detail.on" if user["notify_all"] or user["notify_billing"] else "org.detail.off")),
             ("org.detail.created_at", when(user["created_at"])), ("org.detail.last_login_at", when(user["last_login_at"])),
             ("org.detail.lang", "Français" if user["lang"] == "fr" else "English"), ("org.detail.status", (user["status"] or "").upper())]
    return html.section({"class_name": "card", "id": "user-detail", "aria-labelledby": "user-detail-title"},
                        html.h3({"id": "user-detail-title"}, user["name"]),
                        html.dl(*[part for key, value in items for part in (html.dt(t(key)), html.dd(value))]),
                        html.a({"href": export_href, "class_name": "btn", "id": "user-export", "download": True}, t("org.export")))


@component
def AttachUserForm(structure: dict, reload):
    """« Rattacher un utilisateur »: by e-mail address, at structure or service level, with profiles; an
    address with no account is invited (its names are then asked)."""
    session = use_session()
    t = session.t
    services, set_services = use_state([])
    values, set_values = use_state({"email": "", "first_name": "", "last_name": ""})
    ticked, set_ticked = use_state(())
    profiles, set_profiles = use_state({})
    error, set_error = use_state(None)
    done, set_done = use_state(None)

    @use_effect(dependencies=[structure["id"]])
    async def load():
        set_services(await organisation.structure_services(structure["id"]))

    def text(name: str):
        return lambda e: set_values(lambda old: {**old, name: _text_value(e)})

    async def submit(_):
        set_error(None)
        set_done(None)
        try:
            outcome = await organisation.attach_user(session.principal, structure["id"], email=values["email"], service_ids=list(ticked),
                                                     profiles=profiles, first_name=values["first_name"], last_name=values["last_name"])
        except DomainError as e:
            set_error(e)
            return
        set_done(t("org.attach_invited" if outcome["invited"] else "org.attach_done"))
        reload()

    def input_field(name: str, label_key: str, kind: str = "text", required: bool = False):
        return html.div({"class_name": "field", "key": name},
                        html.label({"html_for": f"attach-user-{name}", "class_name": "required" if required else ""}, t(label_key)),
                        html.input({"id": f"attach-user-{name}", "type": kind, "on_change": text(name),
                                    "aria-invalid": "true" if getattr(error, "field", None) == name else "false"}))
    return html.details(
        {"id": "attach-user", "class_name": "card"},
        html.summary(t("org.attach_title")),
        input_field("email", "org.attach_email", "email", required=True),
        html.div({"class_name": "form-row"}, input_field("last_name", "org.attach_last_name"), input_field("first_name", "org.attach_first_name")),
        ServiceChoice("attach-user", services, set_ticked, legend=t("org.attach_services")) if services else "",
        ProfileChoice("attach-user-profile", {}, lambda app, lv: set_profiles(lambda old: {**old, app: lv})),
        form_alert(error, session.lang),
        html.div({"class_name": "alert alert-success", "role": "status"}, done) if done else "",
        html.div({"class_name": "actions"},
                 html.button({"type": "button", "class_name": "btn", "id": "attach-user-submit", "on_click": submit}, t("org.attach_submit"))),
    )


@component
def UsersTab(structure: dict, reload, version):
    session = use_session()
    t = session.t
    lang = session.lang
    users, set_users = use_state(None)
    search, set_search = use_state("")
    editing, set_editing = use_state(None)  # (user, "profiles" | "detach")
    profiles, set_profiles = use_state({})
    comment, set_comment = use_state("")
    detach_service, set_detach_service = use_state("")
    profile_scope, set_profile_scope = use_state("")  # "": the whole structure; else one of the user's services (its own levels)
    error, set_error = use_state(None)
    done, set_done = use_state(None)
    detail, set_detail = use_state(None)  # the user id shown in « Afficher un utilisateur »

    @use_effect(dependencies=[structure["id"], search, version])
    async def load():
        set_users(await organisation.users(session.principal, structure["id"], search))

    if users is None:
        return html.p({"aria-busy": "true"}, t("common.loading"))
    writable = structure["level"] == str(Level.MODIFICATION)
    i_am_principal = any(u["is_principal"] and u["id"] == session.principal.user_id for u in users)

    def open_dialog(user, mode):
        def handle(_):
            set_error(None)
            set_comment("")
            set_detach_service("")
            set_profile_scope("")
            set_profiles({})
            set_editing((user, mode))
        return handle

    async def confirm(_):
        user, mode = editing
        try:
            if mode == "profiles":
                await organisation.set_profiles(session.principal, structure["id"], user["id"], profiles,
                                                service_id=int(profile_scope) if profile_scope else None)
            elif mode == "handover":
                await organisation.hand_over(session.principal, structure["id"], user["id"])
            else:
                await organisation.detach(session.principal, structure["id"], user["id"],
                                          service_id=int(detach_service) if detach_service else None, comment=comment)
        except DomainError as e:
            set_error(e)
            return
        set_editing(None)
        set_done(t({"profiles": "org.profiles_saved", "handover": "org.handed_over"}.get(mode, "org.detached"), name=user["name"]))
        reload()

    def rows(user):
        services = user["services"] or [None]
        profile_lines = ([_profile_label(a, lv, lang) for a, lv in sorted(user["profiles"].items())]
                         + [f"{_profile_label(a, lv, lang)} ({s['code']})" for s in user["services"]
                            for a, lv in sorted(s.get("profiles", {}).items())]) or ["—"]
        name = user["name"]
        actions = html.td({"rowspan": len(services)},
                          html.button({"type": "button", "class_name": "btn-link", "on_click": open_dialog(user, "profiles"),
                                       "aria-label": f"{t('org.edit_profiles')} {name}"}, t("org.edit_profiles")), " ",
                          html.button({"type": "button", "class_name": "btn-link", "on_click": open_dialog(user, "detach"),
                                       "aria-label": f"{t('org.detach')} {name}"}, t("org.detach")),
                          # The gestionnaire principal hands the role over to another member (the structure keeps one).
                          *([" ", html.button({"type": "button", "class_name": "btn-link", "on_click": open_dialog(user, "handover"),
                                               "aria-label": f"{t('org.hand_over')} {name}"}, t("org.hand_over"))]
                            if i_am_principal and user["id"] != session.principal.user_id else [])) if writable else html.td(
            {"rowspan": len(services)}, "")
        out = []
        for index, service in enumerate(services):
            cells = []
            if index == 0:
                cells += [actions, html.td({"rowspan": len(services)}, structure["raison_sociale"]),
                          html.td({"rowspan": len(services)},
                                  html.button({"type": "button", "class_name": "btn-link", "aria-expanded": "true" if detail == user["id"] else "false",
                                               "on_click": lambda _: set_detail(user["id"] if detail != user["id"] else None)}, name), " ",
                                  html.span({"class_name": "badge badge-blue"}, t("org.principal")) if user["is_principal"] else "",
                                  html.br(), html.span({"class_name": "hint"}, user["contact_email"] or user["email"]))]
            cells += [html.td(service["code"] if service else t("org.whole")),
                      html.td("" if service is None else t("org.service_active" if service["active"] else "org.service_inactive"))]
            if index == 0:
                cells.append(html.td({"rowspan": len(services)}, html.ul({"class_name": "plain"},
                                                                        *[html.li({"key": p}, p) for p in profile_lines])))
            out.append(html.tr({"key": f"{user['id']}-{index}", "data-user": user["email"]}, *cells))
        return out

    dialog = ""
    if editing is not None:
        user, mode = editing
        if mode == "profiles":
            scoped = next((s for s in user["services"] if str(s["id"]) == profile_scope), None)

            def choose_scope(e):
                set_profiles({})  # the choices made were for the other scope
                set_profile_scope(_text_value(e))
            scope = html.div({"class_name": "field"},
                             html.label({"html_for": "profile-scope"}, t("org.profile_scope")),
                             html.select({"id": "profile-scope", "default_value": profile_scope, "on_change": choose_scope},
                                         html.option({"value": ""}, t("org.whole")),
                                         *[html.option({"value": str(s["id"]), "key": str(s["id"])}, s["code"]) for s in user["services"]])
                             ) if user["services"] else ""
            body = html.div(scope, ProfileChoice(f"profiles-{user['id']}-{profile_scope or 'all'}",
                                                 scoped.get("profiles", {}) if scoped else user["profiles"],
                                                 lambda app, lv: set_profiles(lambda old: {**old, app: lv})))
            title = f"{t('org.edit_profiles')} — {user['name']}"
        elif mode == "handover":
            title = t("org.hand_over_title", name=user["name"])
            body = html.p(t("org.hand_over_text", name=user["name"]))
        else:
            title = t("org.detach_title", name=user["name"])
            body = html.div(
                html.div({"class_name": "field"},
                         html.label({"html_for": "detach-level"}, t("org.detach_level")),
                         html.select({"id": "detach-level", "default_value": "", "on_change": lambda e: set_detach_service(_text_value(e))},
                                     html.option({"value": ""}, t("org.whole")),
                                     *[html.option({"value": str(s["id"]), "key": str(s["id"])}, s["code"]) for s in user["services"]])),
                html.div({"class_name": "field"},
                         html.label({"html_for": "detach-comment", "class_name": "required"}, t("org.detach_comment")),
                         html.textarea({"id": "detach-comment", "required": True, "on_change": lambda e: set_comment(_text_value(e))})))
        dialog = Dialog(title, body, form_alert(error, lang), dialog_id="user-dialog", role="alertdialog", on_close=lambda: set_editing(None),
                        actions=[html.button({"type": "button", "class_name": "btn btn-secondary", "on_click": lambda _: set_editing(None)},
                                             t("org.cancel")),
                                 html.button({"type": "button", "class_name": "btn", "id": "user-dialog-confirm", "on_click": confirm},
                                             t({"profiles": "org.save_profiles", "handover": "org.hand_over"}.get(mode, "org.confirm_detach")))])
    export_base = f"/api/organisation/structures/{structure['id']}/users/export"
    shown = next((u for u in users if u["id"] == detail), None)
    return html.div(
        html.div({"class_name": "alert alert-success", "role": "status"}, done) if done else "",
        UserDetail(shown, f"{export_base}?format=csv&user_id={shown['id']}") if shown else "",
        AttachUserForm(structure, reload) if writable else "",
        html.div({"class_name": "actions"},
                 html.a({"href": f"{export_base}?format=csv&q={quote(search)}", "class_name": "btn btn-secondary", "id": "users-export-csv",
                         "download": True}, t("org.export_csv")),
                 html.a({"href": f"{export_base}?format=xlsx&q={quote(search)}", "class_name": "btn btn-secondary", "id": "users-export-xlsx",
                         "download": True}, t("org.export_xlsx"))),
        html.div({"class_name": "field"}, html.label({"html_for": "org-search"}, t("org.search")),
                 html.input({"id": "org-search", "type": "search", "on_change": lambda e: set_search(_text_value(e))})),
        html.table({"class_name": "data", "id": "org-users"},
                   html.thead(html.tr(*[html.th(t(f"org.col.{c}")) for c in ("actions", "structure_h", "contact", "service",
                                                                            "service_status", "profile")])),
                   html.tbody(*[r for user in users for r in rows(user)])),
        dialog,
    )


@component
def ServicesTab(structure: dict, reload, version):
    """« Gérer un service »: consultation of every service, creation, modification, activation and
    deactivation (a deactivated service takes no new invoice)."""
    session = use_session()
    t = session.t
    services, set_services = use_state(None)
    form, set_form = use_state({"code": "", "libelle": "", "requires_engagement": False})
    error, set_error = use_state(None)
    done, set_done = use_state(None)

    @use_effect(dependencies=[structure["id"], version])
    async def load():
        set_services(await organisation.services(session.principal, structure["id"]))

    if services is None:
        return html.p({"aria-busy": "true"}, t("common.loading"))
    writable = structure["level"] == str(Level.MODIFICATION)

    async def run(action, message_key):
        set_error(None)
        try:
            await action()
        except DomainError as e:
            set_error(e)
            return False
        set_done(t(message_key))
        reload()
        return True

    async def create(_):
        await run(lambda: organisation.create_service(session.principal, structure["id"], code=form["code"], libelle=form["libelle"],
                                                      requires_engagement=form["requires_engagement"]), "org.service_created")

    def toggle(service: dict, field: str):
        async def handle(_):
            await run(lambda: organisation.update_service(session.principal, structure["id"], service["id"],
                                                          **{field: not service[field]}), "org.service_saved")
        return handle

    def field(name: str):
        return lambda e: set_form(lambda old: {**old, name: (bool(e["target"].get("checked")) if name == "requires_engagement"
                                                             else e["target"].get("value") or "")})

    def row(s: dict):
        cells = [html.td(s["code"]), html.td(s["libelle"]),
                 html.td(t("org.service_active" if s["active"] else "org.service_inactive")),
                 html.td(t("org.yes") if s["requires_engagement"] else t("org.no"))]
        if writable:
            cells.append(html.td(
                html.button({"type": "button", "class_name": "btn-link", "on_click": toggle(s, "active"),
                             "aria-label": f"{t('org.deactivate' if s['active'] else 'org.activate')} {s['code']}"},
                            t("org.deactivate" if s["active"] else "org.activate")), " ",
                html.button({"type": "button", "class_name": "btn-link", "on_click": toggle(s, "requires_engagement"),
                             "aria-label": f"{t('org.toggle_engagement')} {s['code']}"}, t("org.toggle_engagement"))))
        return html.tr({"key": str(s["id"]), "data-service": s["code"]}, *cells)

    return html.div(
        html.div({"class_name": "alert alert-success", "role": "status"}, done) if done else "",
        form_alert(error, session.lang),
        html.table({"class_name": "data", "id": "org-services"},
                   html.thead(html.tr(html.th(t("org.col.code")), html.th(t("org.col.libelle")), html.th(t("org.col.service_status")),
                                      html.th(t("org.col.engagement")), html.th(t("org.col.actions")) if writable else "")),
                   html.tbody(*map(row, services))) if services else
        html.p({"class_name": "empty", "id": "org-services-empty"}, t("org.services_none")),
        html.fieldset({"id": "service-create"}, html.legend(t("org.service_create")),
                      html.div({"class_name": "form-row"},
                               html.div({"class_name": "field"}, html.label({"html_for": "service-code", "class_name": "required"}, t("org.col.code")),
                                        html.input({"id": "service-code", "on_change": field("code")})),
                               html.div({"class_name": "field"}, html.label({"html_for": "service-libelle", "class_name": "required"}, t("org.col.libelle")),
                                        html.input({"id": "service-libelle", "on_change": field("libelle")}))),
                      html.div({"class_name": "check"},
                               html.input({"type": "checkbox", "id": "service-engagement", "on_change": field("requires_engagement")}),
                               html.label({"html_for": "service-engagement"}, t("org.col.engagement"))),
                      html.div({"class_name": "actions"},
                               html.button({"type": "button", "class_name": "btn", "id": "service-create-submit", "on_click": create},
                                           t("org.service_create")))) if writable else "",
    )


@component
def StructureTab(structure: dict, reload, version):
    """« Gérer une structure »: its details and its flags « service obligatoire », « engagement obligatoire »
    (they make those fields required on deposits); each change is kept in the history."""
    session = use_session()
    t = session.t
    details, set_details = use_state(None)
    changes, set_changes = use_state({})
    error, set_error = use_state(None)
    done, set_done = use_state(False)

    @use_effect(dependencies=[structure["id"], version])
    async def load():
        set_details(await organisation.structure_details(session.principal, structure["id"]))

    if details is None:
        return html.p({"aria-busy": "true"}, t("common.loading"))
    writable = structure["level"] == str(Level.MODIFICATION)

    async def save(_):
        set_error(None)
        set_done(False)
        try:
            await organisation.update_structure(session.principal, structure["id"], changes)
        except DomainError as e:
            set_error(e)
            return
        set_done(True)
        set_changes({})
        reload()

    def text(name: str, required: bool = False):
        return html.div({"class_name": "field", "key": name},
                        html.label({"html_for": f"structure-{name}", "class_name": "required" if required else ""}, t(f"org.field.{name}")),
                        html.input({"id": f"structure-{name}", "default_value": details[name] or "", "disabled": not writable,
                                    "aria-invalid": "true" if getattr(error, "field", None) == name else "false",
                                    "on_change": lambda e: set_changes(lambda old: {**old, name: e["target"].get("value") or ""})}))

    def flag(name: str):
        return html.div({"class_name": "check", "key": name},
                        html.input({"type": "checkbox", "id": f"structure-{name}", "default_checked": bool(details[name]),
                                    "disabled": not writable,
                                    "on_change": lambda e: set_changes(lambda old: {**old, name: bool(e["target"].get("checked"))})}),
                        html.label({"html_for": f"structure-{name}"}, t(f"org.field.{name}")))

    return html.div(
        {"id": "structure-form", "class_name": "form"},
        html.p(html.strong(details["raison_sociale"]), f" — {details['identifier_type']} {details['identifier']}"),
        text("libelle"), text("address", True), text("complement1"), text("complement2"),
        html.div({"class_name": "form-row"}, text("postcode", True), text("city", True)),
        flag("requires_service_code"), flag("requires_engagement"),
        form_alert(error, session.lang),
        html.div({"class_name": "alert alert-success", "role": "status"}, t("account.saved")) if done else "",
        html.div({"class_name": "actions"},
                 html.button({"type": "button", "class_name": "btn", "id": "structure-save", "on_click": save}, t("account.save")))
        if writable else "",
        FrenchRulesSetting(structure["id"]),  # issue 17, owned by the lots work: its own component
    )


@component
def FilesTab(structure: dict, reload, version):
    """« Créer une pièce-jointe » and « Télécharger une pièce-jointe »: the structure's own documents (not its
    rattachements). The file goes from the browser straight to the upload route (UploadField)."""
    session = use_session()
    t = session.t
    found, set_found = use_state(None)
    deleting, set_deleting = use_state(None)  # the file whose deletion awaits confirmation
    error, set_error = use_state(None)
    done, set_done = use_state(None)
    upload_key, set_upload_key = use_state(0)  # a new key empties the file field and the designation after an upload

    @use_effect(dependencies=[structure["id"], version])
    async def load():
        set_found(await structure_files.files(session.principal, structure["id"]))

    if found is None:
        return html.p({"aria-busy": "true"}, t("common.loading"))
    writable = structure["level"] == str(Level.MODIFICATION)
    base = f"/api/organisation/structures/{structure['id']}/files"

    def added(body: dict):
        set_done(t("org.files.added", name=body.get("original_name", "")))
        set_upload_key(lambda k: k + 1)
        reload()

    async def confirm_delete(_):
        try:
            await structure_files.delete_file(session.principal, structure["id"], deleting["id"])
        except DomainError as e:
            set_error(e)
            return
        set_deleting(None)
        set_done(t("org.files.deleted", name=deleting["original_name"]))
        reload()

    def open_delete(row):
        def handle(_):
            set_error(None)
            set_deleting(row)
        return handle

    def row(f: dict):
        actions = [html.a({"href": f"{base}/{f['id']}", "class_name": "btn-link", "download": True,
                           "aria-label": f"{t('org.files.download')} {f['original_name']}"}, t("org.files.download"))]
        if writable:
            actions += [" ", html.button({"type": "button", "class_name": "btn-link", "on_click": open_delete(f),
                                          "aria-label": f"{t('org.files.delete')} {f['original_name']}"}, t("org.files.delete"))]
        return html.tr({"key": str(f["id"]), "data-file": f["original_name"]},
                       html.td(f["original_name"]), html.td(f["designation"]), html.td(moment(f["created_at"], session.lang)),
                       html.td(*actions))

    create = html.fieldset(
        {"id": "structure-file-create", "key": f"create-{upload_key}"}, html.legend(t("org.files.create")),
        html.div({"class_name": "field"},
                 html.label({"html_for": "structure-file-designation"}, t("org.files.designation")),
                 html.input({"id": "structure-file-designation", "maxlength": 200, "aria-describedby": "structure-file-designation-hint"}),
                 html.p({"class_name": "hint", "id": "structure-file-designation-hint"}, t("org.files.designation_hint"))),
        UploadField(base, input_id="structure-file", label=t("org.files.file"), hint=t("org.files.hint"), required=True,
                    accept=".pdf,.png,.bmp,.tif,.tiff,.xml,.csv", on_done=added, on_start=lambda _info: set_done(None),
                    params_from={"designation": "structure-file-designation"}),
    ) if writable else ""
    dialog = ""
    if deleting is not None:
        dialog = Dialog(t("org.files.delete_title", name=deleting["original_name"]), html.p(t("org.files.delete_text")),
                        form_alert(error, session.lang), dialog_id="file-dialog", role="alertdialog", on_close=lambda: set_deleting(None),
                        actions=[html.button({"type": "button", "class_name": "btn btn-secondary", "on_click": lambda _: set_deleting(None)},
                                             t("org.cancel")),
                                 html.button({"type": "button", "class_name": "btn", "id": "file-dialog-confirm", "on_click": confirm_delete},
                                             t("org.files.delete"))])
    return html.div(
        html.div({"class_name": "alert alert-success", "role": "status"}, done) if done else "",
        create,
        html.h2(t("org.files.list")),
        html.table({"class_name": "data", "id": "structure-files"},
                   html.thead(html.tr(html.th(t("org.files.name")), html.th(t("org.files.designation")), html.th(t("org.col.date")),
                                      html.th(t("org.col.actions")))),
                   html.tbody(*map(row, found))) if found else html.p({"class_name": "empty", "id": "structure-files-empty"},
                                                                     t("org.files.empty")),
        dialog,
    )


def journal_kind(kind: str, t) -> str:
    """The change's label from the catalogue; a kind the catalogue lacks (an older row) shows as written."""
    key = f"org.journal.kind.{kind}"
    return t(key) if i18n.has(key) else kind.replace("_", " ")


@component
def JournalTab(structure: dict, version):
    session = use_session()
    t = session.t
    entries, set_entries = use_state(None)

    @use_effect(dependencies=[structure["id"], version])
    async def load():
        set_entries(await organisation.journal(session.principal, structure["id"]))

    if entries is None:
        return html.p({"aria-busy": "true"}, t("common.loading"))
    if not entries:
        return html.p({"class_name": "empty"}, t("org.journal.empty"))
    return html.table({"class_name": "data", "id": "org-journal"},
                      html.thead(html.tr(html.th(t("org.col.date")), html.th(t("org.col.who")), html.th(t("org.col.what")))),
                      html.tbody(*[html.tr({"key": str(e["id"])}, html.td(e["created_at"].strftime("%d/%m/%Y %H:%M")),
                                           html.td(e["actor"] or "—", " ", t("org.acting_as", label=e["acting_as"]) if e["acting_as"] else ""),
                                           html.td(html.span({"data-kind": e["kind"]}, journal_kind(e["kind"], t)), " ",
                                                   html.span({"class_name": "hint"}, ", ".join(f"{k}: {v}" for k, v in e["details"].items()))))
                                   for e in entries]))


@component
def OrganisationScreen():
    session = use_session()
    t = session.t
    structures, set_structures = use_state(None)
    chosen, set_chosen = use_state(None)
    tab, set_tab = use_state(session.route.param("onglet", "approvals") if session.route.param("onglet") in TABS else "approvals")
    version, set_version = use_state(0)

    @use_effect(dependencies=[])
    async def load():
        found = await organisation.managed_structures(session.principal)
        set_structures(found)
        if found:
            set_chosen(found[0]["id"])

    if structures is None:
        return html.p({"aria-busy": "true"}, t("common.loading"))
    if not structures:
        return html.div({"class_name": "screen"}, html.h1(t("org.title")), html.p({"class_name": "empty"}, t("org.none")))
    structure = next((s for s in structures if s["id"] == chosen), structures[0])

    def reload():
        set_version(lambda v: v + 1)

    body = {"approvals": lambda: ApprovalsTab(structure, reload, version, key=f"a{structure['id']}"),
            "users": lambda: UsersTab(structure, reload, version, key=f"u{structure['id']}"),
            "services": lambda: ServicesTab(structure, reload, version, key=f"s{structure['id']}"),
            "structure": lambda: StructureTab(structure, reload, version, key=f"t{structure['id']}"),
            "files": lambda: FilesTab(structure, reload, version, key=f"f{structure['id']}"),
            "journal": lambda: JournalTab(structure, version, key=f"j{structure['id']}")}[tab]()
    return html.div(
        {"class_name": "screen"},
        html.h1(t("org.title")),
        html.div({"class_name": "field"},
                 html.label({"html_for": "org-structure"}, t("org.structure")),
                 html.select({"id": "org-structure", "default_value": str(structure["id"]), "on_change": lambda e: set_chosen(int(_text_value(e)))},
                             *[html.option({"value": str(s["id"]), "key": str(s["id"])}, f"{s['raison_sociale']} ({s['identifier']})")
                               for s in structures])),
        html.p({"class_name": "hint"}, t("org.readonly")) if structure["level"] != str(Level.MODIFICATION) else "",
        tab_strip([(name, t(f"org.tab.{name}")) for name in TABS], tab, set_tab, label=t("org.title")),
        tab_panel(tab, body),
    )
