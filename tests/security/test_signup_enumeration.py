"""Issue 20, item 3: the sign-up must not tell whether an address has an account.

Before: a sign-up with an address that had an account answered 400 `email_deja_utilise` (a new one 201
with the new account's ids), so a script could test any address. Now both answer 201 with the same body —
« an e-mail was sent » — and only the address's owner learns which: their mail says someone tried to sign
up with it (with the links to log in and to reset the password), and no second account is made. The
checks that cost (directory, verification question) run the same way before either answer.
"""

from __future__ import annotations

import pytest

from backend.infra.database import connection
from tests.api.accounts.test_signup import count, establishment, form
from tests.support.accounts import last_mail, link_in
from tests.support.factories import make_user


def _readable(response) -> tuple:
    """All a script reads of an answer: status, body, and which headers it carries."""
    return response.status_code, response.json(), sorted(k for k in response.headers if k not in ("date", "set-cookie"))


async def _set_lang(user_id: int, lang: str) -> None:
    async with connection() as conn:
        await conn.execute("UPDATE user_account SET lang = $2 WHERE id = $1", user_id, lang)


async def test_a_taken_address_gets_the_same_answer_as_a_new_one_and_its_owner_a_warning(client):
    owner = await make_user(first_name="Aurore")
    new = await form(client, await establishment())
    taken = await form(client, await establishment(), email=owner["email"], email_confirmation=owner["email"],
                       first_name="Mallory")
    answers = [await client.post("/api/accounts/signup", json=body) for body in (new, taken)]
    assert answers[0].status_code == 201, answers[0].text
    assert _readable(answers[0]) == _readable(answers[1])
    assert answers[1].json() == {"status": "courriel_envoye", "creator": True}
    # No second account, no structure for the identifier typed; the owner is told, by their own name.
    assert await count("user_account", "email = $1", owner["email"]) == 1
    assert await count("structure", "identifier = $1", taken["identifier"]) == 0
    mail = await last_mail(owner["email"])
    assert mail["kind"] == "inscription_existante" and "Bonjour Aurore," in mail["body_text"] and "Mallory" not in mail["body_text"]
    assert "/connexion" in mail["body_text"] and "/mot-de-passe-oublie" in mail["body_text"]
    assert "/activation/" not in mail["body_text"]  # nothing that would change the account


async def test_the_costly_checks_run_for_a_taken_address_too(client):
    """No early answer for a taken address: a wrong verification answer or a bad SIRET is refused exactly as
    for a new address, so the answer (and its time) cannot come before those steps."""
    owner = await make_user()
    for overrides, code in (({"challenge_answer": "999"}, "verification_humaine"), ({"identifier": "21670447800018"}, "siret_invalide")):
        bodies = [await form(client, await establishment(), **overrides),
                  await form(client, await establishment(), email=owner["email"], email_confirmation=owner["email"], **overrides)]
        answers = [await client.post("/api/accounts/signup", json=body) for body in bodies]
        assert answers[0].status_code == answers[1].status_code == 400
        assert answers[0].json() == answers[1].json() and answers[0].json()["code"] == code


@pytest.mark.parametrize("lang", ["fr", "en"])
async def test_a_pending_account_gets_a_fresh_activation_link_in_its_language(client, lang):
    owner = await make_user(active=False, first_name="Inès")
    await _set_lang(owner["id"], lang)
    body = await form(client, await establishment(), email=owner["email"], email_confirmation=owner["email"])
    assert (await client.post("/api/accounts/signup", json=body)).json() == {"status": "courriel_envoye", "creator": True}
    listed = (await client.get("/api/dev/mailbox", params={"to": owner["email"]})).json()
    mail = listed[0]
    assert mail["kind"] == "activation" and link_in(mail["body_text"], "/activation/")
    expected = {"fr": ("Bonjour Inès,", "activez votre compte", "déjà un"),
                "en": ("Hello Inès,", "activate your user account", "already has one")}[lang]
    assert mail["body_text"].startswith(expected[0]) and expected[1] in mail["subject"] and expected[2] in mail["body_text"]
    assert await count("user_account", "email = $1", owner["email"]) == 1
