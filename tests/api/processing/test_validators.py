"""Those who validate before the recipient: the contract holder of subcontractors' and co-contractors'
invoices (A9, A12…), the project manager (maîtrise d'œuvre) of works invoices, then the owner."""

from __future__ import annotations

from backend.infra.database import connection
from shared.applications import Application, Level
from tests.api.invoices.helpers import provisional_invoice, wait_status
from tests.support.factories import attach, login, make_structure, make_user, random_siret, supplier_with_structure


async def validating_company(application: Application = Application.FACTURES_A_VALIDER) -> tuple[dict, dict]:
    """A company registered on Chorale whose user validates from `application` (« Factures à valider » for
    a contract holder, « Factures de travaux » for a project manager)."""
    user = await make_user()
    structure = await make_structure()
    await attach(user["id"], structure["id"], principal=True, profiles={application: Level.MODIFICATION})
    return user, structure


async def holder_company() -> tuple[dict, dict]:
    return await validating_company(Application.FACTURES_A_VALIDER)


async def sent_invoice(client, cadre: str, status: str, **named: dict) -> tuple[dict, dict, dict, dict]:
    """(routed invoice, supplier user, supplier, recipient): deposited with `cadre`, naming each structure
    of `named` (holder=…, project_manager=…), once it reached `status`."""
    supplier_user, supplier = await supplier_with_structure(client)
    invoice, _, target = await provisional_invoice(client, structure=supplier)
    sent = await client.post(f"/api/invoices/{invoice['id']}/send", json={
        "version": invoice["version"], "cadre": cadre, **{f"{key}_siret": s["identifier"] for key, s in named.items()}})
    assert sent.status_code == 200, sent.text
    assert all(sent.json()[key]["id"] == s["id"] for key, s in named.items())
    return await wait_status(client, invoice["id"], status), supplier_user, supplier, target


async def subcontracted_invoice(client, holder: dict, cadre: str = "A9") -> tuple[dict, dict, dict, dict]:
    return await sent_invoice(client, cadre, "A_VALIDER_TITULAIRE", holder=holder)


async def test_an_a9_invoice_needs_a_registered_holder_other_than_the_supplier(client, worker):
    invoice, supplier, _ = await provisional_invoice(client)
    missing = await client.post(f"/api/invoices/{invoice['id']}/send", json={"version": invoice["version"], "cadre": "A9"})
    assert missing.status_code == 422
    codes = {e["code"]: e for e in missing.json()["details"]["errors"]}
    assert codes["titulaire_obligatoire"]["field"] == "holder" and "A9" in codes["titulaire_obligatoire"]["message"]
    unknown = await client.post(f"/api/invoices/{invoice['id']}/send", json={"cadre": "A12", "holder_siret": random_siret()})
    assert unknown.status_code == 422 and unknown.json()["code"] == "titulaire_inconnu"
    itself = await client.post(f"/api/invoices/{invoice['id']}/send", json={"cadre": "A12", "holder_siret": supplier["identifier"]})
    assert itself.status_code == 422 and itself.json()["code"] == "titulaire_invalide"
    short = await client.post(f"/api/invoices/{invoice['id']}/send", json={"cadre": "A12", "holder_siret": "123"})
    assert short.status_code == 422 and short.json()["field"] == "holder_siret"
    assert (await client.get(f"/api/invoices/{invoice['id']}")).json()["status"] == "PROVISOIRE"  # nothing half-sent


async def test_the_holder_validates_and_only_then_the_recipient_receives_it(client, worker):
    holder_user, holder = await holder_company()
    invoice, supplier_user, supplier, target = await subcontracted_invoice(client, holder)
    recipient_user = await make_user()
    await attach(recipient_user["id"], target["id"], profiles={Application.FACTURES_RECUES: Level.MODIFICATION})
    await login(client, recipient_user["email"], recipient_user["password"])
    assert (await client.get(f"/api/received-invoices/{invoice['id']}")).status_code == 404  # not yet

    await login(client, holder_user["email"], holder_user["password"])
    listed = (await client.get("/api/invoices-to-validate", params={"structure_id": holder["id"]})).json()
    assert [item["id"] for item in listed["items"]] == [invoice["id"]]
    assert listed["items"][0]["supplier"]["identifier"] == supplier["identifier"]
    detail = (await client.get(f"/api/invoices-to-validate/{invoice['id']}")).json()
    assert [a["action"] for a in detail["actions"]] == ["VALIDATE_HOLDER", "REFUSE"]
    assert (await client.get(f"/api/invoices/{invoice['id']}")).status_code == 200  # the holder may read it
    done = await client.post(f"/api/invoices-to-validate/{invoice['id']}/actions",
                             json={"action": "VALIDATE_HOLDER", "expected_version": detail["version"]})
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "MISE_A_DISPOSITION" and done.json()["actions"] == []
    again = await client.post(f"/api/invoices-to-validate/{invoice['id']}/actions",
                              json={"action": "VALIDATE_HOLDER", "expected_version": detail["version"]})
    assert again.status_code == 409
    assert (await client.get("/api/invoices-to-validate", params={"structure_id": holder["id"]})).json()["items"] == []
    everything = (await client.get("/api/invoices-to-validate", params={"structure_id": holder["id"], "all": "true"})).json()
    assert [item["status"] for item in everything["items"]] == ["MISE_A_DISPOSITION"]

    await login(client, recipient_user["email"], recipient_user["password"])
    received = (await client.get(f"/api/received-invoices/{invoice['id']}")).json()
    assert "VALIDATE" in {a["action"] for a in received["actions"]}
    assert [(h["action"], h["status_to"]) for h in received["history"]][-2:] == [
        ("MAKE_AVAILABLE", "A_VALIDER_TITULAIRE"), ("VALIDATE_HOLDER", "MISE_A_DISPOSITION")]


