"""Sollicitations through the API, on the real PostgreSQL and Redis: asking from a screen, the
conversation, support's queue and its intervention, and who sees what."""

from __future__ import annotations

import httpx
import pytest

from backend.domain.accounts.identity import Principal
from backend.domain.sollicitations import store
from backend.domain.sollicitations.services import delete_unsent_files, live_topics
from backend.infra import storage
from backend.infra.database import connection
from backend.infra.events import get_hub
from tests.conftest import BASE_URL, BROWSER_HEADERS
from tests.support.factories import attach, login, make_user, supplier_with_structure
from tests.support.sollicitations import ask, rejected_lot, upload
from shared.applications import Application, Level

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
async def agent_client(app):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE_URL, headers=BROWSER_HEADERS) as c:
        agent = await make_user(is_support=True, first_name="Sacha")
        await login(c, agent["email"], agent["password"])
        c.agent = agent
        yield c


async def test_a_request_asked_from_a_lot_report_is_linked_to_the_lot_and_its_structure(client, agent_client):
    user, structure = await supplier_with_structure(client)
    lot = await rejected_lot(structure["id"], user["id"])
    created = await ask(client, path=f"/factures-emises/lots/{lot.id}?x=1")
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["state"], body["subject_kind"], body["subject_id"], body["subject_label"], body["structure_id"]) == (
        "nouvelle", "lot", lot.id, lot.number, structure["id"])
    assert body["subject_path"] == f"/factures-emises/lots/{lot.id}", "the query is not kept"
    queue = (await agent_client.get("/api/support/sollicitations", params={"etat": "nouvelle", "structure_id": structure["id"]})).json()
    assert [item["id"] for item in queue["items"]] == [body["id"]]
    by_siret = (await agent_client.get("/api/support/sollicitations", params={"siret": structure["identifier"]})).json()
    assert [item["id"] for item in by_siret["items"]] == [body["id"]]
    assert not (await agent_client.get("/api/support/sollicitations", params={"siret": "00000000000000"})).json()["items"]
    assert queue["items"][0]["structure_name"] == structure["raison_sociale"]


async def test_a_lot_of_another_structure_is_not_linked(client, anonymous):
    other, other_structure = await supplier_with_structure()
    lot = await rejected_lot(other_structure["id"], other["id"])
    await supplier_with_structure(client)
    body = (await ask(client, path=f"/factures-emises/lots/{lot.id}")).json()
    assert (body["subject_kind"], body["subject_id"], body["subject_label"]) == ("ecran", None, None)


async def test_bad_input_is_refused_in_french_and_english_and_nothing_is_written(client):
    await supplier_with_structure(client)
    before = (await client.get("/api/sollicitations")).json()["items"]
    for payload, code, field in ((dict(category="x"), "categorie_invalide", "category"),
                                 (dict(subcategory="pdf"), "sous_categorie_invalide", "subcategory"),
                                 (dict(message="  "), "message_obligatoire", "message"),
                                 (dict(message="x" * 5001), "message_trop_long", "message"),
                                 (dict(file_ids=[1, 2, 3, 4, 5, 6]), "trop_de_fichiers", "file_ids"),
                                 (dict(file_ids=[10**12]), "fichier_inconnu", "file_ids")):
        response = await ask(client, **payload)
        assert response.status_code == 422, (payload, response.text)
        assert (response.json()["code"], response.json().get("field")) == (code, field)
        assert response.json()["message"] and response.json()["message_en"]
    assert (await client.get("/api/sollicitations")).json()["items"] == before
    not_json = await client.post("/api/sollicitations", content="x", headers={"Content-Type": "text/plain"})
    assert not_json.status_code in (400, 415)


