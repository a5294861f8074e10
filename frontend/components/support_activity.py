"""Mon compte's "Interventions du support": when and why support acted as this user."""

from __future__ import annotations

from reactpy import component, html, use_effect, use_state

import shared.i18n_support  # noqa: F401
from backend.domain.support.services import my_interventions
from frontend.context import use_session
from shared import formatting


@component
def SupportActivity():
    session = use_session()
    t = session.t
    rows, set_rows = use_state(None)

    @use_effect(dependencies=[])
    async def load():
        set_rows(await my_interventions(session.principal))

    def when(value):
        return formatting.moment(value, session.lang)

    return html.section(
        {"class_name": "card", "aria-labelledby": "activity-title", "id": "support-activity"},
        html.h2({"id": "activity-title"}, t("activity.title")),
        html.p({"aria-busy": "true"}, t("common.loading")) if rows is None else (
            html.p({"class_name": "empty"}, t("activity.none")) if not rows else html.table(
                {"class_name": "data"},
                html.thead(html.tr(*[html.th(t(f"activity.col.{c}")) for c in ("when", "who", "why", "until")])),
                html.tbody(*[html.tr({"key": str(r["id"])}, html.td(when(r["started_at"])), html.td(r["support_name"]),
                                     html.td(r["reason"]), html.td(when(r["ended_at"] or r["expires_at"]))) for r in rows]))),
    )
