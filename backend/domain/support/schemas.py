"""Request and response bodies of the support routes: users, impersonation, the audit journal."""

from __future__ import annotations

from datetime import datetime

import msgspec

from backend.domain.support import store


class ImpersonationStart(msgspec.Struct):
    """Act as this user; the reason is journaled and shown to them."""

    user_id: int
    reason: str = ""


class Confirmation(msgspec.Struct):
    confirm: bool = False


class FoundUser(msgspec.Struct, kw_only=True):
    id: int
    email: str
    first_name: str | None
    last_name: str | None
    status: str
    is_support: bool
    last_login_at: datetime | None
    locked: bool


class SupportUser(FoundUser, kw_only=True):
    is_admin: bool
    created_at: datetime | None
    activated_at: datetime | None
    failed_logins: int
    locked_until: datetime | None


class UserAttachment(msgspec.Struct):
    id: int
    identifier: str
    raison_sociale: str
    status: str
    is_principal: bool
    profiles: str


class RecentError(msgspec.Struct):
    """An invoice of the user's that could not be routed or was rejected."""

    id: int
    number: str | None
    status: str
    status_at: datetime | None
    routing_error: str | None


class UserDetail(msgspec.Struct):
    user: SupportUser
    attachments: list[UserAttachment]
    recent_errors: list[RecentError]


class JournalEntry(store.JournalEntry, frozen=True, kw_only=True):
    """A journal line, with who acted and on whom."""

    support_email: str | None
    target_email: str | None
    sollicitation_id: int | None


class Intervention(msgspec.Struct):
    """An intervention of support on the user's account, as the user sees it."""

    id: int
    started_at: datetime
    ended_at: datetime | None
    expires_at: datetime
    reason: str
    support_name: str | None
    actions_enabled: bool


class CurrentImpersonation(msgspec.Struct):
    """The reason of the intervention the session is under ('' when none)."""

    impersonated: bool
    reason: str
