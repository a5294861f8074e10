"""Structures' use cases. The billing mandate (mandat de facturation): required before typing invoices in;
only the gestionnaire principal subscribes or revokes it, with a typed signature that is recorded."""

from __future__ import annotations

import msgspec

from backend.domain.accounts import store as accounts
from backend.domain.accounts.guards import refuse_while_impersonating
from backend.domain.accounts.identity import Principal
from backend.domain.structures import store
from backend.domain.structures.permissions import Action, Reason, Target, require
from backend.infra.database import transaction
from backend.infra.errors import DomainError, Forbidden, NotFound


# The mandate's refusals keep their own words (the structure, the mandate) over the policy's general ones.
_MANDATE_REFUSALS = {
    Reason.NOT_ATTACHED: lambda: NotFound("structure"),
    Reason.NOT_PRINCIPAL: lambda: Forbidden(code="gestionnaire_principal_requis"),
}


async def _require_principal_manager(principal: Principal, structure_id: int) -> None:
    # An intervention's refusal first, whatever the structure (as before: the mandate is never support's to sign unasked).
    refuse_while_impersonating(principal, Action.BILLING_MANDATE)
    await require(principal, Action.BILLING_MANDATE, Target(structure_id), errors=_MANDATE_REFUSALS)


async def mandate_form(principal: Principal, structure_id: int) -> dict:
    """Prefilled values: the structure's postal address and the signatory's name."""
    await _require_principal_manager(principal, structure_id)
    row = await store.structure(structure_id)
    address = ", ".join(p for p in (row.address, row.complement1, f"{row.postcode} {row.city}") if p)
    return {"name": f"Mandat de facturation — {row.raison_sociale}", "postal_address": address, "signatory": principal.display_name}


async def subscribe(principal: Principal, structure_id: int, *, name: str, signed_name: str, accept_terms: bool) -> dict:
    """The mandate signed by the gestionnaire principal. Its postal address and signatory are the
    structure's and the user's (the guide: prefilled, not modifiable), never what a client sends."""
    prefill = await mandate_form(principal, structure_id)
    postal_address, signatory = prefill["postal_address"], prefill["signatory"]
    if not accept_terms:
        raise DomainError('conditions_non_acceptees', "accept_terms")
    for field, value in (("name", name), ("postal_address", postal_address), ("signatory", signatory)):
        if not (value or "").strip():
            raise DomainError('champ_obligatoire', field)
    if " ".join(signed_name.split()).lower() != " ".join(signatory.split()).lower():
        raise DomainError('signature_invalide', "signed_name")
    async with transaction():
        await _require_principal_manager(principal, structure_id)
        if await store.active_mandate(structure_id) is not None:
            raise DomainError('mandat_existant')
        mandate = await store.add_mandate(structure_id, name=name.strip(), postal_address=postal_address.strip(),
                                          signatory=signatory.strip(), signed_name=signed_name.strip(),
                                          signed_by=principal.user_id)
    return msgspec.structs.asdict(mandate)


async def revoke(principal: Principal, structure_id: int) -> None:
    async with transaction():
        await _require_principal_manager(principal, structure_id)
        await store.revoke_mandates(structure_id)


async def active_mandate(structure_id: int) -> dict | None:
    mandate = await store.active_mandate(structure_id)
    return msgspec.structs.asdict(mandate) if mandate else None


async def principal_manager_of(structure_id: int) -> str | None:
    """'First Last (email)' of the structure's gestionnaire principal, None when it has none."""
    manager_id = await store.principal_manager_id(structure_id)
    manager = None if manager_id is None else await accounts.user(manager_id)
    return None if manager is None else f"{manager.first_name} {manager.last_name} ({manager.email})"
