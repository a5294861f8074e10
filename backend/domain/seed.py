"""Demonstration data for an empty database (demo mode only). Slices append their seeders in order."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

DEMO_PASSWORD = "Chorale-Demo-2026!"
DEMO_LOGINS = ("fournisseur@demo.chorale.fr", "destinataire@demo.chorale.fr", "support@demo.chorale.fr")

SEEDERS: list[Callable[[], Awaitable[bool]]] = []


async def seed_demo() -> list[str]:
    """Run every seeder; each returns True when it wrote something (and does nothing twice)."""
    done = []
    for seeder in SEEDERS:
        if await seeder():
            done.append(seeder.__module__)
    return done
