"""`invoice_daily_count`: the per-day counters, moved by deltas inside the transaction that changes an
invoice (what to move is decided by `invoices.counters.deltas`; the monthly roll-up follows by trigger)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from backend.domain.invoices.tables import InvoiceDailyCount

Key = tuple[str, int, str, date]

# Raw: an ON CONFLICT upsert adding to the existing counts, which the query builder cannot say.
_UPSERT = """
INSERT INTO invoice_daily_count (side, structure_id, status, day, count, amount_ttc)
SELECT * FROM unnest({}::char(1)[], {}::bigint[], {}::varchar[], {}::date[], {}::integer[], {}::numeric[])
ON CONFLICT (side, structure_id, status, day) DO UPDATE
SET count = invoice_daily_count.count + EXCLUDED.count,
    amount_ttc = invoice_daily_count.amount_ttc + EXCLUDED.amount_ttc
"""


async def add(deltas: Iterable[tuple[Key, int, Decimal]]) -> None:
    """Add each (key, count, amount) to its counter, creating it at zero first. Keys must come sorted
    (as `counters.deltas` gives them) so concurrent changes lock the same rows in the same order."""
    rows = [(*key, count, amount) for key, count, amount in deltas]
    if rows:
        # One statement for every key; unnest keeps the rows in the given (sorted) order.
        await InvoiceDailyCount.raw(_UPSERT, *(list(column) for column in zip(*rows)))