async def test_the_holder_refuses_with_a_reason_and_the_supplier_is_told_who_refused(client, worker):
    holder_user, holder = await holder_company()
    invoice, supplier_user, supplier, _ = await subcontracted_invoice(client, holder, cadre="A12")
    await login(client, holder_user["email"], holder_user["password"])
    url = f"/api/invoices-to-validate/{invoice['id']}/actions"
    no_reason = await client.post(url, json={"action": "REFUSE"})
    assert no_reason.status_code in (409, 422) and no_reason.json()["code"] == "motif_obligatoire"
    wrong = await client.post(url, json={"action": "VALIDATE"})  # the recipient's action, not the holder's
    assert wrong.status_code == 409 and wrong.json()["code"] == "transition_interdite"
    refused = await client.post(url, json={"action": "REFUSE", "reason": "Travaux non réalisés"})
    assert refused.status_code == 200 and refused.json()["status"] == "REFUSEE"
    async with connection() as conn:
        message = await conn.fetchval("SELECT message FROM notification WHERE user_id = $1 AND invoice_id = $2",
                                      supplier_user["id"], invoice["id"])
    assert holder["raison_sociale"] in message and "Travaux non réalisés" in message


async def test_only_the_holder_s_validators_see_and_act(client, worker):
    holder_user, holder = await holder_company()
    invoice, *_ = await subcontracted_invoice(client, holder)
    reader = await make_user()
    await attach(reader["id"], holder["id"], profiles={Application.FACTURES_A_VALIDER: Level.CONSULTATION})
    await login(client, reader["email"], reader["password"])
    assert (await client.get(f"/api/invoices-to-validate/{invoice['id']}")).json()["actions"] == []
    refused = await client.post(f"/api/invoices-to-validate/{invoice['id']}/actions", json={"action": "VALIDATE_HOLDER"})
    assert refused.status_code == 403
    stranger, _ = await supplier_with_structure(client)
    assert (await client.get(f"/api/invoices-to-validate/{invoice['id']}")).status_code == 404
    assert (await client.get("/api/invoices-to-validate", params={"structure_id": holder["id"]})).status_code == 404


async def test_a_works_invoice_goes_to_its_project_manager_then_to_the_owner(client, worker):
    invoice, supplier = (await provisional_invoice(client))[:2]
    missing = await client.post(f"/api/invoices/{invoice['id']}/send", json={"cadre": "A4"})
    assert missing.status_code == 422 and missing.json()["code"] == "moe_obligatoire"
    assert missing.json()["field"] == "project_manager" and "maîtrise d'œuvre" in missing.json()["message"]

    moe_user, moe = await validating_company(Application.FACTURES_TRAVAUX)
    invoice, supplier_user, supplier, target = await sent_invoice(client, "A4", "A_VALIDER_MOE", project_manager=moe)
    owner = await make_user()
    await attach(owner["id"], target["id"], profiles={Application.FACTURES_RECUES: Level.MODIFICATION})
    await login(client, owner["email"], owner["password"])
    assert (await client.get(f"/api/received-invoices/{invoice['id']}")).status_code == 404  # the owner waits for the MOE

    await login(client, moe_user["email"], moe_user["password"])
    assert [i["id"] for i in (await client.get("/api/works-invoices", params={"structure_id": moe["id"]})).json()["items"]] == [invoice["id"]]
    assert (await client.get("/api/invoices-to-validate", params={"structure_id": moe["id"]})).status_code in (403, 404)
    detail = (await client.get(f"/api/works-invoices/{invoice['id']}")).json()
    assert [a["action"] for a in detail["actions"]] == ["VALIDATE_MOE", "REFUSE"]
    assert detail["project_manager"]["id"] == moe["id"]
    done = await client.post(f"/api/works-invoices/{invoice['id']}/actions", json={"action": "VALIDATE_MOE", "expected_version": detail["version"]})
    assert done.status_code == 200 and done.json()["status"] == "A_VALIDER_MOA"

    await login(client, owner["email"], owner["password"])
    received = (await client.get(f"/api/received-invoices/{invoice['id']}")).json()
    assert [a["action"] for a in received["actions"]] == ["VALIDATE_MOA", "REFUSE"]
    owned = await client.post(f"/api/received-invoices/{invoice['id']}/actions",
                              json={"action": "VALIDATE_MOA", "expected_version": received["version"]})
    assert owned.status_code == 200 and owned.json()["status"] == "MISE_A_DISPOSITION"
    assert "VALIDATE" in {a["action"] for a in owned.json()["actions"]}


async def test_a_subcontractor_s_works_invoice_goes_to_the_holder_then_the_project_manager(client, worker):
    holder_user, holder = await holder_company()
    moe_user, moe = await validating_company(Application.FACTURES_TRAVAUX)
    invoice, *_ = await sent_invoice(client, "A10", "A_VALIDER_TITULAIRE", holder=holder, project_manager=moe)
    await login(client, moe_user["email"], moe_user["password"])
    assert (await client.get("/api/works-invoices", params={"structure_id": moe["id"]})).json()["items"] == []  # not yet
    await login(client, holder_user["email"], holder_user["password"])
    done = await client.post(f"/api/invoices-to-validate/{invoice['id']}/actions", json={"action": "VALIDATE_HOLDER"})
    assert done.status_code == 200 and done.json()["status"] == "A_VALIDER_MOE"
    await login(client, moe_user["email"], moe_user["password"])
    refused = await client.post(f"/api/works-invoices/{invoice['id']}/actions", json={"action": "REFUSE", "reason": "Métrés faux"})
    assert refused.status_code == 200 and refused.json()["status"] == "REFUSEE"
