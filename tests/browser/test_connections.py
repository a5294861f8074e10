"""A structure's principal manager connects its ERP in « Raccordement EDI et API », the ERP deposits a flow
over HTTP, and « Suivi des flux » shows it integrated; a revoked client gets no more tokens."""

from __future__ import annotations

import base64
import random
import re

import pytest
from playwright.async_api import expect

from tests.support.browser import login_as
from tests.support.factories import make_structure, supplier_with_structure
from tests.support.lots import cii_invoice
from tests.support.piste import Credentials, Erp

pytestmark = pytest.mark.browser


async def test_a_manager_connects_an_erp_which_deposits_a_flow_followed_in_suivi_des_flux(page, live_app):
    user, supplier = await supplier_with_structure()
    town = await make_structure(public=True, services=(("28E", "Enfance jeunesse"),))
    await login_as(page, user)

    # Mon compte: the workspace switched on opens its screen
    await page.goto("/mon-compte")
    await page.locator('[data-workspace="raccordement_edi_api"]').click()
    await page.get_by_role("link", name="Ouvrir Raccordement EDI et API").click()
    await page.wait_for_url("**/raccordement-edi-api")

    await page.locator("#conn-accounts-empty").wait_for()
    await page.locator("#conn-new-account").click()
    shown = page.locator("#conn-shown-account")
    account = re.compile(r"Compte technique (\S+) — mot de passe : (\S+)")
    await expect(shown).to_have_text(account, use_inner_text=True)
    await expect(shown).to_contain_text("Notez-le maintenant")
    login, password = account.search(await shown.inner_text()).groups()
    await page.locator("#conn-accounts", has_text=login).wait_for()
    await expect(page.locator("#conn-accounts")).not_to_contain_text(password)  # shown once, never listed

    await page.locator("#conn-client-name").fill("ERP de test")
    await page.locator("#conn-scope-process").uncheck()
    await page.locator("#conn-new-client").click()
    shown_client = page.locator("#conn-shown-client")
    client = re.compile(r"Client (\S+) — secret : (\S+)")
    await expect(shown_client).to_have_text(client, use_inner_text=True)
    client_id, secret = client.search(await shown_client.inner_text()).groups()
    await page.locator("#conn-clients", has_text="ERP de test").wait_for()
    await expect(page.locator("#conn-clients")).not_to_contain_text("Traitement des factures reçues")

    # a plain-HTTP address elsewhere is refused beside the form; loopback is allowed in tests
    await page.locator("#conn-webhook-url").fill("http://exemple.fr/chorale")
    await page.locator("#conn-new-webhook").click()
    await page.locator("#conn-error", has_text="L'adresse doit être en HTTPS.").wait_for()
    await page.locator("#conn-webhook-url").fill("http://127.0.0.1:9/chorale")
    await page.locator("#conn-event-flux-integre").check()
    await page.locator("#conn-new-webhook").click()
    await expect(page.locator("#conn-shown-webhook")).to_contain_text("whsec_")
    await page.locator("#conn-webhooks", has_text="Flux intégré").wait_for()

    # the ERP, over HTTP, with what the screen showed
    credentials = Credentials(client_id, secret, login, password, 0, 0)
    invoice_number = f"API-{random.randint(100000, 999999)}"
    async with Erp(None, credentials, base_url=live_app.url) as erp:
        assert (await erp.get_token()).status_code == 200
        deposited = await erp.call("/cpro/factures/v1/deposer/flux", {
            "fichierFlux": base64.b64encode(cii_invoice(supplier["identifier"], town["identifier"], number=invoice_number,
                                                        service_code="28E")).decode(),
            "nomFichier": "facture.xml", "syntaxeFlux": "IN_DP_E1_CII_16B"})
        assert deposited.status_code == 200, deposited.text
        numero = deposited.json()["numeroFluxDepot"]

        await page.goto("/suivi-des-flux")
        row = page.locator("#flows-table tbody tr", has_text=numero)
        await row.locator('[data-state="IN_INTEGRE"]').wait_for(timeout=40_000)
        await expect(row).to_contain_text("Intégré")
        await expect(row).to_contain_text("1 / 0")
        await row.get_by_role("link", name="Compte rendu").click()
        await page.wait_for_url("**/factures-emises/lots/*")

        # revoked from the screen: no more tokens
        await page.goto("/raccordement-edi-api")
        await page.locator("#conn-clients", has_text=client_id).wait_for()
        await page.locator("#conn-clients button[id^=revoke-client-]").click()
        await page.locator("#conn-clients", has_text="Révoqué").wait_for()
        assert (await erp.get_token()).status_code == 401


async def test_someone_who_manages_no_structure_is_told_so(page):
    from tests.support.factories import attach, make_user

    user = await make_user()
    structure = await make_structure()
    await attach(user["id"], structure["id"])  # attached, not the principal manager
    await login_as(page, user)
    await page.goto("/raccordement-edi-api")
    await page.locator("#conn-not-manager", has_text="Seul le gestionnaire principal").wait_for()
