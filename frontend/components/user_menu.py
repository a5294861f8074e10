from __future__ import annotations

from reactpy import component, html

import shared.i18n_accounts  # noqa: F401
from frontend.components.shell import Link
from frontend.context import use_session


@component
def UserMenu():
    session = use_session()
    principal = session.principal
    if principal is None:
        return Link("/connexion", session.t("user.login"), class_name="btn btn-secondary")
    from frontend.components.notification_bell import NotificationBell

    return html.div(
        {"class_name": "user-menu"},
        NotificationBell(),
        html.span({"class_name": "user-name", "id": "user-name"}, principal.display_name),
        html.form(
            {"method": "post", "action": "/api/auth/logout", "class_name": "inline"},
            html.button({"type": "submit", "class_name": "btn-link"}, session.t("user.logout")),
        ),
    )
