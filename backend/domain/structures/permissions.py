"""The policy's thin service: it loads the user's grants and asks `policy.rules` (pure) whether an action
is allowed (`can`), or turns its refusal into the error the routes give (`require`): 404 when the user has
nothing to do with the structure (its existence is not revealed), 403 when attached without the profile.
A row fetched by id is checked with `require_found` (its own 404 when absent, then `require`).

Every route, service and screen asks `can`/`require`; the older helpers below (`structures_for`,
`access_to`, `is_attached`, `visible_service_ids`) remain for callers that want a profile's ref.
It lives here rather than in `backend/domain/policy/`: the grants are this slice's rows, and accounts
(which structures imports) asks the policy too, so the policy itself must import no slice.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from backend.domain.accounts.guards import blocked_error
from backend.domain.accounts.identity import Principal
from backend.domain.policy import rules
from backend.domain.policy.rules import Action, Decision, Reason, Target
from backend.domain.structures import store
from backend.infra.errors import ChoraleError, Forbidden, NotFound
from shared.applications import Application, Level

__all__ = ["Action", "Grant", "Reason", "StructureRef", "Target", "access_to", "allowed_structures", "allows", "can", "decision",
           "grants_of", "is_attached", "parse_grants", "refusal", "require", "require_access", "require_found", "require_somewhere",
           "structures_for", "visible_service_ids"]


@dataclass(frozen=True)
class StructureRef:
    id: int
    identifier: str
    raison_sociale: str
    libelle: str | None
    is_public: bool
    level: Level  # on the whole structure (a profile on services only: the lowest of their levels)
    service_ids: tuple[int, ...] | None  # None: attached to the whole structure
    service_levels: tuple[tuple[int, Level], ...] = ()  # (service, level) where a service's profile overrides `level`


@dataclass(frozen=True)
class Grant:
    """One (structure, application) the user holds, from their approved attachments. New facts about a
    grant are new optional fields (with defaults), so older callers and the rules keep working."""

    structure_id: int
    application: str | None  # None: attached, with no profile
    ref: StructureRef | None  # the structure as seen through that application's profile
    is_principal: bool = False  # the structure's gestionnaire principal (an approved attachment)


def parse_grants(rows: list) -> tuple[Grant, ...]:
    """The grants from store.GRANTS_COLUMN's value (decoded by the pool's JSON codec)."""
    grants = []
    for sid, identifier, name, libelle, is_public, application, level, whole, services, *more in rows:
        principal, levels = (more + [False, None])[:2]
        per_service = tuple((service_id, Level(lv)) for service_id, lv in levels or ())
        ref = None if application is None else StructureRef(
            id=sid, identifier=identifier, raison_sociale=name, libelle=libelle, is_public=is_public,
            level=Level(level) if level else min((lv for _, lv in per_service), key=lambda lv: lv == Level.MODIFICATION),
            service_ids=None if whole else tuple(services), service_levels=per_service)
        grants.append(Grant(sid, application, ref, is_principal=bool(principal)))
    return tuple(grants)


async def grants_of(principal: Principal) -> tuple[Grant, ...]:
    """The grants read with the user for this HTTP request, else (sockets, jobs) read now."""
    if principal.grants is not None:
        return principal.grants
    return parse_grants(await store.grants_value(principal.user_id))


# The policy --------------------------------------------------------------------------------------

async def decision(principal: Principal, action: Action, target: Target = rules.NOWHERE) -> Decision:
    grants = () if rules.NEEDS[action].kind in (rules.Kind.USER, rules.Kind.SUPPORT) else await grants_of(principal)
    return rules.decide(principal, grants, action, target)


def allows(principal: Principal | None, action: Action) -> bool:
    """`can` for the actions that need no grants (being logged in, being support): no await, for the shell."""
    if rules.NEEDS[action].kind not in (rules.Kind.USER, rules.Kind.SUPPORT):
        raise ValueError(f"{action} is decided on a structure: ask can()")
    return principal is not None and rules.decide(principal, (), action).allowed


async def can(principal: Principal | None, action: Action, target: Target = rules.NOWHERE) -> bool:
    """Whether `principal` may do `action` on `target` (screens ask it to show or hide what it allows)."""
    return principal is not None and (await decision(principal, action, target)).allowed


Errors = Mapping[Reason, ChoraleError | Callable[[], ChoraleError]]


def refusal(action: Action, reason: Reason, errors: Errors | None = None) -> ChoraleError:
    """The error a refusal gives, as the routes always have; `errors` replaces one reason's error by the
    caller's own (« Facture introuvable. » rather than « Ressource introuvable. »)."""
    custom = (errors or {}).get(reason)
    if custom is not None:
        return custom() if callable(custom) else custom
    if reason in (Reason.NOT_ATTACHED, Reason.OUTSIDE_SERVICES, Reason.NO_TARGET):
        return NotFound()
    if reason is Reason.CONSULTATION:
        return Forbidden("votre_profil_consultation", code="profil_consultation")
    if reason in (Reason.BLOCKED_WHILE_ACTING, Reason.NEEDS_ACTIONS_ENABLED):
        return blocked_error(action, reason)
    if reason is Reason.NOT_PRINCIPAL:
        return Forbidden("structure", code="gestionnaire_principal_requis")
    return Forbidden()


