"""The navigation shell around every screen."""

from __future__ import annotations

from reactpy import component, event, html

from frontend.context import use_session

NAV_ITEMS = (
    ("/", "nav.home"),
    ("/factures-emises", "nav.issued"),
    ("/factures-recues", "nav.received"),
    ("/factures-a-valider", "nav.to_validate"),
    ("/factures-de-travaux", "nav.works"),
    ("/tableau-de-bord", "nav.dashboard"),
    ("/mon-compte", "nav.account"),
)


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


@component
def Shell(*children, user_menu=None):
    session = use_session()
    current = session.route.path

    def item(href: str, key: str):
        active = current == href or (href != "/" and current.startswith(href))
        return html.li(
            {"key": href},
            Link(href, session.t(key), class_name="nav-link active" if active else "nav-link"),
        )

    from frontend.components.impersonation_banner import ImpersonationBanner

    items = list(NAV_ITEMS)
    if session.principal is not None and session.principal.is_support and not session.principal.impersonated:
        items.append(("/support", "support.title"))
    return html.div(
        {"class_name": "shell"},
        html.a({"href": "#contenu", "class_name": "skip-link"}, session.t("nav.skip")),
        ImpersonationBanner(),
        html.header(
            {"class_name": "topbar"},
            html.div(
                {"class_name": "brand"},
                Link("/", html.span({"class_name": "brand-mark"}, "♪"), html.span(session.t("app.name")), class_name="brand-link"),
                html.span({"class_name": "brand-tagline"}, session.t("app.tagline")),
            ),
            html.div({"class_name": "topbar-actions"}, user_menu or "", LangToggle()),
        ),
        html.nav(
            {"class_name": "mainnav", "aria-label": "Navigation principale" if session.lang == "fr" else "Main navigation"},
            html.ul(*[item(href, key) for href, key in items]),
        ),
        html.main({"id": "contenu", "class_name": "content", "tabindex": "-1"}, *children),
    )
