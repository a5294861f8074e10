"""Créer un compte, in the guide's steps: identify, complete the details, open the workspaces."""

from __future__ import annotations

from reactpy import component, html, use_effect, use_state

import shared.i18n_accounts  # noqa: F401
import shared.i18n_organisation  # noqa: F401
import shared.i18n_supplier  # noqa: F401
from backend.domain.accounts import rules
from backend.domain.accounts.challenge import new_challenge
from backend.domain.accounts.rules import RuleViolation
from backend.domain.accounts.signup import (IDENTIFIER_TYPES, SignupData, check_details, check_identifier, registered_structure,
                                            signup)
from backend.infra.errors import DomainError
from backend.settings import get_settings
from frontend.hooks.state import use_latest_state
from frontend.components.form import Checkbox, TextField, checkbox_setter, error_for, field_setter, form_alert
from frontend.components.service_choice import ServiceChoice
from frontend.components.shell import Link
from frontend.components.siret_autocomplete import SiretAutocomplete
from frontend.context import use_session
from shared.applications import DEFAULT_WORKSPACES, WORKSPACE_DESCRIPTIONS
from shared.countries import countries

STEP_OF_FIELD = {"email": 1, "identifier": 1, "identifier_type": 1}
STRUCTURE_FIELDS = ("raison_sociale", "libelle", "address", "complement1", "complement2", "postcode", "city", "country")


def _prefill(establishment: dict | None) -> dict:
    if not establishment:
        return {}
    return {"identifier": establishment["siret"], "raison_sociale": establishment["denomination"],
            "libelle": establishment.get("enseigne") or "", "address": establishment.get("address") or "",
            "complement1": establishment.get("address_complement") or "", "postcode": establishment.get("postcode") or "",
            "city": (establishment.get("city") or "").title(), "country": establishment.get("country") or "FR"}


@component
def StepIdentify(values, set_values, on_next, error):
    session = use_session()
    t = session.t
    no_siret = values.get("identifier_type", "SIRET") != "SIRET"

    def select(item):
        set_values(lambda old: {**old, "establishment": item, "identifier": item["siret"] if item else ""})

    def toggle(_):
        set_values(lambda old: {**old, "identifier_type": "SIRET" if no_siret else "RIDET", "identifier": "", "establishment": None})

    identifier_block = (
        html.div({"class_name": "form-row"},
                 html.div({"class_name": "field"},
                          html.label({"html_for": "f-identifier_type"}, t("signup.identifier_type")),
                          html.select({"id": "f-identifier_type", "default_value": values.get("identifier_type"),
                                       "on_change": field_setter(set_values, "identifier_type")},
                                      *[html.option({"value": k, "key": k}, t(f"identifier_type.{k}")) for k in IDENTIFIER_TYPES if k != "SIRET"])),
                 TextField("identifier", t("signup.identifier"), field_setter(set_values, "identifier"), required=True,
                           default=values.get("identifier", ""), error=error_for(error, "identifier", session.lang),
                           hint=t("identifier_hint.TVA_INTRACOMMUNAUTAIRE") if values.get("identifier_type") == "TVA_INTRACOMMUNAUTAIRE" else None))
        if no_siret else
        SiretAutocomplete(select, input_id="signup-siret", label=t("signup.siret"), selected=values.get("establishment"),
                          error=error_for(error, "identifier", session.lang), required=True)
    )
    return html.div(
        {"class_name": "card form", "id": "signup-step-1"},
        html.h2(t("signup.new")),
        TextField("email", t("signup.email"), field_setter(set_values, "email"), input_type="email", required=True,
                  default=values.get("email", ""), autocomplete="email", error=error_for(error, "email", session.lang)),
        identifier_block,
        html.button({"type": "button", "class_name": "btn-link", "id": "toggle-siret", "on_click": toggle},
                    t("signup.with_siret") if no_siret else t("signup.no_siret")),
        form_alert(error, session.lang, fields=("email", "identifier")),
        html.div({"class_name": "actions"},
                 html.button({"type": "button", "class_name": "btn", "id": "signup-next-1", "on_click": on_next}, t("signup.next"))),
    )


