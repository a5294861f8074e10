"""Issue 19: who may call the PISTE routes. A wrong token, a wrong cpro-account, a client acting for
another structure, a browser's cookie alone: refused (401/403) in Chorus Pro's error shape."""

from __future__ import annotations

import base64

import pytest

from backend.domain.accounts.identity import COOKIE, encode_session
from backend.domain.connections import services
from backend.infra.rate_limit import Limit
from backend.settings import get_settings
from tests.api.invoices.helpers import recipient
from tests.api.lots.test_lots import number
from tests.support.factories import supplier_with_structure
from tests.support.lots import cii_invoice
from tests.support.piste import Erp, credentials_for

HEALTH = "/cpro/transverses/v1/health-check"


def piste_refusal(response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["codeRetour"] == status and body["libelle"] and body["code"] == code and body["message_en"]


@pytest.fixture
async def erp(app, anonymous):
    _, supplier = await supplier_with_structure(anonymous)
    credentials = await credentials_for(anonymous, supplier["id"])
    async with Erp(app, credentials) as machine:
        assert (await machine.get_token()).status_code == 200
        machine.structure = supplier
        machine.manager = anonymous
        yield machine


async def test_a_wrong_missing_or_foreign_token_is_refused(erp):
    piste_refusal(await erp.http.get(HEALTH, headers=erp.headers(Authorization="Bearer nope")), 401, "jeton_invalide")
    headers = erp.headers()
    del headers["Authorization"]
    piste_refusal(await erp.http.get(HEALTH, headers=headers), 401, "jeton_invalide")
    # A session token (signed with the session key) is no API token, even for a real user.
    session = encode_session(erp.credentials.account_id)
    piste_refusal(await erp.http.get(HEALTH, headers=erp.headers(Authorization=f"Bearer {session}")), 401, "jeton_invalide")
    assert (await erp.http.get(HEALTH, headers=erp.headers())).status_code == 200


async def test_a_wrong_cpro_account_is_refused(erp):
    wrong = base64.b64encode(f"{erp.credentials.login}:not-the-password".encode()).decode()
    piste_refusal(await erp.http.get(HEALTH, headers=erp.headers(**{"cpro-account": wrong})), 401, "compte_technique_invalide")
    piste_refusal(await erp.http.get(HEALTH, headers=erp.headers(**{"cpro-account": "pas du base64 !"})), 401,
                  "compte_technique_invalide")
    unknown = base64.b64encode(b"personne@exemple.fr:x").decode()
    piste_refusal(await erp.http.get(HEALTH, headers=erp.headers(**{"cpro-account": unknown})), 401, "compte_technique_invalide")


async def test_a_session_cookie_alone_gets_nothing_on_the_piste_routes(app, client, erp):
    """The PISTE paths are outside the browser's cross-site check: what protects them is that they read no
    cookie at all. A logged-in browser's cookie, without a token, is refused."""
    cookie = client.cookies.get(COOKIE) or erp.manager.cookies.get(COOKIE)
    assert cookie
    response = await erp.http.post("/cpro/structures/v1/rechercher", json={"structure": {"identifiantStructure": "1"}},
                                   headers={"Cookie": f"{COOKIE}={cookie}", "Origin": "https://evil.example"})
    piste_refusal(response, 401, "jeton_invalide")
    # The same cross-site post on a Chorale route is refused by the Origin check, as before.
    refused = await erp.http.post("/api/connections/1/api-clients", json={"scopes": ["search"]},
                                  headers={"Cookie": f"{COOKIE}={cookie}", "Origin": "https://evil.example"})
    assert refused.status_code == 403 and refused.json()["code"] == "origine_refusee"


async def test_a_client_acting_for_another_structure_is_refused(erp):
    _, other = await supplier_with_structure()
    town = await recipient()
    xml = cii_invoice(other["identifier"], town["identifier"], number=number())
    response = await erp.call("/cpro/factures/v1/deposer/flux", {
        "fichierFlux": base64.b64encode(xml).decode(), "nomFichier": "f.xml", "syntaxeFlux": "IN_DP_E1_CII_16B"})
    piste_refusal(response, 403, "structure_non_autorisee")
    response = await erp.call("/cpro/factures/v1/rechercher/fournisseur", {"idFournisseur": other["id"]})
    piste_refusal(response, 403, "structure_non_autorisee")
    # Another structure's private details are not shown either.
    hidden = await erp.call("/cpro/structures/v1/rechercher/services", {"idStructure": other["id"]})
    assert hidden.status_code == 404 and hidden.json()["codeRetour"] == 404


async def test_a_missing_scope_is_refused(app, anonymous):
    _, supplier = await supplier_with_structure(anonymous)
    credentials = await credentials_for(anonymous, supplier["id"], scopes=["search"])
    async with Erp(app, credentials) as erp:
        assert (await erp.get_token()).status_code == 200
        response = await erp.call("/cpro/factures/v1/deposer/flux", {"fichierFlux": "eA==", "nomFichier": "x.xml",
                                                                       "syntaxeFlux": "IN_DP_E1_CII_16B"})
        piste_refusal(response, 403, "portee_insuffisante")


async def test_revoked_and_rotated_credentials_stop_at_once(erp):
    rotated = await erp.manager.post(f"/api/connections/api-clients/{erp.credentials.client_row}/rotate")
    assert rotated.status_code == 200 and rotated.json()["client_secret"] != erp.credentials.client_secret
    piste_refusal(await erp.http.get(HEALTH, headers=erp.headers()), 401, "jeton_invalide")  # issued before the rotation
    assert (await erp.get_token()).status_code == 401  # the old secret
    erp.credentials.client_secret = rotated.json()["client_secret"]
    assert (await erp.get_token()).status_code == 200
    assert (await erp.http.get(HEALTH, headers=erp.headers())).status_code == 200
    revoked = await erp.manager.post(f"/api/connections/technical-accounts/{erp.credentials.account_id}/revoke")
    assert revoked.status_code == 200 and revoked.json()["revoked"]
    piste_refusal(await erp.http.get(HEALTH, headers=erp.headers()), 401, "compte_technique_invalide")


async def test_a_wrong_client_secret_gets_no_token(erp):
    erp.credentials.client_secret = "devine"
    response = await erp.get_token()
    assert response.status_code == 401 and response.json()["error"] == "invalid_client"
    wrong_grant = await erp.http.post("/api/oauth/token", data={"grant_type": "password", "client_id": "x", "client_secret": "y"})
    assert wrong_grant.status_code == 400 and wrong_grant.json()["error"] == "unsupported_grant_type"


async def test_only_the_principal_manager_makes_credentials(anonymous):
    _, supplier = await supplier_with_structure()  # someone else's structure
    await supplier_with_structure(anonymous)
    response = await anonymous.post(f"/api/connections/{supplier['id']}/api-clients", json={"scopes": ["search"]})
    assert response.status_code == 403


async def test_calls_past_the_clients_limit_get_429_with_retry_after(erp, monkeypatch):
    monkeypatch.setenv("CHORALE_RATE_LIMITS", "1")
    get_settings.cache_clear()
    monkeypatch.setattr(services, "CALL_LIMIT", Limit("piste-appel-test", 3, 60))
    try:
        answers = [await erp.http.get(HEALTH, headers=erp.headers()) for _ in range(4)]
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert [a.status_code for a in answers[:3]] == [200, 200, 200]
    assert answers[3].status_code == 429 and int(answers[3].headers["Retry-After"]) > 0
    assert answers[3].json()["codeRetour"] == 429
