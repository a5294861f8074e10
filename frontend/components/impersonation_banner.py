"""The permanent banner shown while support acts as a user, with Quitter and the enable-actions step."""

from __future__ import annotations

from reactpy import component, html, use_effect, use_state

import shared.i18n_support  # noqa: F401
from backend.domain.support.services import impersonation_reason
from frontend.context import use_session


@component
def ImpersonationBanner():
    session = use_session()
    principal = session.principal
    t = session.t
    reason, set_reason = use_state("")

    @use_effect(dependencies=[principal.impersonation_id if principal else None])
    async def load():
        if principal and principal.impersonated:
            set_reason(await impersonation_reason(principal))

    if principal is None or not principal.impersonated:
        return html._()
    return html.div(
        {"class_name": "banner-impersonation", "role": "alert", "id": "impersonation-banner"},
        html.span(t("banner.acting", name=principal.display_name, email=principal.email, reason=reason), " ",
                  html.em(t("banner.actions_on") if principal.actions_enabled else t("banner.actions_off"))),
        html.div(
            {"class_name": "banner-actions"},
            "" if principal.actions_enabled else html.form(
                {"method": "post", "action": "/api/support/impersonations/current/enable-actions/form", "class_name": "inline"},
                html.label({"class_name": "confirm"},
                           html.input({"type": "checkbox", "name": "confirm", "value": "true", "required": True, "id": "enable-confirm"}),
                           " ", t("banner.confirm")),
                html.button({"type": "submit", "class_name": "btn btn-secondary"}, t("banner.enable"))),
            html.form({"method": "post", "action": "/api/support/impersonations/current/end", "class_name": "inline"},
                      html.button({"type": "submit", "class_name": "btn btn-secondary", "id": "impersonation-quit"}, t("banner.quit"))),
        ),
    )
