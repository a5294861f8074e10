"""Connexion: a plain form post, so the session cookie is set HttpOnly by the server."""

from __future__ import annotations

from reactpy import component, html

import shared.i18n_accounts  # noqa: F401  (registers texts)
from frontend.components.shell import Link
from frontend.context import use_session


@component
def LoginScreen(next_path: str | None = None):
    session = use_session()
    route = session.route
    error = route.param("erreur")
    next_path = next_path or route.param("suivant", "/espace")  # /espace: the user's main workspace
    return html.div(
        {"class_name": "screen narrow"},
        html.h1(session.t("login.title")),
        html.div({"class_name": "alert alert-error", "role": "alert"}, session.t(f"login.error.{error}")) if error else "",
        html.div({"class_name": "alert alert-success", "role": "status"}, session.t("login.logged_out")) if route.param("deconnecte") else "",
        html.form(
            {"class_name": "card form", "method": "post", "action": "/api/auth/login", "id": "login-form"},
            html.input({"type": "hidden", "name": "next", "value": next_path}),
            html.div(
                {"class_name": "field"},
                html.label({"html_for": "login-email", "class_name": "required"}, session.t("login.email")),
                html.input({"id": "login-email", "name": "email", "type": "email", "autocomplete": "username", "required": True,
                            "default_value": route.param("email"), "autofocus": True}),
            ),
            html.div(
                {"class_name": "field"},
                html.label({"html_for": "login-password", "class_name": "required"}, session.t("login.password")),
                html.input({"id": "login-password", "name": "password", "type": "password", "autocomplete": "current-password",
                            "required": True}),
            ),
            html.div({"class_name": "actions"},
                     html.button({"type": "submit", "class_name": "btn"}, session.t("login.submit")),
                     Link("/mot-de-passe-oublie", session.t("login.forgot"))),
        ),
        html.p(session.t("login.new"), " ", Link("/inscription", session.t("login.create"))),
        html.p({"class_name": "hint"}, session.t("login.demo")),
    )


@component
def LoginRequired():
    """Shown in place of a protected screen for an anonymous visitor: the login form, then back here."""
    session = use_session()
    return html._(
        html.div({"class_name": "alert", "role": "status"}, session.t("login.required")),
        LoginScreen(next_path=session.route.path),
    )