@component
def CountryField(values, set_values, error):
    """« Pays »: a list of countries named in the reader's language (France first, the usual case)."""
    session = use_session()
    chosen = (values.get("country") or "FR").upper()
    names = countries(session.lang)
    first = [p for p in names if p[0] == "FR"]
    message = error_for(error, "country", session.lang)
    return html.div(
        {"class_name": "field"},
        html.label({"html_for": "f-country", "class_name": "required"}, session.t("signup.country")),
        html.select({"id": "f-country", "name": "country", "default_value": chosen, "on_change": field_setter(set_values, "country"),
                     "aria-invalid": "true" if message else "false", "autocomplete": "country", "required": True,
                     **({"aria-describedby": "f-country-error"} if message else {})},
                    *[html.option({"value": code, "key": code}, name) for code, name in [*first, *[p for p in names if p[0] != "FR"]]]),
        html.span({"class_name": "error", "id": "f-country-error", "role": "alert"}, message) if message else "",
    )


@component
def RegisteredStructure(values, set_values, error):
    """The structure is already registered on Chorale: shown as registered, read-only (the sign-up does
    not change it), and the sign-up becomes a request to join it, as a whole or some of its active services
    (ticked as in « Mes rattachements »), with a comment to its gestionnaire."""
    session = use_session()
    t = session.t
    s = values["registered"]
    address = ", ".join(part for part in (s["address"], s["complement1"], s["complement2"], f"{s['postcode']} {s['city']}") if part)

    def line(label_key: str, value: str | None, key: str):
        return html._(html.dt({"key": f"{key}-t"}, t(label_key)), html.dd({"key": f"{key}-d", "id": f"registered-{key}"}, value or "—"))

    def set_ticked(change):
        set_values(lambda old: {**old, "service_ids": change(tuple(old.get("service_ids", ())))})

    return html.fieldset(
        {"id": "signup-registered"},
        html.legend(t("signup.structure")),
        html.p({"class_name": "alert alert-info", "role": "status"}, t("signup.registered")),
        html.dl({"class_name": "summary"},
                line("signup.identifier", f"{s['identifier_type']} {s['identifier']}", "identifier"),
                line("signup.raison_sociale", s["raison_sociale"], "raison_sociale"), line("signup.libelle", s["libelle"], "libelle"),
                line("signup.address", address, "address")),
        ServiceChoice("signup", s["services"], set_ticked, legend=t("attach.services"), ticked=tuple(values.get("service_ids", ())),
                      hint=t("signup.services_hint"), empty=t("signup.no_service"), error=error_for(error, "services", session.lang)),
        TextField("attachment_comment", t("signup.registered_comment"), field_setter(set_values, "attachment_comment"),
                  default=values.get("attachment_comment", ""), error=error_for(error, "attachment_comment", session.lang),
                  hint=t("signup.registered_comment_hint")),
    )


@component
def StepDetails(values, set_values, challenge, on_next, on_back, error, busy=False):
    session = use_session()
    t = session.t
    lang = session.lang

    def text(name, required=False, input_type="text"):
        return TextField(name, t(f"signup.{name}"), field_setter(set_values, name), required=required, input_type=input_type,
                         default=values.get(name, ""), error=error_for(error, name, lang))

    purposes = values.get("purposes", ["demandes_de_paiement"])

    def purpose_toggle(key):
        def handle(e):
            checked = e["target"]["checked"]
            set_values(lambda old: {**old, "purposes": sorted({*old.get("purposes", ["demandes_de_paiement"]), key} if checked
                                                              else set(old.get("purposes", ["demandes_de_paiement"])) - {key})})
        return handle

    return html.div(
        {"class_name": "card form", "id": "signup-step-2"},
        html.fieldset(
            html.legend(t("signup.personal")),
            text("email", True, "email"), text("email_confirmation", True, "email"),
            html.div({"class_name": "form-row"}, text("last_name", True), text("first_name", True)),
            Checkbox("consent_survey", t("signup.consent"), checkbox_setter(set_values, "consent_survey"),
                     checked=bool(values.get("consent_survey"))),
        ),
        RegisteredStructure(values, set_values, error) if values.get("registered") else html.fieldset(
            html.legend(t("signup.structure")),
            html.p({"class_name": "hint"}, t("signup.structure_hint")),
            html.p(html.strong(t("common.label", label=t("signup.identifier"))), html.span({"id": "signup-identifier"}, values.get("identifier", ""))),
            html.div({"class_name": "form-row"}, text("raison_sociale", True), text("libelle")),
            text("address", True), html.div({"class_name": "form-row"}, text("complement1"), text("complement2")),
            html.div({"class_name": "form-row"}, text("postcode", True), text("city", True), CountryField(values, set_values, error)),
        ),
        html.fieldset(
            html.legend(t("signup.purposes")),
            html.div({"class_name": "check"},
                     html.input({"type": "checkbox", "id": "purpose-payments", "default_checked": "demandes_de_paiement" in purposes,
                                 "on_change": purpose_toggle("demandes_de_paiement")}),
                     html.label({"html_for": "purpose-payments"}, t("signup.purpose.payments"))),
            html.div({"class_name": "check"},
                     html.input({"type": "checkbox", "id": "purpose-dume", "default_checked": "dume" in purposes,
                                 "on_change": purpose_toggle("dume")}),
                     html.label({"html_for": "purpose-dume"}, t("signup.purpose.dume"))),
            html.span({"class_name": "error", "role": "alert"}, error_for(error, "purposes", lang) or ""),
        ),
        html.fieldset(
            html.legend(t("signup.challenge")),
            html.p({"id": "challenge-question"}, challenge.question(lang) if challenge else t("common.loading")),
            TextField("challenge_answer", t("signup.challenge"), field_setter(set_values, "challenge_answer"), required=True,
                      error=error_for(error, "challenge_answer", lang), extra={"key": challenge.id if challenge else "none",
                                                                               "inputmode": "numeric"}),
        ),
        form_alert(error, lang, fields=("email", "email_confirmation", "first_name", "last_name", "challenge_answer",
                                        "purposes", "attachment_comment", "services", *STRUCTURE_FIELDS)),
        html.div({"class_name": "actions"},
                 html.button({"type": "button", "class_name": "btn btn-secondary", "on_click": on_back}, t("signup.back")),
                 html.button({"type": "button", "class_name": "btn", "id": "signup-next-2", "on_click": on_next, "disabled": busy,
                              "aria-busy": "true" if busy else "false"}, t("signup.checking") if busy else t("signup.next"))),
    )


