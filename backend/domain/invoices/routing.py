"""Routing a deposited invoice to its recipient (the job run after « Valider et envoyer »).

DEPOSEE → EN_COURS_ACHEMINEMENT → MISE_A_DISPOSITION (or the holder's / works validations, by cadre),
or ERREUR_ACHEMINEMENT when the recipient can no longer receive invoices, or A_RECYCLER when only the
recipient's service is wrong (the supplier corrects it and sends again). Idempotent: a re-run moves an
invoice only from where it stands, and a move someone else already made is left alone.
"""

from __future__ import annotations

import logging

from backend.domain.invoices import rules
from backend.domain.invoices.lifecycle import apply_action
from backend.infra.database import connection
from backend.infra.errors import ChoraleError
from shared.invoice_status import InvoiceStatus

log = logging.getLogger(__name__)


async def routing_problem(conn, invoice) -> tuple[rules.Action, str] | None:
    """(action, reason) when the invoice cannot be made available as it is, else None."""
    recipient = await conn.fetchrow("SELECT * FROM structure WHERE id = $1", invoice["recipient_structure_id"])
    if recipient is None or not recipient["active"] or not recipient["is_public"]:
        name = f"{recipient['raison_sociale']} ({recipient['identifier']})" if recipient else "inconnu"
        return rules.Action.ROUTING_ERROR, f"Le destinataire {name} n'est plus actif sur Chorale : la facture ne peut pas lui être acheminée."
    if invoice["recipient_service_id"]:
        service = await conn.fetchrow("SELECT code, active FROM service WHERE id = $1", invoice["recipient_service_id"])
        if service is None or not service["active"]:
            code = service["code"] if service else "?"
            return rules.Action.RECYCLE, (f"Le service {code} du destinataire est inactif depuis le dépôt : "
                                          "corrigez le code service et renvoyez la facture.")
    elif recipient["requires_service_code"]:
        return rules.Action.RECYCLE, "Le destinataire exige désormais un code service : complétez-le et renvoyez la facture."
    return None


async def route_invoice(invoice_id: int) -> str:
    """Route one invoice; returns the status it ends in (or 'absent')."""
    async with connection() as conn:
        invoice = await conn.fetchrow("SELECT * FROM invoice WHERE id = $1", invoice_id)
    if invoice is None:
        return "absent"
    try:
        if invoice["status"] == InvoiceStatus.DEPOSEE:
            invoice = await apply_action(invoice_id, rules.Action.ROUTE, None, role=rules.Role.SYSTEM,
                                         expected_version=invoice["version"])
        if invoice["status"] != InvoiceStatus.EN_COURS_ACHEMINEMENT:
            return invoice["status"]
        async with connection() as conn:
            problem = await routing_problem(conn, invoice)
        if problem is None:
            invoice = await apply_action(invoice_id, rules.Action.MAKE_AVAILABLE, None, role=rules.Role.SYSTEM,
                                         expected_version=invoice["version"])
        else:
            action, reason = problem
            invoice = await apply_action(invoice_id, action, None, role=rules.Role.SYSTEM, reason=reason,
                                         expected_version=invoice["version"], extra={"routing_error": reason})
            from backend.domain.processing.services import notify_supplier

            await notify_supplier(invoice, action, reason)
    except ChoraleError as error:
        if error.code in ("deja_traitee", "transition_interdite"):
            log.info("invoice %s was moved by someone else during routing", invoice_id)
            return "deja_traitee"
        raise
    return invoice["status"]


async def pending_routing(older_than_seconds: float = 60) -> list[int]:
    """Invoices the database says are waiting for routing (for the reconciler)."""
    async with connection() as conn:
        rows = await conn.fetch(
            """SELECT id FROM invoice WHERE status IN ('DEPOSEE', 'EN_COURS_ACHEMINEMENT')
               AND status_at < now() - make_interval(secs => $1) ORDER BY status_at LIMIT 500""", older_than_seconds)
    return [r["id"] for r in rows]
