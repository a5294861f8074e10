"""One status change in its own unit of work, for tests that need an invoice at a later status.

`apply_action(invoice_id, action, principal, *, role, reason=None, expected_version=None, extra=None)`
changes one invoice's status through `invoices.unit_of_work.change_invoice` (history, counters, events)
and returns the updated row as a dict (every `invoice` column) plus `status_label_fr`; `extra` sets
other columns (see EXTRA_COLUMNS). It checks no permission: the test acts for `role`.
`principal=None` means the system (routing job).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from backend.domain.accounts.identity import Principal
from backend.domain.invoices.unit_of_work import change_invoice, status_label

# Columns an action may set besides the status (what the flows themselves set alongside one).
EXTRA_COLUMNS = frozenset({
    "payment_date", "paid_amount", "routing_error", "deposited_at", "deposit_number", "content_sha256",
    "recipient_structure_id", "recipient_service_id", "comment",
})


async def apply_action(invoice_id: int, action, principal: Principal | None, *, role, reason: str | None = None,
                       expected_version: int | None = None, extra: Mapping[str, Any] | None = None) -> dict:
    """Apply `action` (a rules.Action or its value) as `role` (a rules.Role or its value); see the module doc."""
    extra = dict(extra or {})
    unknown = set(extra) - EXTRA_COLUMNS
    if unknown:
        raise ValueError(f"apply_action cannot set {sorted(unknown)}")
    async with change_invoice(invoice_id, principal, expected_version=expected_version) as change:
        change.transition(action, role=role, reason=reason)
        change.set(**extra)
    return {**change.result.as_dict(), "status_label_fr": status_label(change.result.status)}
