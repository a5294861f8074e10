"""Use cases of the accounts slice: logging in and out, resolving who a session token stands for."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from functools import cache

from backend.domain.accounts import rules
from backend.domain.accounts.identity import Principal, TokenClaims, encode_session
from backend.domain.accounts.passwords import verify_secret
from backend.infra.database import connection
from backend.infra.errors import ChoraleError

_USER_COLUMNS = "id, email, first_name, last_name, lang, status, is_support, locked_until"


def _principal(row, **extra) -> Principal:
    return Principal(user_id=row["id"], email=row["email"], display_name=f"{row['first_name']} {row['last_name']}",
                     lang=row["lang"], is_support=row["is_support"], **extra)


class LoginRefused(ChoraleError):
    status_code = 401


_WRONG_CREDENTIALS = LoginRefused("identifiants_invalides", "Adresse électronique ou mot de passe incorrect.",
                                  "Wrong e-mail address or password.")
_LOCKED = LoginRefused("compte_verrouille",
                       "Trop de tentatives : votre compte est verrouillé pendant 15 minutes. "
                       "Vous pouvez aussi réinitialiser votre mot de passe.",
                       "Too many attempts: your account is locked for 15 minutes. You may also reset your password.",
                       status_code=423)
_NOT_ACTIVATED = LoginRefused("compte_non_active", "Votre compte n'est pas encore activé : suivez le lien reçu par courriel.",
                              "Your account is not activated yet: follow the link sent by e-mail.")


async def login(email: str, password: str) -> tuple[Principal, str]:
    """Check the password, count failures, lock after too many; return the principal and a session token."""
    email = rules.normalise_email(email)
    now = datetime.now(UTC)
    refusal: LoginRefused | None = None
    # The failure count must be committed even though the login is refused: decide, commit, then raise.
    async with connection() as conn:
        async with conn.transaction():
            row = await conn.fetchrow(
                f"SELECT {_USER_COLUMNS}, password_hash, failed_logins FROM user_account WHERE email = $1 FOR UPDATE", email)
            if row is None:
                refusal = _WRONG_CREDENTIALS
            elif rules.is_locked(row["locked_until"], now):
                refusal = _LOCKED
            elif row["status"] == "en_attente":
                refusal = _NOT_ACTIVATED
            elif not verify_secret(row["password_hash"], password):
                failures, locked_until = rules.after_failed_login(row["failed_logins"], now)
                await conn.execute("UPDATE user_account SET failed_logins = $2, locked_until = coalesce($3, locked_until) WHERE id = $1",
                                   row["id"], failures, locked_until)
                refusal = _LOCKED if locked_until else _WRONG_CREDENTIALS
            else:
                await conn.execute("UPDATE user_account SET failed_logins = 0, locked_until = NULL, last_login_at = $2 WHERE id = $1",
                                   row["id"], now)
    if refusal is not None:
        raise refusal
    return _principal(row), encode_session(row["id"])


async def principal_for(claims: TokenClaims, *, with_grants: bool = False) -> Principal | None:
    """The principal a valid token stands for; an expired impersonation falls back to the support user.
    `with_grants`: also read the user's structure grants in the same query (for one HTTP request)."""
    actor = claims.actor
    now = int(time.time())
    async with connection() as conn:
        if actor and int(actor.get("exp", 0)) > now and await _impersonation_open(conn, actor):
            rows = await conn.fetch(f"SELECT {_USER_COLUMNS} FROM user_account WHERE id = ANY($1::bigint[])",
                                    [claims.user_id, int(actor["sub"])])
            users = {row["id"]: row for row in rows}
            target, support = users.get(claims.user_id), users.get(int(actor["sub"]))
            if target is None or support is None or not support["is_support"] or target["status"] != "actif":
                return None
            return _principal(target, impersonator_id=support["id"], impersonator_email=support["email"],
                              impersonation_id=actor.get("imp"), actions_enabled=bool(actor.get("actions")))
        user_id = int(actor["sub"]) if actor else claims.user_id
        sql = principal_with_grants_sql() if with_grants else f"SELECT {_USER_COLUMNS} FROM user_account WHERE id = $1"
        row = await conn.fetchrow(sql, user_id)
    if row is None or row["status"] != "actif":
        return None
    if with_grants:
        from backend.domain.structures.permissions import parse_grants

        return _principal(row, grants=parse_grants(row["grants"]))
    return _principal(row)


async def principal_of_user(user_id: int, *, impersonator_id: int | None = None) -> Principal | None:
    """The principal a background job acts for (the person who started it, and the support agent who
    acted as them, if any, so the history says so); None when the account is gone or no longer active."""
    async with connection() as conn:
        rows = await conn.fetch(f"SELECT {_USER_COLUMNS} FROM user_account WHERE id = ANY($1::bigint[])",
                                [user_id, *([impersonator_id] if impersonator_id else [])])
    users = {row["id"]: row for row in rows}
    user = users.get(user_id)
    if user is None or user["status"] != "actif":
        return None
    support = users.get(impersonator_id) if impersonator_id else None
    if support is None:
        return _principal(user)
    # The deposit was allowed when it was made (actions enabled): the job carries that decision on.
    return _principal(user, impersonator_id=support["id"], impersonator_email=support["email"], actions_enabled=True)


@cache
def principal_with_grants_sql() -> str:
    """The one query an HTTP request runs to know who it is for and what they may see ($1: user id)."""
    from backend.domain.structures.permissions import GRANTS_COLUMN

    return f"SELECT {_USER_COLUMNS}, {GRANTS_COLUMN.format(user='user_account.id')} AS grants FROM user_account WHERE id = $1"


async def _impersonation_open(conn, actor: dict) -> bool:
    """An impersonation ended by support (or past its expiry) no longer grants the target's identity."""
    from backend.domain.support.services import impersonation_open

    return await impersonation_open(conn, actor.get("imp"))