@component
def StepWorkspaces(values, set_values, on_submit, on_back, busy, error):
    session = use_session()
    t = session.t
    chosen = set(values.get("workspaces", [str(a) for a in DEFAULT_WORKSPACES]))

    def toggle(application: str, on: bool):
        def handle(_):
            set_values(lambda old: {**old, "workspaces": sorted((set(old.get("workspaces", [str(a) for a in DEFAULT_WORKSPACES])) | {application})
                                                                if on else (set(old.get("workspaces", [str(a) for a in DEFAULT_WORKSPACES])) - {application}))})
        return handle

    rows = [
        html.tr({"key": str(app)},
                html.th({"scope": "row"}, app.label(session.lang)),
                html.td(t(description)),
                html.td(html.div({"class_name": "toggle-group", "role": "group", "aria-label": app.label(session.lang)},
                                 html.button({"type": "button", "aria-pressed": "true" if str(app) in chosen else "false",
                                              "on_click": toggle(str(app), True), "data-workspace": str(app), "data-value": "oui"}, t("signup.yes")),
                                 html.button({"type": "button", "aria-pressed": "false" if str(app) in chosen else "true",
                                              "on_click": toggle(str(app), False), "data-workspace": str(app), "data-value": "non"}, t("signup.no")))))
        for app, description in sorted(WORKSPACE_DESCRIPTIONS.items(), key=lambda kv: kv[0].label(session.lang))
    ]
    return html.div(
        {"class_name": "card", "id": "signup-step-3"},
        html.p(t("signup.workspaces_intro")),
        html.table({"class_name": "data"},
                   html.thead(html.tr(html.th(t("signup.col.space")), html.th(t("signup.col.description")), html.th(t("signup.col.activation")))),
                   html.tbody(*rows)),
        form_alert(error, session.lang),
        html.div({"class_name": "actions"},
                 html.button({"type": "button", "class_name": "btn btn-secondary", "on_click": on_back}, t("signup.back")),
                 html.button({"type": "button", "class_name": "btn", "id": "signup-submit", "on_click": on_submit, "disabled": busy,
                              "aria-busy": "true" if busy else "false"}, t("signup.sending") if busy else t("signup.next"))),
    )


