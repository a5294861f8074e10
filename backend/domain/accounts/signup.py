"""Creating an account as the guide lays it out, activating it, and resetting a forgotten password.

Everything a sign-up writes (user, structure or attachment request, profiles, workspaces, activation
token, e-mail) is written in one transaction: a refused sign-up leaves nothing behind.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import asyncpg

from backend.domain.accounts import rules, tokens
from backend.domain.accounts.challenge import check_challenge
from backend.domain.accounts.passwords import hash_secret, verify_secret
from backend.domain.accounts.rules import RuleViolation
from backend.domain.directory.rules import is_valid_siret
from backend.domain.directory.services import get_establishment
from backend.domain.notifications.services import absolute_link, queue_mail, wake_sender
from backend.infra.database import connection
from backend.infra.errors import ChoraleError
from shared.applications import DEFAULT_WORKSPACES, Application

IDENTIFIER_TYPES = ("SIRET", "RIDET", "TAHITI", "TVA_INTRACOMMUNAUTAIRE", "HORS_UE", "PARTICULIER")
SECRET_QUESTIONS = (
    "Nom de votre première école ?", "Ville de naissance de votre mère ?", "Nom de votre premier animal ?",
    "Titre de votre livre préféré ?", "Prénom de votre meilleur ami d'enfance ?",
)


@dataclass
class SignupData:
    email: str
    email_confirmation: str
    first_name: str
    last_name: str
    identifier_type: str = "SIRET"
    identifier: str = ""
    raison_sociale: str = ""
    libelle: str = ""
    address: str = ""
    complement1: str = ""
    complement2: str = ""
    postcode: str = ""
    city: str = ""
    country: str = "FR"
    consent_survey: bool = False
    purposes: list[str] = field(default_factory=lambda: ["demandes_de_paiement"])
    workspaces: list[str] = field(default_factory=lambda: [str(a) for a in DEFAULT_WORKSPACES])
    challenge_id: str = ""
    challenge_answer: str = ""
    lang: str = "fr"


@dataclass(frozen=True)
class SignupOutcome:
    user_id: int
    structure_id: int
    creator: bool  # False: an attachment request to an existing structure awaits its gestionnaire


def _error(code: str, fr: str, en: str, field_name: str) -> ChoraleError:
    return ChoraleError(code, fr, en, field=field_name)


def _required(value: str, field_name: str) -> str:
    value = (value or "").strip()
    if not value:
        raise _error("champ_obligatoire", "Ce champ est obligatoire.", "This field is required.", field_name)
    return value


async def check_identifier(identifier_type: str, identifier: str):
    """The establishment for a SIRET (checked against the register); None for other identifier types."""
    if identifier_type not in IDENTIFIER_TYPES:
        raise _error("type_identifiant_invalide", "Type d'identifiant inconnu.", "Unknown identifier type.", "identifier_type")
    if identifier_type != "SIRET":
        _required(identifier, "identifier")
        return None
    siret = "".join(identifier.split())
    if not (siret.isdigit() and len(siret) == 14) or not is_valid_siret(siret):
        raise _error("siret_invalide", "Numéro SIRET invalide : 14 chiffres avec une clé de contrôle correcte.",
                     "Invalid SIRET number: 14 digits with a correct check digit.", "identifier")
    establishment = await get_establishment(siret)
    if establishment is None:
        raise _error("siret_inconnu", "Ce numéro SIRET n'existe pas dans l'annuaire des entreprises (INSEE).",
                     "This SIRET number is not in the business register.", "identifier")
    if not establishment.active:
        raise _error("etablissement_ferme", "Cet établissement est fermé selon l'INSEE : utilisez le SIRET d'un établissement actif.",
                     "This establishment is closed: use the SIRET of an open establishment.", "identifier")
    return establishment


def _validate(data: SignupData) -> None:
    try:
        data.email = rules.check_email(data.email)
    except RuleViolation as v:
        raise _error(v.code, v.message_fr, v.message_en, "email") from None
    if rules.normalise_email(data.email_confirmation) != data.email:
        raise _error("email_confirmation", "Les deux adresses électroniques ne sont pas identiques.",
                     "The two e-mail addresses differ.", "email_confirmation")
    data.first_name = _required(data.first_name, "first_name")
    data.last_name = _required(data.last_name, "last_name")
    for name in ("raison_sociale", "address", "postcode", "city", "country"):
        setattr(data, name, _required(getattr(data, name), name))
    if not data.purposes:
        raise _error("usage_obligatoire", "Cochez au moins une fonctionnalité.", "Tick at least one purpose.", "purposes")
    known = {str(a) for a in Application}
    if any(w not in known for w in data.workspaces):
        raise _error("espace_inconnu", "Espace de travail inconnu.", "Unknown workspace.", "workspaces")


async def signup(data: SignupData) -> SignupOutcome:
    _validate(data)
    establishment = await check_identifier(data.identifier_type, data.identifier)
    identifier = establishment.siret if establishment else data.identifier.strip()
    if not await check_challenge(data.challenge_id, data.challenge_answer):
        raise _error("verification_humaine", "La réponse à la question de vérification est incorrecte : une nouvelle question vous est posée.",
                     "Wrong answer to the verification question: here is a new one.", "challenge_answer")
    async with connection() as conn:
        try:
            async with conn.transaction():
                outcome, token = await _write_signup(conn, data, identifier, establishment)
        except asyncpg.UniqueViolationError:
            raise _error("email_deja_utilise", "Cette adresse électronique est déjà utilisée par un compte.",
                         "This e-mail address is already used by an account.", "email") from None
    await wake_sender()
    return outcome


async def _write_signup(conn, data: SignupData, identifier: str, establishment) -> tuple[SignupOutcome, str]:
    if await conn.fetchval("SELECT 1 FROM user_account WHERE email = $1", data.email):
        raise _error("email_deja_utilise", "Cette adresse électronique est déjà utilisée par un compte.",
                     "This e-mail address is already used by an account.", "email")
    user_id = await conn.fetchval(
        """INSERT INTO user_account (email, first_name, last_name, lang, consent_survey, purposes)
           VALUES ($1, $2, $3, $4, $5, $6::jsonb) RETURNING id""",
        data.email, data.first_name, data.last_name, data.lang if data.lang in ("fr", "en") else "fr",
        data.consent_survey, __import__("json").dumps(data.purposes))
    structure_id = await conn.fetchval(
        "SELECT id FROM structure WHERE identifier_type = $1 AND identifier = $2", data.identifier_type, identifier)
    creator = structure_id is None
    if creator:
        structure_id = await conn.fetchval(
            """INSERT INTO structure (identifier_type, identifier, siren, raison_sociale, libelle, address, complement1,
                                      complement2, postcode, city, country, is_public)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id""",
            data.identifier_type, identifier, identifier[:9] if data.identifier_type == "SIRET" else None,
            data.raison_sociale, data.libelle or None, data.address, data.complement1 or None, data.complement2 or None,
            data.postcode, data.city, data.country[:2].upper(), bool(establishment and establishment.is_public))
        await conn.execute("INSERT INTO attachment (user_id, structure_id, is_principal) VALUES ($1, $2, TRUE)", user_id, structure_id)
        applications = [Application.ORGANISATION, Application.FACTURES_EMISES]
        if establishment and establishment.is_public:
            applications.append(Application.FACTURES_RECUES)
        for application in applications:
            await conn.execute("INSERT INTO profile (user_id, structure_id, application, level) VALUES ($1, $2, $3, 'modification')",
                               user_id, structure_id, str(application))
    else:
        await conn.execute(
            "INSERT INTO attachment (user_id, structure_id, status, comment) VALUES ($1, $2, 'demande', $3)",
            user_id, structure_id, "Demande créée lors de l'inscription")
    for workspace in dict.fromkeys(data.workspaces):
        await conn.execute("INSERT INTO workspace (user_id, application) VALUES ($1, $2)", user_id, workspace)
    token = await tokens.issue(conn, user_id, "activation", rules.ACTIVATION_LINK_LIFETIME)
    link = absolute_link(f"/activation/{token}")
    await queue_mail(
        conn, to=data.email, kind="activation", user_id=user_id,
        subject="Chorale — activez votre compte utilisateur",
        body_text=(f"Bonjour {data.first_name} {data.last_name},\n\nVotre compte utilisateur {data.email} a été créé sur Chorale.\n"
                   f"Pour l'activer, choisissez votre mot de passe en suivant ce lien (valable 48 heures) :\n{link}\n\n"
                   + ("" if creator else "Votre demande de rattachement à la structure existante a été transmise à son gestionnaire principal.\n\n")
                   + "— Chorale"))
    return SignupOutcome(user_id=user_id, structure_id=structure_id, creator=creator), token


async def activation_details(token: str) -> dict:
    async with connection() as conn:
        user_id = await tokens.redeem(conn, token, "activation")
        row = await conn.fetchrow("SELECT email, contact_email, first_name, last_name FROM user_account WHERE id = $1", user_id)
    return dict(row)


async def activate(token: str, password: str, confirmation: str, secret_question: str, secret_answer: str) -> str:
    """Set the password and secret question; returns the login e-mail."""
    try:
        rules.check_password(password, confirmation)
    except RuleViolation as v:
        raise _error(v.code, v.message_fr, v.message_en, v.field or "password") from None
    if secret_question not in SECRET_QUESTIONS:
        raise _error("question_secrete", "Choisissez une question secrète.", "Choose a secret question.", "secret_question")
    answer = rules.normalise_secret_answer(secret_answer)
    if len(answer) < 2:
        raise _error("reponse_secrete", "Donnez une réponse à la question secrète.", "Answer the secret question.", "secret_answer")
    async with connection() as conn:
        async with conn.transaction():
            user_id = await tokens.redeem(conn, token, "activation")
            email = await conn.fetchval(
                """UPDATE user_account SET password_hash = $2, secret_question = $3, secret_answer_hash = $4,
                       status = 'actif', activated_at = now() WHERE id = $1 RETURNING email""",
                user_id, hash_secret(password), secret_question, hash_secret(answer))
            await tokens.spend(conn, token)
    return email


async def request_password_reset(email: str) -> None:
    """Always answers the same way, so the form does not reveal which addresses have an account."""
    email = rules.normalise_email(email)
    async with connection() as conn:
        async with conn.transaction():
            row = await conn.fetchrow("SELECT id, first_name FROM user_account WHERE email = $1 AND status <> 'en_attente'", email)
            if row is None:
                return
            token = await tokens.issue(conn, row["id"], "reinitialisation", rules.RESET_LINK_LIFETIME)
            await queue_mail(conn, to=email, kind="reinitialisation", user_id=row["id"],
                             subject="Chorale — réinitialisation de votre mot de passe",
                             body_text=(f"Bonjour {row['first_name']},\n\nPour choisir un nouveau mot de passe, suivez ce lien "
                                        f"(valable 2 heures) :\n{absolute_link('/reinitialisation/' + token)}\n\n"
                                        "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message.\n\n— Chorale"))
    await wake_sender()


async def reset_question(token: str) -> str:
    async with connection() as conn:
        user_id = await tokens.redeem(conn, token, "reinitialisation")
        return await conn.fetchval("SELECT secret_question FROM user_account WHERE id = $1", user_id)


async def reset_password(token: str, secret_answer: str, password: str, confirmation: str) -> str:
    try:
        rules.check_password(password, confirmation)
    except RuleViolation as v:
        raise _error(v.code, v.message_fr, v.message_en, v.field or "password") from None
    wrong = None
    async with connection() as conn:
        async with conn.transaction():
            user_id = await tokens.redeem(conn, token, "reinitialisation")
            row = await conn.fetchrow("SELECT email, secret_answer_hash, failed_logins FROM user_account WHERE id = $1 FOR UPDATE", user_id)
            if not verify_secret(row["secret_answer_hash"], rules.normalise_secret_answer(secret_answer)):
                from datetime import UTC, datetime

                failures, locked_until = rules.after_failed_login(row["failed_logins"], datetime.now(UTC))
                await conn.execute("UPDATE user_account SET failed_logins = $2, locked_until = coalesce($3, locked_until) WHERE id = $1",
                                   user_id, failures, locked_until)
                wrong = _error("reponse_incorrecte", "La réponse à la question secrète est incorrecte.",
                               "The answer to the secret question is wrong.", "secret_answer")
            else:
                await conn.execute(
                    """UPDATE user_account SET password_hash = $2, failed_logins = 0, locked_until = NULL,
                           status = CASE WHEN status = 'verrouille' THEN 'actif' ELSE status END WHERE id = $1""",
                    user_id, hash_secret(password))
                await tokens.spend(conn, token)
    if wrong:
        raise wrong
    return row["email"]
