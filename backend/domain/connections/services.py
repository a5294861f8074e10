"""Connection use cases: technical accounts and API clients (created, rotated, revoked, journaled), OAuth2
client-credentials tokens, the authentication of every PISTE call, webhook endpoints and deliveries.

A technical account is backed by a user row (as Chorus Pro's « compte technique » is a user): it holds the
attachments and profiles of the structures it acts for, so every existing use case checks its rights as it
checks a person's. That user never logs in to the portal: its portal password is random and never known.
A call acts for the structures both its API client and its technical account are given, never more: the
principal's grants are narrowed to them before any use case sees it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from jose import JWTError, jwt

from backend.domain.accounts import store as accounts_store
from backend.domain.accounts.guards import refuse_while_impersonating
from backend.domain.accounts.identity import Principal
from backend.domain.accounts.services import hash_secret, principal_of_user, verify_secret
from backend.domain.connections import rules, store
from backend.domain.connections.rules import RuleError, Scope
from backend.domain.structures import store as structures_store
from backend.domain.structures.permissions import Action, Reason, Target, allowed_structures, parse_grants, require
from backend.infra import rate_limit
from backend.infra.database import transaction
from backend.infra.errors import ChoraleError, Forbidden, NotFound
from backend.settings import get_settings
from shared.applications import Application, Level

ALGORITHM = "HS256"
AUDIENCE = "chorale-piste"
# Per API client: calls a minute on the PISTE routes, and token requests a minute.
CALL_LIMIT = rate_limit.Limit("piste-appel", 600, 60)
TOKEN_LIMIT = rate_limit.Limit("piste-jeton", 30, 60)
TECHNICAL_DOMAIN = "comptes-techniques.chorale.invalid"  # .invalid: no mail can ever be sent to these users
# What a technical account may do on each structure it acts for (the API client's scopes narrow it further).
TECHNICAL_PROFILES = ((Application.FACTURES_EMISES, Level.MODIFICATION), (Application.FACTURES_RECUES, Level.MODIFICATION),
                      (Application.FACTURES_A_VALIDER, Level.MODIFICATION))


class PisteError(ChoraleError):
    """An error in Chorus Pro's shape (`codeRetour`, `libelle` in French as PISTE answers), with Chorale's code
    and its catalogued text in the asker's language beside it (shared/i18n_connections.py, error.<code>)."""

    def __init__(self, code: str, /, *, status_code: int = 400, code_retour: int | None = None, variant: str | None = None,
                 **params: Any) -> None:
        super().__init__(code, variant=variant, status_code=status_code, **params)
        self.code_retour = code_retour

    def body(self, lang: str = "fr") -> dict[str, Any]:
        return piste_body(self, lang, self.code_retour)


def piste_body(error: ChoraleError, lang: str = "fr", code_retour: int | None = None) -> dict[str, Any]:
    return {"codeRetour": code_retour if code_retour is not None else error.status_code, "libelle": error.message_fr,
            **ChoraleError.body(error, lang)}


def from_rule(error: RuleError, status: int = 400) -> ChoraleError:
    """A rule's refusal answered with this status (the PISTE routes' handler gives it Chorus Pro's shape)."""
    return error.with_status(status)


def _refused_token() -> PisteError:
    return PisteError("jeton_invalide", status_code=401)


def _refused_account() -> PisteError:
    return PisteError("compte_technique_invalide", status_code=401)


def _signing_key() -> str:
    # Derived from the session key but different: a session cookie is no API token, nor the reverse.
    return hmac.new(get_settings().secret_key.encode(), b"chorale-piste-access-token", hashlib.sha256).hexdigest()


# Management (the gestionnaire principal) ---------------------------------------------------------

# The connection's refusals keep their own words (403, whether or not the user is attached to the structure).
_CONNECTION_REFUSALS = {
    Reason.NOT_ATTACHED: lambda: Forbidden("gestionnaire_raccordement"),
    Reason.NOT_PRINCIPAL: lambda: Forbidden("gestionnaire_raccordement"),
}


async def _require_manager(principal: Principal, structure_ids: list[int]) -> None:
    """The policy's CONNECTION_MANAGE on every structure: its gestionnaire principal, never support acting as them."""
    if not structure_ids:
        raise ChoraleError("structure_requise", "structure_ids", status_code=422)
    refuse_while_impersonating(principal, Action.CONNECTION_MANAGE)
    for structure_id in structure_ids:
        await require(principal, Action.CONNECTION_MANAGE, Target(structure_id), errors=_CONNECTION_REFUSALS)