@component
def SignupScreen():
    session = use_session()
    t = session.t
    step, set_step = use_state(1)
    values, set_values, latest_values = use_latest_state({"identifier_type": "SIRET", "country": "FR", "purposes": ["demandes_de_paiement"],
                                    "workspaces": [str(a) for a in DEFAULT_WORKSPACES]})
    error, set_error = use_state(None)
    challenge, set_challenge = use_state(None)
    done, set_done = use_state(None)
    busy, set_busy = use_state(False)
    challenge_round, set_challenge_round = use_state(0)

    @use_effect(dependencies=[challenge_round])
    async def load_challenge():
        set_challenge(await new_challenge())

    async def next_from_identify(_):
        values = latest_values.current  # what was typed just before the click, not the last render's
        set_error(None)
        try:
            rules.check_email(values.get("email", ""))
        except RuleViolation as v:
            set_error(v.with_status(field="email"))
            return
        try:
            establishment = await check_identifier(values.get("identifier_type", "SIRET"), values.get("identifier", ""))
        except DomainError as e:
            set_error(e)
            return
        prefill = _prefill(establishment.to_dict()) if establishment else {}
        registered = await registered_structure(values.get("identifier_type", "SIRET"), prefill.get("identifier") or values.get("identifier", ""))
        before = values.get("registered")
        same = bool(before and registered and before["id"] == registered["id"])
        set_values(lambda old: {**old, **{k: v for k, v in prefill.items() if not old.get(k) or k == "identifier"},
                                "email_confirmation": old.get("email_confirmation", ""), "registered": registered,
                                # services ticked for another structure are not this one's
                                "service_ids": old.get("service_ids", ()) if same else ()})
        set_step(2)

    def data_of(values) -> SignupData:
        return SignupData(
            email=values.get("email", ""), email_confirmation=values.get("email_confirmation", ""),
            first_name=values.get("first_name", ""), last_name=values.get("last_name", ""),
            identifier_type=values.get("identifier_type", "SIRET"), identifier=values.get("identifier", ""),
            **{name: values.get(name, "") or "" for name in STRUCTURE_FIELDS},
            consent_survey=bool(values.get("consent_survey")), purposes=values.get("purposes", []),
            workspaces=values.get("workspaces", []), challenge_id=challenge.id if challenge else "",
            challenge_answer=values.get("challenge_answer", ""), lang=session.lang,
            attachment_comment=values.get("attachment_comment", "") if values.get("registered") else "",
            service_ids=list(values.get("service_ids", ())) if values.get("registered") else [])

    def new_question() -> None:
        set_challenge_round(lambda n: n + 1)
        set_values(lambda old: {**old, "challenge_answer": ""})

    async def next_from_details(_):
        values = latest_values.current  # what was typed just before the click, not the last render's
        set_error(None)
        structure = () if values.get("registered") else ("raison_sociale", "address", "postcode", "city", "country")
        missing = [n for n in ("email_confirmation", "last_name", "first_name", *structure, "challenge_answer")
                   if not str(values.get(n) or "").strip()]
        if missing:
            set_error(DomainError('champ_obligatoire', missing[0]))
            return
        set_busy(True)
        try:  # everything of this step, the verification question included, is checked here, not after step 3
            await check_details(data_of({"country": "FR", **values}))
        except DomainError as e:
            set_error(e)
            if e.field == "challenge_answer":
                new_question()  # the question is spent once answered: a wrong answer gets a new one
            return
        finally:
            set_busy(False)
        set_step(3)

    async def submit(_):
        values = latest_values.current  # what was typed just before the click, not the last render's
        set_error(None)
        set_busy(True)
        data = data_of(values)
        try:
            outcome = await signup(data)
        except DomainError as e:
            set_error(e)
            set_step(STEP_OF_FIELD.get(e.field or "", 2 if e.field else 3))
            if e.field == "challenge_answer":  # the pass of step 2 has expired: a new question (others keep it)
                new_question()
            set_busy(False)
            return
        set_busy(False)
        set_done({"email": data.email, "creator": outcome.creator})

    if done:
        return html.div(
            {"class_name": "screen narrow"},
            html.h1(t("signup.done_title")),
            html.div({"class_name": "alert alert-success", "role": "status", "id": "signup-done"}, t("signup.done", email=done["email"])),
            html.p(t("signup.done_request")) if not done["creator"] else "",
            html.p(Link("/courriels", t("signup.mailbox"))) if get_settings().mailbox_open else "",
        )

    steps = ("signup.step1", "signup.step2", "signup.step3")
    body = {
        1: lambda: StepIdentify(values, set_values, next_from_identify, error),
        2: lambda: StepDetails(values, set_values, challenge, next_from_details, lambda _: set_step(1), error, busy),
        3: lambda: StepWorkspaces(values, set_values, submit, lambda _: set_step(2), busy, error),
    }[step]()
    return html.div(
        {"class_name": "screen", "style": {"max_width": "880px"}},
        html.h1(t("signup.title")),
        html.ol({"class_name": "wizard-steps"},
                *[html.li({"key": key, "aria-current": "step" if index == step else "false"}, t(key)) for index, key in enumerate(steps, 1)]),
        body,
    )
