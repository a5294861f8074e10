"""Sign-up identifiers and the second step's checks against the real Redis and PostgreSQL (issue 16, defect 8)."""

from __future__ import annotations

import secrets

import pytest

from backend.domain.accounts.challenge import challenge_passed
from backend.domain.accounts.signup import SignupData, check_details
from backend.infra.errors import ChoraleError
from tests.api.accounts.test_signup import count, form


def tag() -> str:
    return secrets.token_hex(4)


@pytest.mark.parametrize("vat", ["abc", "FR00303265045", "XX123456789", " "])
async def test_a_wrong_eu_vat_number_is_refused_and_nothing_written(client, vat):
    body = await form(client, "", identifier_type="TVA_INTRACOMMUNAUTAIRE", identifier=vat)
    response = await client.post("/api/accounts/signup", json=body)
    assert response.status_code == 400, response.text
    assert response.json()["code"] in ("tva_invalide", "champ_obligatoire") and response.json()["field"] == "identifier"
    assert await count("user_account", "email = $1", body["email"]) == 0


async def test_a_valid_vat_number_is_kept_compact(client):
    body = await form(client, "", identifier_type="TVA_INTRACOMMUNAUTAIRE", identifier="de 136.695.976", country="DE")
    response = await client.post("/api/accounts/signup", json=body)
    assert response.status_code == 201, response.text
    assert await count("structure", "identifier_type = 'TVA_INTRACOMMUNAUTAIRE' AND identifier = $1", "DE136695976") == 1


async def test_an_unknown_country_is_refused(client):
    body = await form(client, "", identifier_type="HORS_UE", identifier=f"US-{tag()}", country="ZZ")
    response = await client.post("/api/accounts/signup", json=body)
    assert response.status_code == 400 and response.json()["code"] == "pays_inconnu"


async def test_the_second_step_spends_the_question_once_and_a_right_answer_passes_the_sign_up(client):
    body = await form(client, "", identifier_type="HORS_UE", identifier=f"US-{tag()}", country="US")
    data = SignupData(**{k: v for k, v in body.items()})
    # a mistyped confirmation is refused before the question is looked at: the right answer still counts
    with pytest.raises(ChoraleError) as refused:
        await check_details(SignupData(**{**body, "email_confirmation": "autre@example.fr"}))
    assert refused.value.field == "email_confirmation"
    await check_details(data)
    assert await challenge_passed(body["challenge_id"])
    # the sign-up accepts the pass (the question itself is spent), then the pass is gone
    response = await client.post("/api/accounts/signup", json=body)
    assert response.status_code == 201, response.text
    assert not await challenge_passed(body["challenge_id"])

    right = await form(client, "", identifier_type="HORS_UE", identifier=f"US-{tag()}", country="US")
    with pytest.raises(ChoraleError) as wrong:
        await check_details(SignupData(**{**right, "challenge_answer": "99"}))
    assert wrong.value.field == "challenge_answer"
    assert not await challenge_passed(right["challenge_id"])
    again = await client.post("/api/accounts/signup", json=right)
    assert again.status_code == 400 and again.json()["code"] == "verification_humaine"  # spent by the wrong answer
