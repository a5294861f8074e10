"""The per-day invoice counters (`invoice_daily_count`), kept in the transaction that changes an invoice.

Key: (side, structure_id, status, day) where side is 'S' for the supplier structure and 'R' for the
recipient structure (only when one is set), and day is the Paris calendar day of the deposit, or of the
creation for an invoice never deposited. Each row holds how many invoices are in that state and the sum
of their TTC amounts. The dashboard reads them instead of counting invoices.

Every change is written as "remove the invoice as it was, add it as it is": a status change, a draft
edit that changes the amount or the recipient, a deletion — all keep the totals right the same way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo


PARIS = ZoneInfo("Europe/Paris")

Key = tuple[str, int, str, date]


def paris_day(moment: datetime) -> date:
    return moment.astimezone(PARIS).date()


def counter_day(invoice: Mapping[str, Any]) -> date:
    return paris_day(invoice["deposited_at"] or invoice["created_at"])


def keys_of(invoice: Mapping[str, Any]) -> list[Key]:
    day = counter_day(invoice)
    keys: list[Key] = [("S", invoice["supplier_structure_id"], invoice["status"], day)]
    if invoice.get("recipient_structure_id"):
        keys.append(("R", invoice["recipient_structure_id"], invoice["status"], day))
    return keys


def deltas(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> list[tuple[Key, int, Decimal]]:
    """What to add to each counter when an invoice goes from `before` to `after` (None: absent)."""
    totals: dict[Key, list] = defaultdict(lambda: [0, Decimal("0")])
    for invoice, sign in ((before, -1), (after, 1)):
        if invoice is None:
            continue
        amount = Decimal(invoice.get("total_ttc") or 0)
        for key in keys_of(invoice):
            totals[key][0] += sign
            totals[key][1] += sign * amount
    # Sorted keys: two transactions touching the same counters lock them in the same order (no deadlock).
    return [(key, count, amount) for key, (count, amount) in sorted(totals.items()) if count or amount]
