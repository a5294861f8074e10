"""The only code that reads and writes the connections slice's tables; it returns typed rows.

Every function runs inside the transaction open in the current task (`transaction()`, or a
`connection()` block), so a service composes several of them in one transaction by opening it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import msgspec

from backend.domain.connections import tables as t
from backend.infra.rows import columns_of


class TechnicalAccount(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    login: str
    password_hash: str
    user_id: int
    structure_ids: list[int]
    created_by: int | None
    created_at: datetime
    revoked_at: datetime | None


class ApiClient(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    client_id: str
    secret_hash: str
    name: str
    scopes: list[str]
    structure_ids: list[int]
    created_by: int | None
    created_at: datetime
    rotated_at: datetime | None
    revoked_at: datetime | None


class JournalEntry(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    structure_id: int | None
    actor_user_id: int | None
    client_id: str | None
    action: str
    details: dict[str, Any]
    at: datetime


class Endpoint(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    structure_id: int
    url: str
    events: list[str]
    secret: str
    active: bool
    created_by: int | None
    created_at: datetime


class Delivery(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    endpoint_id: int
    event_key: str
    event_type: str
    body: str
    status: str
    attempts: list[dict[str, Any]]
    attempt_count: int
    created_at: datetime
    delivered_at: datetime | None


class IdempotentCall(msgspec.Struct, frozen=True, kw_only=True):
    request_sha256: str
    response: dict[str, Any]


_ACCOUNT = columns_of(t.TechnicalAccount, TechnicalAccount.__struct_fields__)
_CLIENT = columns_of(t.ApiClient, ApiClient.__struct_fields__)
_JOURNAL = columns_of(t.ConnectionJournal, JournalEntry.__struct_fields__)
_ENDPOINT = columns_of(t.WebhookEndpoint, Endpoint.__struct_fields__)
_DELIVERY = columns_of(t.WebhookDelivery, Delivery.__struct_fields__)


def _now() -> datetime:
    return datetime.now(UTC)


def _one(cls, rows: list[dict]):
    return cls(**rows[0]) if rows else None


# Technical accounts ------------------------------------------------------------------------------

async def create_technical_account(*, login: str, password_hash: str, user_id: int, structure_ids: list[int],
                                   created_by: int | None) -> TechnicalAccount:
    rows = await t.TechnicalAccount.insert(t.TechnicalAccount(
        login=login, password_hash=password_hash, user_id=user_id, structure_ids=structure_ids, created_by=created_by,
        created_at=_now(), revoked_at=None)).returning(*_ACCOUNT)
    return TechnicalAccount(**rows[0])


async def technical_account_by_login(login: str) -> TechnicalAccount | None:
    return _one(TechnicalAccount, await t.TechnicalAccount.select(*_ACCOUNT).where(t.TechnicalAccount.login == login))


async def technical_account(account_id: int) -> TechnicalAccount | None:
    return _one(TechnicalAccount, await t.TechnicalAccount.select(*_ACCOUNT).where(t.TechnicalAccount.id == account_id))


async def technical_accounts_of(structure_id: int) -> list[TechnicalAccount]:
    rows = await t.TechnicalAccount.select(*_ACCOUNT).where(t.TechnicalAccount.structure_ids.any(structure_id)).order_by(
        t.TechnicalAccount.id)
    return [TechnicalAccount(**row) for row in rows]


async def set_account_password(account_id: int, password_hash: str) -> None:
    await t.TechnicalAccount.update({t.TechnicalAccount.password_hash: password_hash}).where(t.TechnicalAccount.id == account_id)


async def revoke_technical_account(account_id: int) -> None:
    await t.TechnicalAccount.update({t.TechnicalAccount.revoked_at: _now()}).where(
        t.TechnicalAccount.id == account_id, t.TechnicalAccount.revoked_at.is_null())


# API clients -------------------------------------------------------------------------------------

async def create_api_client(*, client_id: str, secret_hash: str, name: str, scopes: list[str], structure_ids: list[int],
                            created_by: int | None) -> ApiClient:
    rows = await t.ApiClient.insert(t.ApiClient(
        client_id=client_id, secret_hash=secret_hash, name=name, scopes=scopes, structure_ids=structure_ids,
        created_by=created_by, created_at=_now(), rotated_at=None, revoked_at=None)).returning(*_CLIENT)
    return ApiClient(**rows[0])


async def api_client(client_id: str) -> ApiClient | None:
    return _one(ApiClient, await t.ApiClient.select(*_CLIENT).where(t.ApiClient.client_id == client_id))


async def api_client_by_id(row_id: int) -> ApiClient | None:
    return _one(ApiClient, await t.ApiClient.select(*_CLIENT).where(t.ApiClient.id == row_id))


async def api_clients_of(structure_id: int) -> list[ApiClient]:
    rows = await t.ApiClient.select(*_CLIENT).where(t.ApiClient.structure_ids.any(structure_id)).order_by(t.ApiClient.id)
    return [ApiClient(**row) for row in rows]


async def rotate_secret(row_id: int, secret_hash: str) -> None:
    await t.ApiClient.update({t.ApiClient.secret_hash: secret_hash, t.ApiClient.rotated_at: _now()}).where(
        t.ApiClient.id == row_id)


async def revoke_api_client(row_id: int) -> None:
    await t.ApiClient.update({t.ApiClient.revoked_at: _now()}).where(t.ApiClient.id == row_id, t.ApiClient.revoked_at.is_null())


# Journal -----------------------------------------------------------------------------------------

async def journal(action: str, *, structure_ids: Iterable[int | None] = (None,), actor_user_id: int | None = None,
                  client_id: str | None = None, details: dict[str, Any] | None = None) -> None:
    await t.ConnectionJournal.insert(*[t.ConnectionJournal(
        structure_id=structure_id, actor_user_id=actor_user_id, client_id=client_id, action=action, details=details or {},
        at=_now()) for structure_id in (list(structure_ids) or [None])])


async def journal_of(structure_id: int, limit: int = 50) -> list[JournalEntry]:
    rows = await t.ConnectionJournal.select(*_JOURNAL).where(t.ConnectionJournal.structure_id == structure_id).order_by(
        t.ConnectionJournal.id, ascending=False).limit(limit)
    return [JournalEntry(**row) for row in rows]


# Webhooks ----------------------------------------------------------------------------------------

async def create_endpoint(*, structure_id: int, url: str, events: list[str], secret: str, created_by: int | None) -> Endpoint:
    rows = await t.WebhookEndpoint.insert(t.WebhookEndpoint(
        structure_id=structure_id, url=url, events=events, secret=secret, active=True, created_by=created_by,
        created_at=_now())).returning(*_ENDPOINT)
    return Endpoint(**rows[0])


async def endpoint(endpoint_id: int) -> Endpoint | None:
    return _one(Endpoint, await t.WebhookEndpoint.select(*_ENDPOINT).where(t.WebhookEndpoint.id == endpoint_id))


async def endpoints_of(structure_id: int) -> list[Endpoint]:
    rows = await t.WebhookEndpoint.select(*_ENDPOINT).where(t.WebhookEndpoint.structure_id == structure_id).order_by(
        t.WebhookEndpoint.id)
    return [Endpoint(**row) for row in rows]


async def endpoints_listening(structure_ids: Iterable[int], event_type: str) -> list[Endpoint]:
    ids = list(structure_ids)
    if not ids:
        return []
    rows = await t.WebhookEndpoint.select(*_ENDPOINT).where(
        t.WebhookEndpoint.structure_id.is_in(ids), t.WebhookEndpoint.active.eq(True), t.WebhookEndpoint.events.any(event_type))
    return [Endpoint(**row) for row in rows]


async def deactivate_endpoint(endpoint_id: int) -> None:
    await t.WebhookEndpoint.update({t.WebhookEndpoint.active: False}).where(t.WebhookEndpoint.id == endpoint_id)


async def add_delivery(*, endpoint_id: int, event_key: str, event_type: str, body: str) -> int | None:
    """The new delivery's id, or None when this event was already recorded for this endpoint."""
    rows = await t.WebhookDelivery.insert(t.WebhookDelivery(
        endpoint_id=endpoint_id, event_key=event_key, event_type=event_type, body=body, status="EN_ATTENTE", attempts=[],
        attempt_count=0, created_at=_now(), delivered_at=None)).on_conflict(action="DO NOTHING").returning(t.WebhookDelivery.id)
    return rows[0]["id"] if rows else None


