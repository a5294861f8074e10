"""Activation du compte utilisateur, and choosing a new password after a reset link."""

from __future__ import annotations

from reactpy import component, html, use_effect, use_state

from shared.i18n_accounts import SECRET_QUESTIONS, secret_question_text
from backend.domain.accounts import rules
from backend.domain.accounts.signup import activate, activation_details, reset_password, reset_question
from backend.infra.errors import DomainError
from frontend.components.form import TextField, error_for, field_setter, form_alert
from frontend.components.shell import Link
from frontend.context import use_session


@component
def PasswordFields(values, set_values, error):
    """Password + confirmation with the live strength meter (the rule itself is checked by the server)."""
    session = use_session()
    t = session.t
    score = rules.password_strength(values.get("password", ""))
    return html._(
        html.p({"class_name": "hint"}, t("activation.password_rules")),
        TextField("password", t("activation.password"), field_setter(set_values, "password"), input_type="password",
                  required=True, autocomplete="new-password", error=error_for(error, "password", session.lang)),
        html.div({"class_name": "field"},
                 html.span({"class_name": "label"}, t("activation.strength")),
                 html.div({"class_name": "strength", "data-score": str(score), "id": "password-strength", "aria-hidden": "true"},
                          html.span(), html.span(), html.span(), html.span()),
                 html.span({"class_name": "hint", "aria-live": "polite", "id": "password-strength-label"}, t(f"activation.strength.{score}"))),
        TextField("confirmation", t("activation.confirmation"), field_setter(set_values, "confirmation"), input_type="password",
                  required=True, autocomplete="new-password", error=error_for(error, "confirmation", session.lang)),
    )


def use_token_form(token: str, load, send):
    """A single-use link's page: what the link stands for (or why it is refused), the form's values,
    its error and whether it is done. `send(values)` raises DomainError to refuse."""
    data, set_data = use_state(None)
    load_error, set_load_error = use_state(None)
    values, set_values = use_state({})
    error, set_error = use_state(None)
    done, set_done = use_state(False)

    @use_effect(dependencies=[token])
    async def fetch():
        try:
            set_data(await load(token))
        except DomainError as e:
            set_load_error(e)

    async def submit(_):
        set_error(None)
        try:
            await send(values)
        except DomainError as e:
            set_error(e)
            return
        set_done(True)

    return data, load_error, values, set_values, error, done, submit


@component
def ActivationScreen(token: str):
    session = use_session()
    t = session.t
    details, load_error, values, set_values, error, done, submit = use_token_form(
        token, activation_details,
        lambda v: activate(token, v.get("password", ""), v.get("confirmation", ""), v.get("secret_question", ""), v.get("secret_answer", "")))

    if done:
        return html.div({"class_name": "screen narrow"}, html.h1(t("activation.title")),
                        html.div({"class_name": "alert alert-success", "role": "status", "id": "activation-done"}, t("activation.done")),
                        html.p(t("activation.profile")), Link("/connexion", t("activation.login"), class_name="btn"))
    if load_error:
        return html.div({"class_name": "screen narrow"}, html.h1(t("activation.title")),
                        html.div({"class_name": "alert alert-error", "role": "alert"}, load_error.message(session.lang)))
    if details is None:
        return html.p({"aria-busy": "true"}, t("common.loading"))
    return html.div(
        {"class_name": "screen narrow"},
        html.h1(t("activation.title")),
        html.div({"class_name": "card form"},
                 html.h2(t("activation.general")),
                 html.p(html.strong(t("common.label", label=t("signup.email"))), details["email"]),
                 html.p(html.strong(t("common.label", label=t("signup.last_name"))), details["last_name"], " — ",
                        html.strong(t("common.label", label=t("signup.first_name"))), details["first_name"]),
                 PasswordFields(values, set_values, error),
                 html.h2(t("activation.secret")),
                 html.div({"class_name": "field"},
                          html.label({"html_for": "f-secret_question", "class_name": "required"}, t("activation.question")),
                          html.select({"id": "f-secret_question", "on_change": field_setter(set_values, "secret_question")},
                                      html.option({"value": ""}, t("activation.choose")),
                                      *[html.option({"value": q, "key": q}, secret_question_text(q, session.lang)) for q in SECRET_QUESTIONS]),
                          html.span({"class_name": "error", "role": "alert"}, error_for(error, "secret_question", session.lang) or "")),
                 TextField("secret_answer", t("activation.answer"), field_setter(set_values, "secret_answer"), required=True,
                           error=error_for(error, "secret_answer", session.lang)),
                 form_alert(error, session.lang, fields=("password", "confirmation", "secret_question", "secret_answer")),
                 html.div({"class_name": "actions"},
                          html.button({"type": "button", "class_name": "btn", "id": "activation-submit", "on_click": submit},
                                      t("activation.submit")))),
    )


@component
def PasswordResetRequestScreen():
    from backend.domain.accounts.signup import request_password_reset

    session = use_session()
    t = session.t
    values, set_values = use_state({})
    sent, set_sent = use_state(False)

    async def submit(_):
        await request_password_reset(values.get("email", ""))
        set_sent(True)

    return html.div(
        {"class_name": "screen narrow"},
        html.h1(t("reset.title")),
        html.div({"class_name": "alert alert-success", "role": "status", "id": "reset-sent"}, t("reset.sent")) if sent else html.div(
            {"class_name": "card form"},
            html.p(t("reset.intro")),
            TextField("email", t("signup.email"), field_setter(set_values, "email"), input_type="email", required=True),
            html.div({"class_name": "actions"},
                     html.button({"type": "button", "class_name": "btn", "id": "reset-send", "on_click": submit}, t("reset.send")))),
    )


@component
def PasswordResetScreen(token: str):
    session = use_session()
    t = session.t
    question, load_error, values, set_values, error, done, submit = use_token_form(
        token, reset_question,
        lambda v: reset_password(token, v.get("secret_answer", ""), v.get("password", ""), v.get("confirmation", "")))

    if load_error:
        return html.div({"class_name": "screen narrow"}, html.h1(t("reset.new_title")),
                        html.div({"class_name": "alert alert-error", "role": "alert"}, load_error.message(session.lang)))
    if done:
        return html.div({"class_name": "screen narrow"}, html.h1(t("reset.new_title")),
                        html.div({"class_name": "alert alert-success", "role": "status"}, t("reset.done")),
                        Link("/connexion", t("activation.login"), class_name="btn"))
    return html.div(
        {"class_name": "screen narrow"},
        html.h1(t("reset.new_title")),
        html.div({"class_name": "card form"},
                 html.p(html.strong(t("common.label", label=t("activation.question"))), secret_question_text(question, session.lang) if question else t("common.loading")),
                 TextField("secret_answer", t("activation.answer"), field_setter(set_values, "secret_answer"), required=True,
                           error=error_for(error, "secret_answer", session.lang)),
                 PasswordFields(values, set_values, error),
                 form_alert(error, session.lang, fields=("password", "confirmation", "secret_answer")),
                 html.div({"class_name": "actions"},
                          html.button({"type": "button", "class_name": "btn", "id": "reset-submit", "on_click": submit}, t("activation.submit")))),
    )
