"""A visitor without an account validates a file on « Valider un fichier » and reads the report."""

from __future__ import annotations

from pathlib import Path

import pytest

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
    assert await page.locator("#validation-verdict").inner_text() == "Fichier non conforme : il serait refusé au dépôt."
    assert await page.locator("#layer-xsd").get_attribute("data-status") == "conforme"
    en = page.locator("#layer-en16931")
    assert await en.get_attribute("data-status") == "non_conforme"
    total = await en.locator('[data-rule="BR-CO-15"]').inner_text()
    assert "Le total TTC (BT-112)" in total and "attendu « 250 »" in total and "Champ : Montant TTC" in total
    assert "ne bloquent pas le dépôt" in await page.locator("#layer-fr").inner_text()

    await page.locator("#validate-file").set_input_files(str(CORPUS / "cii" / "factur-x-en16931.xml"))
    await page.locator('#validation-report[data-verdict="accepted"]').wait_for(timeout=30_000)
    assert await page.locator("#layer-fr").get_attribute("data-status") == "conforme"
