from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from backend.domain.directory.stock import record
from backend.domain.directory.store import load_records, rebuild_prefixes
from backend.infra.database import connection
from tests.support.accounts import last_mail, link_in, solve_challenge
from tests.support.factories import random_siret

STRONG = "Bonjour-Chorale-2026"


async def establishment(*, active: bool = True, public: bool = False) -> str:
    siret = random_siret()
    async with connection() as conn:
        async with conn.transaction():
            ids = await load_records([record(siret=siret, denomination=f"Menuiserie Test {siret[-5:]}", street_number="4",
                                                   street_type="RUE", street_name="DU BOIS", postcode="67000", city="STRASBOURG",
                                                   active=active, categorie_juridique="7210" if public else "5499")])
            await rebuild_prefixes(ids)
    return siret


async def form(client, siret: str, **overrides) -> dict:
    challenge = (await client.get("/api/accounts/challenge")).json()
    email = f"new{random.randint(1, 10**9)}@example.fr"
    body = {"email": email, "email_confirmation": email, "first_name": "Gwenaël", "last_name": "Fumoux",
            "identifier_type": "SIRET", "identifier": siret, "raison_sociale": "Menuiserie Test", "address": "4 rue du Bois",
            "postcode": "67000", "city": "Strasbourg", "country": "FR", "consent_survey": True,
            "challenge_id": challenge["id"], "challenge_answer": await solve_challenge(challenge["id"])}
    body.update(overrides)
    return body


async def count(table: str, where: str, *args) -> int:
    async with connection() as conn:
        return await conn.fetchval(f"SELECT count(*) FROM {table} WHERE {where}", *args)


async def test_a_supplier_signs_up_activates_and_becomes_gestionnaire_principal(client, anonymous, worker):
    body = await form(client, await establishment())
    response = await client.post("/api/accounts/signup", json=body)
    assert response.status_code == 201, response.text
    assert response.json()["creator"] is True
    mail = await last_mail(body["email"])
    token = link_in(mail["body_text"], "/activation/").rsplit("/", 1)[1]
    weak = await client.post("/api/accounts/activate", json={"token": token, "password": "tooshort", "confirmation": "tooshort",
                                                              "secret_question": "Nom de votre premier animal ?", "secret_answer": "Rex"})
    assert weak.status_code == 400 and weak.json()["code"] == "mot_de_passe_faible"
    ok = await client.post("/api/accounts/activate", json={"token": token, "password": STRONG, "confirmation": STRONG,
                                                            "secret_question": "Nom de votre premier animal ?", "secret_answer": "Rex"})
    assert ok.status_code == 200
    again = await client.post("/api/accounts/activate", json={"token": token, "password": STRONG, "confirmation": STRONG,
                                                               "secret_question": "Nom de votre premier animal ?", "secret_answer": "Rex"})
    assert again.status_code == 400 and again.json()["code"] == "lien_deja_utilise"
    login = await anonymous.post("/api/auth/session", json={"email": body["email"], "password": STRONG})
    assert login.status_code == 200
    me = (await anonymous.get("/api/accounts/me")).json()
    structure = me["structures"][0]
    assert structure["identifier"] == body["identifier"] and structure["is_principal"]
    assert {"application": "organisation", "level": "modification"} in structure["profiles"]
    assert me["workspaces"] == {"factures_emises": True, "sollicitations_emises": True}


@pytest.mark.parametrize("case", ["luhn", "unknown", "closed"])
async def test_a_bad_siret_is_refused_and_nothing_is_created(client, case):
    siret = {"luhn": "21670447800018", "unknown": random_siret()}.get(case) or await establishment(active=False)
    body = await form(client, siret)
    response = await client.post("/api/accounts/signup", json=body)
    assert response.status_code == 400
    assert response.json()["code"] == {"luhn": "siret_invalide", "unknown": "siret_inconnu", "closed": "etablissement_ferme"}[case]
    assert response.json()["field"] == "identifier"
    assert await count("user_account", "email = $1", body["email"]) == 0


