"""Support rules with no I/O: who may be impersonated, and for how long (what stays blocked meanwhile:
`accounts.guards`)."""

from __future__ import annotations

import os
from datetime import timedelta


def impersonation_lifetime() -> timedelta:
    return timedelta(minutes=int(os.environ.get("IMPERSONATION_MINUTES", "30")))


def may_impersonate(target: dict) -> str | None:
    """None when allowed, otherwise the refusal code."""
    if target["is_support"] or target["is_admin"]:
        return "cible_protegee"
    if target["status"] != "actif":
        return "compte_inactif"
    return None
