"""The billing mandate (mandat de facturation): required before typing invoices in; only the
gestionnaire principal subscribes or revokes it, with a typed signature that is recorded."""

from __future__ import annotations

from backend.domain.accounts.identity import Principal
from backend.infra.database import connection
from backend.infra.errors import ChoraleError, Forbidden, NotFound


async def _require_principal_manager(conn, principal: Principal, structure_id: int) -> None:
    from backend.domain.support.guards import refuse_while_impersonating

    refuse_while_impersonating(principal, "mandat_facturation")
    attached = await conn.fetchrow("SELECT is_principal FROM attachment WHERE user_id = $1 AND structure_id = $2 AND status = 'approuve'",
                                   principal.user_id, structure_id)
    if attached is None:
        raise NotFound("Structure introuvable.", "Organisation not found.")
    if not attached["is_principal"]:
        raise Forbidden("Seul le gestionnaire principal de la structure peut souscrire le mandat de facturation.",
                        "Only the organisation's main manager can subscribe the billing mandate.", code="gestionnaire_principal_requis")


async def mandate_form(principal: Principal, structure_id: int) -> dict:
    """Prefilled values: the structure's postal address and the signatory's name."""
    async with connection() as conn:
        await _require_principal_manager(conn, principal, structure_id)
        row = await conn.fetchrow("SELECT raison_sociale, address, complement1, postcode, city FROM structure WHERE id = $1", structure_id)
    address = ", ".join(p for p in (row["address"], row["complement1"], f"{row['postcode']} {row['city']}") if p)
    return {"name": f"Mandat de facturation — {row['raison_sociale']}", "postal_address": address, "signatory": principal.display_name}


async def subscribe(principal: Principal, structure_id: int, *, name: str, postal_address: str, signatory: str,
                    signed_name: str, accept_terms: bool) -> dict:
    if not accept_terms:
        raise ChoraleError("conditions_non_acceptees", "Acceptez les conditions du mandat pour le souscrire.",
                           "Accept the mandate's terms to subscribe.", field="accept_terms")
    for field, value in (("name", name), ("postal_address", postal_address), ("signatory", signatory)):
        if not (value or "").strip():
            raise ChoraleError("champ_obligatoire", "Ce champ est obligatoire.", "This field is required.", field=field)
    if " ".join(signed_name.split()).lower() != " ".join(signatory.split()).lower():
        raise ChoraleError("signature_invalide", "Pour signer, tapez exactement le nom du signataire.",
                           "To sign, type the signatory's name exactly.", field="signed_name")
    async with connection() as conn:
        async with conn.transaction():
            await _require_principal_manager(conn, principal, structure_id)
            if await conn.fetchval("SELECT 1 FROM billing_mandate WHERE structure_id = $1 AND revoked_at IS NULL", structure_id):
                raise ChoraleError("mandat_existant", "Un mandat de facturation est déjà actif pour cette structure.",
                                   "A billing mandate is already active for this organisation.")
            row = await conn.fetchrow(
                """INSERT INTO billing_mandate (structure_id, name, postal_address, signatory, signed_name, signed_by)
                   VALUES ($1, $2, $3, $4, $5, $6) RETURNING *""",
                structure_id, name.strip(), postal_address.strip(), signatory.strip(), signed_name.strip(), principal.user_id)
    return dict(row)


async def revoke(principal: Principal, structure_id: int) -> None:
    async with connection() as conn:
        async with conn.transaction():
            await _require_principal_manager(conn, principal, structure_id)
            await conn.execute("UPDATE billing_mandate SET revoked_at = now() WHERE structure_id = $1 AND revoked_at IS NULL", structure_id)


async def active_mandate(structure_id: int) -> dict | None:
    async with connection() as conn:
        row = await conn.fetchrow("SELECT * FROM billing_mandate WHERE structure_id = $1 AND revoked_at IS NULL", structure_id)
    return dict(row) if row else None


async def principal_manager_of(structure_id: int) -> str | None:
    async with connection() as conn:
        return await conn.fetchval(
            """SELECT u.first_name || ' ' || u.last_name || ' (' || u.email || ')' FROM attachment a JOIN user_account u ON u.id = a.user_id
               WHERE a.structure_id = $1 AND a.is_principal AND a.status = 'approuve'""", structure_id)
