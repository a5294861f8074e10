"""Demonstration structures and users: a supplier, three public recipients with services, support."""

from __future__ import annotations

from backend.domain.accounts import store as accounts
from backend.domain.accounts.services import hash_secret
from backend.domain.seed import DEMO_PASSWORD
from backend.domain.structures import store
from backend.infra.database import transaction
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


async def _structure(fields: dict) -> int:
    return await store.upsert_structure({**fields, "siren": fields["identifier"][:9]})


async def _demo_user(email: str, first_name: str, last_name: str, support: bool, password_hash: str, answer_hash: str) -> int:
    """An account already activated, as if its owner had followed the activation link."""
    user_id = await accounts.create_user(email=email, first_name=first_name, last_name=last_name, lang="fr",
                                         consent_survey=False, purposes=[])
    await accounts.activate(user_id, password_hash=password_hash, secret_question="secret_question.school",
                            secret_answer_hash=answer_hash)
    if support:
        await accounts.set_support(email, True)
    return user_id


async def _demo_users() -> dict[str, int]:
    """The demo users' ids by e-mail."""
    password_hash, answer_hash = hash_secret(DEMO_PASSWORD), hash_secret("jules ferry")
    return {email: await _demo_user(email, first, last, support, password_hash, answer_hash) for email, first, last, support in USERS}


async def seed_structures() -> bool:
    if await accounts.email_taken(USERS[0][0]):
        return False
    async with transaction():
        users = await _demo_users()
        supplier_id = await _structure(SUPPLIER)
        supplier_user = users["fournisseur@demo.chorale.fr"]
        await store.attach(supplier_user, supplier_id, is_principal=True)
        for application in (Application.FACTURES_EMISES, Application.ORGANISATION):
            await store.grant_profile(supplier_user, supplier_id, str(application), str(Level.MODIFICATION))
        for application in DEFAULT_WORKSPACES:
            await store.open_workspace(supplier_user, str(application))
        recipient_user = users["destinataire@demo.chorale.fr"]
        for fields, services in RECIPIENTS:
            structure_id = await _structure(fields)
            for code, libelle in services:
                await store.add_service(structure_id, code, libelle)
            await store.attach(recipient_user, structure_id, is_principal=True)
            await store.grant_profile(recipient_user, structure_id, str(Application.FACTURES_RECUES), str(Level.MODIFICATION))
        await store.open_workspace(recipient_user, str(Application.FACTURES_RECUES))
    return True
