"""Demonstration structures and users: a supplier, three public recipients with services, support."""

from __future__ import annotations

from backend.domain.accounts.passwords import hash_secret
from backend.domain.seed import DEMO_PASSWORD
from backend.infra.database import connection
from shared.applications import DEFAULT_WORKSPACES, Application, Level

SUPPLIER = {"identifier": "73282932000074", "raison_sociale": "Atelier Démo Fournitures", "address": "12 rue des Artisans",
            "postcode": "67300", "city": "Schiltigheim", "is_public": False}
RECIPIENTS = [
    ({"identifier": "21670447800017", "raison_sociale": "Mairie de Schiltigheim", "address": "110 route de Bischwiller",
      "postcode": "67300", "city": "Schiltigheim", "is_public": True, "requires_service_code": False},
     [("28E", "Service Enfance Jeunesse / Maison du jeune citoyen"), ("SERV-TECH", "Services techniques")]),
    ({"identifier": "11000201100044", "raison_sociale": "Ministère de l'Économie et des Finances",
      "address": "139 rue de Bercy", "postcode": "75012", "city": "Paris", "is_public": True, "requires_engagement": True},
     [("DAF", "Direction des affaires financières"), ("SG-ACHATS", "Secrétariat général — Achats")]),
    ({"identifier": "26670005100013", "raison_sociale": "Centre hospitalier de Haguenau", "address": "64 avenue du Professeur Leriche",
      "postcode": "67500", "city": "Haguenau", "is_public": True, "requires_service_code": True},
     [("PHARMA", "Pharmacie"), ("LOGISTIQUE", "Logistique")]),
]
USERS = [
    ("fournisseur@demo.chorale.fr", "Gwenaël", "Fumoux", False),
    ("destinataire@demo.chorale.fr", "Héloïse", "Ferdinand", False),
    ("support@demo.chorale.fr", "Sacha", "Support", True),
]


async def _structure(conn, fields: dict) -> int:
    fields = {**fields, "siren": fields["identifier"][:9]}
    columns = ", ".join(fields)
    placeholders = ", ".join(f"${i}" for i in range(1, len(fields) + 1))
    return await conn.fetchval(
        f"""INSERT INTO structure ({columns}) VALUES ({placeholders})
            ON CONFLICT (identifier_type, identifier) DO UPDATE SET raison_sociale = EXCLUDED.raison_sociale RETURNING id""",
        *fields.values())


async def seed_structures() -> bool:
    async with connection() as conn:
        if await conn.fetchval("SELECT 1 FROM user_account WHERE email = $1", USERS[0][0]):
            return False
        password_hash = hash_secret(DEMO_PASSWORD)
        async with conn.transaction():
            users = {}
            for email, first, last, support in USERS:
                users[email] = await conn.fetchval(
                    """INSERT INTO user_account (email, first_name, last_name, status, password_hash, is_support, activated_at,
                                                 secret_question, secret_answer_hash)
                       VALUES ($1, $2, $3, 'actif', $4, $5, now(), 'Nom de votre première école ?', $6) RETURNING id""",
                    email, first, last, password_hash, support, hash_secret("jules ferry"))
            supplier_id = await _structure(conn, SUPPLIER)
            supplier_user = users["fournisseur@demo.chorale.fr"]
            await conn.execute("INSERT INTO attachment (user_id, structure_id, is_principal) VALUES ($1, $2, TRUE)", supplier_user, supplier_id)
            for application in (Application.FACTURES_EMISES, Application.ORGANISATION):
                await conn.execute("INSERT INTO profile (user_id, structure_id, application, level) VALUES ($1, $2, $3, 'modification')",
                                   supplier_user, supplier_id, str(application))
            for application in DEFAULT_WORKSPACES:
                await conn.execute("INSERT INTO workspace (user_id, application) VALUES ($1, $2)", supplier_user, str(application))
            recipient_user = users["destinataire@demo.chorale.fr"]
            for fields, services in RECIPIENTS:
                structure_id = await _structure(conn, fields)
                for code, libelle in services:
                    await conn.execute("INSERT INTO service (structure_id, code, libelle) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                                       structure_id, code, libelle)
                await conn.execute("INSERT INTO attachment (user_id, structure_id, is_principal) VALUES ($1, $2, TRUE)",
                                   recipient_user, structure_id)
                await conn.execute("INSERT INTO profile (user_id, structure_id, application, level) VALUES ($1, $2, $3, $4)",
                                   recipient_user, structure_id, str(Application.FACTURES_RECUES), str(Level.MODIFICATION))
            await conn.execute("INSERT INTO workspace (user_id, application) VALUES ($1, $2)", recipient_user,
                               str(Application.FACTURES_RECUES))
    return True
