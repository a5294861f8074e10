"""Every text the product shows exists in French and in English.

The test reads the code (not a list kept by hand): every `t("key")` of the screens and the backend, and
every error raised (DomainError and its kinds, with their code and variant), must have both texts in the
catalogues, with exactly the parameters the raising site gives. A code built at run time must be one this
test knows how to expand, so a new one cannot slip past.
"""

from __future__ import annotations

import ast
import importlib
import logging
import pkgutil
import string
from pathlib import Path

import pytest

import backend
import frontend
import shared
from shared import i18n

ROOT = Path(__file__).resolve().parents[3]
SOURCES = [p for d in ("backend", "frontend", "shared") for p in sorted((ROOT / d).rglob("*.py"))]

# Error kinds whose first argument is the code (then the field); helpers with their code's place and default.
CODE_FIRST = {"DomainError", "ChoraleError", "InvoiceRuleError", "TransitionError", "LotRuleError", "RuleError",
              "RuleViolation", "LoginRefused", "Problem", "UnreadableInvoice", "ExtractionError", "_error",
              "PisteError", "OAuthError"}
CODE_KEYWORD = {"invalid": "champ_invalide", "_upload_error": "fichier_introuvable"}
VARIANT_FIRST = {"NotFound": "introuvable", "Forbidden": "acces_refuse"}
# Mail senders whose first argument names a template of shared/i18n_mail.py (subject and body), and the
# keyword arguments that address the mail rather than fill its text.
MAIL_FIRST = {"queue_template", "send_activation_link", "_mail"}
MAIL_ADDRESSING = {"to", "lang", "first_name", "user_id", "kind"}


def _load_everything() -> None:
    for package in (backend, frontend, shared):
        for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if module.name not in ("backend.worker",):  # needs a configured Redis DSN at import
                importlib.import_module(module.name)


