"""« Règles françaises de la réforme »: a structure's gestionnaire (« Organisation modification ») makes the
French rules (BR-FR-*) refuse the structure's deposits instead of only warning (the default). Its own small
component, included by the structure management screen with one line; the decision is the policy's
(Action.FRENCH_RULES) and every change goes to the structure's journal."""

from __future__ import annotations

from reactpy import component, html, use_effect, use_state

import shared.i18n_lots  # noqa: F401  (registers the texts)
from backend.domain.lots.services import french_rules, set_french_rules
from backend.infra.errors import DomainError
from frontend.components.form import form_alert
from frontend.context import use_session


@component
def FrenchRulesSetting(structure_id: int):
    session = use_session()
    t, lang = session.t, session.lang
    setting, set_setting = use_state(None)
    error, set_error = use_state(None)
    saved, set_saved = use_state(False)

    @use_effect(dependencies=[structure_id])
    async def load():
        set_setting(await french_rules(session.principal, structure_id))

    if setting is None:
        return html.section({"id": "french-rules", "data-policy": "loading", "aria-busy": "true"}, t("common.loading"))

    async def change(event) -> None:
        set_error(None)
        set_saved(False)
        try:
            set_setting(await set_french_rules(session.principal, structure_id, bool(event["target"].get("checked"))))
        except DomainError as failure:
            set_error(failure)
            return
        set_saved(True)

    blocking = setting["blocking"]
    return html.section(
        # data-policy: the box's state (enabled or not) is the policy's answer, not a value still loading.
        {"id": "french-rules", "class_name": "card", "data-policy": "ready", "aria-labelledby": "french-rules-title"},
        html.h3({"id": "french-rules-title"}, t("frrules.title")),
        html.p({"class_name": "hint"}, t("frrules.hint")),
        html.div({"class_name": "check", "key": f"box-{blocking}"},  # a new box when the saved value changes
                 html.input({"type": "checkbox", "id": "french-rules-blocking", "default_checked": blocking,
                             "disabled": not setting["may_change"], "on_change": change}),
                 html.label({"html_for": "french-rules-blocking"}, t("frrules.label"))),
        html.p({"id": "french-rules-state", "data-blocking": "true" if blocking else "false"},
               t("frrules.blocking" if blocking else "frrules.warning")),
        "" if setting["may_change"] else html.p({"class_name": "hint", "id": "french-rules-readonly"}, t("frrules.readonly")),
        form_alert(error, lang),
        html.div({"class_name": "alert alert-success", "role": "status"}, t("frrules.saved")) if saved else "",
    )
