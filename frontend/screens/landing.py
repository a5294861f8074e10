"""Where a user lands after logging in (`/espace`): their main workspace — Factures reçues for a
recipient (a structure that receives invoices), Factures émises for a supplier, Support for support
staff — instead of the home page."""

from __future__ import annotations

from reactpy import component, html, use_effect

from frontend.context import use_session
from frontend.hooks.policy import use_allowed
from backend.domain.structures.permissions import Action, allows

# The first workspace whose list the policy lets the user see, in this order; else support's tools for support
# staff (search, journal, request queue: not the home page's demo button); else the home page.
WORKSPACES = ((Action.VIEW_RECEIVED, "/factures-recues"), (Action.VIEW_ISSUED, "/factures-emises"))


def main_workspace(allowed, principal=None) -> str:
    fallback = "/support" if allows(principal, Action.SUPPORT_TOOLS) else "/"
    return next((path for action, path in WORKSPACES if allowed[action]), fallback)


@component
def LandingScreen():
    session = use_session()
    allowed = use_allowed(*(action for action, _ in WORKSPACES))

    @use_effect(dependencies=[allowed.ready])
    def land():
        # replace=True: the router replaces /espace in the history instead of pushing the workspace after it,
        # so Back leaves the workspace (to the login page) instead of bouncing off this redirect.
        # only_from: a link clicked while the policy was being read wins over this redirect (next_url).
        if allowed.ready:
            session.navigate(main_workspace(allowed, session.principal), replace=True, only_from=session.route.path)

    return html.div({"class_name": "screen", "data-policy": allowed.marker()}, html.p({"aria-busy": "true"}, session.t("common.loading")))
