"""The structures slice's store: the only code that reads or writes structure, service, attachment
(rattachement), profile, workspace and billing_mandate. It returns typed rows, never dicts.

Its readers: this slice's services and seed; invoicing (the parties of an invoice, their requirements,
the recipient's services, the Factur-X parties of a typed invoice); sign-up and Mon compte (through
`accounts.ports.StructureRows`); support's user search; processing's notifications (who holds a profile)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TypeVar

import msgspec
from piccolo.columns.combination import WhereRaw
from piccolo.query.functions import Lower

from backend.domain.structures import tables as t
from backend.infra.rows import columns_of

# An attachment's status.
REQUESTED, APPROVED, DETACHED = "demande", "approuve", "detache"


# Row types ----------------------------------------------------------------------------------------

class _Row(msgspec.Struct, frozen=True, kw_only=True):
    def as_dict(self) -> dict:
        return msgspec.structs.asdict(self)


class Structure(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    identifier_type: str
    identifier: str
    siren: str | None
    raison_sociale: str
    libelle: str | None
    address: str
    complement1: str | None
    complement2: str | None
    postcode: str
    city: str
    country: str
    is_public: bool
    active: bool
    requires_engagement: bool
    requires_service_code: bool
    french_rules_blocking: bool = False
    created_at: datetime


class InvoicingParty(_Row, frozen=True, kw_only=True):
    """A structure as an invoice's supplier, recipient or validator sees it."""

    id: int
    identifier: str
    raison_sociale: str
    address: str
    postcode: str
    city: str
    is_public: bool
    active: bool
    requires_engagement: bool
    requires_service_code: bool


_PARTY = columns_of(t.Structure, InvoicingParty.__struct_fields__)


class DocumentParty(_Row, frozen=True, kw_only=True):
    """A structure as an EN 16931 document names it (seller or buyer): identifier and postal address."""

    id: int
    identifier_type: str
    identifier: str
    raison_sociale: str
    is_public: bool
    address: str
    postcode: str
    city: str
    country: str


_DOCUMENT_PARTY = columns_of(t.Structure, DocumentParty.__struct_fields__)


class Service(_Row, frozen=True, kw_only=True):
    """A service (code service) of a structure."""

    id: int
    structure_id: int
    code: str
    libelle: str
    active: bool
    requires_engagement: bool = False


_SERVICE = columns_of(t.Service, Service.__struct_fields__)


class Attachment(msgspec.Struct, frozen=True, kw_only=True):
    """A rattachement: a user to a whole structure (service_id None) or to one of its services."""

    id: int
    user_id: int
    structure_id: int
    service_id: int | None
    status: str
    is_principal: bool
    comment: str | None
    created_at: datetime | None
    decision_comment: str | None = None
    decided_at: datetime | None = None


class Membership(msgspec.Struct, frozen=True):
    """A structure a user is attached to (not detached), with their profiles on it."""

    id: int
    identifier: str
    raison_sociale: str
    libelle: str | None
    is_public: bool
    status: str
    is_principal: bool
    service_code: str | None
    profiles: list[dict]  # [{"application", "level"}] by application


class AttachmentSummary(msgspec.Struct, frozen=True):
    """A user's attachment as support sees it: any status, profiles as one line."""

    id: int  # the structure's
    identifier: str
    raison_sociale: str
    status: str
    is_principal: bool
    profiles: str


