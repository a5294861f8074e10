"""The structures store against the real database: typed rows, upserts, attachments and mandates."""

from __future__ import annotations

import pytest

from backend.domain.structures import store
from backend.infra.database import connection, transaction
from tests.support.factories import attach, make_structure, make_user, random_siret


def _fields(siret: str, name: str) -> dict:
    return {"identifier": siret, "siren": siret[:9], "raison_sociale": name, "address": "3 quai Kléber", "postcode": "67000",
            "city": "Strasbourg", "is_public": True}


async def test_a_structure_is_found_again_by_its_identifier_and_renamed(client):
    siret = random_siret()
    first = await store.upsert_structure(_fields(siret, "Ville d'essai"))
    again = await store.upsert_structure(_fields(siret, "Ville d'essai renommée"))
    assert again == first
    found = await store.structure(first)
    assert isinstance(found, store.Structure)
    assert (found.identifier, found.raison_sociale, found.is_public, found.country) == (siret, "Ville d'essai renommée", True, "FR")
    assert await store.structure(-1) is None


async def test_a_service_code_is_added_once(client):
    structure = await make_structure(public=True)
    await store.add_service(structure["id"], "ACHATS", "Achats")
    await store.add_service(structure["id"], "ACHATS", "Autre libellé")
    async with connection() as conn:
        rows = await conn.fetch("SELECT libelle FROM service WHERE structure_id = $1", structure["id"])
    assert [r["libelle"] for r in rows] == ["Achats"]


async def test_only_approved_attachments_count_and_the_principal_is_found(client):
    manager, pending_user, other = await make_user(), await make_user(), await make_user()
    structure = await make_structure()
    async with transaction():
        await store.attach(manager["id"], structure["id"], is_principal=True)
        await store.grant_profile(manager["id"], structure["id"], "factures_emises", "modification")
        await store.open_workspace(manager["id"], "factures_emises")
    await attach(pending_user["id"], structure["id"], profiles={})
    async with connection() as conn:
        await conn.execute("UPDATE attachment SET status = 'demande' WHERE user_id = $1", pending_user["id"])
        profile = await conn.fetchrow("SELECT application, level FROM profile WHERE user_id = $1", manager["id"])
        workspace = await conn.fetchval("SELECT active FROM workspace WHERE user_id = $1 AND application = 'factures_emises'",
                                        manager["id"])
    assert dict(profile) == {"application": "factures_emises", "level": "modification"} and workspace is True

    attached = await store.approved_attachment(manager["id"], structure["id"])
    assert isinstance(attached, store.Attachment) and attached.is_principal and attached.service_id is None
    assert await store.approved_attachment(pending_user["id"], structure["id"]) is None
    assert await store.approved_attachment(other["id"], structure["id"]) is None
    assert await store.principal_manager_id(structure["id"]) == manager["id"]
    assert await store.principal_manager_id((await make_structure())["id"]) is None


async def test_a_mandate_is_active_until_revoked_and_one_at_a_time(client):
    user = await make_user()
    structure = await make_structure()
    assert await store.active_mandate(structure["id"]) is None
    mandate = await store.add_mandate(structure["id"], name="Mandat", postal_address="1 rue de la Paix, 75002 Paris",
                                      signatory="Camille Test", signed_name="Camille Test", signed_by=user["id"])
    assert isinstance(mandate, store.BillingMandate) and mandate.revoked_at is None and mandate.signed_by == user["id"]
    assert await store.active_mandate(structure["id"]) == mandate
    with pytest.raises(Exception, match="billing_mandate_active"):
        await store.add_mandate(structure["id"], name="Second", postal_address="x", signatory="y", signed_name="y",
                                signed_by=user["id"])
    await store.revoke_mandates(structure["id"])
    assert await store.active_mandate(structure["id"]) is None
    renewed = await store.add_mandate(structure["id"], name="Nouveau", postal_address="x", signatory="y", signed_name="y",
                                      signed_by=user["id"])
    assert renewed.id != mandate.id


async def test_grants_value_lists_each_attached_structure_with_its_profiles(client):
    user = await make_user()
    structure = await make_structure(name="Structure des droits")
    await attach(user["id"], structure["id"])
    value = await store.grants_value(user["id"])
    # the last element: the levels the services give (none: a whole-structure profile)
    assert value == [[structure["id"], structure["identifier"], "Structure des droits", None, False, "factures_emises",
                      "modification", True, [], False, None]]
    assert await store.grants_value((await make_user())["id"]) == []
