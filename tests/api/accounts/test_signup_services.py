"""Sign-up on a structure already registered, asking for some of its services (the guide's « maille
service »): the request the gestionnaire approves carries them, and approval grants at service level; a
service that is not one of the structure's active ones is refused and nothing is written."""

from __future__ import annotations

import pytest

from backend.infra.database import connection
from tests.api.accounts.test_signup import STRONG, count, establishment, form
from tests.api.organisation.test_organisation import mails_to, session_of
from tests.support.accounts import last_mail, link_in
from tests.support.factories import attach, make_structure, make_user
from shared.applications import Application, Level


async def registered_mairie(services=(("COMPTA", "Comptabilité"), ("TECH", "Services techniques"), ("ARCH", "Archives"))):
    """A mairie registered under a SIRET of the directory, its gestionnaire principal, and its services
    (the last one closed)."""
    siret = await establishment(public=True)
    structure = await make_structure(public=True, siret=siret, services=services)
    manager = await make_user()
    await attach(manager["id"], structure["id"], principal=True, profiles={
        Application.ORGANISATION: Level.MODIFICATION, Application.FACTURES_RECUES: Level.MODIFICATION})
    async with connection() as conn:
        await conn.execute("UPDATE service SET active = false WHERE id = $1", structure["services"][-1]["id"])
    return siret, structure, manager


async def requests_of(email: str) -> list[tuple[int | None, str]]:
    async with connection() as conn:
        rows = await conn.fetch("""SELECT a.service_id, a.status FROM attachment a JOIN user_account u ON u.id = a.user_id
                                   WHERE u.email = $1 ORDER BY a.service_id""", email)
    return [(r["service_id"], r["status"]) for r in rows]


async def activate(client, email: str) -> None:
    token = link_in((await last_mail(email))["body_text"], "/activation/").rsplit("/", 1)[1]
    answer = await client.post("/api/accounts/activate", json={"token": token, "password": STRONG, "confirmation": STRONG,
                                                                "secret_question": "Nom de votre premier animal ?", "secret_answer": "Rex"})
    assert answer.status_code == 200, answer.text


async def test_the_registered_structure_offers_its_active_services_only(client):
    siret, structure, _ = await registered_mairie()
    compta, tech, _closed = structure["services"]
    shown = (await client.post("/api/accounts/registered-structure", json={"identifier_type": "SIRET", "identifier": siret})).json()
    assert shown["services"] == [{"id": compta["id"], "code": "COMPTA", "libelle": "Comptabilité"},
                                 {"id": tech["id"], "code": "TECH", "libelle": "Services techniques"}]


async def test_a_sign_up_asking_for_a_service_is_approved_at_that_service_level(app, client):
    siret, structure, manager = await registered_mairie()
    compta, tech, _closed = structure["services"]
    body = await form(client, siret, attachment_comment="Je rejoins la comptabilité", service_ids=[compta["id"]])
    checked = await client.post("/api/accounts/signup/details-check", json=body)
    assert checked.status_code == 200, checked.text
    response = await client.post("/api/accounts/signup", json=body)
    assert response.status_code == 201, response.text
    assert response.json() == {"status": "courriel_envoye", "creator": False}
    # one request, for that service only (not the whole structure, not TECH)
    assert await requests_of(body["email"]) == [(compta["id"], "demande")]
    async with connection() as conn:
        journal = await conn.fetchrow("SELECT kind, details FROM organisation_event WHERE structure_id = $1 ORDER BY id DESC LIMIT 1",
                                      structure["id"])
    assert journal["kind"] == "rattachement_demande" and journal["details"]["services"] == "COMPTA"
    mail = await last_mail(manager["email"])
    assert mail["kind"] == "rattachement_demande" and "COMPTA" in mail["body_text"] and body["email"] in mail["body_text"]

    await activate(client, body["email"])
    async with session_of(app, manager) as http:
        pending = (await http.get(f"/api/organisation/structures/{structure['id']}/requests")).json()
        mine = [r for r in pending if r["user"]["email"] == body["email"]]
        assert [(r["service_code"], r["comment"]) for r in mine] == [("COMPTA", "Je rejoins la comptabilité")]
        approved = await http.post(f"/api/organisation/requests/{mine[0]['id']}/approve",
                                   json={"profiles": {"factures_recues": "modification"}})
        assert approved.status_code == 200, approved.text
    agent = {"email": body["email"], "password": STRONG}
    async with session_of(app, agent) as http:
        assert [(r["service_code"], r["status"]) for r in (await http.get("/api/me/attachments")).json()] == [("COMPTA", "approuve")]
        me = (await http.get("/api/accounts/me")).json()
    joined = next(s for s in me["structures"] if s["id"] == structure["id"])
    assert joined["service_code"] == "COMPTA" and not joined["is_principal"]
    assert {"application": "factures_recues", "level": "modification", "service_code": "COMPTA"} in joined["profiles"]