async def test_attachments_have_the_invoice_files_checks_and_are_tied_once(client, anonymous):
    await supplier_with_structure(client)
    refused = await upload(client, b"MZ\x90\x00not a picture", name="virus.png")
    assert refused.status_code == 415 and refused.json()["code"] == "type_refuse"
    picture = (await upload(client, PNG)).json()
    assert picture["content_type"] == "image/png"
    created = (await ask(client, file_ids=[picture["id"]])).json()
    detail = (await client.get(f"/api/sollicitations/{created['id']}")).json()
    assert [f["id"] for f in detail["messages"][0]["files"]] == [picture["id"]]
    download = await client.get(f"/api/sollicitations/{created['id']}/files/{picture['id']}")
    assert download.status_code == 200 and download.content == PNG and download.headers["x-content-type-options"] == "nosniff"
    assert download.headers["content-length"] == str(len(PNG)) and download.headers["content-disposition"].startswith("attachment")
    again = await ask(client, file_ids=[picture["id"]])
    assert again.status_code == 422 and again.json()["code"] == "fichier_inconnu", "a file belongs to one message"
    # another user cannot send someone else's upload
    await supplier_with_structure(anonymous)
    theirs = (await upload(client, PNG)).json()
    assert (await ask(anonymous, file_ids=[theirs["id"]])).json()["code"] == "fichier_inconnu"


async def test_the_conversation_its_states_internal_notes_and_the_mail(client, agent_client):
    user, _ = await supplier_with_structure(client)
    created = (await ask(client)).json()
    sid = created["id"]
    assert (await agent_client.post(f"/api/support/sollicitations/{sid}/assign",
                                    json={"assignee_id": agent_client.agent["id"]})).json()["state"] == "en_cours"
    refused = await agent_client.post(f"/api/support/sollicitations/{sid}/assign", json={"assignee_id": user["id"]})
    assert refused.status_code == 422 and refused.json()["code"] == "agent_invalide"
    assert (await agent_client.post(f"/api/support/sollicitations/{sid}/notes", json={"message": "Note interne : SIRET faux"})).status_code == 201
    answered = await agent_client.post(f"/api/sollicitations/{sid}/messages", json={"message": "Corrigez le SIRET du destinataire."})
    assert answered.json()["state"] == "attente_reponse"

    mine = (await client.get(f"/api/sollicitations/{sid}")).json()
    assert [m["body"] for m in mine["messages"]] == ["Mon lot est rejeté, pourquoi ?", "Corrigez le SIRET du destinataire."]
    assert "interventions" not in mine or mine["interventions"] is None
    assert "Note interne" not in str(mine), "internal notes never reach the user"
    staff = (await agent_client.get(f"/api/sollicitations/{sid}")).json()
    assert [m["internal"] for m in staff["messages"]] == [False, True, False]

    mail = (await client.get("/api/dev/mailbox", params={"to": user["email"]})).json()
    assert any(f"sollicitation n° {sid}" in m["subject"] and "Corrigez le SIRET" in m["body_text"] for m in mail)

    assert (await client.post(f"/api/sollicitations/{sid}/messages", json={"message": "C'est corrigé, merci."})).json()["state"] == "en_cours"
    assert (await agent_client.post(f"/api/support/sollicitations/{sid}/resolve")).json()["state"] == "resolue"
    assert (await client.post(f"/api/sollicitations/{sid}/close")).json()["state"] == "close"
    late = await client.post(f"/api/sollicitations/{sid}/messages", json={"message": "Encore une chose"})
    assert late.status_code == 409 and late.json()["code"] == "sollicitation_close"
    assert (await agent_client.post(f"/api/support/sollicitations/{sid}/notes", json={"message": "trop tard"})).status_code == 409


async def test_a_user_who_prefers_no_mail_gets_none(client, agent_client):
    user, _ = await supplier_with_structure(client)
    await client.patch("/api/accounts/me", json={"notify_all": False, "notify_billing": False})
    sid = (await ask(client)).json()["id"]
    await agent_client.post(f"/api/sollicitations/{sid}/messages", json={"message": "Voici la réponse."})
    mail = (await client.get("/api/dev/mailbox", params={"to": user["email"]})).json()
    assert not any(f"n° {sid}" in m["subject"] for m in mail)


