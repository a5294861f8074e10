"""The accounts slice's tables (user_account, account_token): the only code that reads or writes them.

The direction of imports between accounts, structures and support is in `accounts/__init__.py`.

Calls join the Piccolo transaction open in the current task (`backend.infra.database.transaction()`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from functools import cache
from typing import Any

import msgspec
from piccolo.columns.combination import WhereRaw
from piccolo.query.functions import Case, Concat, Lower, When

from backend.domain.accounts.tables import AccountToken as AccountTokenTable
from backend.domain.accounts.tables import UserAccount
from backend.infra.database import connection

ACTIVE, PENDING, LOCKED = "actif", "en_attente", "verrouille"


class _Person(msgspec.Struct, frozen=True):
    id: int
    email: str
    first_name: str
    last_name: str
    lang: str
    status: str
    is_support: bool
    locked_until: datetime | None
    session_version: int


class SessionUser(_Person, frozen=True):
    """What a session needs to know about its user (and, for an HTTP request, their grants' raw value)."""

    grants: Any = None


class Credentials(_Person, frozen=True):
    """A user with their secrets, read locked: login and password reset decide and write on it."""

    failed_logins: int
    password_hash: str | None
    secret_answer_hash: str | None


class User(msgspec.Struct, frozen=True):
    """A user account, without its secrets."""

    id: int
    email: str
    contact_email: str | None
    first_name: str
    last_name: str
    lang: str
    status: str
    is_support: bool
    is_admin: bool
    notify_all: bool
    notify_billing: bool
    notify_digest: bool
    failed_logins: int
    locked_until: datetime | None
    created_at: datetime
    activated_at: datetime | None
    last_login_at: datetime | None

    def locked(self, now: datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now


class AccountToken(msgspec.Struct, frozen=True):
    """A single-use link (activation, password reset), known by its hash."""

    id: int
    user_id: int
    kind: str
    expires_at: datetime
    used_at: datetime | None
    failed_answers: int


def _columns(row_type: type[msgspec.Struct]) -> tuple:
    return tuple(getattr(UserAccount, name) for name in row_type.__struct_fields__)


_SESSION, _CREDENTIALS, _USER = _columns(_Person), _columns(Credentials), _columns(User)
_SESSION_SQL = ", ".join(_Person.__struct_fields__)


@cache
def session_sql(grants_column: str | None) -> str:
    """The one query an HTTP request runs to know who it is for and, with `grants_column` (an SQL
    expression of `{user}`, from the structures slice), what they may see ($1: user id)."""
    grants = "" if grants_column is None else f", {grants_column.format(user='user_account.id')} AS grants"
    return f"SELECT {_SESSION_SQL}{grants} FROM user_account WHERE id = $1"


async def session_user(user_id: int, *, grants_column: str | None = None) -> SessionUser | None:
    # Raw SQL on the task's connection (its transaction, if one is open): this runs on every request
    # (bench/RESULTS.md), the grants are a correlated subquery the builder cannot put in the same
    # statement, and Piccolo's raw() would compile the query string each time (≈0.06 ms measured).
    async with connection() as conn:
        row = await conn.fetchrow(session_sql(grants_column), user_id)
    return SessionUser(**row) if row is not None else None


async def session_users(user_ids: Iterable[int]) -> dict[int, SessionUser]:
    rows = await UserAccount.select(*_SESSION).where(UserAccount.id.is_in(list(user_ids)))
    return {row["id"]: SessionUser(**row) for row in rows}


async def user(user_id: int) -> User | None:
    row = await UserAccount.select(*_USER).where(UserAccount.id == user_id).first()
    return User(**row) if row else None


async def users(user_ids: Iterable[int]) -> dict[int, User]:
    ids = list(set(user_ids))
    if not ids:
        return {}
    return {row["id"]: User(**row) for row in await UserAccount.select(*_USER).where(UserAccount.id.is_in(ids))}


async def user_by_email(email: str) -> User | None:
    row = await UserAccount.select(*_USER).where(UserAccount.email == email).first()
    return User(**row) if row else None


async def display_names(user_ids: Iterable[int | None]) -> dict[int, str]:
    """{id: "First Last"} for the given users, their e-mail when they have no name (None ignored)."""
    ids = sorted({i for i in user_ids if i})
    if not ids:
        return {}
    rows = await UserAccount.select(UserAccount.id, UserAccount.first_name, UserAccount.last_name, UserAccount.email).where(
        UserAccount.id.is_in(ids))
    return {row["id"]: f"{row['first_name'] or ''} {row['last_name'] or ''}".strip() or row["email"] for row in rows}


async def email_taken(email: str) -> bool:
    return await UserAccount.exists().where(UserAccount.email == email)


async def create_user(*, email: str, first_name: str, last_name: str, lang: str, consent_survey: bool,
                      purposes: list[str]) -> int:
    rows = await UserAccount.insert(UserAccount(
        email=email, first_name=first_name, last_name=last_name, lang=lang, consent_survey=consent_survey,
        purposes=purposes, created_at=datetime.now(UTC))).returning(UserAccount.id)
    return rows[0]["id"]


async def credentials_by_email(email: str) -> Credentials | None:
    """Locked until the transaction ends: the failure count is read and written by one login at a time."""
    row = await UserAccount.select(*_CREDENTIALS).where(UserAccount.email == email).lock_rows().first()
    return Credentials(**row) if row else None


async def credentials(user_id: int) -> Credentials | None:
    row = await UserAccount.select(*_CREDENTIALS).where(UserAccount.id == user_id).lock_rows().first()
    return Credentials(**row) if row else None


async def password_hash(user_id: int) -> str | None:
    row = await UserAccount.select(UserAccount.password_hash).where(UserAccount.id == user_id).first()
    return row["password_hash"] if row else None


async def secret_question(user_id: int) -> str | None:
    row = await UserAccount.select(UserAccount.secret_question).where(UserAccount.id == user_id).first()
    return row["secret_question"] if row else None


async def record_failed_login(user_id: int, failed_logins: int, locked_until: datetime | None) -> None:
    """A lock already running is kept when this failure does not start a new one."""
    values: dict = {UserAccount.failed_logins: failed_logins}
    if locked_until is not None:
        values[UserAccount.locked_until] = locked_until
    await UserAccount.update(values).where(UserAccount.id == user_id)


async def record_login(user_id: int, at: datetime) -> None:
    await UserAccount.update({UserAccount.failed_logins: 0, UserAccount.locked_until: None,
                              UserAccount.last_login_at: at}).where(UserAccount.id == user_id)


_UNLOCKED_STATUS = Case(When(UserAccount.status == LOCKED, then=ACTIVE), default=UserAccount.status)


async def unlock(user_id: int, *, password_hash: str | None = None) -> bool:
    """Clear the failures and any lock (a locked status becomes active), optionally with a new password;
    False when there is no such user."""
    values: dict = {UserAccount.failed_logins: 0, UserAccount.locked_until: None, UserAccount.status: _UNLOCKED_STATUS}
    if password_hash is not None:
        values[UserAccount.password_hash] = password_hash
    return bool(await UserAccount.update(values).where(UserAccount.id == user_id).returning(UserAccount.id))


async def activate(user_id: int, *, password_hash: str, secret_question: str, secret_answer_hash: str) -> str | None:
    """Returns the login e-mail; None when the account is not awaiting activation (an activation never
    overwrites an active account's password and secret answer)."""
    rows = await UserAccount.update({
        UserAccount.password_hash: password_hash, UserAccount.secret_question: secret_question,
        UserAccount.secret_answer_hash: secret_answer_hash, UserAccount.status: ACTIVE,
        UserAccount.activated_at: datetime.now(UTC)}).where(
        (UserAccount.id == user_id) & (UserAccount.status == PENDING)).returning(UserAccount.email)
    return rows[0]["email"] if rows else None


async def set_password(user_id: int, password_hash: str) -> None:
    await UserAccount.update({UserAccount.password_hash: password_hash}).where(UserAccount.id == user_id)


async def revoke_sessions(user_id: int) -> int:
    """Every session token of the user stops working; returns the version a new session carries."""
    rows = await UserAccount.update({UserAccount.session_version: UserAccount.session_version + 1}).where(
        UserAccount.id == user_id).returning(UserAccount.session_version)
    return rows[0]["session_version"] if rows else 0


_DETAILS = {"first_name", "last_name", "contact_email", "lang", "notify_all", "notify_billing", "notify_digest"}


async def update_details(user_id: int, **changes: Any) -> None:
    """Only the given fields change (None: unchanged); an empty contact_email clears it."""
    changes = {name: value for name, value in changes.items() if value is not None}
    assert changes.keys() <= _DETAILS, changes.keys() - _DETAILS
    if changes.get("contact_email") == "":
        changes["contact_email"] = None
    if changes:
        await UserAccount.update({getattr(UserAccount, name): value for name, value in changes.items()}).where(
            UserAccount.id == user_id)


def _names_like(like: str) -> WhereRaw:
    # WhereRaw("{}", …) only lets a function's condition be OR-ed with column conditions.
    return (WhereRaw("{}", Lower(Concat(UserAccount.first_name, " ", UserAccount.last_name)).like(like))
            | WhereRaw("{}", Lower(Concat(UserAccount.last_name, " ", UserAccount.first_name)).like(like)))


async def search(like: str, *, or_ids: Iterable[int] = (), limit: int = 30) -> list[User]:
    """Users whose e-mail (lowercase) or name, in either order, matches `like` (a lowercase LIKE pattern),
    or whose id is in `or_ids`; by e-mail."""
    ids = list(set(or_ids))
    where = UserAccount.email.like(like) | _names_like(like)
    if ids:
        # One array parameter: a search may match the users of thousands of structures, past what an IN
        # list of parameters allows.
        where = where | WhereRaw("user_account.id = ANY({}::bigint[])", ids)
    rows = await UserAccount.select(*_USER).where(where).order_by(UserAccount.email).limit(limit)
    return [User(**row) for row in rows]


# The command line's support role (`chorale grant-support` / `revoke-support`).

async def set_support(email: str, is_support: bool) -> str | None:
    """Grant or withdraw the support role; returns the account's e-mail, None when there is no such account."""
    rows = await UserAccount.update({UserAccount.is_support: is_support}).where(
        UserAccount.email == email.lower()).returning(UserAccount.email)
    return rows[0]["email"] if rows else None


# Notifications (processing): where a user's mail goes and what they asked to receive.

class Recipient(msgspec.Struct, frozen=True, kw_only=True):
    """A user as a notification reaches them: where mail goes and what they asked to receive."""

    id: int
    email: str
    contact_email: str | None
    first_name: str
    lang: str  # the language of the mail they receive
    notify_all: bool
    notify_billing: bool
    notify_digest: bool

    @property
    def address(self) -> str:
        return self.contact_email or self.email


_RECIPIENT = _columns(Recipient)


async def notification_recipients(user_ids: Iterable[int], *, active_only: bool = False,
                                  digest_only: bool = False) -> list[Recipient]:
    """These users' addresses and notification preferences; `active_only`: only activated, unlocked
    accounts; `digest_only`: only those who chose the daily digest."""
    ids = sorted(set(user_ids))
    if not ids:
        return []
    where = UserAccount.id.is_in(ids)
    if active_only:
        where &= UserAccount.status == ACTIVE
    if digest_only:
        where &= UserAccount.notify_digest == True  # noqa: E712
    return [Recipient(**row) for row in await UserAccount.select(*_RECIPIENT).where(where).order_by(UserAccount.id)]


# --- account_token ---

async def add_token(user_id: int, kind: str, token_hash: str, expires_at: datetime) -> None:
    await AccountTokenTable.insert(AccountTokenTable(user_id=user_id, kind=kind, token_hash=token_hash,
                                                     expires_at=expires_at, created_at=datetime.now(UTC)))


async def token(token_hash: str, kind: str) -> AccountToken | None:
    """Locked until the transaction ends, so a link is redeemed once."""
    t = AccountTokenTable
    row = await t.select(t.id, t.user_id, t.kind, t.expires_at, t.used_at, t.failed_answers).where(
        (t.token_hash == token_hash) & (t.kind == kind)).lock_rows().first()
    return AccountToken(**row) if row else None


async def spend_token(token_hash: str) -> None:
    t = AccountTokenTable
    await t.update({t.used_at: datetime.now(UTC)}).where(t.token_hash == token_hash)


async def record_failed_answer(token_hash: str, *, spend: bool) -> None:
    """Count a wrong secret answer given with this link; `spend`: it was the last one allowed."""
    t = AccountTokenTable
    values: dict = {t.failed_answers: t.failed_answers + 1}
    if spend:
        values[t.used_at] = datetime.now(UTC)
    await t.update(values).where(t.token_hash == token_hash)


async def spend_tokens(user_id: int, kind: str) -> None:
    """Spend every outstanding token of this kind of the user (all their activation links at activation)."""
    t = AccountTokenTable
    await t.update({t.used_at: datetime.now(UTC)}).where(
        (t.user_id == user_id) & (t.kind == kind) & t.used_at.is_null())
