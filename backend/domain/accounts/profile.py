"""Mon compte: the user's details, preferences, structures, profiles, workspaces, attachment requests."""

from __future__ import annotations

import msgspec

from backend.domain.accounts import rules, store
from backend.domain.accounts.ports import requests_to_decide, structures
from backend.domain.accounts.identity import Principal, encode_session
from backend.domain.accounts.guards import Action, refuse_while_impersonating
from backend.domain.accounts.passwords import hash_in_thread, verify_in_thread
from backend.infra.database import transaction
from backend.infra.errors import DomainError

_DETAILS = ("id", "email", "contact_email", "first_name", "last_name", "lang", "notify_all", "notify_billing", "notify_digest",
            "created_at", "activated_at", "last_login_at")
_REQUESTER = ("email", "first_name", "last_name")


async def my_account(principal: Principal) -> dict:
    user = await store.user(principal.user_id)
    memberships = await structures().memberships_of(principal.user_id)
    workspaces = await structures().workspaces_of(principal.user_id)
    requests = await requests_to_decide()(principal)
    requesters = await store.users(r.user_id for r in requests)
    return {
        "user": {name: getattr(user, name) for name in _DETAILS},
        "structures": [msgspec.structs.asdict(m) for m in memberships],
        "workspaces": {w.application: w.active for w in workspaces},
        "attachment_requests": [{"id": r.id, **{name: getattr(requesters[r.user_id], name) for name in _REQUESTER},
                                 "raison_sociale": r.raison_sociale, "created_at": r.created_at} for r in requests],
    }


async def update_details(principal: Principal, *, first_name: str | None = None, last_name: str | None = None,
                         contact_email: str | None = None, lang: str | None = None, notify_all: bool | None = None,
                         notify_billing: bool | None = None, notify_digest: bool | None = None) -> None:
    refuse_while_impersonating(principal, Action.ACCOUNT_DETAILS)  # the person's names, notifications: theirs
    if first_name is not None and not first_name.strip() or last_name is not None and not last_name.strip():
        raise DomainError('champ_obligatoire', variant='nom_prenom_sont')
    if contact_email is not None:
        refuse_while_impersonating(principal, Action.CHANGE_EMAIL)
    if contact_email:
        try:
            contact_email = rules.check_email(contact_email)
        except rules.RuleViolation as v:
            raise v.with_status(field="contact_email") from None
    if lang is not None and lang not in ("fr", "en"):
        raise DomainError('langue_inconnue', "lang")
    await store.update_details(principal.user_id, first_name=first_name and first_name.strip(),
                               last_name=last_name and last_name.strip(), contact_email=contact_email, lang=lang,
                               notify_all=notify_all, notify_billing=notify_billing, notify_digest=notify_digest)


async def change_password(principal: Principal, current: str, password: str, confirmation: str) -> str:
    """Returns the session token that keeps this session (the others are revoked)."""
    refuse_while_impersonating(principal, Action.CHANGE_PASSWORD)
    try:
        rules.check_password(password, confirmation)
    except rules.RuleViolation as v:
        raise v.with_status(field=v.field or "password") from None
    if not await verify_in_thread(await store.password_hash(principal.user_id), current):
        raise DomainError('mot_de_passe_actuel', "current")
    password_hash = await hash_in_thread(password)
    async with transaction():
        await store.set_password(principal.user_id, password_hash)
        # Whoever else holds a session (a stolen cookie, a forgotten device) is logged out.
        version = await store.revoke_sessions(principal.user_id)
    return encode_session(principal.user_id, version=version)