def _actor(principal: Principal | None) -> int | None:
    return principal.user_id if principal else None  # None: the command line or the demo seed


def _account_view(account: store.TechnicalAccount) -> dict[str, Any]:
    return {"id": account.id, "login": account.login, "structure_ids": account.structure_ids,
            "created_at": account.created_at.isoformat(), "revoked": account.revoked_at is not None}


def _client_view(client: store.ApiClient) -> dict[str, Any]:
    return {"id": client.id, "client_id": client.client_id, "name": client.name, "scopes": client.scopes,
            "structure_ids": client.structure_ids, "created_at": client.created_at.isoformat(),
            "rotated_at": client.rotated_at.isoformat() if client.rotated_at else None, "revoked": client.revoked_at is not None}


async def create_technical_account(principal: Principal | None, structure_ids: list[int], *, login: str | None = None,
                                   password: str | None = None, check_manager: bool = True) -> dict[str, Any]:
    """The account with its password, shown this once (only its Argon2 hash is kept)."""
    structure_ids = sorted(set(structure_ids))
    if check_manager:
        await _require_manager(principal, structure_ids)
    login = (login or f"tech-{secrets.token_hex(5)}@{TECHNICAL_DOMAIN}").strip().lower()
    password = password or secrets.token_urlsafe(18)
    if await store.technical_account_by_login(login) is not None or await accounts_store.email_taken(login):
        raise ChoraleError("identifiant_pris", status_code=409)
    password_hash, unusable = hash_secret(password), hash_secret(secrets.token_urlsafe(32))
    async with transaction():
        user_id = await accounts_store.create_user(email=login, first_name="Compte", last_name="technique", lang="fr",
                                                   consent_survey=False, purposes=[])
        await accounts_store.activate(user_id, password_hash=unusable, secret_question="—", secret_answer_hash=unusable)
        for structure_id in structure_ids:
            await structures_store.attach(user_id, structure_id)
            for application, level in TECHNICAL_PROFILES:
                await structures_store.grant_profile(user_id, structure_id, str(application), str(level))
        account = await store.create_technical_account(login=login, password_hash=password_hash, user_id=user_id,
                                                       structure_ids=structure_ids, created_by=_actor(principal))
        await store.journal("compte_technique_cree", structure_ids=structure_ids, actor_user_id=_actor(principal),
                            details={"login": login})
    return {**_account_view(account), "password": password}


async def create_api_client(principal: Principal | None, structure_ids: list[int], scopes: list[str], *, name: str = "",
                            check_manager: bool = True, client_id: str | None = None, secret: str | None = None) -> dict[str, Any]:
    """The client with its secret, shown this once (only its SHA-256 is kept)."""
    structure_ids = sorted(set(structure_ids))
    if check_manager:
        await _require_manager(principal, structure_ids)
    try:
        scopes = rules.parse_scopes(scopes)
    except RuleError as error:
        raise error.with_status(422, field="scopes") from None
    client_id = client_id or f"chorale-{secrets.token_hex(12)}"
    secret = secret or secrets.token_urlsafe(32)
    async with transaction():
        client = await store.create_api_client(client_id=client_id, secret_hash=rules.secret_hash(secret), name=name.strip()[:120],
                                               scopes=scopes, structure_ids=structure_ids, created_by=_actor(principal))
        await store.journal("client_api_cree", structure_ids=structure_ids, actor_user_id=_actor(principal), client_id=client_id,
                            details={"scopes": scopes, "name": client.name})
    return {**_client_view(client), "client_secret": secret}


async def provision(sirets: list[str], scopes: list[str], *, name: str = "", login: str | None = None,
                    password: str | None = None, client_id: str | None = None, secret: str | None = None) -> dict[str, Any]:
    """A technical account and an API client for structures named by SIRET, with no manager's check: the
    operator's command line (`python -m backend.cli create-api-client`) and the demo seed."""
    structure_ids = []
    for siret in sirets:
        structure_id = await structures_store.structure_id_by_siret(siret.strip())
        if structure_id is None:
            raise ChoraleError("structure_inconnue", siret=siret)
        structure_ids.append(structure_id)
    account = await create_technical_account(None, structure_ids, login=login, password=password, check_manager=False)
    client = await create_api_client(None, structure_ids, scopes, name=name, check_manager=False, client_id=client_id, secret=secret)
    return {"technical_account": account, "api_client": client}


