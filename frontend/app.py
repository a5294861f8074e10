"""The ReactPy root: session, language, routing between screens, the shell."""

from __future__ import annotations

import uuid
from http.cookies import SimpleCookie

from reactpy import component, html, use_callback, use_connection, use_location, use_memo, use_state

from frontend.components.shell import Shell
from frontend.components.user_menu import UserMenu
from frontend.screens.login import LoginRequired
from frontend.context import Route, Session, SessionContext, next_url
from frontend.js import CookieWriter, UrlSync
from frontend.routes import resolve
from frontend.screens.not_found import NotFoundScreen
from shared.i18n import normalise_lang, t


def _cookies(scope: dict) -> dict[str, str]:
    jar = SimpleCookie()
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            jar.load(value.decode("latin-1"))
    return {key: morsel.value for key, morsel in jar.items()}


@component
def Root():
    connection = use_connection()
    location = use_location()
    scope = connection.scope
    cookies = use_memo(lambda: _cookies(scope), [])
    lang, set_lang = use_state(lambda: normalise_lang(cookies.get("lang")))
    # (url, replace): replace=True when the navigation must replace the current history entry (a redirect
    # such as the landing after login) instead of adding one; UrlSync reads both from the same render.
    (url, replace), set_url = use_state((location.pathname + (location.search or ""), False))
    topic = use_memo(lambda: f"session:{uuid.uuid4().hex}", [])
    route = Route.parse(url)

    def _navigate(href: str, replace: bool = False, only_from: str | None = None) -> None:
        # an updater, not a value: it sees a navigation already made in this render cycle (a click), which a
        # closure's `url` would not, so a redirect decided meanwhile cannot undo it (see next_url)
        set_url(lambda current: next_url(current, href, replace, only_from))

    navigate = use_callback(_navigate, [])
    principal = scope.get("principal")
    session = Session(lang=lang, route=route, navigate=navigate, set_lang=set_lang, session_topic=topic,
                      scope=scope, principal=principal)

    screen_route, params = resolve(route.path)
    if screen_route is None:
        body = NotFoundScreen()
    elif not screen_route.public and principal is None:
        body = LoginRequired()
    else:
        # keyed by path: moving to another invoice remounts the screen instead of keeping the old state
        body = screen_route.screen(**params, key=route.path)
    title = f"{t(screen_route.title_key, lang) if screen_route else t('notfound.title', lang)} · Chorale"

    return SessionContext(
        html._(
            UrlSync({"path": url, "replace": replace, "title": title, "lang": lang, "on_navigate": navigate}),
            CookieWriter({"name": "lang", "value": lang}),
            Shell(body, user_menu=UserMenu()),
        ),
        value=session,
    )
