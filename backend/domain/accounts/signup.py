"""Creating an account as the guide lays it out, activating it, and resetting a forgotten password.

Everything a sign-up writes (user, structure or attachment request, profiles, workspaces, activation
token, e-mail) is written in one transaction: a refused sign-up leaves nothing behind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import asyncpg

from backend.domain.accounts import limits, rules, store, tokens
from backend.domain.accounts.challenge import challenge_passed, check_challenge, pass_challenge, spend_pass
from backend.domain.accounts.passwords import hash_in_thread, verify_in_thread
from backend.domain.accounts.rules import RuleViolation
from backend.domain.directory.rules import is_valid_siret
from backend.domain.directory.services import get_establishment
from backend.domain.accounts import ports
from backend.domain.accounts.ports import structures as structure_rows
from backend.domain.accounts.services import LOCKED_OUT, record_failed_attempt, send_activation_link
from backend.domain.accounts.store import LOCKED, PENDING
from backend.domain.notifications.services import absolute_link, queue_template, wake_sender
from backend.infra.database import transaction
from backend.infra import rate_limit
from backend.infra.errors import DomainError
from shared.applications import DEFAULT_WORKSPACES, Application, Level
from shared.countries import is_country
from shared.i18n_accounts import secret_question_key

IDENTIFIER_TYPES = ("SIRET", "RIDET", "TAHITI", "TVA_INTRACOMMUNAUTAIRE", "HORS_UE", "PARTICULIER")


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
    # For a structure already registered: the request's comment to its gestionnaire (the structure's own
    # fields are then neither asked nor read), and the services asked for — ids of its active services,
    # none for the whole structure (the guide's « maille structure » or « maille service »).
    attachment_comment: str = ""
    service_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class SignupOutcome:
    """What a sign-up answers: nothing that differs when the address already had an account (no ids)."""

    creator: bool  # False: an attachment request to an existing structure awaits its gestionnaire


def _error(code: str, field_name: str, **params: object) -> DomainError:
    return DomainError(code, field_name, **params)


def _required(value: str, field_name: str) -> str:
    value = (value or "").strip()
    if not value:
        raise _error('champ_obligatoire', field_name)
    return value


async def check_identifier(identifier_type: str, identifier: str):
    """The establishment for a SIRET (checked against the register); None for other identifier types."""
    if identifier_type not in IDENTIFIER_TYPES:
        raise _error('type_identifiant_invalide', "identifier_type")
    if identifier_type == "TVA_INTRACOMMUNAUTAIRE":
        _check_vat_number(identifier)
        return None
    if identifier_type != "SIRET":
        _required(identifier, "identifier")
        return None
    siret = "".join(identifier.split())
    if not (siret.isdigit() and len(siret) == 14) or not is_valid_siret(siret):
        raise _error('siret_invalide', "identifier", variant='numero_siret_invalide')
    establishment = await get_establishment(siret)
    if establishment is None:
        raise _error('siret_inconnu', "identifier")
    if not establishment.active:
        raise _error('etablissement_ferme', "identifier")
    return establishment


def _check_vat_number(identifier: str) -> str:
    """An EU VAT number: country prefix and the number with its check digits (python-stdnum knows each
    member state's rule); returns it compacted (no spaces or dots)."""
    from stdnum.eu import vat

    _required(identifier, "identifier")
    try:
        return vat.validate(identifier)
    except Exception:  # stdnum raises its ValidationError subclasses (format, length, checksum, country)
        raise _error('tva_invalide', "identifier") from None


def _check_email(data: SignupData) -> None:
    try:
        data.email = rules.check_email(data.email)
    except RuleViolation as v:
        raise v.with_status(field="email") from None


def _validate_details(data: SignupData, *, registered: bool) -> None:
    """What the sign-up's second step asks (the e-mail itself was checked at the first). For a structure
    already registered, its fields are not asked: the sign-up is a request to join it as it is."""
    if rules.normalise_email(data.email_confirmation) != data.email:
        raise _error('email_confirmation', "email_confirmation")
    data.first_name = _required(data.first_name, "first_name")
    data.last_name = _required(data.last_name, "last_name")
    if len(data.attachment_comment.strip()) > 1000:
        raise _error('champ_trop_long', "attachment_comment")
    if not registered:
        for name in ("raison_sociale", "address", "postcode", "city", "country"):
            setattr(data, name, _required(getattr(data, name), name))
        if not is_country(data.country):
            raise _error('pays_inconnu', "country")
        data.country = data.country.strip().upper()
    if not data.purposes:
        raise _error('usage_obligatoire', "purposes")
    known = {str(a) for a in Application}
    if any(w not in known for w in data.workspaces):
        raise _error('espace_inconnu', "workspaces")


async def check_details(data: SignupData) -> None:
    """The second step's checks, at that step (not after the third): the fields, then the verification
    question (checked last, so that a mistyped confirmation does not spend a right answer)."""
    data.email = rules.normalise_email(data.email)
    registered = await registered_structure(data.identifier_type, data.identifier)
    _validate_details(data, registered=registered is not None)
    await _check_services(data.service_ids, registered["id"] if registered else None)
    if not await pass_challenge(data.challenge_id, data.challenge_answer):
        raise _wrong_answer()


def _wrong_answer() -> DomainError:
    return _error('verification_humaine', "challenge_answer")


async def _check_services(service_ids: list[int], structure_id: int | None) -> None:
    """The services asked for are active services of the registered structure (the organisation's own
    check); a new structure has none yet. Checked before anything is written, and before the address is
    looked up, so that the answer is the same whether the address has an account or not."""
    if structure_id is not None:
        await ports.check_attachment_services()(structure_id, service_ids)
    elif service_ids:
        raise _error('service_inconnu', "services")


async def signup(data: SignupData, client_ip: str | None = None) -> SignupOutcome:
    """Every sign-up that passes the checks answers the same way, whether its address already has an
    account or not (so the form tells nobody which addresses do): an e-mail goes to the address, and only
    its owner learns which. An address with an account gets no second one: its owner is told someone tried
    (and how to log in), and the same steps run before the answer either way."""
    await rate_limit.hit(limits.SIGNUP_IP, client_ip)  # every attempt counts, refused ones too
    _check_email(data)
    establishment = await check_identifier(data.identifier_type, data.identifier)
    identifier = _identifier(data.identifier_type, data.identifier, establishment)
    structure_id = await structure_rows().structure_id_by_identifier(data.identifier_type, identifier)
    _validate_details(data, registered=structure_id is not None)
    await _check_services(data.service_ids, structure_id)
    passed = await challenge_passed(data.challenge_id)  # answered right at the second step
    if not passed and not await check_challenge(data.challenge_id, data.challenge_answer):
        raise _wrong_answer()
    try:
        async with transaction():
            outcome = await _write_signup(data, identifier, establishment)
    except asyncpg.UniqueViolationError:
        # Another sign-up with this address committed between the look-up and the insert: its owner is
        # told, as when the address was taken before.
        async with transaction():
            outcome = await _tell_owner(await store.user_by_email(data.email), data, identifier)
    if passed:
        await spend_pass(data.challenge_id)
    await wake_sender()
    return outcome


async def _tell_owner(owner: store.User, data: SignupData, identifier: str) -> SignupOutcome:
    """A sign-up with an address that has an account: no account is created; its owner gets a mail
    saying so (a fresh activation link when the account awaits activation), in the account's language,
    greeting the account's name (not the one typed). `creator` is what a new account would have got."""
    creator = await structure_rows().structure_id_by_identifier(data.identifier_type, identifier) is None
    if owner.status == PENDING:
        await send_activation_link("activation_inscription_existante", user_id=owner.id, email=owner.email, lang=owner.lang,
                                   first_name=owner.first_name)
    else:
        await queue_template("inscription_existante", to=owner.email, lang=owner.lang, first_name=owner.first_name,
                             user_id=owner.id, email=owner.email, login_link=absolute_link("/connexion"),
                             reset_link=absolute_link("/mot-de-passe-oublie"))
    return SignupOutcome(creator=creator)


def _identifier(identifier_type: str, identifier: str, establishment) -> str:
    """The identifier as structures are registered under it (a SIRET without spaces, a VAT number compacted)."""
    if establishment is not None:
        return establishment.siret
    if identifier_type == "TVA_INTRACOMMUNAUTAIRE":
        return _check_vat_number(identifier)
    return identifier.strip()


async def registered_structure(identifier_type: str, identifier: str) -> dict | None:
    """The structure already registered under this identifier, as sign-up shows it (read-only), with the
    active services the sign-up may ask to join: signing up for it asks its gestionnaire to join it. None
    when the identifier is new (or not valid)."""
    if identifier_type not in IDENTIFIER_TYPES or not (identifier or "").strip():
        return None
    if identifier_type == "SIRET":
        key = "".join(identifier.split())
    else:
        try:
            key = _identifier(identifier_type, identifier, None)
        except DomainError:
            return None
    rows = structure_rows()
    structure_id = await rows.structure_id_by_identifier(identifier_type, key)
    row = None if structure_id is None else await rows.structure(structure_id)
    if row is None:
        return None
    return {**{name: getattr(row, name) for name in ("id", "identifier_type", "identifier", "raison_sociale", "libelle", "address",
                                                      "complement1", "complement2", "postcode", "city", "country")},
            "services": await ports.attachment_services()(row.id)}


async def _write_signup(data: SignupData, identifier: str, establishment) -> SignupOutcome:
    owner = await store.user_by_email(data.email)
    if owner is not None:
        return await _tell_owner(owner, data, identifier)
    lang = data.lang if data.lang in ("fr", "en") else "fr"
    user_id = await store.create_user(email=data.email, first_name=data.first_name, last_name=data.last_name,
                                      lang=lang, consent_survey=data.consent_survey, purposes=data.purposes)
    structures = structure_rows()
    structure_id = await structures.structure_id_by_identifier(data.identifier_type, identifier)
    creator = structure_id is None
    if creator:
        is_public = bool(establishment and establishment.is_public)
        structure_id = await structures.create_structure(
            identifier_type=data.identifier_type, identifier=identifier,
            siren=identifier[:9] if data.identifier_type == "SIRET" else None, raison_sociale=data.raison_sociale,
            libelle=data.libelle or None, address=data.address, complement1=data.complement1 or None,
            complement2=data.complement2 or None, postcode=data.postcode, city=data.city, country=data.country[:2].upper(),
            is_public=is_public)
        await structures.attach(user_id, structure_id, is_principal=True)
        applications = [Application.ORGANISATION, Application.FACTURES_EMISES]
        if is_public:
            applications.append(Application.FACTURES_RECUES)
        for application in applications:
            await structures.grant_profile(user_id, structure_id, str(application), str(Level.MODIFICATION))
    else:
        comment = data.attachment_comment.strip() or "Demande créée lors de l'inscription"
        # The organisation's own request (checked again there, in this transaction): journaled, its gestionnaires mailed.
        await ports.request_attachment()(user_id, structure_id, comment, data.service_ids)
    for workspace in dict.fromkeys(data.workspaces):
        await structures.open_workspace(user_id, workspace)
    await send_activation_link("activation_inscription" if creator else "activation_inscription_rattachement", user_id=user_id,
                               email=data.email, lang=lang, first_name=f"{data.first_name} {data.last_name}")
    return SignupOutcome(creator=creator)


async def _pending_account(token: str) -> store.User:
    """The account an activation link is for, while it awaits activation: a link never applies to an
    active account (one left over from a resend would otherwise reset its password and secret answer)."""
    user = await store.user(await tokens.redeem(token, "activation"))
    if user is None or user.status != PENDING:
        raise tokens.link_used()
    return user


async def activation_details(token: str) -> dict:
    user = await _pending_account(token)
    return {"email": user.email, "contact_email": user.contact_email, "first_name": user.first_name, "last_name": user.last_name}


async def activate(token: str, password: str, confirmation: str, secret_question: str, secret_answer: str) -> str:
    """Set the password and secret question (its key, or its text in either language); returns the login e-mail.
    The account keeps the question's key."""
    try:
        rules.check_password(password, confirmation)
    except RuleViolation as v:
        raise v.with_status(field=v.field or "password") from None
    question_key = secret_question_key(secret_question)
    if question_key is None:
        raise _error('question_secrete', "secret_question")
    answer = rules.normalise_secret_answer(secret_answer)
    if len(answer) < 2:
        raise _error('reponse_secrete', "secret_answer")
    password_hash, answer_hash = await hash_in_thread(password), await hash_in_thread(answer)
    async with transaction():
        user = await _pending_account(token)
        email = await store.activate(user.id, password_hash=password_hash, secret_question=question_key,
                                     secret_answer_hash=answer_hash)
        if email is None:  # activated by another link meanwhile
            raise tokens.link_used()
        # Every other activation link (sign-up, resends by support) dies with this one.
        await tokens.spend_all(user.id, "activation")
    return email


async def request_password_reset(email: str) -> None:
    """Always answers the same way, so the form does not reveal which addresses have an account."""
    email = rules.normalise_email(email)
    # Counted whether the address has an account or not, so the limit reveals nothing either.
    await rate_limit.hit(limits.RESET_ADDRESS, email)
    async with transaction():
        user = await store.user_by_email(email)
        if user is None or user.status == PENDING:
            return
        token = await tokens.issue(user.id, "reinitialisation", rules.RESET_LINK_LIFETIME)
        await queue_template("reinitialisation", to=email, lang=user.lang, first_name=user.first_name, user_id=user.id,
                             link=absolute_link("/reinitialisation/" + token))
    await wake_sender()


async def reset_question(token: str) -> str:
    """The secret question a reset link asks, as the account keeps it (its key, or the French text of an
    account activated before the keys): `secret_question_text` shows it in the reader's language."""
    return await store.secret_question(await tokens.redeem(token, "reinitialisation"))


async def reset_password(token: str, secret_answer: str, password: str, confirmation: str) -> str:
    try:
        rules.check_password(password, confirmation)
    except RuleViolation as v:
        raise v.with_status(field=v.field or "password") from None
    now = datetime.now(UTC)
    refusal: DomainError | None = None
    # A wrong answer counts against the link and the account (as a failed login) and must be committed
    # although the reset is refused: decide, commit, then raise.
    async with transaction():
        found = await tokens.redeem_row(token, "reinitialisation")
        user = await store.credentials(found.user_id)
        if rules.is_locked(user.locked_until, now) or user.status == LOCKED:
            # The lock-out holds here too, or the reset form would be a way round it.
            refusal = LOCKED_OUT
        elif await verify_in_thread(user.secret_answer_hash, rules.normalise_secret_answer(secret_answer)):
            await store.unlock(user.id, password_hash=await hash_in_thread(password))
            await store.revoke_sessions(user.id)  # whoever knew the old password is logged out
            await tokens.spend(token)
        else:
            await record_failed_attempt(user, now)
            if await tokens.record_failed_answer(token, found):
                refusal = _error('reponse_incorrecte_lien_annule', "secret_answer")
            else:
                refusal = _error('reponse_incorrecte', "secret_answer")
    if refusal is not None:
        raise refusal
    return user.email