async def _managed_client(principal: Principal, row_id: int) -> store.ApiClient:
    client = await store.api_client_by_id(row_id)
    if client is None:
        raise NotFound("client_api")
    await _require_manager(principal, client.structure_ids)
    return client


async def rotate_api_client(principal: Principal, row_id: int) -> dict[str, Any]:
    """A new secret, shown once; the old one and every token issued before stop working at once."""
    client = await _managed_client(principal, row_id)
    if client.revoked_at is not None:
        raise ChoraleError("client_revoque", status_code=409)
    secret = secrets.token_urlsafe(32)
    async with transaction():
        await store.rotate_secret(client.id, rules.secret_hash(secret))
        await store.journal("client_api_secret_renouvele", structure_ids=client.structure_ids, actor_user_id=principal.user_id,
                            client_id=client.client_id)
    return {**_client_view(await store.api_client_by_id(row_id)), "client_secret": secret}


async def revoke_api_client(principal: Principal, row_id: int) -> dict[str, Any]:
    client = await _managed_client(principal, row_id)
    async with transaction():
        await store.revoke_api_client(client.id)
        await store.journal("client_api_revoque", structure_ids=client.structure_ids, actor_user_id=principal.user_id,
                            client_id=client.client_id)
    return _client_view(await store.api_client_by_id(row_id))


async def revoke_technical_account(principal: Principal, account_id: int) -> dict[str, Any]:
    account = await store.technical_account(account_id)
    if account is None:
        raise NotFound("compte_technique")
    await _require_manager(principal, account.structure_ids)
    async with transaction():
        await store.revoke_technical_account(account.id)
        await store.journal("compte_technique_revoque", structure_ids=account.structure_ids, actor_user_id=principal.user_id,
                            details={"login": account.login})
    return _account_view(await store.technical_account(account_id))


async def connection_overview(principal: Principal, structure_id: int) -> dict[str, Any]:
    """What the « Raccordement EDI et API » workspace shows for one structure."""
    await _require_manager(principal, [structure_id])
    return {
        "technical_accounts": [_account_view(a) for a in await store.technical_accounts_of(structure_id)],
        "api_clients": [_client_view(c) for c in await store.api_clients_of(structure_id)],
        "webhooks": [endpoint_view(e) for e in await store.endpoints_of(structure_id)],
        "journal": [{"at": j.at.isoformat(), "action": j.action, "client_id": j.client_id, "details": j.details}
                    for j in await store.journal_of(structure_id)],
    }


# OAuth2 ------------------------------------------------------------------------------------------

class OAuthError(ChoraleError):
    """RFC 6749's error shape, as PISTE's OAuth server answers: the code is the RFC's `error`, the catalogued
    text (error.<code>.<variant>) its `error_description`."""

    def body(self, lang: str = "fr") -> dict[str, Any]:
        return {"error": self.code, "error_description": self.message(lang)}


async def issue_token(*, grant_type: str | None, client_id: str | None, client_secret: str | None,
                      scope: str | None = None) -> dict[str, Any]:
    if grant_type != "client_credentials":
        raise OAuthError("unsupported_grant_type", status_code=400)
    if not client_id or not client_secret:
        raise OAuthError("invalid_client", variant="requis", status_code=401)
    await rate_limit.hit(TOKEN_LIMIT, client_id)
    client = await store.api_client(client_id)
    if client is None or client.revoked_at is not None or not rules.same_secret(client_secret, client.secret_hash):
        async with transaction():
            await store.journal("jeton_refuse", structure_ids=client.structure_ids if client else (None,), client_id=client_id)
        raise OAuthError("invalid_client", variant="refuse", status_code=401)
    now = int(time.time())
    claims = {"sub": client.client_id, "aud": AUDIENCE, "iat": now, "exp": now + rules.TOKEN_LIFETIME_SECONDS,
              "scope": " ".join(client.scopes), "jti": secrets.token_hex(8), "rv": _secret_version(client)}
    async with transaction():
        await store.journal("jeton_emis", structure_ids=client.structure_ids, client_id=client.client_id)
    return {"access_token": jwt.encode(claims, _signing_key(), algorithm=ALGORITHM), "token_type": "Bearer",
            "expires_in": rules.TOKEN_LIFETIME_SECONDS, "scope": " ".join(["openid", *client.scopes])}


