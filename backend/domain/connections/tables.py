"""The connections slice's tables: technical accounts, API clients, their journal, webhooks, idempotency.

Secrets are stored hashed: a technical account's password with Argon2 (chosen by a person, so it may be
weak), an API client's secret with SHA-256 (32 random bytes: no dictionary to try, and it is checked on
every token request). A webhook's signing secret is the exception: HMAC needs it, so it is kept and never
shown again after its creation.
"""

from piccolo.columns import JSONB, Array, BigSerial, Boolean, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.reference import LazyTableReference
from piccolo.table import Table

USER = LazyTableReference("UserAccount", module_path="backend.domain.accounts.tables")
STRUCTURE = LazyTableReference("Structure", module_path="backend.domain.structures.tables")


class TechnicalAccount(Table, tablename="technical_account"):
    """Chorus Pro's `cpro-account`: a login and password an ERP sends with every call. It is backed by a
    user row (its grants on the structures it acts for), which cannot log in to the portal."""

    id = BigSerial(primary_key=True)
    login = Varchar(length=120, unique=True, default=None)
    password_hash = Varchar(length=255, default=None)
    user_id = ForeignKey(USER, null=False, on_delete=OnDelete.cascade, unique=True)
    structure_ids = Array(Integer(), default=list)
    created_by = ForeignKey(USER, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz()
    revoked_at = Timestamptz(null=True, default=None)


class ApiClient(Table, tablename="api_client"):
    """An OAuth2 client (client credentials): its id, the SHA-256 of its secret, scopes and structures."""

    id = BigSerial(primary_key=True)
    client_id = Varchar(length=64, unique=True, default=None)
    secret_hash = Varchar(length=64, default=None)
    name = Varchar(length=120, default="")
    scopes = Array(Varchar(length=20), default=list)
    structure_ids = Array(Integer(), default=list)
    created_by = ForeignKey(USER, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz()
    rotated_at = Timestamptz(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)


class ConnectionJournal(Table, tablename="connection_journal"):
    """Every creation, rotation, revocation, token and refused call, for the structure's managers and audits."""

    id = BigSerial(primary_key=True)
    structure_id = ForeignKey(STRUCTURE, null=True, on_delete=OnDelete.cascade)
    actor_user_id = ForeignKey(USER, null=True, on_delete=OnDelete.set_null)
    client_id = Varchar(length=64, null=True, default=None)
    action = Varchar(length=40, default=None)
    details = JSONB(default="{}")
    at = Timestamptz()


class WebhookEndpoint(Table, tablename="webhook_endpoint"):
    id = BigSerial(primary_key=True)
    structure_id = ForeignKey(STRUCTURE, null=False, on_delete=OnDelete.cascade)
    url = Varchar(length=2000, default=None)
    events = Array(Varchar(length=40), default=list)
    secret = Varchar(length=80, default=None)
    active = Boolean(default=True)
    created_by = ForeignKey(USER, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz()


class WebhookDelivery(Table, tablename="webhook_delivery"):
    """One event for one endpoint: its body as signed, and every attempt (status, response, error)."""

    id = BigSerial(primary_key=True)
    endpoint_id = ForeignKey(WebhookEndpoint, null=False, on_delete=OnDelete.cascade)
    event_key = Varchar(length=64, default=None, help_text="Unique per endpoint: one event is delivered once")
    event_type = Varchar(length=40, default=None)
    body = Text(default="")
    status = Varchar(length=10, default="EN_ATTENTE", help_text="EN_ATTENTE | LIVRE | ECHEC")
    attempts = JSONB(default="[]")
    attempt_count = Integer(default=0)
    created_at = Timestamptz()
    delivered_at = Timestamptz(null=True, default=None)


class IdempotentCall(Table, tablename="idempotent_call"):
    """A deposit's `Idempotency-Key`: the same key from the same client answers the first answer again."""

    id = BigSerial(primary_key=True)
    client_id = Varchar(length=64, default=None)
    key = Varchar(length=200, default=None)
    request_sha256 = Varchar(length=64, default=None)
    response = JSONB(default="{}")
    created_at = Timestamptz()
