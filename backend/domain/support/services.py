"""Support use cases: find a user, see their state, unlock, resend activation, act as them — all journaled."""

from __future__ import annotations

from datetime import UTC, datetime

import msgspec

from backend.domain.accounts import store as accounts
from backend.domain.accounts.identity import Principal, encode_session
from backend.domain.accounts.services import send_activation_link
from backend.domain.accounts.store import PENDING
from backend.domain.invoices.store import invoices
from backend.domain.notifications.services import wake_sender
from backend.domain.structures import store as structures
from backend.domain.policy import rules as policy
from backend.domain.policy.rules import Action
from backend.domain.support import rules, store
from backend.infra.database import transaction
from backend.infra.errors import DomainError, Forbidden, NotFound
from shared.invoice_status import InvoiceStatus

_FOUND = ("id", "email", "first_name", "last_name", "status", "is_support", "last_login_at")
_DETAIL = ("id", "email", "first_name", "last_name", "status", "is_support", "is_admin", "created_at", "activated_at",
           "last_login_at", "failed_logins", "locked_until")
_ERROR_STATUSES = [InvoiceStatus.ERREUR_ACHEMINEMENT, InvoiceStatus.REJETEE, InvoiceStatus.A_RECYCLER]
_ERROR_FIELDS = ("id", "number", "status", "status_at", "routing_error")


def require_support(principal: Principal) -> None:
    """Support routes answer only to the support agent themself (not while acting as someone)."""
    if not policy.decide(principal, (), Action.SUPPORT_TOOLS).allowed:
        raise Forbidden('reserve_support')


def _fields(user: accounts.User, names: tuple[str, ...], now: datetime) -> dict:
    return {**{name: getattr(user, name) for name in names}, "locked": user.locked(now)}


async def search_users(principal: Principal, query: str, limit: int = 30) -> list[dict]:
    """By e-mail, name (either order), or a structure's SIRET prefix or name."""
    require_support(principal)
    text = " ".join(query.split())
    if len(text) < 2:
        return []
    like = f"%{text.lower()}%"
    attached = await structures.users_attached_to_matching(text.replace(" ", ""), like)
    now = datetime.now(UTC)
    return [_fields(user, _FOUND, now) for user in await accounts.search(like, or_ids=attached, limit=limit)]


async def user_detail(principal: Principal, user_id: int) -> dict:
    require_support(principal)
    user = await accounts.user(user_id)
    if user is None:
        raise NotFound('utilisateur')
    attachments = await structures.attachments_of(user_id)
    return {"user": _fields(user, _DETAIL, datetime.now(UTC)),
            "attachments": [msgspec.structs.asdict(a) for a in attachments],
            "recent_errors": await _recent_errors(user_id)}


async def _recent_errors(user_id: int) -> list[dict]:
    found = await invoices.latest_created_by(user_id, _ERROR_STATUSES, limit=10)
    return [{name: getattr(invoice, name) for name in _ERROR_FIELDS} for invoice in found]


async def unlock(principal: Principal, user_id: int, client_ip: str | None = None) -> None:
    require_support(principal)
    async with transaction():
        if not await accounts.unlock(user_id):
            raise NotFound('utilisateur')
        await store.append_journal(support_user_id=principal.user_id, target_user_id=user_id, event="deverrouillage",
                                   client_ip=client_ip)


async def resend_activation(principal: Principal, user_id: int, client_ip: str | None = None) -> None:
    require_support(principal)
    async with transaction():
        user = await accounts.user(user_id)
        if user is None:
            raise NotFound('utilisateur')
        if user.status != PENDING:
            raise DomainError('deja_active')
        await send_activation_link("activation_renvoi", user_id=user_id, email=user.email, lang=user.lang,
                                   first_name=user.first_name)
        await store.append_journal(support_user_id=principal.user_id, target_user_id=user_id, event="renvoi_activation",
                                   client_ip=client_ip)
    await wake_sender()


async def start_impersonation(principal: Principal, user_id: int, reason: str, client_ip: str | None = None, *,
                              sollicitation_id: int | None = None) -> str:
    """Returns the session token carrying both identities. `sollicitation_id`: the user's request it was
    started from (the sollicitations slice checks it), kept with the intervention and shown in the journal."""
    require_support(principal)
    reason = " ".join((reason or "").split())
    if len(reason) < 3:
        raise DomainError('motif_obligatoire', "reason", variant='indiquez_motif_intervention')
    async with transaction():
        target = await accounts.user(user_id)
        if target is None:
            raise NotFound('utilisateur')
        refusal = rules.may_impersonate({"is_support": target.is_support, "is_admin": target.is_admin, "status": target.status})
        if refusal == "cible_protegee":
            raise Forbidden(code='cible_protegee')
        if refusal:
            raise DomainError(refusal)  # compte_inactif
        expires = datetime.now(UTC) + rules.impersonation_lifetime()
        impersonation_id = await store.open_impersonation(support_user_id=principal.user_id, target_user_id=user_id,
                                                          reason=reason, expires_at=expires, client_ip=client_ip,
                                                          sollicitation_id=sollicitation_id)
        await store.append_journal(support_user_id=principal.user_id, target_user_id=user_id, impersonation_id=impersonation_id,
                                   event="debut", client_ip=client_ip, detail=reason)
    return _token(user_id, principal.user_id, impersonation_id, expires, actions=False, version=principal.session_version)


