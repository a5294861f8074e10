"""A visitor without an account validates a file on « Valider un fichier » and reads the report."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import expect

pytestmark = pytest.mark.browser

CORPUS = Path(__file__).parents[1] / "data" / "corpus"


async def test_a_visitor_validates_an_invoice_and_reads_each_layer(page):
    await page.goto("/")
    await page.get_by_role("link", name="Valider un fichier").click()
    await page.wait_for_url("**/valider-un-fichier")

    await page.locator("#validate-file").set_input_files(
        str(CORPUS / "invalid" / "not_validating_full_invoice_based_onTest_EeISI_300_CENfullmodel.ubl.xml"))
    # The app compiles the three layers' stylesheets and schemas on its first check: seconds on a loaded machine.
    await page.locator('#validation-report[data-verdict="refused"]').wait_for(timeout=60_000)
    await expect(page.locator("#validation-verdict")).to_have_text("Fichier non conforme : il serait refusé au dépôt.")
    await expect(page.locator("#layer-xsd")).to_have_attribute("data-status", "conforme")
    en = page.locator("#layer-en16931")
    await expect(en).to_have_attribute("data-status", "non_conforme")
    total = en.locator('[data-rule="BR-CO-15"]')
    for shown in ("Le total TTC (BT-112)", "attendu « 250 »", "Champ : Montant TTC"):
        await expect(total).to_contain_text(shown)
    await expect(page.locator("#layer-fr")).to_contain_text("ne bloquent pas le dépôt")

    await page.locator("#validate-file").set_input_files(str(CORPUS / "cii" / "factur-x-en16931.xml"))
    await page.locator('#validation-report[data-verdict="accepted"]').wait_for(timeout=30_000)
    await expect(page.locator("#layer-fr")).to_have_attribute("data-status", "conforme")