async def test_an_email_already_used_gets_no_second_account(client):
    """The answer does not tell (tests/security/test_signup_enumeration.py): the address's owner is mailed."""
    siret = await establishment()
    first = await form(client, siret)
    assert (await client.post("/api/accounts/signup", json=first)).status_code == 201
    second = await form(client, await establishment(), email=first["email"], email_confirmation=first["email"])
    response = await client.post("/api/accounts/signup", json=second)
    assert response.status_code == 201 and response.json() == {"status": "courriel_envoye", "creator": True}
    assert await count("structure", "identifier = $1", second["identifier"]) == 0
    assert await count("user_account", "email = $1", first["email"]) == 1
    # Still pending: the owner gets a fresh activation link, saying someone signed up with the address again.
    mail = await last_mail(first["email"])
    assert mail["kind"] == "activation" and "a déjà un" in mail["body_text"] and link_in(mail["body_text"], "/activation/")


async def test_an_english_sign_up_gets_its_activation_mail_in_english(client):
    body = await form(client, await establishment(), lang="en")
    assert (await client.post("/api/accounts/signup", json=body)).status_code == 201
    mail = (await client.get("/api/dev/mailbox", params={"to": body["email"]})).json()[0]
    assert mail["subject"] == "Chorale — activate your user account"
    assert mail["body_text"].startswith("Hello Gwenaël Fumoux,") and "valid for 48 hours" in mail["body_text"]


async def test_a_wrong_challenge_answer_is_refused_and_the_challenge_is_spent(client):
    body = await form(client, await establishment())
    wrong = str(int(body["challenge_answer"]) + 1)
    response = await client.post("/api/accounts/signup", json={**body, "challenge_answer": wrong})
    assert response.status_code == 400 and response.json()["code"] == "verification_humaine"
    replay = await client.post("/api/accounts/signup", json=body)
    assert replay.status_code == 400 and replay.json()["code"] == "verification_humaine"
    assert await count("user_account", "email = $1", body["email"]) == 0


async def test_signing_up_for_an_existing_structure_asks_its_gestionnaire(client, anonymous):
    siret = await establishment()
    first = await form(client, siret)
    assert (await client.post("/api/accounts/signup", json=first)).json()["creator"] is True
    # The registered structure is shown as registered, and not asked again: only the comment to its gestionnaire.
    shown = (await client.post("/api/accounts/registered-structure", json={"identifier_type": "SIRET", "identifier": siret})).json()
    assert (shown["raison_sociale"], shown["city"]) == ("Menuiserie Test", "Strasbourg")
    assert (await client.post("/api/accounts/registered-structure",
                              json={"identifier_type": "SIRET", "identifier": await establishment()})).json() is None
    second = await form(client, siret, raison_sociale="", address="", postcode="", city="", country="",
                        attachment_comment="Je rejoins l'atelier de Strasbourg")
    response = await client.post("/api/accounts/signup", json=second)
    assert response.status_code == 201 and response.json()["creator"] is False
    assert await count("attachment a JOIN user_account u ON u.id = a.user_id", "u.email = $1 AND a.status = 'demande'", second["email"]) == 1
    structure_id = shown["id"]  # the sign-up's answer names no structure (it tells nothing of what exists)
    async with connection() as conn:
        structure = await conn.fetchrow("SELECT raison_sociale, city FROM structure WHERE id = $1", structure_id)
        journal = await conn.fetchrow("SELECT kind, details FROM organisation_event WHERE structure_id = $1 ORDER BY id DESC LIMIT 1",
                                      structure_id)
    assert (structure["raison_sociale"], structure["city"]) == ("Menuiserie Test", "Strasbourg")
    assert journal["kind"] == "rattachement_demande"
    # its gestionnaire principal hears of it, as for a request from « Mes rattachements »
    mail = await last_mail(first["email"])
    assert mail["kind"] == "rattachement_demande" and "Je rejoins l'atelier de Strasbourg" in mail["body_text"]
    assert second["email"] in mail["body_text"]
    # typed structure fields are not read for a registered structure: a third sign-up's name changes nothing
    third = await form(client, siret, raison_sociale="Autre nom", city="Lyon")
    assert (await client.post("/api/accounts/signup", json=third)).json()["creator"] is False
    async with connection() as conn:
        assert await conn.fetchval("SELECT raison_sociale FROM structure WHERE id = $1", structure_id) == "Menuiserie Test"