def _secret_version(client: store.ApiClient) -> str:
    """Which secret a token was issued under: a rotation makes every earlier token invalid at once."""
    return client.rotated_at.isoformat() if client.rotated_at else ""


def _claims(token: str) -> dict[str, Any] | None:
    try:
        return jwt.decode(token, _signing_key(), algorithms=[ALGORITHM], audience=AUDIENCE)
    except (JWTError, ValueError, TypeError):
        return None


# Authenticating a call ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Caller:
    """A PISTE call, authenticated: its client, technical account, and the principal the use cases see."""

    client: store.ApiClient
    account: store.TechnicalAccount
    principal: Principal
    structure_ids: tuple[int, ...]

    def require_scope(self, scope: Scope) -> None:
        if str(scope) not in self.client.scopes:
            raise PisteError("portee_insuffisante", status_code=403, scope=scope)

    def require_structure(self, structure_id: int | None) -> int:
        if structure_id is None or structure_id not in self.structure_ids:
            raise PisteError("structure_non_autorisee", status_code=403)
        return structure_id


# Argon2 costs tens of milliseconds and an ERP sends the same cpro-account on every call: a success is
# remembered per (stored hash, password digest) — a changed password has another hash and is checked again.
# Failures are never remembered.
_VERIFIED: dict[tuple[str, str], None] = {}
_VERIFIED_MAX = 4096


def _check_password(account: store.TechnicalAccount, password: str) -> bool:
    key = (account.password_hash, hashlib.sha256(password.encode()).hexdigest())
    if key in _VERIFIED:
        return True
    if not verify_secret(account.password_hash, password):
        return False
    if len(_VERIFIED) >= _VERIFIED_MAX:
        _VERIFIED.clear()
    _VERIFIED[key] = None
    return True


async def authenticate(authorization: str | None, cpro_account: str | None, scope: Scope | None, *, path: str = "") -> Caller:
    """The call's caller; `scope` None: any scope will do (health-check)."""
    token = rules.bearer_token(authorization)
    claims = _claims(token) if token else None
    if claims is None:
        raise _refused_token()
    client = await store.api_client(str(claims.get("sub")))
    if client is None or client.revoked_at is not None or claims.get("rv") != _secret_version(client):
        raise _refused_token()
    await rate_limit.hit(CALL_LIMIT, client.client_id)
    credentials = rules.parse_cpro_account(cpro_account)
    account = await store.technical_account_by_login(credentials[0].strip().lower()) if credentials else None
    if account is None or account.revoked_at is not None or not _check_password(account, credentials[1]):
        async with transaction():
            await store.journal("appel_refuse", structure_ids=client.structure_ids, client_id=client.client_id,
                                details={"path": path, "raison": "cpro-account"})
        raise _refused_account()
    structure_ids = tuple(sorted(set(client.structure_ids) & set(account.structure_ids)))
    if not structure_ids:
        raise PisteError("structure_non_autorisee", status_code=403, variant="aucune_commune")
    principal = await principal_of_user(account.user_id)
    if principal is None:
        raise _refused_account()
    grants = tuple(g for g in parse_grants(await structures_store.grants_value(account.user_id)) if g.structure_id in structure_ids)
    caller = Caller(client=client, account=account, principal=dataclasses.replace(principal, grants=grants),
                    structure_ids=structure_ids)
    if scope is not None:
        caller.require_scope(scope)
    return caller


async def journal_call(caller: Caller, path: str, details: dict[str, Any] | None = None) -> None:
    async with transaction():
        await store.journal("appel", structure_ids=caller.structure_ids, actor_user_id=caller.account.user_id,
                            client_id=caller.client.client_id, details={"path": path, **(details or {})})


# Idempotency -------------------------------------------------------------------------------------

async def remembered(caller: Caller, key: str | None, body: bytes) -> dict[str, Any] | None:
    """The first answer to this `Idempotency-Key` (409 when the key came with another body), or None."""
    if not key:
        return None
    found = await store.idempotent_call(caller.client.client_id, key[:200])
    if found is None:
        return None
    if found.request_sha256 != hashlib.sha256(body).hexdigest():
        raise PisteError("cle_idempotence_reutilisee", status_code=409)
    return found.response


