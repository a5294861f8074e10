"""Use cases of the accounts slice: logging in and out, resolving who a session token stands for.

Accounts imports neither structures nor support (they import accounts). What it needs from them is
handed in once, at start-up, by the composition root (`accounts.ports`).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from backend.domain.accounts import limits, ports, rules, store, tokens
from backend.domain.accounts.identity import Principal, TokenClaims, encode_session
from backend.domain.accounts.passwords import UNKNOWN_ADDRESS_HASH, verify_in_thread, verify_secret  # noqa: F401  (verify_secret: connections)
from backend.domain.accounts.store import ACTIVE, PENDING
from backend.domain.notifications.services import absolute_link, queue_template
from backend.infra.database import transaction
from backend.infra import rate_limit
from backend.infra.errors import DomainError

# What other slices may use of this one besides its use cases (passwords is private to the slice).
from backend.domain.accounts.passwords import hash_secret  # noqa: F401  (structures' demo seed)


def _principal(user, **extra) -> Principal:
    extra.setdefault("session_version", user.session_version)
    return Principal(user_id=user.id, email=user.email, display_name=f"{user.first_name} {user.last_name}",
                     lang=user.lang, is_support=user.is_support, **extra)


class LoginRefused(DomainError):
    status_code = 401


_WRONG_CREDENTIALS = LoginRefused('identifiants_invalides')
LOCKED_OUT = LoginRefused('compte_verrouille', status_code=423)
_NOT_ACTIVATED = LoginRefused('compte_non_active')


async def record_failed_attempt(user: store.Credentials, now: datetime) -> bool:
    """Count a wrong secret (password or secret answer); True when this failure locks the account."""
    failures, locked_until = rules.after_failed_login(user.failed_logins, now)
    await store.record_failed_login(user.id, failures, locked_until)
    return locked_until is not None


async def login(email: str, password: str, client_ip: str | None = None) -> tuple[Principal, str]:
    """Check the password, count failures, lock after too many; return the principal and a session token."""
    email = rules.normalise_email(email)
    await rate_limit.hit(limits.LOGIN_IP, client_ip)
    await rate_limit.hit(limits.LOGIN_ADDRESS, email)
    now = datetime.now(UTC)
    refusal: LoginRefused | None = None
    # The failure count must be committed even though the login is refused: decide, commit, then raise.
    async with transaction():
        user = await store.credentials_by_email(email)
        # The password is hashed on every path, an unknown address included, so that neither the time taken
        # nor the message tells whether an address has an account; « not activated » is said only to
        # whoever knows the password.
        # (A pending account has no password yet: it is hashed against the same stand-in.)
        stored = user.password_hash if user is not None and user.password_hash else UNKNOWN_ADDRESS_HASH
        password_right = await verify_in_thread(stored, password) and stored is not UNKNOWN_ADDRESS_HASH
        if user is None:
            refusal = _WRONG_CREDENTIALS
        elif rules.is_locked(user.locked_until, now):
            refusal = LOCKED_OUT
        elif not password_right:
            refusal = LOCKED_OUT if await record_failed_attempt(user, now) else _WRONG_CREDENTIALS
        elif user.status == PENDING:
            refusal = _NOT_ACTIVATED
        else:
            await store.record_login(user.id, now)
    if refusal is not None:
        raise refusal
    return _principal(user), encode_session(user.id, version=user.session_version)


async def logout(principal: Principal | None) -> None:
    """Revoke the session's owner's tokens (every device: a token cannot be revoked alone)."""
    if principal is not None:
        async with transaction():
            await store.revoke_sessions(principal.impersonator_id or principal.user_id)


async def principal_for(claims: TokenClaims, *, with_grants: bool = False) -> Principal | None:
    """The principal a valid token stands for; an expired impersonation falls back to the support user.
    `with_grants`: also read the user's structure grants in the same query (for one HTTP request)."""
    actor = claims.actor
    sources = ports.current()
    if actor and int(actor.get("exp", 0)) > int(time.time()) and await _impersonation_open(actor):
        support_id = int(actor["sub"])
        found = await store.session_users([claims.user_id, support_id])
        target, support = found.get(claims.user_id), found.get(support_id)
        if (target is None or support is None or not support.is_support or target.status != ACTIVE
                or support.session_version != claims.session_version):
            return None
        return _principal(target, session_version=support.session_version, impersonator_id=support.id, impersonator_email=support.email,
                          impersonation_id=actor.get("imp"), actions_enabled=bool(actor.get("actions")))
    user_id = int(actor["sub"]) if actor else claims.user_id
    with_grants = with_grants and sources.grants_column is not None
    user = await store.session_user(user_id, grants_column=sources.grants_column if with_grants else None)
    if user is None or user.status != ACTIVE or user.session_version != claims.session_version:
        return None
    if with_grants:
        return _principal(user, grants=sources.parse_grants(user.grants))
    return _principal(user)


async def principal_of_user(user_id: int, *, impersonator_id: int | None = None) -> Principal | None:
    """The principal a background job acts for (the person who started it, and the support agent who
    acted as them, if any, so the history says so); None when the account is gone or no longer active."""
    found = await store.session_users([user_id, *([impersonator_id] if impersonator_id else [])])
    user = found.get(user_id)
    if user is None or user.status != ACTIVE:
        return None
    support = found.get(impersonator_id) if impersonator_id else None
    if support is None:
        return _principal(user)
    # The deposit was allowed when it was made (actions enabled): the job carries that decision on.
    return _principal(user, impersonator_id=support.id, impersonator_email=support.email, actions_enabled=True)


def principal_with_grants_sql() -> str:
    """The one query an HTTP request runs to know who it is for and what they may see ($1: user id);
    the benchmark runs it straight through asyncpg. Needs accounts.ports to be configured."""
    grants_column = ports.current().grants_column
    assert grants_column is not None, "accounts.ports.configure has not run (backend.domain.middleware does it)"
    return store.session_sql(grants_column)


async def _impersonation_open(actor: dict) -> bool:
    """An impersonation ended by support (or past its expiry) no longer grants the target's identity."""
    check = ports.current().impersonation_open
    return check is not None and await check(actor.get("imp"))


async def send_activation_link(template: str, *, user_id: int, email: str, lang: str | None, first_name: str,
                               **params: object) -> None:
    """Issue an activation token and queue its mail (the catalogue's `template`, given the link as `{link}`
    and the account's address as `{email}`), in the caller's transaction and the account's language."""
    token = await tokens.issue(user_id, "activation", rules.ACTIVATION_LINK_LIFETIME)
    await queue_template(template, kind="activation", to=email, lang=lang, first_name=first_name, user_id=user_id,
                         email=email, link=absolute_link(f"/activation/{token}"), **params)
