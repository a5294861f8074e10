"""Support rules with no I/O: who may be impersonated, how long, and what stays blocked meanwhile."""

from __future__ import annotations

import os
from datetime import timedelta

from backend.domain.accounts.identity import Principal


def impersonation_lifetime() -> timedelta:
    return timedelta(minutes=int(os.environ.get("IMPERSONATION_MINUTES", "30")))


# Never allowed while acting as someone, even with actions enabled: the person's own credentials.
ALWAYS_BLOCKED = frozenset({"changer_mot_de_passe", "changer_email", "changer_question_secrete"})
# Blocked unless the agent enabled actions with a second, logged confirmation.
BLOCKED_UNLESS_ENABLED = frozenset({"mandat_facturation", "envoyer_facture", "traiter_facture",
                                    "send_invoice", "process_invoice", "billing_mandate"})
ACTION_LABELS = {
    "changer_mot_de_passe": "changer le mot de passe", "changer_email": "changer l'adresse électronique",
    "changer_question_secrete": "changer la question secrète", "mandat_facturation": "gérer le mandat de facturation",
    "envoyer_facture": "envoyer une facture", "traiter_facture": "traiter une facture",
    "send_invoice": "envoyer une facture", "process_invoice": "traiter une facture", "billing_mandate": "gérer le mandat de facturation",
}


def blocked(principal: Principal, action: str) -> bool:
    if not principal.impersonated:
        return False
    if action in ALWAYS_BLOCKED:
        return True
    return action in BLOCKED_UNLESS_ENABLED and not principal.actions_enabled


def may_impersonate(target: dict) -> str | None:
    """None when allowed, otherwise the refusal code."""
    if target["is_support"] or target["is_admin"]:
        return "cible_protegee"
    if target["status"] != "actif":
        return "compte_inactif"
    return None
