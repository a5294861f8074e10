"""Demonstration data for an empty database (demo mode only).

SEEDERS lists the slices' seeders in order, as "module:function" paths (imported only when seeding, so
a slice's seed module may import the demo constants below). Each returns True when it wrote something
and does nothing the second time.
"""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable

DEMO_PASSWORD = "Chorale-Demo-2026!"
DEMO_LOGINS = ("fournisseur@demo.chorale.fr", "destinataire@demo.chorale.fr", "support@demo.chorale.fr")

SEEDERS: list[str | Callable[[], Awaitable[bool]]] = [
    "backend.domain.directory.seed:seed_directory",
    "backend.domain.structures.seed:seed_structures",
    "backend.domain.dashboard.seed:seed_invoices",
    "backend.domain.connections.seed:seed_connections",
]


def _resolve(seeder: str | Callable[[], Awaitable[bool]]) -> Callable[[], Awaitable[bool]]:
    if callable(seeder):
        return seeder
    module, _, name = seeder.partition(":")
    return getattr(importlib.import_module(module), name)


async def seed_demo() -> list[str]:
    done = []
    for seeder in SEEDERS:
        function = _resolve(seeder)
        if await function():
            done.append(f"{function.__module__}.{function.__name__}")
    return done
