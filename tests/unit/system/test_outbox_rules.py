"""The outbox's pure rules, and the guard that keeps durable events off the publish-after-commit path."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from backend.domain.system import rules
from backend.domain.system.outbox import Outbox
from backend.infra.events import DURABLE_TYPES, publish, publish_in_order


def test_a_relayed_entry_carries_the_event_and_the_outbox_row_it_came_from():
    entry = rules.stream_entry(42, '{"type": "invoice.status"}')
    assert entry == {"event": '{"type": "invoice.status"}', "outbox": "42"}
    assert rules.outbox_id_of({k.encode(): v.encode() for k, v in entry.items()}) == 42  # as Redis returns it
    assert rules.outbox_id_of(entry) == 42


def test_an_entry_from_before_the_outbox_has_no_row():
    assert rules.outbox_id_of({b"event": b"{}"}) is None
    assert rules.outbox_id_of({b"event": b"{}", b"outbox": b"x"}) is None


def test_relayed_rows_are_kept_a_week_then_purged():
    now = datetime(2026, 12, 9, 3, 41, tzinfo=UTC)
    assert rules.purge_before(now) == datetime(2026, 12, 2, 3, 41, tzinfo=UTC)
    assert rules.purge_before(now, keep_days=1) == datetime(2026, 12, 8, 3, 41, tzinfo=UTC)
    with pytest.raises(ValueError):
        rules.purge_before(now, keep_days=0)  # a row relayed a moment ago is a trace support may still need


@pytest.mark.parametrize("type", sorted(DURABLE_TYPES))
async def test_a_durable_event_cannot_be_published_after_the_commit_alone(type):
    with pytest.raises(ValueError, match="outbox"):
        await publish(type, ["structure:1"], {"id": 1})
    with pytest.raises(ValueError, match="outbox"):
        await publish_in_order(type, ["structure:1"], [{"id": 1}])


async def test_a_live_only_event_is_not_written_to_the_outbox():
    with pytest.raises(ValueError, match="live"):
        await Outbox().add("job.progress", ["session:abc"], {})
