"""The one check other slices call before a sensitive action: refused while support acts as the user."""

from __future__ import annotations

from backend.domain.accounts.identity import Principal
from backend.domain.support.rules import ACTION_LABELS, ALWAYS_BLOCKED, blocked
from backend.infra.errors import Forbidden


def refuse_while_impersonating(principal: Principal | None, action: str) -> None:
    if principal is None or not blocked(principal, action):
        return
    label = ACTION_LABELS.get(action, action)
    hint_fr = "" if action in ALWAYS_BLOCKED else " (activez les actions, avec une seconde confirmation, pour le permettre)"
    raise Forbidden(f"Action bloquée pendant une intervention du support : {label}{hint_fr}.",
                    f"Action blocked while support acts as this user: {label}.", code="bloque_pendant_intervention")
