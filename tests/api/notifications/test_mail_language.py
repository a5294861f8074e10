"""Every e-mail is written in its reader's language (the account's), read here from the development
mailbox as a person would; French readers keep French (the other tests of each slice read it)."""

from __future__ import annotations

import re

from backend.infra.database import connection
from shared.invoice_status import InvoiceStatus
from tests.api.organisation.test_organisation import mairie_with_manager, principal_of, session_of
from tests.api.processing.test_processing import _act, _setup
from tests.api.sollicitations.test_sollicitations import agent_client  # noqa: F401  (fixture)
from tests.support.accounts import link_in
from tests.support.factories import login, make_user, supplier_with_structure
from tests.support.sollicitations import ask


async def _speaks_english(*users: dict) -> None:
    async with connection() as conn:
        await conn.execute("UPDATE user_account SET lang = 'en' WHERE id = ANY($1::bigint[])", [u["id"] for u in users])


async def _mails(client, to: str) -> list[dict]:
    return (await client.get("/api/dev/mailbox", params={"to": to})).json()


async def test_an_english_supplier_hears_of_a_refusal_in_english(client, anonymous):
    supplier_user, _, _, _, invoice = await _setup(client)
    await _speaks_english(supplier_user)
    assert (await _act(client, invoice, "REFUSE", reason="Montant erroné")).status_code == 200
    mail = (await _mails(client, supplier_user["email"]))[0]
    assert mail["subject"] == f"Chorale — invoice {invoice['number']}: {InvoiceStatus.REFUSEE.label('en')}"
    assert mail["body_text"].startswith(f"Hello {supplier_user['first_name']},")
    assert f"Invoice {invoice['number']} was refused by" in mail["body_text"] and ": Montant erroné" in mail["body_text"]
    assert "Open the invoice: http" in mail["body_text"] and "facture" not in mail["body_text"].replace("/factures-emises/", "")
    await login(anonymous, supplier_user["email"], supplier_user["password"])
    bell = (await anonymous.get("/api/notifications")).json()["items"][0]["message"]
    assert bell.startswith(f"Invoice {invoice['number']} was refused")  # the bell speaks their language too


async def test_an_english_digest_lists_the_day_in_english_with_english_dates(client, anonymous):
    from backend.domain.processing.services import send_digests

    supplier_user, _, _, _, invoice = await _setup(client)
    await _speaks_english(supplier_user)
    await login(anonymous, supplier_user["email"], supplier_user["password"])
    assert (await anonymous.patch("/api/accounts/me", json={"notify_digest": True})).status_code == 200
    await _act(client, invoice, "SUSPEND", reason="Pièce manquante")
    assert await send_digests() >= 1
    mail = next(m for m in await _mails(client, supplier_user["email"]) if m["kind"] == "recapitulatif")
    assert mail["subject"] == "Chorale — daily digest (1 event(s))"
    assert "Since the last digest:" in mail["body_text"]
    # The moment as shared/formatting.py writes it in English (Europe/Paris), then the English notice (no
    # space before the colon, unlike French).
    assert re.search(r"^- \d{2}/\d{2}/\d{4} \d{2}:\d{2}: Invoice .* was suspended", mail["body_text"], re.MULTILINE), mail["body_text"]


async def test_an_english_account_gets_its_reset_link_in_english(client):
    user = await make_user()
    await _speaks_english(user)
    assert (await client.post("/api/accounts/password-reset", json={"email": user["email"]})).status_code == 202
    mail = (await _mails(client, user["email"]))[0]
    assert mail["subject"] == "Chorale — resetting your password"
    assert "valid for 2 hours" in mail["body_text"] and link_in(mail["body_text"], "/reinitialisation/")


async def test_an_english_agent_hears_of_the_approval_in_english_with_english_profile_names(app, client):
    manager, mairie = await mairie_with_manager()
    agent = await make_user()
    await _speaks_english(manager, agent)
    from backend.domain.structures import organisation

    request_id = (await organisation.ask(principal_of(agent), mairie["id"], service_ids=[mairie["services"][0]["id"]],
                                         comment="Comptabilité"))[0]
    asked = (await _mails(client, manager["email"]))[0]
    assert asked["subject"].startswith("Chorale — attachment request to ") and "asks to be attached" in asked["body_text"]
    async with session_of(app, manager) as http:
        approved = await http.post(f"/api/organisation/requests/{request_id}/approve", json={"profiles": {"factures_recues": "modification"}})
        assert approved.status_code == 200, approved.text
    mail = (await _mails(client, agent["email"]))[0]
    assert mail["subject"].endswith(" approved") and "(service COMPTA) was approved" in mail["body_text"]
    assert "Profiles granted: Received invoices modify." in mail["body_text"]


async def test_an_english_author_gets_supports_answer_in_english(client, agent_client):  # noqa: F811
    user, _ = await supplier_with_structure(client)
    await _speaks_english(user)
    sid = (await ask(client)).json()["id"]
    await agent_client.post(f"/api/sollicitations/{sid}/messages", json={"message": "Corrigez le SIRET du destinataire."})
    mail = next(m for m in await _mails(client, user["email"]) if m["kind"] == "sollicitation_reponse")
    assert mail["subject"] == f"Chorale — support's answer to your request no. {sid}"
    assert f"Support answered your request no. {sid} (" in mail["body_text"] and "Corrigez le SIRET" in mail["body_text"]
