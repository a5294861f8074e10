"""Organisation changes are closed to support acting as a user (unless actions were enabled with their
second confirmation), and a structure's people and history are invisible from another structure."""

from __future__ import annotations

import pytest

from backend.domain.structures import organisation, structure_files
from backend.infra.errors import ChoraleError
from shared.applications import Application, Level
from tests.api.organisation.test_organisation import mairie_with_manager, principal_of, session_of
from tests.support.factories import attach, make_user


async def _chunks(data: bytes):
    yield data


async def test_support_acting_as_a_manager_changes_nothing_unless_actions_are_enabled(app, client):
    manager, mairie = await mairie_with_manager()
    agent, member = await make_user(), await make_user()
    await attach(member["id"], mairie["id"], profiles={Application.FACTURES_RECUES: Level.CONSULTATION})
    request_id = (await organisation.ask(principal_of(agent), mairie["id"], service_ids=[], comment="Bonjour"))[0]
    support = await make_user(is_support=True)
    acting = principal_of(manager, impersonator_id=support["id"], impersonator_email=support["email"], impersonation_id=1)
    sid = mairie["id"]
    changes = [
        lambda p: organisation.approve(p, request_id, {}),
        lambda p: organisation.refuse(p, request_id, "Non"),
        lambda p: organisation.set_profiles(p, sid, member["id"], {"factures_recues": "modification"}),
        lambda p: organisation.detach(p, sid, member["id"], service_id=None, comment="Départ"),
        lambda p: organisation.hand_over(p, sid, member["id"]),
        lambda p: organisation.attach_user(p, sid, email=agent["email"]),
        lambda p: organisation.update_structure(p, sid, {"city": "Nice"}),
        lambda p: organisation.create_service(p, sid, code="NEW", libelle="Nouveau"),
        lambda p: organisation.switch_workspace(p, "factures_a_valider", True),
        lambda p: organisation.ask(p, sid, service_ids=[], comment="Encore"),
        lambda p: structure_files.add_file(p, sid, _chunks(b"%PDF-1.4\n"), content_length=9, name="kbis.pdf"),
        lambda p: structure_files.delete_file(p, sid, 999_999),
    ]
    for change in changes:
        with pytest.raises(ChoraleError) as blocked:
            await change(acting)
        assert blocked.value.code == "bloque_pendant_intervention"
    assert [r["id"] for r in await organisation.pending(acting, sid)] == [request_id]  # reading stays open
    enabled = principal_of(manager, impersonator_id=support["id"], impersonator_email=support["email"], impersonation_id=1,
                           actions_enabled=True)
    await organisation.set_profiles(enabled, sid, member["id"], {"factures_recues": "modification"})
    journal = await organisation.journal(principal_of(manager), sid)
    assert journal[0]["kind"] == "profils_modifies" and support["email"] in journal[0]["acting_as"]


async def test_another_structure_s_people_requests_and_exports_are_not_found(app, client):
    _, mairie = await mairie_with_manager()
    other_manager, _ = await mairie_with_manager()
    async with session_of(app, other_manager) as http:
        for path in ("users", "requests", "journal", "services", "users/export?format=csv", "files", ""):
            response = await http.get(f"/api/organisation/structures/{mairie['id']}/{path}")
            assert response.status_code == 404, path
