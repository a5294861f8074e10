"""Issue 19: a webhook is an address the server calls. It must be HTTPS to a public address: never a
private network, the cloud metadata address, or (outside tests and the demo) this machine."""

from __future__ import annotations

import pytest

from backend.domain.connections import rules, webhooks
from backend.domain.connections.rules import RuleError
from tests.support.factories import supplier_with_structure

REFUSED_URLS = ["http://example.com/hook", "https://10.0.0.5/hook", "https://169.254.169.254/latest/meta-data",
                "https://192.168.1.1/", "https://[fd00::1]/", "https://user:pw@example.com/", "ftp://example.com/",
                "https://0.0.0.0/", "https://[::ffff:10.0.0.1]/"]


@pytest.mark.parametrize("url", REFUSED_URLS)
async def test_private_or_plain_addresses_are_refused_at_creation(anonymous, url):
    _, supplier = await supplier_with_structure(anonymous)
    response = await anonymous.post(f"/api/connections/{supplier['id']}/webhooks", json={"url": url, "events": ["facture.statut"]})
    assert response.status_code == 422, response.text
    assert response.json()["code"] in ("https_requis", "adresse_refusee", "url_invalide", "hote_introuvable")


def test_loopback_is_refused_unless_allowed():
    with pytest.raises(RuleError):
        rules.check_webhook_url("http://127.0.0.1:9/x", allow_loopback=False)
    assert rules.refused_address("127.0.0.1", allow_loopback=False)
    assert not rules.refused_address("127.0.0.1", allow_loopback=True)
    assert rules.refused_address("10.1.2.3", allow_loopback=True)
    assert not rules.refused_address("93.184.216.34", allow_loopback=False)


async def test_a_host_that_resolves_to_a_private_address_is_refused_before_sending(monkeypatch):
    async def private(host, port):
        return ["10.0.0.7"]

    monkeypatch.setattr(webhooks, "_addresses", private)
    with pytest.raises(RuleError) as refused:
        await webhooks.checked_address("https://hooks.example.com/chorale")
    assert refused.value.code == "adresse_refusee"