async def test_a_new_structure_still_needs_its_fields(client, anonymous):
    body = await form(client, await establishment(), address="")
    response = await client.post("/api/accounts/signup", json=body)
    assert response.status_code == 400 and response.json()["field"] == "address"


async def test_an_expired_activation_link_is_refused(client):
    body = await form(client, await establishment())
    await client.post("/api/accounts/signup", json=body)
    token = link_in((await last_mail(body["email"]))["body_text"], "/activation/").rsplit("/", 1)[1]
    async with connection() as conn:
        await conn.execute("UPDATE account_token SET expires_at = $2 WHERE user_id = (SELECT id FROM user_account WHERE email = $1)",
                           body["email"], datetime.now(UTC) - timedelta(minutes=1))
    response = await client.post("/api/accounts/activate", json={"token": token, "password": STRONG, "confirmation": STRONG,
                                                                 "secret_question": "Nom de votre premier animal ?", "secret_answer": "Rex"})
    assert response.status_code == 400 and response.json()["code"] == "lien_expire"


async def test_password_reset_needs_the_secret_answer(client, anonymous):
    body = await form(client, await establishment())
    await client.post("/api/accounts/signup", json=body)
    token = link_in((await last_mail(body["email"]))["body_text"], "/activation/").rsplit("/", 1)[1]
    await client.post("/api/accounts/activate", json={"token": token, "password": STRONG, "confirmation": STRONG,
                                                       "secret_question": "Nom de votre premier animal ?", "secret_answer": "Rex le Chien"})
    assert (await client.post("/api/accounts/password-reset", json={"email": body["email"]})).status_code == 202
    assert (await client.post("/api/accounts/password-reset", json={"email": "nobody@example.fr"})).status_code == 202
    reset = link_in((await last_mail(body["email"]))["body_text"], "/reinitialisation/").rsplit("/", 1)[1]
    new = "Nouveau-Mot-2027!"
    wrong = await client.post("/api/accounts/password-reset/confirm",
                              json={"token": reset, "secret_answer": "Médor", "password": new, "confirmation": new})
    assert wrong.status_code == 400 and wrong.json()["code"] == "reponse_incorrecte"
    right = await client.post("/api/accounts/password-reset/confirm",
                              json={"token": reset, "secret_answer": "  rex LE chien ", "password": new, "confirmation": new})
    assert right.status_code == 200
    assert (await anonymous.post("/api/auth/session", json={"email": body["email"], "password": new})).status_code == 200


async def test_the_outbox_job_delivers_queued_mail(client, worker):
    import asyncio

    body = await form(client, await establishment())
    await client.post("/api/accounts/signup", json=body)
    for _ in range(50):
        if (await last_mail(body["email"]))["sent_at"] is not None:
            break
        await asyncio.sleep(0.1)
    mail = await last_mail(body["email"])
    assert mail["sent_at"] is not None and mail["attempts"] == 1
    listed = (await client.get("/api/dev/mailbox", params={"to": body["email"]})).json()
    assert listed[0]["subject"] == "Chorale — activez votre compte utilisateur"