async def require(principal: Principal, action: Action | None = None, target: Target = rules.NOWHERE, *,
                  errors: Errors | None = None, structure_id: int | None = None, application: Application | None = None,
                  level: Level | None = None, service_id: int | None = None) -> StructureRef | None:
    """Raise the refusal's error unless `principal` may do `action` on `target`; the profile's ref when
    the action is on a structure's application. The keyword form (structure_id, application, level,
    service_id) is the older check by profile, kept for callers outside the policy's actions."""
    if action is None:
        return await require_access(principal, structure_id=structure_id, application=application, level=level,
                                    service_id=service_id)
    found = await decision(principal, action, target)
    if not found.allowed:
        raise refusal(action, found.reason, errors)
    return found.ref  # type: ignore[return-value]


Row = TypeVar("Row")


async def require_found(principal: Principal, action: Action, row: Row | None, target: Callable[[Row], Target], *,
                        missing: ChoraleError | Callable[[], ChoraleError], errors: Errors | None = None) -> Row:
    """A row a service fetched by id, once `principal` may do `action` on `target(row)`: `missing` (the
    slice's own « … introuvable ») when there is none, else `require`'s refusal. Every fetch-then-authorise
    goes through here so that the 404 always comes before the policy's question."""
    if row is None:
        raise missing() if callable(missing) else missing
    await require(principal, action, target(row), errors=errors)
    return row


async def require_access(principal: Principal, *, structure_id: int | None, application: Application | None,
                         level: Level | None, service_id: int | None = None) -> StructureRef:
    """A profile on `application` at `level` (the same decision as an action needing it)."""
    need = rules.Need(rules.Kind.STRUCTURE, application, level or Level.CONSULTATION)
    found = rules.decide_need(principal, await grants_of(principal), need, Target(structure_id, service_id))
    if not found.allowed:
        raise refusal(Action.VIEW_ISSUED, found.reason)
    return found.ref  # type: ignore[return-value]


async def allowed_structures(principal: Principal, action: Action) -> list[StructureRef]:
    """The structures on which `action` is allowed, by name (lists, pickers: a screen offers no other)."""
    return rules.structures_allowing(principal, await grants_of(principal), action)


async def require_somewhere(principal: Principal, action: Action) -> list[StructureRef]:
    """`action` allowed on at least one structure (a file uploaded before its structure is chosen):
    an intervention's refusal as such, else 403."""
    refs = await allowed_structures(principal, action)
    if not refs:
        reason = rules.while_acting(principal, action)
        raise refusal(action, reason) if reason is not None else Forbidden()
    return refs


# Profile refs, for lists and for the side an invoice is seen from ------------------------------------

async def structures_for(principal: Principal, application: Application, level: Level = Level.CONSULTATION) -> list[StructureRef]:
    need = rules.Need(rules.Kind.STRUCTURE, application, level)
    grants = await grants_of(principal)
    return [g.ref for g in grants if g.application == str(application) and g.ref is not None
            and rules.decide_need(principal, grants, need, Target(g.structure_id)).allowed]


async def access_to(principal: Principal, structure_id: int, application: Application) -> StructureRef | None:
    return next((g.ref for g in await grants_of(principal) if g.structure_id == structure_id and g.application == str(application)),
                None)


async def is_attached(principal: Principal, structure_id: int) -> bool:
    return any(g.structure_id == structure_id for g in await grants_of(principal))


async def visible_service_ids(principal: Principal, structure_id: int, application: Application) -> tuple[int, ...] | None:
    ref = await access_to(principal, structure_id, application)
    if ref is None:
        raise NotFound()
    return ref.service_ids
