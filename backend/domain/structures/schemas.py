"""Request and response bodies of the structures routes: the billing mandate, the user's structures."""

from __future__ import annotations

import msgspec

from backend.domain.accounts.schemas import ServiceToJoin  # noqa: F401  (sign-up shows the same; accounts imports no structures)
from backend.domain.structures import store


class MandateCreate(msgspec.Struct):
    """The mandate's name and the signatory's typed name; the terms must be accepted."""

    name: str
    signed_name: str
    accept_terms: bool = False
    # accepted for older clients and ignored: the address and signatory are the structure's and the user's
    postal_address: str = ""
    signatory: str = ""


# A billing mandate (mandat de facturation) signed by the structure's gestionnaire principal: the store's row.
Mandate = store.BillingMandate


class MandatePrefill(msgspec.Struct):
    name: str
    postal_address: str
    signatory: str


class MandateView(msgspec.Struct):
    active: Mandate | None
    prefill: MandatePrefill


class StructureRef(msgspec.Struct):
    """A structure the user may act on for an application, with their level and, when attached to
    services only, those services."""

    id: int
    identifier: str
    raison_sociale: str
    libelle: str | None
    is_public: bool
    level: str
    service_ids: list[int] | None  # None: attached to the whole structure
    service_levels: list[tuple[int, str]] = []  # [service id, level]: a service's own level, overriding `level` there


# Organisation (the guide's « Activités du gestionnaire ») ------------------------------------------------

class ManagedStructure(msgspec.Struct):
    """A structure the user holds an Organisation profile on, with its level."""

    id: int
    identifier: str
    raison_sociale: str
    level: str


class Person(msgspec.Struct):
    id: int
    email: str
    contact_email: str | None
    first_name: str
    last_name: str
    name: str


class PendingRequest(msgspec.Struct):
    """An attachment request awaiting the structure's decision (Approbations)."""

    id: int
    structure_id: int
    raison_sociale: str
    service_id: int | None
    service_code: str | None
    comment: str | None
    created_at: str | None
    user: Person


class ServiceLink(msgspec.Struct):
    id: int
    code: str
    active: bool | None
    profiles: dict[str, str] = {}  # the levels this service gives the user, by application (overriding the structure's)


class OrganisationUser(msgspec.Struct):
    """A structure's user as « Gérer les habilitations » and « Afficher un utilisateur » show them."""

    id: int
    email: str
    contact_email: str | None
    first_name: str
    last_name: str
    name: str
    lang: str
    status: str
    created_at: str | None
    last_login_at: str | None
    notify_all: bool
    notify_billing: bool
    is_principal: bool
    services: list[ServiceLink]
    profiles: dict[str, str]


class AttachOutcome(msgspec.Struct):
    user_id: int
    invited: bool


class OrganisationEvent(msgspec.Struct):
    """One entry of the structure's organisation journal: who, when, what, acting as whom."""

    id: int
    kind: str
    details: dict
    created_at: str
    acting_as: str | None
    actor: str | None


class StructureToJoin(msgspec.Struct):
    id: int
    identifier: str
    raison_sociale: str
    is_public: bool
    services: list[ServiceToJoin]


class AskOutcome(msgspec.Struct):
    ids: list[int]
    status: str


class WorkspaceState(msgspec.Struct):
    application: str
    active: bool


MyAttachment = store.MyRequest
StructureDetails = store.Structure
Service = store.Service
StructureFile = store.StructureFileEntry  # a pièce-jointe of the structure, not a rattachement
