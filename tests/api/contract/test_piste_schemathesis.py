"""Property tests of the PISTE routes with real credentials (schemathesis): an ERP's token and
cpro-account on the live app, so generated requests reach the use cases (the session-signed run in
test_schemathesis.py only meets their 401). None may answer 5xx, every answer must match its documented
schema — Chorus Pro's answer, or its error shape."""

from __future__ import annotations

import base64

import pytest
import requests
import schemathesis

from tests.api.contract.test_schemathesis import EXAMPLES, _check, _signed_in
from tests.support.factories import supplier_with_structure


@pytest.fixture(scope="module")
def piste_schema(live_app):
    return schemathesis.openapi.from_url(live_app.url + "/schema/openapi.json").include(path_regex="^/cpro/")


def _erp_session(base_url: str, manager: requests.Session, structure_id: int) -> requests.Session:
    """A session carrying what an ERP sends: the bearer token and the cpro-account, no cookie."""
    account = manager.post(f"{base_url}/api/connections/{structure_id}/technical-accounts", json={})
    client = manager.post(f"{base_url}/api/connections/{structure_id}/api-clients",
                          json={"scopes": ["deposit", "search", "process", "directory"], "name": "schemathesis"})
    assert account.status_code == 201 and client.status_code == 201, (account.text, client.text)
    token = requests.post(f"{base_url}/api/oauth/token", data={
        "grant_type": "client_credentials", "client_id": client.json()["client_id"],
        "client_secret": client.json()["client_secret"], "scope": "openid"})
    assert token.status_code == 200, token.text
    erp = requests.Session()
    erp.headers.update({"Authorization": f"Bearer {token.json()['access_token']}", "cpro-account": base64.b64encode(
        f"{account.json()['login']}:{account.json()['password']}".encode()).decode()})
    return erp


async def test_every_piste_route_keeps_its_contract_for_an_authenticated_erp(piste_schema, live_app, client) -> None:
    user, structure = await supplier_with_structure()
    manager = await _signed_in(live_app, user)
    erp = _erp_session(live_app.url, manager, structure["id"])
    failures, answered = [], {}
    for result in piste_schema.get_all_operations():
        operation = result.ok()
        statuses = answered.setdefault(operation.label, set())
        try:
            _check(operation, erp, live_app.url, statuses, headers=dict(erp.headers))
        except Exception as failure:  # noqa: BLE001 - every operation is tried, then all failures are reported
            failures.append(f"{operation.label}: {str(failure)[:1500]}")
    assert len(answered) >= 25 and EXAMPLES > 0  # every /cpro/ operation
    # authenticated for real: most operations get past the 401 (a few only answer it to bad headers)
    past_auth = [label for label, codes in answered.items() if codes - {401}]
    assert len(past_auth) > len(answered) * 2 // 3, answered
    assert not failures, "\n\n".join(failures)