def _token(target_id: int, support_id: int, impersonation_id: int, expires: datetime, *, actions: bool, version: int) -> str:
    # `version`: the support agent's session version (their logout revokes the intervention's token too).
    return encode_session(target_id, version=version, actor={"sub": str(support_id), "imp": impersonation_id, "exp": int(expires.timestamp()),
                                            "actions": actions})


async def enable_actions(principal: Principal, confirm: bool, client_ip: str | None = None) -> str:
    if not principal.impersonated:
        raise DomainError('pas_d_intervention')
    if not confirm:
        raise DomainError('confirmation_obligatoire', "confirm")
    async with transaction():
        expires = await store.enable_actions(principal.impersonation_id)
        if expires is None:
            raise DomainError('pas_d_intervention')
        await store.append_journal(support_user_id=principal.impersonator_id, target_user_id=principal.user_id,
                                   impersonation_id=principal.impersonation_id, event="actions_activees", client_ip=client_ip)
    return _token(principal.user_id, principal.impersonator_id, principal.impersonation_id, expires, actions=True,
                  version=principal.session_version)


async def end_impersonation(principal: Principal, client_ip: str | None = None) -> str:
    """Ends the intervention; returns the support agent's own session token."""
    if not principal.impersonated:
        raise DomainError('pas_d_intervention')
    async with transaction():
        await store.end_impersonation(principal.impersonation_id)
        await store.append_journal(support_user_id=principal.impersonator_id, target_user_id=principal.user_id,
                                   impersonation_id=principal.impersonation_id, event="fin", client_ip=client_ip)
    return encode_session(principal.impersonator_id, version=principal.session_version)


async def record_request(principal: Principal, method: str, path: str, status_code: int, client_ip: str | None) -> None:
    await store.append_journal(support_user_id=principal.impersonator_id, target_user_id=principal.user_id,
                               impersonation_id=principal.impersonation_id, event="requete", method=method, path=path[:500],
                               status_code=status_code, client_ip=client_ip)


async def journal(principal: Principal, *, user_id: int | None = None, support_user_id: int | None = None,
                  before_id: int | None = None, limit: int = 50) -> list[dict]:
    require_support(principal)
    entries = await store.journal(target_user_id=user_id, support_user_id=support_user_id, before_id=before_id, limit=limit)
    people = await accounts.users({e.support_user_id for e in entries} | {e.target_user_id for e in entries if e.target_user_id})
    requests = await store.sollicitations_of_impersonations(e.impersonation_id for e in entries if e.impersonation_id)
    return [{**msgspec.structs.asdict(e), "support_email": people[e.support_user_id].email,
             "target_email": people[e.target_user_id].email if e.target_user_id else None,
             "sollicitation_id": requests.get(e.impersonation_id)} for e in entries]


async def my_interventions(principal: Principal) -> list[dict]:
    """What the user sees in Mon compte: when and why support acted as them."""
    found = await store.impersonations_of(principal.user_id)
    agents = await accounts.users(i.support_user_id for i in found)
    return [{"id": i.id, "started_at": i.started_at, "ended_at": i.ended_at, "expires_at": i.expires_at, "reason": i.reason,
             "support_name": f"{agents[i.support_user_id].first_name} {agents[i.support_user_id].last_name}",
             "actions_enabled": i.actions_enabled_at is not None} for i in found]


async def impersonation_open(impersonation_id: int | None) -> bool:
    """Whether the impersonation a session token names is still running (the session lookup asks)."""
    return impersonation_id is not None and await store.is_open(int(impersonation_id))


async def impersonation_reason(principal: Principal) -> str:
    """The reason support gave for the intervention the principal is under ('' when none)."""
    if not principal.impersonated:
        return ""
    return await store.reason_of(principal.impersonation_id) or ""


async def interventions_for_sollicitation(principal: Principal, sollicitation_id: int) -> list[dict]:
    """Support's view of the interventions started from one request: who, when, until when."""
    require_support(principal)
    found = await store.impersonations_for_sollicitation(sollicitation_id)
    agents = await accounts.users(i.support_user_id for i in found)
    return [{"id": i.id, "started_at": i.started_at, "ended_at": i.ended_at, "expires_at": i.expires_at, "reason": i.reason,
             "support_email": agents[i.support_user_id].email, "actions_enabled": i.actions_enabled_at is not None}
            for i in found]
