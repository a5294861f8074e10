"""The outbox's pure rules: what a relayed stream entry holds, and how long relayed rows are kept."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

# A relayed row is kept this long (a trace for support), then purged by the worker's cron.
KEEP_RELAYED_DAYS = 7


def stream_entry(outbox_id: int, event_json: str) -> dict[str, str]:
    """The durable stream's entry for one outbox row: the event as published, and the row it came from."""
    return {"event": event_json, "outbox": str(outbox_id)}


def outbox_id_of(fields: Mapping[bytes | str, bytes | str]) -> int | None:
    """The outbox row a stream entry came from; None for an entry written before the outbox existed."""
    raw = fields.get(b"outbox", fields.get("outbox"))
    if raw is None:
        return None
    text = raw.decode() if isinstance(raw, bytes) else raw
    return int(text) if text.isdigit() else None


def purge_before(now: datetime, keep_days: int = KEEP_RELAYED_DAYS) -> datetime:
    """Rows relayed before this moment may go."""
    if keep_days < 1:
        raise ValueError("relayed events are kept at least a day")
    return now - timedelta(days=keep_days)