class Profile(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    user_id: int
    structure_id: int
    application: str
    level: str


class Workspace(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    user_id: int
    application: str
    active: bool


class BillingMandate(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    structure_id: int
    name: str
    postal_address: str
    signatory: str
    signed_name: str
    signed_by: int
    signed_at: datetime
    revoked_at: datetime | None


R = TypeVar("R")


def _row(cls: type[R], rows: list[dict]) -> R | None:
    return cls(**rows[0]) if rows else None


# Grants -------------------------------------------------------------------------------------------

# The user's grants as one JSON value, a column of the principal's query (read on every request by the
# accounts slice) or read alone: per approved attachment, the structure, whether it is whole or which
# services, and each application's profile level (none: attached only; null when the profile is on
# services only) with its levels per service ([[service_id, level]…], null when none). One SQL fragment
# rather than builder queries: aggregates over a join, and it must stay inside the principal's single
# round trip.
GRANTS_COLUMN = """coalesce((
    SELECT json_agg(json_build_array(s.id, s.identifier, s.raison_sociale, s.libelle, s.is_public, p.application, p.level,
                                     g.whole, g.services, g.principal, p.levels) ORDER BY s.raison_sociale, s.id)
    FROM (SELECT a.user_id, a.structure_id, bool_or(a.service_id IS NULL) AS whole, array_remove(array_agg(a.service_id), NULL) AS services,
                 bool_or(a.is_principal) AS principal
          FROM attachment a WHERE a.user_id = {user} AND a.status = 'approuve' GROUP BY a.user_id, a.structure_id) g
    JOIN structure s ON s.id = g.structure_id
    LEFT JOIN LATERAL (
        SELECT pr.application, min(pr.level) FILTER (WHERE pr.service_id IS NULL) AS level,
               json_agg(json_build_array(pr.service_id, pr.level) ORDER BY pr.service_id) FILTER (WHERE pr.service_id IS NOT NULL) AS levels
        FROM profile pr WHERE pr.user_id = g.user_id AND pr.structure_id = g.structure_id GROUP BY pr.application) p ON true), '[]')"""


async def grants_value(user_id: int) -> list:
    """GRANTS_COLUMN's value for one user (decoded by the pool's JSON codec)."""
    rows = await t.Structure.raw(f"SELECT {GRANTS_COLUMN.format(user='{}::bigint')} AS grants", user_id)
    return rows[0]["grants"]


# Structures ---------------------------------------------------------------------------------------

async def structure(structure_id: int) -> Structure | None:
    return _row(Structure, await t.Structure.select().where(t.Structure.id == structure_id))


async def invoicing_party(structure_id: int) -> InvoicingParty | None:
    row = await t.Structure.select(*_PARTY).where(t.Structure.id == structure_id).first()
    return None if row is None else InvoicingParty(**row)


async def invoicing_party_by_siret(siret: str) -> InvoicingParty | None:
    """The registered structure with this SIRET, public ones first (a SIRET may be registered twice)."""
    row = await _by_siret(siret, _PARTY, public_first=True)
    return None if row is None else InvoicingParty(**row)


async def document_party(structure_id: int | None) -> DocumentParty | None:
    if structure_id is None:
        return None
    row = await t.Structure.select(*_DOCUMENT_PARTY).where(t.Structure.id == structure_id).first()
    return None if row is None else DocumentParty(**row)


async def structure_exists(structure_id: int) -> bool:
    return await t.Structure.exists().where(t.Structure.id == structure_id)


async def structure_identifier(structure_id: int) -> str | None:
    row = await t.Structure.select(t.Structure.identifier).where(t.Structure.id == structure_id).first()
    return None if row is None else row["identifier"]


async def party_names(structure_ids: Iterable[int | None]) -> dict[int, tuple[str, str]]:
    """{id: (identifier, raison_sociale)} for the given structures (None ignored)."""
    ids = sorted({i for i in structure_ids if i})
    if not ids:
        return {}
    rows = await t.Structure.select(t.Structure.id, t.Structure.identifier, t.Structure.raison_sociale).where(t.Structure.id.is_in(ids))
    return {row["id"]: (row["identifier"], row["raison_sociale"]) for row in rows}


async def structure_id_by_siret(siret: str, *, public_first: bool = False) -> int | None:
    row = await _by_siret(siret, (t.Structure.id,), public_first=public_first)
    return None if row is None else row["id"]


async def _by_siret(siret: str, columns: tuple, *, public_first: bool) -> dict | None:
    """The first structure registered with this SIRET (public ones first when asked), oldest first."""
    query = t.Structure.select(*columns).where(t.Structure.identifier == siret)
    if public_first:
        query = query.order_by(t.Structure.is_public, ascending=False)
    return await query.order_by(t.Structure.id).first()


async def public_structure_id_by_siret(siret: str, *, excluding: int) -> int | None:
    """A public structure with this SIRET other than `excluding`, active ones first."""
    row = await (t.Structure.select(t.Structure.id)
                 .where((t.Structure.identifier == siret) & (t.Structure.is_public == True) & (t.Structure.id != excluding))  # noqa: E712
                 .order_by(t.Structure.active, ascending=False).order_by(t.Structure.id).first())
    return None if row is None else row["id"]


async def structure_id_by_identifier(identifier_type: str, identifier: str) -> int | None:
    row = await t.Structure.select(t.Structure.id).where(
        (t.Structure.identifier_type == identifier_type) & (t.Structure.identifier == identifier)).first()
    return row["id"] if row else None


async def create_structure(**fields) -> int:
    """A new structure from its column values (sign-up: an identifier taken is refused); returns its id."""
    rows = await t.Structure.insert(t.Structure(**fields, created_at=datetime.now(UTC))).returning(t.Structure.id)
    return rows[0]["id"]


async def upsert_structure(fields: dict) -> int:
    """Create a structure, or find it again by its identifier (renaming it: the demo seed, run again);
    returns its id."""
    rows = await t.Structure.insert(t.Structure(**fields)).on_conflict(
        target=(t.Structure.identifier_type, t.Structure.identifier), action="DO UPDATE",
        values=[t.Structure.raison_sociale]).returning(t.Structure.id)
    return rows[0]["id"]


# Services -----------------------------------------------------------------------------------------

async def service_entry(service_id: int) -> Service | None:
    row = await t.Service.select(*_SERVICE).where(t.Service.id == service_id).first()
    return None if row is None else Service(**row)


async def service_entries(service_ids: Iterable[int | None]) -> dict[int, Service]:
    ids = sorted({i for i in service_ids if i})
    if not ids:
        return {}
    return {row["id"]: Service(**row) for row in await t.Service.select(*_SERVICE).where(t.Service.id.is_in(ids))}


async def services_of_structure(structure_id: int, *, active_only: bool = True) -> list[Service]:
    where = t.Service.structure_id == structure_id
    if active_only:
        where &= t.Service.active == True  # noqa: E712
    return [Service(**row) for row in await t.Service.select(*_SERVICE).where(where).order_by(t.Service.code)]


async def service_id_of(structure_id: int, *, service_id: int | None = None, code: str | None = None) -> int | None:
    """The structure's service with this id, or with this code (case-insensitive)."""
    where = t.Service.structure_id == structure_id
    if service_id is not None:
        where &= t.Service.id == service_id
    else:
        where &= WhereRaw("lower(code) = lower({})", code)
    row = await t.Service.select(t.Service.id).where(where).order_by(t.Service.id).first()
    return None if row is None else row["id"]


async def add_service(structure_id: int, code: str, libelle: str) -> None:
    """A service of the structure; kept as it is when the code exists already."""
    await t.Service.insert(t.Service(structure_id=structure_id, code=code, libelle=libelle)).on_conflict(action="DO NOTHING")


# Attachments --------------------------------------------------------------------------------------

_STRUCTURE = t.Attachment.structure_id


async def approved_attachment(user_id: int, structure_id: int) -> Attachment | None:
    """One of the user's approved attachments to the structure (whole or to a service), if any."""
    return _row(Attachment, await t.Attachment.select().where(
        (t.Attachment.user_id == user_id) & (t.Attachment.structure_id == structure_id)
        & (t.Attachment.status == APPROVED)).limit(1))


async def principal_manager_id(structure_id: int) -> int | None:
    """The structure's gestionnaire principal (at most one approved: a unique index)."""
    row = await t.Attachment.select(t.Attachment.user_id).where(
        (t.Attachment.structure_id == structure_id) & t.Attachment.is_principal.eq(True)
        & (t.Attachment.status == APPROVED)).first()
    return row["user_id"] if row else None


async def attach(user_id: int, structure_id: int, *, is_principal: bool = False, service_id: int | None = None) -> None:
    """An approved attachment."""
    await t.Attachment.insert(t.Attachment(user_id=user_id, structure_id=structure_id, service_id=service_id,
                                           is_principal=is_principal, status=APPROVED))


async def memberships_of(user_id: int) -> list[Membership]:
    rows = await t.Attachment.select(
        _STRUCTURE.as_alias("id"), _STRUCTURE.identifier.as_alias("identifier"), _STRUCTURE.raison_sociale.as_alias("raison_sociale"),
        _STRUCTURE.libelle.as_alias("libelle"), _STRUCTURE.is_public.as_alias("is_public"), t.Attachment.status,
        t.Attachment.is_principal, t.Attachment.service_id.code.as_alias("service_code"),
    ).where((t.Attachment.user_id == user_id) & (t.Attachment.status != DETACHED)).order_by(_STRUCTURE.raison_sociale)
    profiles = await _profiles_of(user_id)
    return [Membership(**row, profiles=profiles.get(row["id"], [])) for row in rows]


async def attachments_of(user_id: int) -> list[AttachmentSummary]:
    """Every attachment of the user, detached ones included, by structure name."""
    rows = await t.Attachment.select(
        _STRUCTURE.as_alias("id"), _STRUCTURE.identifier.as_alias("identifier"), _STRUCTURE.raison_sociale.as_alias("raison_sociale"),
        t.Attachment.status, t.Attachment.is_principal,
    ).where(t.Attachment.user_id == user_id).order_by(_STRUCTURE.raison_sociale)
    profiles = await _profiles_of(user_id)
    return [AttachmentSummary(**row, profiles=", ".join(f"{p['application']} {p['level']}" for p in profiles.get(row["id"], [])))
            for row in rows]


async def users_attached_to_matching(identifier_prefix: str, name_like: str) -> list[int]:
    """Users attached (any status) to a structure whose identifier starts with the prefix or whose name
    matches `name_like` (a lowercase LIKE pattern)."""
    # WhereRaw("{}", …) only lets a function's condition be OR-ed with a column condition.
    rows = await t.Attachment.select(t.Attachment.user_id).where(
        _STRUCTURE.identifier.like(identifier_prefix + "%") | WhereRaw("{}", Lower(_STRUCTURE.raison_sociale).like(name_like))
    ).distinct()
    return [row["user_id"] for row in rows]


# Profiles -----------------------------------------------------------------------------------------

async def _profiles_of(user_id: int) -> dict[int, list[dict]]:
    """The user's profiles by structure id, by application."""
    found: dict[int, list[dict]] = {}
    rows = await t.Profile.select(t.Profile.structure_id, t.Profile.application, t.Profile.level,
                                  t.Profile.service_id.code.as_alias("service_code")).where(
        t.Profile.user_id == user_id).order_by(t.Profile.application).order_by(t.Profile.service_id, ascending=False)
    for row in rows:
        profile = {"application": row["application"], "level": row["level"]}
        if row["service_code"] is not None:  # a service's own level (a service-level rattachement)
            profile["service_code"] = row["service_code"]
        found.setdefault(row["structure_id"], []).append(profile)
    return found


async def grant_profile(user_id: int, structure_id: int, application: str, level: str) -> None:
    await t.Profile.insert(t.Profile(user_id=user_id, structure_id=structure_id, application=application, level=level))


async def users_with_profile(structure_id: int, application: str) -> list[int]:
    """The users attached to the structure (approved) who hold a profile on `application` there."""
    profiled = t.Profile.select(t.Profile.user_id).where((t.Profile.structure_id == structure_id) & (t.Profile.application == application))
    rows = await t.Attachment.select(t.Attachment.user_id).where(
        (t.Attachment.structure_id == structure_id) & (t.Attachment.status == APPROVED) & t.Attachment.user_id.is_in(profiled)).distinct()
    return [row["user_id"] for row in rows]


# Workspaces ---------------------------------------------------------------------------------------

async def open_workspace(user_id: int, application: str) -> None:
    await t.Workspace.insert(t.Workspace(user_id=user_id, application=application))


async def set_workspace(user_id: int, application: str, active: bool) -> None:
    await t.Workspace.insert(t.Workspace(user_id=user_id, application=application, active=active)).on_conflict(
        target=(t.Workspace.user_id, t.Workspace.application), action="DO UPDATE", values=[t.Workspace.active])


async def workspaces_of(user_id: int) -> list[Workspace]:
    return [Workspace(**row) for row in await t.Workspace.select().where(t.Workspace.user_id == user_id)]


# Billing mandates ---------------------------------------------------------------------------------

async def active_mandate(structure_id: int) -> BillingMandate | None:
    return _row(BillingMandate, await t.BillingMandate.select().where(
        (t.BillingMandate.structure_id == structure_id) & t.BillingMandate.revoked_at.is_null()))


async def add_mandate(structure_id: int, *, name: str, postal_address: str, signatory: str, signed_name: str,
                      signed_by: int) -> BillingMandate:
    row = t.BillingMandate(structure_id=structure_id, name=name, postal_address=postal_address, signatory=signatory,
                           signed_name=signed_name, signed_by=signed_by)
    rows = await t.BillingMandate.insert(row).returning(*t.BillingMandate.all_columns())
    return BillingMandate(**rows[0])


async def revoke_mandates(structure_id: int) -> None:
    await t.BillingMandate.update({t.BillingMandate.revoked_at: datetime.now(UTC)}).where(
        (t.BillingMandate.structure_id == structure_id) & t.BillingMandate.revoked_at.is_null())


async def french_rules_blocking(structure_id: int) -> bool:
    row = await t.Structure.select(t.Structure.french_rules_blocking).where(t.Structure.id == structure_id).first()
    return bool(row and row["french_rules_blocking"])


async def set_french_rules_blocking(structure_id: int, blocking: bool) -> None:
    await t.Structure.update({t.Structure.french_rules_blocking: blocking}).where(t.Structure.id == structure_id)


# Organisation: requests, members, profiles, journal ---------------------------------------------------

class PendingRequest(msgspec.Struct, frozen=True, kw_only=True):
    """An attachment request as the Approbations tab lists it."""

    id: int
    user_id: int
    structure_id: int
    raison_sociale: str
    service_id: int | None
    service_code: str | None
    comment: str | None
    created_at: datetime | None


_PENDING = (t.Attachment.id, t.Attachment.user_id, t.Attachment.structure_id, _STRUCTURE.raison_sociale.as_alias("raison_sociale"),
            t.Attachment.service_id, t.Attachment.service_id.code.as_alias("service_code"), t.Attachment.comment,
            t.Attachment.created_at)


class Member(msgspec.Struct, frozen=True, kw_only=True):
    """One approved attachment of a structure's user: whole structure (service None) or one service."""

    attachment_id: int
    user_id: int
    service_id: int | None
    service_code: str | None
    service_active: bool | None
    is_principal: bool
    created_at: datetime | None


class MyRequest(msgspec.Struct, frozen=True, kw_only=True):
    """One of the user's own attachments, as « Mes rattachements » lists it (any status)."""

    id: int
    structure_id: int
    identifier: str
    raison_sociale: str
    service_code: str | None
    status: str
    comment: str | None
    decision_comment: str | None
    created_at: datetime | None
    decided_at: datetime | None


class JournalEntry(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    structure_id: int
    actor_id: int | None
    acting_as: str | None
    kind: str
    details: dict
    created_at: datetime


async def attachment_between(user_id: int, structure_id: int, service_id: int | None) -> Attachment | None:
    """The user's attachment row to the structure (service None) or to that service, whatever its status."""
    where = (t.Attachment.user_id == user_id) & (t.Attachment.structure_id == structure_id)
    where &= t.Attachment.service_id.is_null() if service_id is None else t.Attachment.service_id == service_id
    return _row(Attachment, await t.Attachment.select().where(where).limit(1))


async def ask_attachment(user_id: int, structure_id: int, service_id: int | None, comment: str) -> int:
    """A pending request; one refused or detached before is asked again (one row per user, structure and
    service: a unique index). Returns the attachment's id."""
    existing = await attachment_between(user_id, structure_id, service_id)
    now = datetime.now(UTC)
    if existing is not None:
        await t.Attachment.update({t.Attachment.status: REQUESTED, t.Attachment.comment: comment, t.Attachment.created_at: now,
                                   t.Attachment.decision_comment: None, t.Attachment.decided_at: None}).where(
            t.Attachment.id == existing.id)
        return existing.id
    rows = await t.Attachment.insert(t.Attachment(user_id=user_id, structure_id=structure_id, service_id=service_id, status=REQUESTED,
                                                  comment=comment, created_at=now)).returning(t.Attachment.id)
    return rows[0]["id"]


async def attach_directly(user_id: int, structure_id: int, service_id: int | None) -> int:
    """An approved attachment made by a gestionnaire (a former row of the same scope is reused)."""
    existing = await attachment_between(user_id, structure_id, service_id)
    now = datetime.now(UTC)
    if existing is not None:
        await t.Attachment.update({t.Attachment.status: APPROVED, t.Attachment.decided_at: now,
                                   t.Attachment.decision_comment: None}).where(t.Attachment.id == existing.id)
        return existing.id
    rows = await t.Attachment.insert(t.Attachment(user_id=user_id, structure_id=structure_id, service_id=service_id, status=APPROVED,
                                                  created_at=now, decided_at=now)).returning(t.Attachment.id)
    return rows[0]["id"]


async def pending_requests(structure_ids: Iterable[int]) -> list[PendingRequest]:
    ids = sorted(set(structure_ids))
    if not ids:
        return []
    rows = await t.Attachment.select(*_PENDING).where((t.Attachment.status == REQUESTED) & t.Attachment.structure_id.is_in(ids)).order_by(
        t.Attachment.created_at)
    return [PendingRequest(**row) for row in rows]


async def lock_pending_request(request_id: int) -> PendingRequest | None:
    rows = await t.Attachment.select(*_PENDING).where((t.Attachment.id == request_id) & (t.Attachment.status == REQUESTED)).lock_rows(
        of=(t.Attachment,))
    return PendingRequest(**rows[0]) if rows else None


async def decide_request(attachment_id: int, *, approved: bool, reason: str | None) -> None:
    await t.Attachment.update({t.Attachment.status: APPROVED if approved else DETACHED, t.Attachment.decision_comment: reason,
                               t.Attachment.decided_at: datetime.now(UTC)}).where(t.Attachment.id == attachment_id)


async def detach(user_id: int, structure_id: int, service_id: int | None, comment: str) -> int:
    """Detach the user from the structure (service None: every attachment there) or from one service;
    returns how many approved attachments it ended. Profiles go when no approved attachment is left."""
    where = (t.Attachment.user_id == user_id) & (t.Attachment.structure_id == structure_id) & (t.Attachment.status == APPROVED)
    if service_id is not None:
        where &= t.Attachment.service_id == service_id
    rows = await t.Attachment.update({t.Attachment.status: DETACHED, t.Attachment.decision_comment: comment,
                                      t.Attachment.decided_at: datetime.now(UTC), t.Attachment.is_principal: False}).where(
        where).returning(t.Attachment.id)
    if not await approved_attachment(user_id, structure_id):
        await t.Profile.delete().where((t.Profile.user_id == user_id) & (t.Profile.structure_id == structure_id))
    elif service_id is not None:  # that service's own levels go with it
        await t.Profile.delete().where((t.Profile.user_id == user_id) & (t.Profile.structure_id == structure_id)
                                       & (t.Profile.service_id == service_id))
    return len(rows)


async def my_requests(user_id: int) -> list[MyRequest]:
    rows = await t.Attachment.select(
        t.Attachment.id, t.Attachment.structure_id, _STRUCTURE.identifier.as_alias("identifier"),
        _STRUCTURE.raison_sociale.as_alias("raison_sociale"), t.Attachment.service_id.code.as_alias("service_code"),
        t.Attachment.status, t.Attachment.comment, t.Attachment.decision_comment, t.Attachment.created_at, t.Attachment.decided_at,
    ).where(t.Attachment.user_id == user_id).order_by(_STRUCTURE.raison_sociale).order_by(t.Attachment.id)
    return [MyRequest(**row) for row in rows]


async def members(structure_id: int) -> list[Member]:
    """The structure's approved attachments, by user then service."""
    rows = await t.Attachment.select(
        t.Attachment.id.as_alias("attachment_id"), t.Attachment.user_id, t.Attachment.service_id,
        t.Attachment.service_id.code.as_alias("service_code"), t.Attachment.service_id.active.as_alias("service_active"),
        t.Attachment.is_principal, t.Attachment.created_at,
    ).where((t.Attachment.structure_id == structure_id) & (t.Attachment.status == APPROVED)).order_by(t.Attachment.user_id).order_by(
        t.Attachment.id)
    return [Member(**row) for row in rows]


async def profiles_on(structure_id: int) -> dict[int, dict[str, str]]:
    """{user_id: {application: level}} on the whole structure (the services' own levels: service_profiles_on)."""
    found: dict[int, dict[str, str]] = {}
    for row in await t.Profile.select(t.Profile.user_id, t.Profile.application, t.Profile.level).where(
            (t.Profile.structure_id == structure_id) & t.Profile.service_id.is_null()):
        found.setdefault(row["user_id"], {})[row["application"]] = row["level"]
    return found


async def service_profiles_on(structure_id: int) -> dict[int, dict[int, dict[str, str]]]:
    """{user_id: {service_id: {application: level}}}: the levels that services of the structure give."""
    found: dict[int, dict[int, dict[str, str]]] = {}
    for row in await t.Profile.select(t.Profile.user_id, t.Profile.service_id, t.Profile.application, t.Profile.level).where(
            (t.Profile.structure_id == structure_id) & t.Profile.service_id.is_not_null()):
        found.setdefault(row["user_id"], {}).setdefault(row["service_id"], {})[row["application"]] = row["level"]
    return found


def _profile_where(user_id: int, structure_id: int, application: str, service_id: int | None):
    where = (t.Profile.user_id == user_id) & (t.Profile.structure_id == structure_id) & (t.Profile.application == application)
    return where & (t.Profile.service_id.is_null() if service_id is None else t.Profile.service_id == service_id)


async def set_profile(user_id: int, structure_id: int, application: str, level: str | None, *, service_id: int | None = None) -> None:
    """The user's level on the application there (on one service of it with `service_id`); None removes
    the profile."""
    where = _profile_where(user_id, structure_id, application, service_id)
    if level is None:
        await t.Profile.delete().where(where)
        return
    if await t.Profile.exists().where(where):
        await t.Profile.update({t.Profile.level: level}).where(where)
    else:
        await t.Profile.insert(t.Profile(user_id=user_id, structure_id=structure_id, application=application, level=level,
                                         service_id=service_id))


async def raise_profile(user_id: int, structure_id: int, application: str) -> bool:
    """At least modification on the application (switching a workspace on); whether it changed anything."""
    row = await t.Profile.select(t.Profile.level).where(_profile_where(user_id, structure_id, application, None)).first()
    if row is not None and row["level"] == "modification":
        return False
    await set_profile(user_id, structure_id, application, "modification")
    return True


async def principal_structure_ids(user_id: int) -> list[int]:
    """The structures the user is the (approved) gestionnaire principal of."""
    rows = await t.Attachment.select(t.Attachment.structure_id).where(
        (t.Attachment.user_id == user_id) & (t.Attachment.is_principal == True) & (t.Attachment.status == APPROVED)).distinct()  # noqa: E712
    return [row["structure_id"] for row in rows]


async def hand_over_principal(structure_id: int, from_user: int, to_user: int) -> bool:
    """Move the gestionnaire principal flag to another approved member (whole-structure attachment first)."""
    target = await t.Attachment.select(t.Attachment.id).where(
        (t.Attachment.user_id == to_user) & (t.Attachment.structure_id == structure_id) & (t.Attachment.status == APPROVED)
    ).order_by(t.Attachment.service_id, ascending=False).first()
    if target is None:
        return False
    await t.Attachment.update({t.Attachment.is_principal: False}).where(
        (t.Attachment.structure_id == structure_id) & (t.Attachment.user_id == from_user))
    await t.Attachment.update({t.Attachment.is_principal: True}).where(t.Attachment.id == target["id"])
    return True


async def workspace_active(user_id: int, application: str) -> bool:
    return await t.Workspace.exists().where((t.Workspace.user_id == user_id) & (t.Workspace.application == application)
                                            & (t.Workspace.active == True))  # noqa: E712


async def update_structure(structure_id: int, values: dict) -> None:
    columns = {getattr(t.Structure, name): value for name, value in values.items()}
    await t.Structure.update(columns).where(t.Structure.id == structure_id)


async def create_service(structure_id: int, code: str, libelle: str) -> int | None:
    """A new service; None when the code exists already in the structure."""
    rows = await t.Service.insert(t.Service(structure_id=structure_id, code=code, libelle=libelle)).on_conflict(
        action="DO NOTHING").returning(t.Service.id)
    return rows[0]["id"] if rows else None


async def update_service(service_id: int, values: dict) -> None:
    await t.Service.update({getattr(t.Service, name): value for name, value in values.items()}).where(t.Service.id == service_id)


async def journal(structure_id: int, *, actor_id: int | None, acting_as: str | None, kind: str, details: dict) -> None:
    await t.OrganisationEvent.insert(t.OrganisationEvent(structure_id=structure_id, actor_id=actor_id, acting_as=acting_as, kind=kind,
                                                         details=details, created_at=datetime.now(UTC)))


async def journal_of(structure_id: int, limit: int = 200) -> list[JournalEntry]:
    rows = await t.OrganisationEvent.select().where(t.OrganisationEvent.structure_id == structure_id).order_by(
        t.OrganisationEvent.id, ascending=False).limit(limit)
    return [JournalEntry(**{**row, "details": row["details"] if isinstance(row["details"], dict) else msgspec.json.decode(row["details"])})
            for row in rows]


# Pièces-jointes of a structure (not rattachements) ----------------------------------------------------

class StructureFileEntry(_Row, frozen=True, kw_only=True):
    """A structure's pièce-jointe as « Télécharger une pièce-jointe » lists it (and the API shows it)."""

    id: int
    structure_id: int
    original_name: str
    designation: str
    content_type: str
    size: int
    created_at: datetime


class StructureFile(StructureFileEntry, frozen=True, kw_only=True):
    """The same with where it is stored and who added it."""

    storage_key: str
    uploaded_by: int | None


_FILE = columns_of(t.StructureFile, StructureFile.__struct_fields__)


async def add_structure_file(structure_id: int, *, original_name: str, designation: str, content_type: str, size: int,
                             sha256: str, storage_key: str, uploaded_by: int) -> StructureFile:
    rows = await t.StructureFile.insert(t.StructureFile(
        structure_id=structure_id, original_name=original_name, designation=designation, content_type=content_type, size=size,
        sha256=sha256, storage_key=storage_key, uploaded_by=uploaded_by, created_at=datetime.now(UTC))).returning(*_FILE)
    return StructureFile(**rows[0])


async def structure_files(structure_id: int) -> list[StructureFile]:
    """The structure's pièces-jointes, newest first."""
    rows = await t.StructureFile.select(*_FILE).where(t.StructureFile.structure_id == structure_id).order_by(
        t.StructureFile.id, ascending=False)
    return [StructureFile(**row) for row in rows]


async def structure_file(structure_id: int, file_id: int) -> StructureFile | None:
    """One of the structure's pièces-jointes (another structure's file is not found)."""
    row = await t.StructureFile.select(*_FILE).where(
        (t.StructureFile.id == file_id) & (t.StructureFile.structure_id == structure_id)).first()
    return None if row is None else StructureFile(**row)


async def delete_structure_file(structure_id: int, file_id: int) -> StructureFile | None:
    """Remove the row (the caller removes the file once committed); None when it is not the structure's."""
    rows = await t.StructureFile.delete().where(
        (t.StructureFile.id == file_id) & (t.StructureFile.structure_id == structure_id)).returning(*_FILE)
    return StructureFile(**rows[0]) if rows else None


async def held_file_keys(keys: list[str]) -> set[str]:
    """Which of these storage keys a structure's pièce-jointe holds (the storage sweep keeps those)."""
    if not keys:
        return set()
    return set(await t.StructureFile.select(t.StructureFile.storage_key).where(t.StructureFile.storage_key.is_in(keys)).output(
        as_list=True))