async def delivery(delivery_id: int, *, lock: bool = False) -> Delivery | None:
    """`lock`: inside a transaction, held until it ends (two attempts at one delivery record one after the other)."""
    query = t.WebhookDelivery.select(*_DELIVERY).where(t.WebhookDelivery.id == delivery_id)
    return _one(Delivery, await (query.lock_rows() if lock else query))


async def deliveries_of(endpoint_id: int, limit: int = 50) -> list[Delivery]:
    rows = await t.WebhookDelivery.select(*_DELIVERY).where(t.WebhookDelivery.endpoint_id == endpoint_id).order_by(
        t.WebhookDelivery.id, ascending=False).limit(limit)
    return [Delivery(**row) for row in rows]


async def record_attempt(found: Delivery, attempt: dict[str, Any], status: str) -> None:
    """Appends an attempt to `found`, read with `delivery(..., lock=True)` in the same transaction."""
    await t.WebhookDelivery.update({
        t.WebhookDelivery.attempts: [*found.attempts, attempt], t.WebhookDelivery.attempt_count: found.attempt_count + 1,
        t.WebhookDelivery.status: status, t.WebhookDelivery.delivered_at: _now() if status == "LIVRE" else None,
    }).where(t.WebhookDelivery.id == found.id)


async def reset_delivery(delivery_id: int) -> None:
    await t.WebhookDelivery.update({t.WebhookDelivery.status: "EN_ATTENTE"}).where(t.WebhookDelivery.id == delivery_id)


# Idempotency -------------------------------------------------------------------------------------

async def idempotent_call(client_id: str, key: str) -> IdempotentCall | None:
    rows = await t.IdempotentCall.select(t.IdempotentCall.request_sha256, t.IdempotentCall.response).where(
        t.IdempotentCall.client_id == client_id, t.IdempotentCall.key == key)
    return _one(IdempotentCall, rows)


async def remember_call(client_id: str, key: str, request_sha256: str, response: dict[str, Any]) -> bool:
    """False when another call with this key got there first."""
    rows = await t.IdempotentCall.insert(t.IdempotentCall(
        client_id=client_id, key=key, request_sha256=request_sha256, response=response, created_at=_now())).on_conflict(
        action="DO NOTHING").returning(t.IdempotentCall.id)
    return bool(rows)