async def test_a_sign_up_may_ask_for_several_services_one_request_each(client):
    siret, structure, _ = await registered_mairie()
    compta, tech, _closed = structure["services"]
    body = await form(client, siret, service_ids=[tech["id"], compta["id"], tech["id"]])
    assert (await client.post("/api/accounts/signup", json=body)).status_code == 201
    assert await requests_of(body["email"]) == sorted([(compta["id"], "demande"), (tech["id"], "demande")])


@pytest.mark.parametrize("case", ["closed", "another_structure", "unknown"])
async def test_a_service_that_is_not_an_active_one_of_the_structure_is_refused_and_nothing_is_written(client, case):
    siret, structure, manager = await registered_mairie()
    other = await make_structure(public=True, services=(("AUTRE", "Autre service"),))
    wrong = {"closed": structure["services"][-1]["id"], "another_structure": other["services"][0]["id"], "unknown": 2**31 - 1}[case]
    compta = structure["services"][0]
    body = await form(client, siret, service_ids=[compta["id"], wrong])
    events = await count("organisation_event", "structure_id = $1", structure["id"])
    for path in ("/api/accounts/signup/details-check", "/api/accounts/signup"):
        response = await client.post(path, json=body)
        assert response.status_code == 400, (path, response.text)
        refusal = response.json()
        assert (refusal["code"], refusal["field"]) == ("service_inconnu", "services")
        assert "n'existe pas" in refusal["message"] and "no longer active" in refusal["message_en"]
    assert await count("user_account", "email = $1", body["email"]) == 0
    assert await count("attachment", "structure_id = $1 AND status = 'demande'", structure["id"]) == 0
    assert await count("organisation_event", "structure_id = $1", structure["id"]) == events
    assert await mails_to(body["email"]) == [] and await mails_to(manager["email"]) == []
    # the same answer when the address already has an account (the form tells nobody which addresses do)
    owner = await make_user()
    taken = await form(client, siret, email=owner["email"], email_confirmation=owner["email"], service_ids=[wrong])
    response = await client.post("/api/accounts/signup", json=taken)
    assert response.status_code == 400 and response.json()["code"] == "service_inconnu"
    assert await mails_to(owner["email"]) == []


async def test_services_on_a_new_structure_are_refused(client):
    _, structure, _ = await registered_mairie()
    body = await form(client, await establishment(), service_ids=[structure["services"][0]["id"]])
    response = await client.post("/api/accounts/signup", json=body)
    assert response.status_code == 400 and response.json()["code"] == "service_inconnu"
    assert await count("structure", "identifier = $1", body["identifier"]) == 0
    assert await count("user_account", "email = $1", body["email"]) == 0


async def test_the_openapi_types_the_services_a_sign_up_asks_for(client):
    schemas = (await client.get("/schema/openapi.json")).json()["components"]["schemas"]
    signup = next(s for name, s in schemas.items() if "service_ids" in s.get("properties", {}) and "challenge_id" in s["properties"])
    assert signup["properties"]["service_ids"]["type"] == "array"
    assert signup["properties"]["service_ids"]["items"] == {"type": "integer"}
    registered = schemas["RegisteredStructure"]["properties"]["services"]
    assert registered["type"] == "array" and registered["items"]["$ref"].endswith("/ServiceToJoin")
