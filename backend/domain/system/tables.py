"""The system slice's one table: the transactional outbox of durable events.

A durable event (one the webhook dispatcher must not miss: backend/infra/events.py DURABLE_TYPES) is
written here in the same transaction as the change that causes it, then relayed to the Redis stream the
dispatcher reads (backend/domain/system/outbox.py). A crash between the commit and Redis leaves the row
unrelayed, and the worker's relay sends it later.
"""

from piccolo.columns import JSONB, Array, BigSerial, Timestamptz, Varchar
from piccolo.table import Table


class OutboxEvent(Table, tablename="outbox_event"):
    """One durable event, committed with its cause and relayed to the durable stream at least once."""

    id = BigSerial(primary_key=True)
    type = Varchar(length=60, default=None, help_text="The event's type, e.g. invoice.status or lot.status.")
    topics = Array(Varchar(length=120), default=list, help_text="The live topics it is published to.")
    data = JSONB(default="{}", help_text="The event's body, as published.")
    created_at = Timestamptz(help_text="When the causing transaction wrote it.")
    relayed_at = Timestamptz(null=True, default=None,
                             help_text="When a relay appended it to the durable stream; NULL until then.")
