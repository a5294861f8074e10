"""Demonstration invoices, so the dashboard, lists and received invoices have something to show."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from backend.domain.accounts import store as accounts_store
from backend.domain.invoices.store import listing
from backend.domain.invoices.unit_of_work import atomic, create_invoice
from backend.domain.structures import store as structures_store

SUPPLIER = "73282932000074"
RECIPIENTS = ("21670447800017", "11000201100044", "26670005100013")
STATUSES = ("MISE_A_DISPOSITION", "MISE_A_DISPOSITION", "SERVICE_FAIT", "MISE_EN_PAIEMENT", "MISE_EN_PAIEMENT", "SUSPENDUE",
            "REFUSEE", "MANDATEE", "BROUILLON", "COMPLETEE")


async def _recipients() -> list[tuple[int, int | None]]:
    """The demo's public recipients, each with its first service."""
    found = []
    for identifier in RECIPIENTS:
        structure = await structures_store.invoicing_party_by_siret(identifier)
        if structure and structure.is_public:
            services = await structures_store.services_of_structure(structure.id, active_only=False)
            found.append((structure.id, min((s.id for s in services), default=None)))
    return found


async def seed_invoices(count: int = 40) -> bool:
    rng = random.Random(2026)
    supplier_id = await structures_store.structure_id_by_siret(SUPPLIER)
    if supplier_id is None or await listing.supplier_has_invoices(supplier_id):
        return False
    recipients = await _recipients()
    supplier_user = await accounts_store.user_by_email("fournisseur@demo.chorale.fr")
    user_id = supplier_user and supplier_user.id
    async with atomic():  # all the demo invoices or none; their events once committed
        for n in range(1, count + 1):
            recipient_id, service_id = rng.choice(recipients)
            status = rng.choice(STATUSES)
            at = datetime.now(UTC) - timedelta(days=rng.randint(1, 500), hours=rng.randint(0, 23))
            ht = Decimal(rng.randint(5_000, 2_500_000)) / 100
            tva = (ht * Decimal("0.2")).quantize(Decimal("0.01"))
            deposited = None if status == "BROUILLON" else at
            number = f"DEMO-{n:04d}"
            async with create_invoice(None, supplier_structure_id=supplier_id, recipient_structure_id=recipient_id,
                                      recipient_service_id=service_id, source="PDF", number=number, number_norm=number.lower(),
                                      invoice_date=at.date(), total_ht=ht, total_tva=tva, total_ttc=ht + tva, net_a_payer=ht + tva,
                                      status=status, status_at=at, deposited_at=deposited, created_at=at,
                                      engagement_number=f"EJ-{rng.randint(1000, 9999)}", created_by=user_id,
                                      deposit_number=None if deposited is None else f"DEP-DEMO-{n:04d}"):
                pass
    return True
