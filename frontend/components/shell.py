"""The navigation shell around every screen."""

from __future__ import annotations

from reactpy import component, event, html, use_effect, use_state

import shared.i18n_connections  # noqa: F401
import shared.i18n_organisation  # noqa: F401
from backend.domain.structures.organisation import navigation_applications
from backend.domain.structures.permissions import Action, allows
from shared.applications import WORKSPACE_PATHS
from frontend.components.icons import icon
from frontend.context import use_session
from frontend.hooks.live import use_live_events

NAV_ITEMS = (
    ("/", "nav.home"),
    ("/factures-emises", "nav.issued"),
    ("/factures-recues", "nav.received"),
    ("/factures-a-valider", "nav.to_validate"),
    ("/factures-de-travaux", "nav.works"),
    ("/tableau-de-bord", "nav.dashboard"),
    ("/organisation", "nav.organisation"),
    ("/raccordement-edi-api", "conn.title"),
    ("/suivi-des-flux", "flows.title"),
    ("/mon-compte", "nav.account"),
)
# The items shown only to users with that workspace (a profile on the application, or switched on).
NAV_APPLICATIONS = {"/factures-emises": "factures_emises", "/factures-recues": "factures_recues",
                    "/factures-a-valider": "factures_a_valider", "/factures-de-travaux": "factures_travaux",
                    "/organisation": "organisation", "/raccordement-edi-api": "raccordement_edi_api",
                    "/suivi-des-flux": "suivi_des_flux"}


@component
def Link(href: str, *children, class_name: str = "", label: str | None = None):
    """An anchor that navigates inside the app without reloading (and still works as a real link)."""
    session = use_session()

    @event(prevent_default=True)
    def handle_click(_):
        session.navigate(href)

    attrs = {"href": href, "on_click": handle_click}
    if class_name:
        attrs["class_name"] = class_name
    if label:
        attrs["aria-label"] = label
    return html.a(attrs, *children)


@component
def LangToggle():
    session = use_session()
    other = "en" if session.lang == "fr" else "fr"
    return html.button(
        {"type": "button", "class_name": "lang-toggle", "id": "lang-toggle", "lang": other,
         "aria-label": session.t("lang.switch_label"), "on_click": lambda _: session.set_lang(other)},
        session.t("lang.switch"),
    )


def use_workspaces(principal) -> tuple[set[str] | None, int]:
    """The user's workspaces, and a counter bumped whenever their rights change (published by the
    organisation slice on `user:<id>`, from any instance): the screen is then remounted and re-reads them."""
    user_id = principal.user_id if principal is not None else None
    applications, set_applications = use_state(None)
    version, set_version = use_state(0)

    @use_effect(dependencies=[user_id, version])
    async def load():
        if principal is None:
            set_applications(None)
            return
        set_applications(await navigation_applications(principal))

    def on_event(event):
        if event.type == "access.changed":
            set_version(lambda v: v + 1)
    use_live_events([f"user:{user_id}"] if user_id is not None else [], on_event)
    return applications, version


def _last_item(principal) -> tuple[str, str]:
    if allows(principal, Action.SUPPORT_TOOLS):
        return ("/support", "support.title")
    if principal is not None:
        return ("/sollicitations", "nav.sollicitations")
    return ("/valider-un-fichier", "validate_file.title")  # « Valider un fichier » needs no account: offered to visitors


@component
def Shell(*children, user_menu=None):
    session = use_session()
    current = session.route.path
    workspaces, access_version = use_workspaces(session.principal)

    def item(href: str, key: str):
        active = current == href or (href != "/" and current.startswith(href))
        return html.li(
            {"key": href},
            Link(href, session.t(key), class_name="nav-link active" if active else "nav-link"),
        )

    from frontend.components.help_request import HelpRequest
    from frontend.components.impersonation_banner import ImpersonationBanner

    def shown(href: str) -> bool:
        if href not in NAV_APPLICATIONS:
            return True
        if session.principal is None:  # a visitor sees what the portal offers (each asks to log in), not Organisation
            return href not in ("/organisation", *WORKSPACE_PATHS.values())
        return workspaces is not None and NAV_APPLICATIONS[href] in workspaces

    # While a user's workspaces load, the menu waits for them instead of showing its other links first: the
    # workspaces' links would then be inserted before « Mon compte » and move it under the pointer, and a click
    # made in that moment landed on another link or on nothing (a browser test lost its click this way).
    loading = session.principal is not None and workspaces is None
    items = [] if loading else [(href, key) for href, key in NAV_ITEMS if shown(href)] + [_last_item(session.principal)]
    return html.div(
        {"class_name": "shell"},
        html.a({"href": "#contenu", "class_name": "skip-link"}, session.t("nav.skip")),
        ImpersonationBanner(),
        html.header(
            {"class_name": "topbar"},
            html.div(
                {"class_name": "brand"},
                Link("/", html.span({"class_name": "brand-mark"}, icon("note")), html.span(session.t("app.name")), class_name="brand-link"),
                html.span({"class_name": "brand-tagline"}, session.t("app.tagline")),
            ),
            html.div({"class_name": "topbar-actions"}, HelpRequest(), user_menu or "", LangToggle()),
        ),
        html.nav(
            {"class_name": "mainnav", "aria-label": "Navigation principale" if session.lang == "fr" else "Main navigation",
             "aria-busy": "true" if loading else "false", "data-ready": "false" if loading else "true"},
            html.ul(*[item(href, key) for href, key in items]),
        ),
        # keyed by the rights' version: a change of rights remounts the screen, which reads them again
        html.main({"id": "contenu", "class_name": "content", "tabindex": "-1"},
                  html.div({"key": f"access-{access_version}", "class_name": "access-scope"}, *children)),
    )