async def remember(caller: Caller, key: str | None, body: bytes, response: dict[str, Any]) -> None:
    if key:
        async with transaction():
            await store.remember_call(caller.client.client_id, key[:200], hashlib.sha256(body).hexdigest(), response)


# Webhook endpoints -------------------------------------------------------------------------------

def endpoint_view(endpoint: store.Endpoint) -> dict[str, Any]:
    return {"id": endpoint.id, "structure_id": endpoint.structure_id, "url": endpoint.url, "events": endpoint.events,
            "active": endpoint.active, "created_at": endpoint.created_at.isoformat()}


def delivery_view(delivery: store.Delivery) -> dict[str, Any]:
    return {"id": delivery.id, "event_type": delivery.event_type, "status": delivery.status, "attempts": delivery.attempts,
            "attempt_count": delivery.attempt_count, "created_at": delivery.created_at.isoformat(),
            "delivered_at": delivery.delivered_at.isoformat() if delivery.delivered_at else None}


def loopback_allowed() -> bool:
    """Plain HTTP to this machine is for the demo and the tests; a real install needs HTTPS to the outside."""
    return get_settings().demo or get_settings().webhook_loopback


async def create_endpoint(principal: Principal, structure_id: int, url: str, events: list[str]) -> dict[str, Any]:
    """The endpoint with its signing secret, shown this once."""
    await _require_manager(principal, [structure_id])
    try:
        rules.check_webhook_url(url, allow_loopback=loopback_allowed())
        events = rules.parse_events(events)
    except RuleError as error:
        raise error.with_status(422, field="url") from None
    from backend.domain.connections.webhooks import check_resolves_public

    await check_resolves_public(url)
    secret = "whsec_" + secrets.token_urlsafe(32)
    async with transaction():
        endpoint = await store.create_endpoint(structure_id=structure_id, url=url.strip(), events=events, secret=secret,
                                               created_by=principal.user_id)
        await store.journal("webhook_cree", structure_ids=[structure_id], actor_user_id=principal.user_id,
                            details={"url": endpoint.url, "events": events})
    return {**endpoint_view(endpoint), "secret": secret}


async def _managed_endpoint(principal: Principal, endpoint_id: int) -> store.Endpoint:
    endpoint = await store.endpoint(endpoint_id)
    if endpoint is None:
        raise NotFound("webhook")
    await _require_manager(principal, [endpoint.structure_id])
    return endpoint


async def deliveries(principal: Principal, endpoint_id: int) -> list[dict[str, Any]]:
    endpoint = await _managed_endpoint(principal, endpoint_id)
    return [delivery_view(d) for d in await store.deliveries_of(endpoint.id)]


async def disable_endpoint(principal: Principal, endpoint_id: int) -> dict[str, Any]:
    endpoint = await _managed_endpoint(principal, endpoint_id)
    async with transaction():
        await store.deactivate_endpoint(endpoint.id)
        await store.journal("webhook_desactive", structure_ids=[endpoint.structure_id], actor_user_id=principal.user_id,
                            details={"url": endpoint.url})
    return endpoint_view(await store.endpoint(endpoint_id))


async def replay(principal: Principal, delivery_id: int) -> dict[str, Any]:
    """Send a delivery again (the same body, freshly signed), whatever became of it."""
    found = await store.delivery(delivery_id)
    if found is None:
        raise NotFound("livraison")
    endpoint = await _managed_endpoint(principal, found.endpoint_id)
    async with transaction():
        await store.reset_delivery(found.id)
        await store.journal("webhook_rejoue", structure_ids=[endpoint.structure_id], actor_user_id=principal.user_id,
                            details={"delivery": found.id})
    from backend.domain.connections.webhooks import enqueue_delivery

    await enqueue_delivery(found.id, attempt=found.attempt_count, replay=True)
    return delivery_view(await store.delivery(delivery_id))


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


async def managed_structures(principal: Principal) -> list[dict[str, Any]]:
    """The structures whose connection this user manages (the policy's CONNECTION_MANAGE), for the workspace's choice."""
    return [{"id": m.id, "identifier": m.identifier, "raison_sociale": m.raison_sociale}
            for m in await allowed_structures(principal, Action.CONNECTION_MANAGE)]


def flow_state(lot_status: str) -> str:
    """A lot's status as Chorus Pro names a flow's state (« Suivi des flux » shows both kinds alike)."""
    return rules.FLOW_STATES[lot_status]
