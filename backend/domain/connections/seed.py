"""Demo mode only: the demo supplier and the demo recipient each get a technical account and an API client,
with fixed credentials listed in the README (never on a real install: seeders run in demo mode only)."""

from __future__ import annotations

from backend.domain.connections import services, store

# The demo structures' SIRETs (backend/domain/structures/seed.py, private to that slice): the supplier, then
# the recipient's Mairie, ministry and hospital.
SUPPLIER = "73282932000074"
RECIPIENTS = ["21670447800017", "11000201100044", "26670005100013"]
DEMO_API_PASSWORD = "Chorale-API-Demo-2026!"
DEMO_CONNECTIONS = [
    {"sirets": [SUPPLIER], "name": "ERP démo fournisseur", "scopes": ["deposit", "search", "process", "directory"],
     "login": "tech-fournisseur@demo.chorale.fr", "client_id": "demo-fournisseur", "secret": "demo-fournisseur-secret-2026"},
    {"sirets": RECIPIENTS, "name": "ERP démo destinataire",
     "scopes": ["search", "process", "directory"], "login": "tech-destinataire@demo.chorale.fr", "client_id": "demo-destinataire",
     "secret": "demo-destinataire-secret-2026"},
]


async def seed_connections() -> bool:
    if await store.api_client(DEMO_CONNECTIONS[0]["client_id"]) is not None:
        return False
    for demo in DEMO_CONNECTIONS:
        await services.provision(demo["sirets"], demo["scopes"], name=demo["name"], login=demo["login"], password=DEMO_API_PASSWORD,
                                 client_id=demo["client_id"], secret=demo["secret"])
    return True
