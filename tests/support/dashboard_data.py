"""Invoices at chosen statuses, inserted directly with their counters kept consistent."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from backend.domain.invoices import counters
from backend.domain.invoices.store import counters as counter_store
from backend.infra.database import connection

_numbers = itertools.count(1)


async def make_invoice(supplier_id: int, recipient_id: int | None, status: str, *, total_ttc: str = "120.00",
                       deposited_days_ago: int | None = 3, number: str | None = None, engagement: str | None = None,
                       recipient_service_id: int | None = None) -> dict:
    deposited = None if deposited_days_ago is None else datetime.now(UTC) - timedelta(days=deposited_days_ago)
    ttc = Decimal(total_ttc)
    ht = (ttc / Decimal("1.2")).quantize(Decimal("0.01"))
    number = number or f"T-{next(_numbers):05d}-{supplier_id}"
    async with connection() as conn:
        async with conn.transaction():
            row = await conn.fetchrow(
                """INSERT INTO invoice (supplier_structure_id, recipient_structure_id, recipient_service_id, source, number, number_norm,
                                        invoice_date, total_ht, total_tva, total_ttc, net_a_payer, status, status_at, deposited_at,
                                        created_at, engagement_number)
                   VALUES ($1, $2, $3, 'PDF', $4::varchar, lower($4::varchar), $5, $6, $7, $8, $8, $9, coalesce($10, now()), $10, coalesce($10, now()), $11)
                   RETURNING *""",
                supplier_id, recipient_id, recipient_service_id, number, (deposited or datetime.now(UTC)).date(), ht, ttc - ht, ttc,
                status, deposited, engagement)
            await counter_store.add(counters.deltas(None, dict(row)))
    return dict(row)
