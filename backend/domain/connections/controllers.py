"""« Raccordement EDI et API » routes for the structure's principal manager (session cookie, JSON)."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, get, post

from backend.domain.accounts.identity import Principal
from backend.domain.connections import services
from backend.infra.schemas import shape


class NewCredentials(msgspec.Struct):
    structure_ids: list[int] = []  # more structures than the one in the path, all managed by the caller


class NewApiClient(msgspec.Struct):
    scopes: list[str]
    name: str = ""
    structure_ids: list[int] = []


class NewWebhook(msgspec.Struct):
    url: str
    events: list[str]


# Answers (the JSON the workspace always read; secrets appear only in a creation's or rotation's answer).

class ManagedStructure(msgspec.Struct):
    id: int
    identifier: str | None
    raison_sociale: str | None


class TechnicalAccountView(msgspec.Struct):
    id: int
    login: str
    structure_ids: list[int]
    created_at: str
    revoked: bool


class NewTechnicalAccount(TechnicalAccountView):
    password: str  # shown this once


class ApiClientView(msgspec.Struct):
    id: int
    client_id: str
    name: str
    scopes: list[str]
    structure_ids: list[int]
    created_at: str
    rotated_at: str | None
    revoked: bool


class ApiClientSecret(ApiClientView):
    client_secret: str  # shown this once


class WebhookView(msgspec.Struct):
    id: int
    structure_id: int
    url: str
    events: list[str]
    active: bool
    created_at: str


class NewWebhookAnswer(WebhookView):
    secret: str  # the signing secret, shown this once


class DeliveryView(msgspec.Struct):
    id: int
    event_type: str
    status: str  # EN_ATTENTE, LIVRE, ECHEC
    attempts: list[dict[str, Any]]  # each: at, then status and response, or error
    attempt_count: int
    created_at: str
    delivered_at: str | None


class JournalEntryView(msgspec.Struct):
    at: str
    action: str
    client_id: str | None
    details: dict[str, Any]


class ConnectionOverview(msgspec.Struct):
    technical_accounts: list[TechnicalAccountView]
    api_clients: list[ApiClientView]
    webhooks: list[WebhookView]
    journal: list[JournalEntryView]


class ConnectionController(Controller):
    path = "/api/connections"
    tags = ["raccordement"]

    @get("/structures", operation_id="connectionStructures")
    async def structures(self, principal: Principal) -> list[ManagedStructure]:
        """The structures whose connection the user manages (as their principal manager)."""
        return shape(await services.managed_structures(principal), list[ManagedStructure])

    @get("/{structure_id:int}", operation_id="connectionOverview")
    async def overview(self, principal: Principal, structure_id: int) -> ConnectionOverview:
        """The structure's technical accounts, API clients (never their secrets), webhooks and journal."""
        return shape(await services.connection_overview(principal, structure_id), ConnectionOverview)

    @post("/{structure_id:int}/technical-accounts", operation_id="createTechnicalAccount", status_code=201)
    async def new_account(self, principal: Principal, structure_id: int, data: NewCredentials | None = None) -> NewTechnicalAccount:
        """A login and password (the `cpro-account`), the password shown this once."""
        return shape(await services.create_technical_account(principal, [structure_id, *(data.structure_ids if data else [])]),
                     NewTechnicalAccount)

    @post("/technical-accounts/{account_id:int}/revoke", operation_id="revokeTechnicalAccount", status_code=200)
    async def revoke_account(self, principal: Principal, account_id: int) -> TechnicalAccountView:
        return shape(await services.revoke_technical_account(principal, account_id), TechnicalAccountView)

    @post("/{structure_id:int}/api-clients", operation_id="createApiClient", status_code=201)
    async def new_client(self, principal: Principal, structure_id: int, data: NewApiClient) -> ApiClientSecret:
        """An OAuth2 client: its id and secret, the secret shown this once."""
        return shape(await services.create_api_client(principal, [structure_id, *data.structure_ids], data.scopes, name=data.name),
                     ApiClientSecret)

    @post("/api-clients/{client_row:int}/rotate", operation_id="rotateApiClient", status_code=200)
    async def rotate(self, principal: Principal, client_row: int) -> ApiClientSecret:
        """A new secret (shown this once); every token of the earlier one stops at once."""
        return shape(await services.rotate_api_client(principal, client_row), ApiClientSecret)

    @post("/api-clients/{client_row:int}/revoke", operation_id="revokeApiClient", status_code=200)
    async def revoke_client(self, principal: Principal, client_row: int) -> ApiClientView:
        return shape(await services.revoke_api_client(principal, client_row), ApiClientView)

    @post("/{structure_id:int}/webhooks", operation_id="createWebhook", status_code=201)
    async def new_webhook(self, principal: Principal, structure_id: int, data: NewWebhook) -> NewWebhookAnswer:
        """An HTTPS endpoint for events (facture.statut, flux.integre, facture.recue); its signing secret shown once."""
        return shape(await services.create_endpoint(principal, structure_id, data.url, data.events), NewWebhookAnswer)

    @get("/webhooks/{endpoint_id:int}/deliveries", operation_id="webhookDeliveries")
    async def deliveries(self, principal: Principal, endpoint_id: int) -> list[DeliveryView]:
        """Every delivery of the endpoint, newest first, with each attempt's status and the start of its response."""
        return shape(await services.deliveries(principal, endpoint_id), list[DeliveryView])

    @post("/webhooks/{endpoint_id:int}/disable", operation_id="disableWebhook", status_code=200)
    async def disable(self, principal: Principal, endpoint_id: int) -> WebhookView:
        return shape(await services.disable_endpoint(principal, endpoint_id), WebhookView)

    @post("/deliveries/{delivery_id:int}/replay", operation_id="replayWebhookDelivery", status_code=200)
    async def replay(self, principal: Principal, delivery_id: int) -> DeliveryView:
        """The delivery sent again (the same body, freshly signed)."""
        return shape(await services.replay(principal, delivery_id), DeliveryView)