async def test_the_answer_is_published_live_to_the_author(client, agent_client):
    user, _ = await supplier_with_structure(client)
    sid = (await ask(client)).json()["id"]
    async with get_hub().listen([f"sollicitations:user:{user['id']}"]) as queue:
        await agent_client.post(f"/api/sollicitations/{sid}/messages", json={"message": "Réponse en direct"})
        event = await queue.get()
    assert event.type == "sollicitation.changed" and event.data == {"id": sid, "state": "attente_reponse"}


async def test_the_queue_filters_by_state_category_assignee_and_age_and_pages(client, agent_client):
    await supplier_with_structure(client)
    ids = [(await ask(client, category="compte", subcategory="connexion", message=f"Question {i}")).json()["id"] for i in range(3)]
    await agent_client.post(f"/api/support/sollicitations/{ids[0]}/assign", json={"assignee_id": agent_client.agent["id"]})
    mine = (await agent_client.get("/api/support/sollicitations", params={"assignee": "moi"})).json()
    assert [i["id"] for i in mine["items"]] == [ids[0]]
    unassigned = (await agent_client.get("/api/support/sollicitations", params={"assignee": "aucun", "category": "compte"})).json()
    assert set(ids[1:]) <= {i["id"] for i in unassigned["items"]} and ids[0] not in {i["id"] for i in unassigned["items"]}
    assert not (await agent_client.get("/api/support/sollicitations", params={"older_than_days": 1, "category": "compte",
                                                                               "assignee": "moi"})).json()["items"]
    first = (await agent_client.get("/api/support/sollicitations", params={"limit": 1, "category": "compte"})).json()
    second = (await agent_client.get("/api/support/sollicitations", params={"limit": 1, "category": "compte",
                                                                           "before": first["next"]})).json()
    assert first["next"] and second["items"][0]["id"] < first["items"][0]["id"]
    bad = await agent_client.get("/api/support/sollicitations", params={"etat": "perdue"})
    assert bad.status_code == 422 and bad.json()["code"] == "etat_invalide"
    templates = (await agent_client.get("/api/support/sollicitations/templates")).json()
    assert {"rejet_lot", "informations"} <= {t["key"] for t in templates}
    by_key = {t["key"]: t for t in templates}
    assert by_key["rejet_lot"]["label"] == "Lot rejeté : corriger et redéposer" and by_key["rejet_lot"]["text"].startswith("Bonjour,")
    # The request's language picks the texts, as for the rest of the API; `?lang=` still says it outright.
    english = {t["key"]: t for t in (await agent_client.get("/api/support/sollicitations/templates",
                                                             headers={"Accept-Language": "en"})).json()}
    assert english["rejet_lot"]["label"] == "Rejected lot: correct and deposit again" and english["rejet_lot"]["text"].startswith("Hello,")
    asked = {t["key"]: t for t in (await agent_client.get("/api/support/sollicitations/templates", params={"lang": "fr"},
                                                           headers={"Accept-Language": "en"})).json()}
    assert asked["informations"]["label"] == "Demander des précisions"


