"""Organisation routes against the real PostgreSQL and Redis: attachment requests, Approbations,
habilitations, detachment, handover, workspaces; each route for each kind of principal."""

from __future__ import annotations

import asyncio
import contextlib

import httpx
import pytest

from backend.domain.accounts.identity import Principal
from backend.domain.structures import organisation
from backend.infra.database import connection
from backend.infra.errors import ChoraleError
from backend.infra.events import get_hub
from shared.applications import Application, Level
from tests.conftest import BASE_URL, BROWSER_HEADERS
from tests.support.factories import attach, login, make_structure, make_user


@contextlib.asynccontextmanager
async def session_of(app, user: dict):
    """An HTTP client logged in as `user`, with its own cookies."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE_URL, headers=BROWSER_HEADERS) as http:
        await login(http, user["email"], user["password"])
        yield http


def principal_of(user: dict, **extra) -> Principal:
    return Principal(user_id=user["id"], email=user["email"], display_name=user["first_name"], **extra)


async def mairie_with_manager(services=(("COMPTA", "Comptabilité"), ("TECH", "Services techniques"))):
    manager = await make_user()
    structure = await make_structure(public=True, services=services)
    await attach(manager["id"], structure["id"], principal=True, profiles={
        Application.ORGANISATION: Level.MODIFICATION, Application.FACTURES_RECUES: Level.MODIFICATION})
    return manager, structure


async def mails_to(address: str) -> list[dict]:
    async with connection() as conn:
        return [dict(r) for r in await conn.fetch("SELECT * FROM mail_outbox WHERE to_address = $1 ORDER BY id", address)]


async def test_a_service_level_request_is_approved_with_received_invoices_on_that_service_only(app, client):
    manager, mairie = await mairie_with_manager()
    compta, tech = mairie["services"]
    agent = await make_user()
    async with session_of(app, agent) as http:
        missing = await http.post("/api/me/attachments", json={"structure_id": mairie["id"], "service_ids": [compta["id"]], "comment": " "})
        assert missing.status_code == 400 and missing.json()["code"] == "commentaire_obligatoire"
        asked = await http.post("/api/me/attachments", json={"structure_id": mairie["id"], "service_ids": [compta["id"]],
                                                             "comment": "Je travaille à la comptabilité"})
        assert asked.status_code == 201, asked.text
        again = await http.post("/api/me/attachments", json={"structure_id": mairie["id"], "service_ids": [compta["id"]],
                                                             "comment": "Encore"})
        assert again.status_code == 400 and again.json()["code"] == "demande_existante"
    # the gestionnaire hears of it
    assert any("demande à être rattaché" in m["body_text"] and "COMPTA" in m["body_text"] for m in await mails_to(manager["email"]))
    async with session_of(app, manager) as http:
        pending = (await http.get(f"/api/organisation/structures/{mairie['id']}/requests")).json()
        assert [(r["user"]["email"], r["service_code"], r["comment"]) for r in pending] == [
            (agent["email"], "COMPTA", "Je travaille à la comptabilité")]
        approved = await http.post(f"/api/organisation/requests/{pending[0]['id']}/approve",
                                   json={"profiles": {"factures_recues": "modification"}})
        assert approved.status_code == 200, approved.text
        users = (await http.get(f"/api/organisation/structures/{mairie['id']}/users")).json()
        row = next(u for u in users if u["email"] == agent["email"])
        # the profile is the service's own: the guide's table shows it on the service's line
        assert row["services"] == [{"id": compta["id"], "code": "COMPTA", "active": True, "profiles": {"factures_recues": "modification"}}]
        assert row["profiles"] == {}
    from backend.domain.structures.permissions import access_to

    ref = await access_to(principal_of(agent), mairie["id"], Application.FACTURES_RECUES)
    assert ref.level == Level.MODIFICATION and ref.service_ids == (compta["id"],) and tech["id"] not in ref.service_ids
    assert ref.service_levels == ((compta["id"], Level.MODIFICATION),)
    assert any("a été validée" in m["body_text"] for m in await mails_to(agent["email"]))
    async with session_of(app, agent) as http:
        mine = (await http.get("/api/me/attachments")).json()
        assert [(r["service_code"], r["status"]) for r in mine] == [("COMPTA", "approuve")]


async def test_refusal_needs_a_reason_and_mails_only_users_who_want_it(app, client):
    manager, mairie = await mairie_with_manager()
    agent = await make_user()
    quiet = await make_user()
    async with connection() as conn:
        await conn.execute("UPDATE user_account SET notify_all = false, notify_billing = false WHERE id = $1", quiet["id"])
    ids = {}
    for user in (agent, quiet):
        ids[user["id"]] = (await organisation.ask(principal_of(user), mairie["id"], service_ids=[], comment="Agent"))[0]
    async with session_of(app, manager) as http:
        no_reason = await http.post(f"/api/organisation/requests/{ids[agent['id']]}/refuse", json={"reason": "  "})
        assert no_reason.status_code == 400 and no_reason.json()["field"] == "reason"
        for user in (agent, quiet):
            refused = await http.post(f"/api/organisation/requests/{ids[user['id']]}/refuse", json={"reason": "Inconnu du service"})
            assert refused.status_code == 200, refused.text
        twice = await http.post(f"/api/organisation/requests/{ids[agent['id']]}/refuse", json={"reason": "Encore"})
        assert twice.status_code == 404
    assert any("Motif : Inconnu du service" in m["body_text"] for m in await mails_to(agent["email"]))
    assert not await mails_to(quiet["email"])
    mine = await organisation.my_requests(principal_of(agent))
    assert [(r["status"], r["decision_comment"]) for r in mine] == [("detache", "Inconnu du service")]


async def test_each_route_answers_each_kind_of_principal(app, client):
    """Strangers get 404, Organisation consultation reads but gets 403 on changes, modification changes,
    support acting as the manager without enabled actions gets 403."""
    manager, mairie = await mairie_with_manager()
    reader, stranger, member = await make_user(), await make_user(), await make_user()
    await attach(reader["id"], mairie["id"], profiles={Application.ORGANISATION: Level.CONSULTATION})
    await attach(member["id"], mairie["id"], profiles={Application.FACTURES_RECUES: Level.CONSULTATION})
    request_id = (await organisation.ask(principal_of(stranger), mairie["id"], service_ids=[], comment="Bonjour"))[0]
    sid = mairie["id"]
    reads = [f"/api/organisation/structures/{sid}/requests", f"/api/organisation/structures/{sid}/users",
             f"/api/organisation/structures/{sid}/journal"]
    writes = [(f"/api/organisation/requests/{request_id}/approve", {"profiles": {}}),
              (f"/api/organisation/requests/{request_id}/refuse", {"reason": "Non"}),
              (f"/api/organisation/structures/{sid}/users/{member['id']}/profiles", {"profiles": {"factures_recues": "modification"}}),
              (f"/api/organisation/structures/{sid}/users/{member['id']}/detach", {"comment": "Départ"}),
              (f"/api/organisation/structures/{sid}/principal", {"user_id": member["id"]})]
    outsider = await make_user()
    async with session_of(app, outsider) as http:
        for path in reads:
            assert (await http.get(path)).status_code == 404, path
        for path, body in writes:
            assert (await http.post(path, json=body)).status_code == 404, path
    async with session_of(app, reader) as http:
        for path in reads:
            assert (await http.get(path)).status_code == 200, path
        for path, body in writes:
            assert (await http.post(path, json=body)).status_code == 403, path
    async with session_of(app, member) as http:  # attached, no Organisation profile
        assert (await http.get(reads[0])).status_code == 403
    acting = principal_of(manager, impersonator_id=stranger["id"], impersonator_email=stranger["email"], impersonation_id=1)
    with pytest.raises(ChoraleError) as blocked:
        await organisation.set_profiles(acting, sid, member["id"], {"factures_recues": "modification"})
    assert blocked.value.code == "bloque_pendant_intervention"
    async with session_of(app, manager) as http:
        changed = await http.post(writes[2][0], json=writes[2][1])
        assert changed.status_code == 200
        journal = (await http.get(reads[2])).json()
        assert journal[0]["kind"] == "profils_modifies" and journal[0]["details"]["after"] == {"factures_recues": "modification"}
        assert journal[0]["details"]["before"] == {"factures_recues": "consultation"}
        bad = await http.post(writes[2][0], json={"profiles": {"inconnue": "modification"}})
        assert bad.status_code == 400 and bad.json()["code"] == "application_inconnue"


async def test_the_principal_manager_is_kept_and_can_hand_over(app, client):
    manager, mairie = await mairie_with_manager()
    colleague = await make_user()
    await attach(colleague["id"], mairie["id"], profiles={Application.FACTURES_RECUES: Level.MODIFICATION})
    me = principal_of(manager)
    with pytest.raises(ChoraleError) as kept:
        await organisation.set_profiles(me, mairie["id"], manager["id"], {"organisation": "consultation"})
    assert kept.value.code == "gestionnaire_principal"
    with pytest.raises(ChoraleError) as not_detached:
        await organisation.detach(me, mairie["id"], manager["id"], service_id=None, comment="Je pars")
    assert not_detached.value.code == "gestionnaire_principal"
    await organisation.hand_over(me, mairie["id"], colleague["id"])
    from backend.domain.structures import store

    assert await store.principal_manager_id(mairie["id"]) == colleague["id"]
    assert (await store.profiles_on(mairie["id"]))[colleague["id"]]["organisation"] == "modification"
    await organisation.detach(principal_of(colleague), mairie["id"], manager["id"], service_id=None, comment="Départ")
    assert manager["id"] not in (await store.profiles_on(mairie["id"]))


async def test_detaching_tells_every_open_page_of_that_user_at_once(app, client):
    manager, mairie = await mairie_with_manager()
    agent = await make_user()
    await attach(agent["id"], mairie["id"], profiles={Application.FACTURES_RECUES: Level.MODIFICATION})
    async with get_hub().listen([f"user:{agent['id']}"]) as queue:
        await organisation.detach(principal_of(manager), mairie["id"], agent["id"], service_id=None, comment="Fin de contrat")
        event = await asyncio.wait_for(queue.get(), 5)
    assert event.type == "access.changed"
    from backend.domain.structures.permissions import access_to

    assert await access_to(principal_of(agent), mairie["id"], Application.FACTURES_RECUES) is None
    with pytest.raises(ChoraleError) as no_comment:
        await organisation.detach(principal_of(manager), mairie["id"], agent["id"], service_id=None, comment="")
    assert no_comment.value.code == "commentaire_obligatoire"


async def test_switching_a_workspace_on_gives_the_principal_manager_its_profile(app, client):
    company = await make_structure()
    boss, employee = await make_user(), await make_user()
    await attach(boss["id"], company["id"], principal=True, profiles={Application.FACTURES_EMISES: Level.MODIFICATION})
    await attach(employee["id"], company["id"], profiles={Application.FACTURES_EMISES: Level.MODIFICATION})
    for user in (boss, employee):
        async with session_of(app, user) as http:
            switched = await http.post("/api/me/workspaces/factures_a_valider", json={"active": True})
            assert switched.status_code == 200, switched.text
    from backend.domain.structures.permissions import access_to

    ref = await access_to(principal_of(boss), company["id"], Application.FACTURES_A_VALIDER)
    assert ref is not None and ref.level == Level.MODIFICATION
    # only the gestionnaire principal: an employee's workspace grants nothing on its own
    assert await access_to(principal_of(employee), company["id"], Application.FACTURES_A_VALIDER) is None
    assert "factures_a_valider" in await organisation.navigation_applications(principal_of(employee))
    async with session_of(app, boss) as http:
        unknown = await http.post("/api/me/workspaces/inconnu", json={"active": True})
        assert unknown.status_code == 400 and unknown.json()["code"] == "espace_inconnu"


async def test_an_invoice_waiting_in_a_workspace_that_is_off_is_announced(app, client):
    company = await make_structure()
    boss = await make_user()
    await attach(boss["id"], company["id"], principal=True, profiles={Application.FACTURES_EMISES: Level.MODIFICATION})
    told = await organisation.validation_waiting(company["id"], "factures_a_valider", "F-77")
    assert [u for u, _ in told] == [boss["id"]] and "/mon-compte?espace=factures_a_valider" in told[0][1]
    assert any("F-77" in m["body_text"] for m in await mails_to(boss["email"]))
    await organisation.switch_workspace(principal_of(boss), "factures_a_valider", True)
    assert await organisation.validation_waiting(company["id"], "factures_a_valider", "F-78") == []


async def test_a_gestionnaire_attaches_directly_an_account_or_invites_an_address(app, client):
    manager, mairie = await mairie_with_manager()
    compta = mairie["services"][0]
    existing = await make_user()
    path = f"/api/organisation/structures/{mairie['id']}/users"
    async with session_of(app, manager) as http:
        bad = await http.post(path, json={"email": "pas-une-adresse"})
        assert bad.status_code == 400 and bad.json()["field"] == "email"
        done = await http.post(path, json={"email": existing["email"].upper(), "service_ids": [compta["id"]],
                                           "profiles": {"factures_recues": "consultation"}})
        assert done.status_code == 201 and done.json() == {"user_id": existing["id"], "invited": False}
        again = await http.post(path, json={"email": existing["email"], "service_ids": [compta["id"]]})
        assert again.status_code == 400 and again.json()["code"] == "deja_rattache"
        address = f"nouvelle-{existing['id']}@test.chorale.fr"
        nameless = await http.post(path, json={"email": address})
        assert nameless.status_code == 400 and nameless.json()["code"] == "nom_obligatoire"
        invited = await http.post(path, json={"email": address, "first_name": "Nina", "last_name": "Nouvelle",
                                              "profiles": {"factures_recues": "modification"}})
        assert invited.status_code == 201 and invited.json()["invited"] is True
        users = {u["email"]: u for u in (await http.get(path)).json()}
        assert users[existing["email"]]["services"][0]["code"] == "COMPTA"
        assert users[address]["status"] == "en_attente" and users[address]["profiles"] == {"factures_recues": "modification"}
    assert any("/activation/" in m["body_text"] for m in await mails_to(address))
    assert any("rattaché(e)" in m["body_text"] for m in await mails_to(existing["email"]))
    async with session_of(app, existing) as http:  # a member without Organisation cannot attach anyone
        assert (await http.post(path, json={"email": "x@test.chorale.fr", "first_name": "X", "last_name": "Y"})).status_code == 403


async def test_a_user_may_process_one_service_s_invoices_and_only_read_another_s(app, client):
    """The level is per service where the rattachement is at service level (the guide's table: Service,
    Profil): modification on COMPTA, consultation on TECH, of the same structure."""
    from tests.support.dashboard_data import make_invoice

    manager, mairie = await mairie_with_manager()
    compta, tech = mairie["services"]
    supplier = await make_structure()
    on_compta = await make_invoice(supplier["id"], mairie["id"], "MISE_A_DISPOSITION", recipient_service_id=compta["id"])
    on_tech = await make_invoice(supplier["id"], mairie["id"], "MISE_A_DISPOSITION", recipient_service_id=tech["id"])
    agent = await make_user()
    ids = await organisation.ask(principal_of(agent), mairie["id"], service_ids=[compta["id"], tech["id"]], comment="Deux services")
    async with session_of(app, manager) as http:
        pending = {r["service_code"]: r["id"] for r in (await http.get(f"/api/organisation/structures/{mairie['id']}/requests")).json()}
        assert sorted(pending.values()) == sorted(ids)
        for code, level in (("COMPTA", "modification"), ("TECH", "consultation")):
            assert (await http.post(f"/api/organisation/requests/{pending[code]}/approve",
                                    json={"profiles": {"factures_recues": level}})).status_code == 200
        row = next(u for u in (await http.get(f"/api/organisation/structures/{mairie['id']}/users")).json() if u["id"] == agent["id"])
        assert {s["code"]: s["profiles"] for s in row["services"]} == {"COMPTA": {"factures_recues": "modification"},
                                                                       "TECH": {"factures_recues": "consultation"}}
    suspend = {"action": "SUSPEND", "reason": "Pièce manquante"}
    async with session_of(app, agent) as http:
        compta_view = (await http.get(f"/api/received-invoices/{on_compta['id']}")).json()
        tech_view = (await http.get(f"/api/received-invoices/{on_tech['id']}")).json()
        assert "SUSPEND" in [a["action"] for a in compta_view["actions"]]
        assert tech_view["actions"] == [], "consultation on TECH: read, never process"
        refused = await http.post(f"/api/received-invoices/{on_tech['id']}/actions", json=suspend)
        assert refused.status_code == 403 and refused.json()["code"] == "profil_consultation"
        assert (await http.post(f"/api/received-invoices/{on_compta['id']}/actions", json=suspend)).status_code == 200
    # the gestionnaire raises TECH to modification from the habilitations (that service's line only)
    async with session_of(app, manager) as http:
        raised = await http.post(f"/api/organisation/structures/{mairie['id']}/users/{agent['id']}/profiles",
                                 json={"profiles": {"factures_recues": "modification"}, "service_id": tech["id"]})
        assert raised.status_code == 200, raised.text
        outside = await http.post(f"/api/organisation/structures/{mairie['id']}/users/{manager['id']}/profiles",
                                  json={"profiles": {"factures_recues": "modification"}, "service_id": tech["id"]})
        assert outside.status_code == 404, "the manager is attached to the whole structure, not to TECH"
        journal = (await http.get(f"/api/organisation/structures/{mairie['id']}/journal")).json()
        assert journal[0]["kind"] == "profils_modifies" and journal[0]["details"]["service_id"] == tech["id"]
    async with session_of(app, agent) as http:
        assert "SUSPEND" in [a["action"] for a in (await http.get(f"/api/received-invoices/{on_tech['id']}")).json()["actions"]]
    # detached from TECH, its own level goes with it; COMPTA keeps its own
    await organisation.detach(principal_of(manager), mairie["id"], agent["id"], service_id=tech["id"], comment="Mutation")
    async with session_of(app, agent) as http:
        assert (await http.get(f"/api/received-invoices/{on_tech['id']}")).status_code == 404
        assert (await http.get(f"/api/received-invoices/{on_compta['id']}")).status_code == 200
    async with connection() as conn:
        assert await conn.fetchval("SELECT count(*) FROM profile WHERE user_id = $1 AND service_id = $2", agent["id"], tech["id"]) == 0


async def test_every_organisation_modification_holder_sees_the_requests_to_decide_in_mon_compte(app):
    """Mon compte lists (and links to) the requests the policy lets the user decide: the gestionnaire
    principal's and any other holder of « Organisation modification »; not « Organisation consultation »."""
    manager, mairie = await mairie_with_manager()
    deputy, reader, agent = await make_user(), await make_user(), await make_user()
    await attach(deputy["id"], mairie["id"], profiles={Application.ORGANISATION: Level.MODIFICATION})
    await attach(reader["id"], mairie["id"], profiles={Application.ORGANISATION: Level.CONSULTATION})
    async with session_of(app, agent) as http:
        asked = await http.post("/api/me/attachments", json={"structure_id": mairie["id"], "comment": "Je rejoins la mairie"})
        assert asked.status_code == 201, asked.text
    for user, expected in ((manager, [agent["email"]]), (deputy, [agent["email"]]), (reader, [])):
        async with session_of(app, user) as http:
            me = await http.get("/api/accounts/me")
            assert me.status_code == 200, me.text
            assert [r["email"] for r in me.json()["attachment_requests"]] == expected