async def test_mon_compte_updates_details_language_and_notification_preferences(client, anonymous):
    from tests.support.factories import login, make_user

    user = await make_user()
    await login(anonymous, user["email"], user["password"])
    response = await anonymous.patch("/api/accounts/me", json={"first_name": "Héloïse", "lang": "en", "notify_all": False})
    assert response.status_code == 200
    assert response.json()["user"]["first_name"] == "Héloïse" and response.json()["user"]["lang"] == "en"
    assert response.json()["user"]["notify_all"] is False and response.json()["user"]["notify_billing"] is True
    bad = await anonymous.patch("/api/accounts/me", json={"contact_email": "not-an-email"})
    assert bad.status_code == 400 and bad.json()["field"] == "contact_email"


async def test_an_account_keeps_its_secret_question_as_a_key_and_reads_it_in_the_askers_language(client, anonymous):
    body = await form(client, await establishment())
    await client.post("/api/accounts/signup", json=body)
    token = link_in((await last_mail(body["email"]))["body_text"], "/activation/").rsplit("/", 1)[1]
    activated = await client.post("/api/accounts/activate", json={"token": token, "password": STRONG, "confirmation": STRONG,
                                                                  "secret_question": "secret_question.pet", "secret_answer": "Rex"})
    assert activated.status_code == 200, activated.text
    async with connection() as conn:
        assert await conn.fetchval("SELECT secret_question FROM user_account WHERE email = $1", body["email"]) == "secret_question.pet"
    await client.post("/api/accounts/password-reset", json={"email": body["email"]})
    reset = link_in((await last_mail(body["email"]))["body_text"], "/reinitialisation/").rsplit("/", 1)[1]
    french = await anonymous.get("/api/accounts/password-reset/question", params={"token": reset})
    assert french.json() == {"question": "Nom de votre premier animal ?"}
    english = await anonymous.get("/api/accounts/password-reset/question", params={"token": reset},
                                  headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert english.json() == {"question": "Name of your first pet?"}


async def test_an_old_account_with_its_french_secret_question_still_resets_its_password(client, anonymous):
    """Accounts activated before the keys keep the question's French text: it still reads, in both languages,
    and its answer still resets the password."""
    body = await form(client, await establishment())
    await client.post("/api/accounts/signup", json=body)
    token = link_in((await last_mail(body["email"]))["body_text"], "/activation/").rsplit("/", 1)[1]
    await client.post("/api/accounts/activate", json={"token": token, "password": STRONG, "confirmation": STRONG,
                                                       "secret_question": "secret_question.book", "secret_answer": "Candide"})
    async with connection() as conn:  # as an account activated before the keys kept it
        await conn.execute("UPDATE user_account SET secret_question = 'Titre de votre livre préféré ?' WHERE email = $1", body["email"])
    await client.post("/api/accounts/password-reset", json={"email": body["email"]})
    reset = link_in((await last_mail(body["email"]))["body_text"], "/reinitialisation/").rsplit("/", 1)[1]
    asked = await anonymous.get("/api/accounts/password-reset/question", params={"token": reset}, headers={"Accept-Language": "en"})
    assert asked.json() == {"question": "Title of your favourite book?"}
    new = "Nouveau-Mot-2027!"
    right = await anonymous.post("/api/accounts/password-reset/confirm",
                                 json={"token": reset, "secret_answer": "candide", "password": new, "confirmation": new})
    assert right.status_code == 200, right.text
    assert (await anonymous.post("/api/auth/session", json={"email": body["email"], "password": new})).status_code == 200


async def test_a_secret_question_not_in_the_list_is_refused(client):
    body = await form(client, await establishment())
    await client.post("/api/accounts/signup", json=body)
    token = link_in((await last_mail(body["email"]))["body_text"], "/activation/").rsplit("/", 1)[1]
    response = await client.post("/api/accounts/activate", json={"token": token, "password": STRONG, "confirmation": STRONG,
                                                                 "secret_question": "secret_question.unknown", "secret_answer": "Rex"})
    assert response.status_code == 400 and response.json()["field"] == "secret_question"
