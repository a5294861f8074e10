"""Demonstration invoices, so the dashboard, lists and received invoices have something to show."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from backend.domain.invoices import counters
from backend.infra.database import connection

STATUSES = ("MISE_A_DISPOSITION", "MISE_A_DISPOSITION", "SERVICE_FAIT", "MISE_EN_PAIEMENT", "MISE_EN_PAIEMENT", "SUSPENDUE",
            "REFUSEE", "MANDATEE", "BROUILLON", "COMPLETEE")


async def seed_invoices(count: int = 40) -> bool:
    rng = random.Random(2026)
    async with connection() as conn:
        supplier = await conn.fetchval("SELECT id FROM structure WHERE identifier = '73282932000074'")
        if supplier is None or await conn.fetchval("SELECT 1 FROM invoice WHERE supplier_structure_id = $1 LIMIT 1", supplier):
            return False
        recipients = await conn.fetch("SELECT s.id, (SELECT min(id) FROM service WHERE structure_id = s.id) AS service_id "
                                      "FROM structure s WHERE s.is_public AND s.identifier IN ('21670447800017', '11000201100044', '26670005100013')")
        user_id = await conn.fetchval("SELECT id FROM user_account WHERE email = 'fournisseur@demo.chorale.fr'")
        async with conn.transaction():
            for n in range(1, count + 1):
                recipient = rng.choice(recipients)
                status = rng.choice(STATUSES)
                at = datetime.now(UTC) - timedelta(days=rng.randint(1, 500), hours=rng.randint(0, 23))
                ht = Decimal(rng.randint(5_000, 2_500_000)) / 100
                tva = (ht * Decimal("0.2")).quantize(Decimal("0.01"))
                deposited = None if status == "BROUILLON" else at
                row = await conn.fetchrow(
                    """INSERT INTO invoice (supplier_structure_id, recipient_structure_id, recipient_service_id, source, number, number_norm,
                                            invoice_date, total_ht, total_tva, total_ttc, net_a_payer, status, status_at, deposited_at,
                                            created_at, engagement_number, created_by, deposit_number)
                       VALUES ($1, $2, $3, 'PDF', $4::varchar, lower($4::varchar), $5, $6, $7, $8, $8, $9, $10, $11, $10, $12, $13, $14)
                       RETURNING *""",
                    supplier, recipient["id"], recipient["service_id"], f"DEMO-{n:04d}", at.date(), ht, tva, ht + tva, status, at,
                    deposited, f"EJ-{rng.randint(1000, 9999)}", user_id, None if deposited is None else f"DEP-DEMO-{n:04d}")
                await counters.apply(conn, None, dict(row))
    return True