async def test_an_intervention_started_from_a_request_is_recorded_and_shown(client, agent_client):
    user, structure = await supplier_with_structure(client)
    lot = await rejected_lot(structure["id"], user["id"])
    sid = (await ask(client, path=f"/factures-emises/lots/{lot.id}")).json()["id"]
    started = await agent_client.post(f"/api/support/sollicitations/{sid}/intervention")
    assert started.status_code == 201 and started.json()["path"] == f"/factures-emises/lots/{lot.id}"
    assert (await agent_client.get(f"/api/lots/{lot.id}")).status_code == 200, "support sees the lot as the user"
    assert (await agent_client.post(f"/api/sollicitations/{sid}/messages", json={"message": "as the user"})).status_code == 403
    await agent_client.delete("/api/support/impersonations/current")
    detail = (await agent_client.get(f"/api/sollicitations/{sid}")).json()
    assert len(detail["interventions"]) == 1 and detail["interventions"][0]["ended_at"]
    assert detail["interventions"][0]["reason"].startswith(f"Sollicitation n° {sid}")
    assert detail["author_structures"][0]["identifier"] == structure["identifier"]
    journal = (await agent_client.get("/api/support/journal", params={"user_id": user["id"]})).json()
    assert {e["event"] for e in journal if e["sollicitation_id"] == sid} >= {"debut", "fin", "requete"}


async def test_who_sees_a_request(client, anonymous, agent_client):
    author, structure = await supplier_with_structure()
    colleague = await make_user()
    await attach(colleague["id"], structure["id"], profiles={Application.FACTURES_EMISES: Level.MODIFICATION})
    await login(client, colleague["email"], colleague["password"])
    sid = (await ask(client)).json()["id"]           # a simple user of the structure asks
    assert (await client.get(f"/api/sollicitations/{sid}")).status_code == 200

    await login(anonymous, author["email"], author["password"])   # the gestionnaire principal sees it too
    assert sid in [i["id"] for i in (await anonymous.get("/api/sollicitations")).json()["items"]]
    assert (await anonymous.get(f"/api/sollicitations/{sid}")).status_code == 200

    other = await make_user()                          # a user of the same structure who did not ask: no
    await attach(other["id"], structure["id"], profiles={Application.FACTURES_EMISES: Level.MODIFICATION})
    await login(anonymous, other["email"], other["password"])
    assert (await anonymous.get(f"/api/sollicitations/{sid}")).status_code == 404
    assert sid not in [i["id"] for i in (await anonymous.get("/api/sollicitations")).json()["items"]]
    assert (await anonymous.get("/api/support/sollicitations")).status_code == 403
    assert (await anonymous.post(f"/api/support/sollicitations/{sid}/notes", json={"message": "abc"})).status_code == 403
    assert (await anonymous.post(f"/api/support/sollicitations/{sid}/resolve")).status_code == 403
    assert (await anonymous.post(f"/api/support/sollicitations/{sid}/intervention")).status_code == 403

    assert (await agent_client.get(f"/api/sollicitations/{sid}")).status_code == 200   # support sees all
    closing = await agent_client.post(f"/api/sollicitations/{sid}/close")
    assert closing.status_code == 403, "only the author's side closes a request"


async def test_attachments_never_sent_are_removed_with_their_files_and_sent_ones_stay(client):
    await supplier_with_structure(client)
    kept, dropped = (await upload(client, PNG)).json(), (await upload(client, PNG)).json()
    sid = (await ask(client, file_ids=[kept["id"]])).json()["id"]
    async with connection() as conn:
        await conn.execute("UPDATE sollicitation_file SET created_at = now() - interval '2 days' WHERE id = ANY($1::bigint[])",
                           [kept["id"], dropped["id"]])
    async with connection() as conn:
        key = await conn.fetchval("SELECT storage_key FROM sollicitation_file WHERE id = $1", dropped["id"])
    assert storage.exists(key)
    assert await delete_unsent_files() >= 1
    assert not storage.exists(key)
    assert [f.id for f in await store.files_of(sid)] == [kept["id"]]
    assert (await client.get(f"/api/sollicitations/{sid}/files/{kept['id']}")).status_code == 200



async def test_a_gestionnaire_principal_listens_to_their_structure_s_requests(client):
    manager, structure = await supplier_with_structure()
    assert await live_topics(Principal(user_id=manager["id"], email=manager["email"], display_name="M")) == [
        f"sollicitations:user:{manager['id']}", f"sollicitations:structure:{structure['id']}"]
