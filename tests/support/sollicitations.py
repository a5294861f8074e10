"""A supplier's rejected lot (written through the lots store, no worker needed) and request helpers."""

from __future__ import annotations

from backend.domain.lots import rules as lot_rules
from backend.domain.lots import store as lots
from backend.infra.database import transaction


async def rejected_lot(structure_id: int, user_id: int) -> lots.Lot:
    """A lot whose one invoice was rejected for an unknown recipient, as the integration reports it."""
    async with transaction():
        lot = await lots.create_lot(
            structure_id=structure_id, deposit_format="XML_STRUCTURE", syntax="CII", archive_kind="zip", original_name="mars.zip",
            size=10, sha256="0" * 64, storage_key=f"lots/test/{structure_id}x{user_id}", created_by=user_id,
            impersonator_user_id=None, number_of=lot_rules.lot_number,
            entries=[lots.NewEntry("01-facture.xml", "01-facture.xml", 10)])
        entry = (await lots.entries_of(lot.id))[0]
        await lots.mark_rejected(lot.id, entry.id, invoice_number="F-1", anomalies=[
            {"code": "destinataire_inconnu", "message": "Destinataire inconnu.", "message_en": "Unknown recipient."}])
        return await lots.finish(lot.id, lot_rules.LotStatus.REJETE)


async def ask(client, *, path: str = "/", message: str = "Mon lot est rejeté, pourquoi ?", file_ids: list[int] | None = None,
              category: str = "lot", subcategory: str = "rejet"):
    return await client.post("/api/sollicitations", json={"category": category, "subcategory": subcategory, "message": message,
                                                           "path": path, "file_ids": file_ids or []})


async def upload(client, content: bytes, name: str = "capture.png"):
    return await client.post("/api/sollicitations/files", params={"name": name}, content=content,
                             headers={"Content-Type": "application/octet-stream"})
