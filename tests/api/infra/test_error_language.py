"""Error bodies speak the asker's language: the `lang` cookie (the interface's toggle), else
Accept-Language, else French; `code` and `field` stay the same in every language."""

from __future__ import annotations

from tests.support.factories import supplier_with_structure


async def test_an_anonymous_request_is_answered_in_french_by_default_and_in_english_when_asked(anonymous):
    french = (await anonymous.get("/api/auth/me")).json()
    english = (await anonymous.get("/api/auth/me", headers={"Accept-Language": "en-GB,en;q=0.9,fr;q=0.5"})).json()
    assert french == {"code": "non_connecte", "message": "Veuillez vous connecter.", "message_en": "Please log in."}
    assert english == {"code": "non_connecte", "message": "Please log in.", "message_en": "Please log in."}


async def test_the_lang_cookie_wins_over_accept_language(anonymous):
    anonymous.cookies.set("lang", "en")
    body = (await anonymous.get("/api/auth/me", headers={"Accept-Language": "fr-FR"})).json()
    assert body["message"] == "Please log in."
    anonymous.cookies.set("lang", "fr")
    body = (await anonymous.get("/api/auth/me", headers={"Accept-Language": "en"})).json()
    assert body["message"] == "Veuillez vous connecter."


async def test_a_domain_error_keeps_its_code_and_field_and_translates_its_message(client):
    await supplier_with_structure(client)
    sent = {"query": "", "format": "pdf"}
    french = await client.post("/api/exports", json=sent)
    english = await client.post("/api/exports", json=sent, headers={"Accept-Language": "en"})
    assert french.status_code == english.status_code == 400
    assert french.json()["code"] == english.json()["code"] == "format_inconnu"
    assert french.json()["message"] == "Format d'export inconnu (xlsx ou csv)."
    assert english.json()["message"] == "Unknown export format (xlsx or csv)."