def _expand(node: ast.expr) -> list[str] | None:
    """The values a code expression can take, or None when this test cannot tell."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _expand(node.body), _expand(node.orelse)
        return body + orelse if body is not None and orelse is not None else None
    if isinstance(node, ast.JoinedStr) and ast.unparse(node).startswith("f'{validator.prefix}_"):
        from backend.domain.invoices.rules import VALIDATORS

        suffix = node.values[-1].value
        return [v.prefix + suffix for v in VALIDATORS]
    return None


def _sites():
    """(where, key, parameters given or None when unknown) of every error raised and every t() used."""
    for path in SOURCES:
        tree = ast.parse(path.read_text())
        for call in ast.walk(tree):
            if not isinstance(call, ast.Call):
                continue
            name = call.func.id if isinstance(call.func, ast.Name) else getattr(call.func, "attr", None)
            where = f"{path.relative_to(ROOT)}:{call.lineno}"
            keywords = {k.arg: k.value for k in call.keywords if k.arg}
            passes_params = any(k.arg is None for k in call.keywords)
            variant = keywords.get("variant")
            params = None if passes_params else set(keywords) - {"variant", "status_code", "details", "headers", "code"}
            if params is not None and name == "_upload_error":
                params.discard("status")
            if name == "t" and call.args and isinstance(call.args[0], ast.Constant):
                yield where, call.args[0].value, params
                continue
            if name in MAIL_FIRST and call.args:
                template = call.args[0]
                templates = _expand(template)
                if templates is None:
                    if ast.unparse(template) != "template":  # a helper passing its own on: its callers are checked
                        yield where, None, ast.unparse(template)
                    continue
                given = None if params is None else params - MAIL_ADDRESSING
                if name == "send_activation_link" and given is not None:
                    given |= {"link", "email"}  # the helper gives the link and the account's address
                for name in templates:
                    for part in ("subject", "body"):
                        yield where, f"mail.{name}.{part}", given
                continue
            if name in CODE_FIRST and call.args:
                code = call.args[0]
            elif name in CODE_KEYWORD or name in VARIANT_FIRST:
                code = keywords.get("code") or ast.Constant({**CODE_KEYWORD, **VARIANT_FIRST}[name])
                if name in VARIANT_FIRST:
                    variant = call.args[0] if call.args else None
            else:
                continue
            codes = _expand(code)
            if codes is None:
                yield where, None, ast.unparse(code)
                continue
            suffixes = [""]
            if variant is not None:
                suffixes = [f".{value}" for value in _expand(variant) or []]
                assert suffixes, f"{where}: a variant must be a literal (or a choice of literals)"
            for code in codes:
                for suffix in suffixes:
                    yield where, f"error.{code}{suffix}", params


def _runtime_code_values() -> dict[str, set[str]]:
    from backend.domain.support import rules as support_rules

    refusals = {support_rules.may_impersonate({"is_support": s, "is_admin": False, "status": st})
                for s in (True, False) for st in ("actif", "inactif")} - {None, "cible_protegee"}
    from backend.infra.errors import _HTTP_CODES

    reading = {"not_pdf", "encrypted", "corrupt"}  # ExtractionError's codes, sent back by the reading process
    return {
        "refusal": refusals,
        "value": reading,
        "error.get('code') or 'pdf_illisible'": reading | {"pdf_illisible", "fichier_absent"},
        "_HTTP_CODES.get(exc.status_code, 'erreur')": set(_HTTP_CODES.values()) | {"erreur"},
        "code": set(),  # a helper passing its own `code` on: its callers are the sites checked
        "status": set(),  # infra/openapi.py's _error(status) documents a response: it raises nothing
        "mismatch.code": {"format_incoherent"},  # lots/rules.py format_mismatch, raised by lots/services.py
        "problem.code": {"pdf_illisible", "facturx_sans_xml", "facturx_ambigu"},  # einvoice/pdf_attachments.py
        # connections/rules.py _choices(values, kind, unknown, required): the codes its callers pass
        "unknown": {"portee_inconnue", "evenement_inconnu"},
        "required": {"portee_requise", "evenement_requis"},
    }


@pytest.fixture(scope="module")
def catalogue():
    _load_everything()
    return i18n


def test_every_registered_key_has_both_languages(catalogue):
    assert catalogue.missing() == {}


def test_every_key_used_and_every_error_raised_has_both_texts_with_its_parameters(catalogue):
    runtime = _runtime_code_values()
    problems = []
    for where, key, params in _sites():
        if key is None:
            values = runtime.get(params)
            if values is None:
                problems.append(f"{where}: code {params} computed at run time: teach this test its values")
                continue
            keys, params = [f"error.{v}" for v in values], None
        else:
            keys = [key]
        for k in keys:
            if not catalogue.has(k):
                problems.append(f"{where}: {k} is in no catalogue")
                continue
            if params is None:  # parameters passed as **mapping: not checkable here
                continue
            for lang in catalogue.LANGS:
                text = catalogue._CATALOG[k][lang]
                wanted = {field.split(".")[0].split("[")[0] for _, field, _, _ in string.Formatter().parse(text) if field}
                if not wanted <= params:
                    problems.append(f"{where}: {k} ({lang}) needs {sorted(wanted - params)}")
    assert problems == []


def test_every_mail_and_notice_takes_the_same_values_in_both_languages(catalogue):
    """A value the English text names and the French one does not (or the reverse) is a text that fails in
    one language only; an e-mail template has its subject and its body."""
    def fields(text):
        return {field for _, field, _, _ in string.Formatter().parse(text) if field}

    keys = [k for k in catalogue._CATALOG if k.startswith(("mail.", "notice."))]
    assert len(keys) > 30
    assert [k for k in keys if fields(catalogue._CATALOG[k]["fr"]) != fields(catalogue._CATALOG[k]["en"])] == []
    templates = {k.rsplit(".", 1)[0] for k in keys if k.endswith((".subject", ".body"))}
    assert [k for k in sorted(templates) if not (catalogue.has(k + ".subject") and catalogue.has(k + ".body"))] == []


def test_every_invoice_notice_has_its_text_with_the_values_it_is_given(catalogue):
    from backend.domain.processing.rules import NOTICE_VALUES, RECIPIENT_NOTICES, SUPPLIER_NOTICES

    for kind in [*SUPPLIER_NOTICES.values(), *RECIPIENT_NOTICES.values()]:
        for lang in catalogue.LANGS:
            text = catalogue._CATALOG[f"notice.{kind}"][lang]
            assert {f for _, f, _, _ in string.Formatter().parse(text) if f} <= set(NOTICE_VALUES), (kind, lang)


def _enums(kind=None):
    from enum import Enum

    for sub in (kind or Enum).__subclasses__():
        yield sub
        yield from _enums(sub)


def test_an_enum_named_in_the_catalogue_has_every_member_named(catalogue):
    """Enum names live in the catalogue (`<EnumClass>.<value>`, shared.i18n.label): one named means all are."""
    checked = [kind for kind in _enums() if kind.__module__.startswith(("backend", "shared"))
               and any(catalogue.has(catalogue.label_key(m)) for m in kind)]
    assert {"DepositFormat", "Syntax", "Action", "State", "InvoiceStatus", "DashboardColumn",
            "Application", "Level", "Cadre", "InvoiceKind", "InvoiceSource"} <= {kind.__name__ for kind in checked}
    lacking = [catalogue.label_key(m) for kind in checked for m in kind if not catalogue.has(catalogue.label_key(m))]
    assert lacking == []


def test_every_connection_scope_and_event_has_its_name(catalogue):
    """The connections screen names them by keys it builds (`conn.scope.<value>`, `conn.event.<value>`)."""
    from backend.domain.connections.rules import Scope, WebhookEvent

    keys = [f"conn.scope.{s}" for s in Scope] + [f"conn.event.{e}" for e in WebhookEvent]
    assert [k for k in keys if not catalogue.has(k)] == []


def test_every_invoice_field_an_error_names_has_its_name(catalogue):
    """invoices/fields.py names the field in its refusals (« Le montant HT doit… »): by its catalogue key,
    falling back to « texte » — which no field it checks should need."""
    from backend.domain.invoices import fields

    keys = [f"invoice_field.{f}" for f in (*fields.MONEY_FIELDS, *fields.TEXT_LIMITS)]
    keys += [f"invoice_field.siret_owner.{f}" for f in fields.SIRET_FIELDS]
    assert [k for k in keys if not catalogue.has(k)] == []


def test_every_word_of_the_facturx_visual_is_in_the_catalogue(catalogue):
    from backend.domain.einvoice import facturx_pdf

    keys = [f"facturx_pdf.{w}" for w in facturx_pdf.WORDS] + [f"facturx_pdf.col.{c}" for c in facturx_pdf.COLUMNS]
    assert [k for k in keys if not catalogue.has(k)] == []


def test_every_request_category_and_sub_category_has_its_name(catalogue):
    """The help form offers sollicitations/rules.py CATEGORIES by the names the catalogue gives their keys."""
    from backend.domain.sollicitations.rules import CATEGORIES

    keys = [f"soll.category.{c}" for c in CATEGORIES]
    keys += [f"soll.subcategory.{c}.{s}" for c, subs in CATEGORIES.items() for s in subs]
    assert [k for k in keys if not catalogue.has(k)] == []


def test_every_workspace_a_supplier_may_open_has_its_description(catalogue):
    from shared.applications import WORKSPACE_DESCRIPTIONS

    assert [k for k in WORKSPACE_DESCRIPTIONS.values() if not catalogue.has(k)] == []


def _journal_kinds():
    """(where, kind) of every entry written to a structure's organisation journal: `_journal(principal,
    structure, kind, ...)` and its alias `record` (structures slice), `journal(structure, ..., kind=...)`
    (the store, called directly by lots)."""
    for path in SOURCES:
        for call in ast.walk(ast.parse(path.read_text())):
            if not isinstance(call, ast.Call):
                continue
            name = call.func.id if isinstance(call.func, ast.Name) else getattr(call.func, "attr", None)
            kind = None
            if name in ("_journal", "record") and len(call.args) >= 3:
                kind = call.args[2]
            elif name == "journal":
                kind = next((k.value for k in call.keywords if k.arg == "kind"), None)
            if kind is not None and ast.unparse(kind) != "kind":  # a helper passing its own on: its callers count
                where = f"{path.relative_to(ROOT)}:{call.lineno}"
                kinds = _expand(kind)
                assert kinds is not None, f"{where}: a journal kind must be a literal (or a choice of literals)"
                yield from ((where, k) for k in kinds)


def test_every_kind_of_the_organisation_journal_has_its_label(catalogue):
    """The « Historique » tab names each change by `org.journal.kind.<kind>`."""
    written = list(_journal_kinds())
    assert {"piece_jointe_ajoutee", "service_desactive", "regles_francaises"} <= {k for _, k in written}
    assert [f"{where}: {k}" for where, k in written if not catalogue.has(f"org.journal.kind.{k}")] == []


def test_a_missing_language_logs_and_falls_back_to_the_other(caplog):
    i18n.register({"test.only_french": ("Seulement en français", "")})
    with caplog.at_level(logging.ERROR, logger="shared.i18n"):
        assert i18n.t("test.only_french", "en") == "Seulement en français"
    assert "test.only_french" in caplog.text
    assert i18n.missing()["test.only_french"] == ["en"]
    i18n._CATALOG.pop("test.only_french")


def test_an_unknown_key_is_logged_not_silently_returned(caplog):
    with caplog.at_level(logging.ERROR, logger="shared.i18n"):
        i18n.t("no.such.key")
    assert "no.such.key" in caplog.text


@pytest.mark.parametrize(("cookie", "header", "expected"), [
    ("en", "fr-FR,fr;q=0.9", "en"),
    (None, "en-GB,en;q=0.9,fr;q=0.8", "en"),
    (None, "de-DE,fr;q=0.5,en;q=0.9", "en"),
    (None, "de-DE", "fr"),
    ("klingon", None, "fr"),
    (None, "en;q=0, fr;q=0.1", "fr"),
    (None, "en;q=abc", "fr"),
])
def test_the_request_language_is_the_cookie_then_accept_language_then_french(cookie, header, expected):
    assert i18n.request_lang(cookie, header) == expected


def test_no_language_branch_in_the_backend():
    """Texts in both languages are picked by the catalogue (shared/i18n.py), not by `lang ==` branches."""
    offending = [f"{p.relative_to(ROOT)}:{n}" for p in SOURCES if p.parts[len(ROOT.parts)] == "backend"
                 for n, line in enumerate(p.read_text().splitlines(), 1) if "lang ==" in line or "lang !=" in line]
    assert offending == []


def test_an_error_reporting_several_problems_gives_each_in_the_askers_language():
    from backend.domain.invoices.sending import all_of
    from shared.errors import DomainError

    problems = [DomainError("date_obligatoire", "invoice_date"), DomainError("destinataire_obligatoire", "recipient")]
    refused = all_of(problems)
    english = refused.body("en")
    assert english["code"] == "date_obligatoire" and english["message"] == "The invoice date is required."
    assert [(p["field"], p["message"]) for p in english["details"]["errors"]] == [
        ("invoice_date", "The invoice date is required."), ("recipient", "Choose the invoice's recipient.")]
    assert refused.body()["details"]["errors"][1]["message"] == "Choisissez le destinataire de la facture."
    assert "errors" not in problems[0].details  # the problems themselves are left as they were


def test_an_error_crosses_a_process_boundary_with_its_texts():
    import pickle

    from backend.domain.invoices.extraction import ExtractionError

    error = pickle.loads(pickle.dumps(ExtractionError("encrypted")))
    assert type(error) is ExtractionError and error.code == "encrypted" and "mot de passe" in error.message_fr


def test_every_text_keyed_at_run_time_has_both_languages(catalogue):
    """Keys built from data (a business term's id, a template's name, a secret question) are beyond the scan
    of `t("…")` above: each must be in the catalogue in both languages."""
    from backend.domain.einvoice.business_terms import form_field_key, term_key, terms_in
    from backend.domain.einvoice.rule_catalogue import explain, skeleton
    from backend.domain.sollicitations.rules import TEMPLATES, template_key
    from shared.i18n_accounts import SECRET_QUESTIONS

    named = {term for rule_id in skeleton() for term in explain(rule_id).terms}
    fields = [k.removeprefix("form_field.") for k in catalogue._CATALOG if k.startswith("form_field.")]
    keys = [*(template_key(name, part) for name in TEMPLATES for part in ("label", "text")), *SECRET_QUESTIONS,
            *(term_key(term) for term in fields), *(form_field_key(term) for term in fields)]
    assert len(TEMPLATES) >= 3 and len(SECRET_QUESTIONS) == 5 and len(fields) > 20
    missing = [k for k in keys if not catalogue.has(k) or not all(catalogue._CATALOG[k].get(lang) for lang in catalogue.LANGS)]
    assert missing == []
    # Every term the French explanations name by its BT number has its name (else it reads « BT-x (BT-x) »).
    from backend.domain.einvoice.rule_catalogue import RULES_FR
    in_french = {term for text in RULES_FR.values() for term in terms_in(text)}
    assert [term for term in sorted(in_french) if not catalogue.has(term_key(term))] == []
    assert len(named) > 50
