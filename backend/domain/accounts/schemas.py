from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import msgspec

from backend.domain.accounts.identity import Principal


@dataclass
class LoginForm:
    email: str
    password: str
    next: str | None = None


@dataclass
class Me:
    user_id: int
    email: str
    display_name: str
    lang: str
    is_support: bool
    impersonator_email: str | None

    @classmethod
    def of(cls, principal: Principal) -> "Me":
        return cls(user_id=principal.user_id, email=principal.email, display_name=principal.display_name,
                   lang=principal.lang, is_support=principal.is_support, impersonator_email=principal.impersonator_email)


# Sign-up, activation, password reset, Mon compte -----------------------------------------------------

class Challenge(msgspec.Struct):
    """The sign-up's server-side question (instead of a captcha); its answer goes with the sign-up."""

    id: str
    question: str
    question_en: str


class SignupOutcome(msgspec.Struct):
    """The same whether the address already had an account or not (issue 20: the form must not tell):
    an e-mail was sent to it; `creator`: the identifier's structure is new (else a rattachement request)."""

    status: str  # always "courriel_envoye"
    creator: bool


class Activation(msgspec.Struct):
    token: str
    password: str
    confirmation: str
    secret_question: str
    secret_answer: str


class Activated(msgspec.Struct):
    email: str
    status: str


class ActivationDetails(msgspec.Struct):
    """Who an activation link is for, shown on the activation screen."""

    email: str
    contact_email: str | None
    first_name: str | None
    last_name: str | None


class IdentifierCheck(msgspec.Struct):
    """A sign-up identifier (SIRET, TVA, …) to check before the form goes on."""

    identifier_type: str
    identifier: str


class ResetRequest(msgspec.Struct):
    email: str


class ResetRequested(msgspec.Struct):
    message: str


class ResetQuestion(msgspec.Struct):
    """The secret question a reset link asks."""

    question: str


class PasswordReset(msgspec.Struct):
    token: str
    secret_answer: str
    password: str
    confirmation: str


class EmailOnly(msgspec.Struct):
    email: str


class PasswordChange(msgspec.Struct):
    current: str
    password: str
    confirmation: str


class AccountUpdate(msgspec.Struct):
    """Mon compte: only the keys sent change."""

    first_name: str | None = None
    last_name: str | None = None
    contact_email: str | None = None
    lang: str | None = None
    notify_all: bool | None = None
    notify_billing: bool | None = None
    notify_digest: bool | None = None


class AccountUser(msgspec.Struct):
    id: int
    email: str
    contact_email: str | None
    first_name: str | None
    last_name: str | None
    lang: str
    notify_all: bool
    notify_billing: bool
    notify_digest: bool
    created_at: datetime | None
    activated_at: datetime | None
    last_login_at: datetime | None


class ServiceToJoin(msgspec.Struct):
    """An active service a person may ask to join (sign-up, « Mes rattachements »)."""

    id: int
    code: str
    libelle: str


class RegisteredStructure(msgspec.Struct):
    """A structure already registered under an identifier, as sign-up shows it (read-only), with the
    active services the sign-up may ask to join (none ticked: the whole structure)."""

    id: int
    identifier_type: str
    identifier: str
    raison_sociale: str
    libelle: str | None
    address: str
    complement1: str | None
    complement2: str | None
    postcode: str
    city: str
    country: str
    services: list[ServiceToJoin]


class Profile(msgspec.Struct, omit_defaults=True):
    application: str
    level: str
    service_code: str | None = None  # a service's own level (a service-level rattachement); None: the structure's


class Membership(msgspec.Struct):
    """A structure the user is attached to, with their profiles on it."""

    id: int
    identifier: str
    raison_sociale: str
    libelle: str | None
    is_public: bool
    status: str
    is_principal: bool
    service_code: str | None
    profiles: list[Profile]


class AttachmentRequest(msgspec.Struct):
    """Someone asking to be attached to a structure the user manages."""

    id: int
    email: str
    first_name: str | None
    last_name: str | None
    raison_sociale: str
    created_at: datetime | None


class Account(msgspec.Struct):
    user: AccountUser
    structures: list[Membership]
    workspaces: dict[str, bool]
    attachment_requests: list[AttachmentRequest]


class MailboxEntry(msgspec.Struct):
    id: int
    to_address: str
    subject: str
    body_text: str
    kind: str | None
    created_at: datetime | None
    sent_at: datetime | None
    attempts: int
    last_error: str | None
