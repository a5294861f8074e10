"""A supplier deposits a lot of invoices in the browser and reads its integration report."""

from __future__ import annotations

import random

import pytest

from tests.support.browser import login_as
from tests.support.factories import make_structure, random_siret, supplier_with_structure
from tests.support.lots import archive, cii_invoice

pytestmark = pytest.mark.browser


async def test_a_supplier_deposits_a_lot_and_reads_which_invoices_were_integrated(page, tmp_path):
    user, supplier = await supplier_with_structure()
    town = await make_structure(public=True, services=(("28E", "Enfance jeunesse"),))
    good, unknown = (f"L-{random.randint(100000, 999999)}" for _ in range(2))
    stranger = random_siret()
    lot = tmp_path / "factures-mars.zip"
    lot.write_bytes(archive({"01-bonne.xml": cii_invoice(supplier["identifier"], town["identifier"], number=good, service_code="28E"),
                             "02-inconnue.xml": cii_invoice(supplier["identifier"], stranger, number=unknown)}))
    wrong = tmp_path / "factures.rar"
    wrong.write_bytes(b"Rar!\x1a\x07\x00 not a lot")
    await login_as(page, user)

    await page.goto("/factures-emises")
    await page.get_by_role("link", name="Déposer un lot de factures").click()
    await page.wait_for_url("**/factures-emises/lots")
    await page.locator("#lots-table-empty").wait_for()

    # a file that is not an archive is refused beside the field, and nothing is listed
    await page.locator("#lots-file").set_input_files(str(wrong))
    await page.locator("#lots-file-status", has_text="Le lot doit être un fichier .zip ou .tar.gz.").wait_for()

    # the format offers its syntaxes; CII for this lot
    assert await page.locator("#lots-syntax option").all_inner_texts() == ["UBL Invoice", "CII 16B"]
    await page.locator("#lots-format").select_option("PDF_FACTURX")
    await page.locator("#lots-syntax option", has_text="Factur-X").wait_for(state="attached")
    await page.locator("#lots-format").select_option("XML_STRUCTURE")
    await page.locator("#lots-syntax option", has_text="CII 16B").wait_for(state="attached")
    await page.locator("#lots-syntax").select_option("CII")
    await page.locator("#lots-file").set_input_files(str(lot))

    confirmation = page.locator("#lot-confirmation")
    await confirmation.wait_for()
    text = await confirmation.inner_text()
    assert text.startswith("Le lot de factures a été importé correctement sous le numéro [LOT")
    number = text.split("[")[1].rstrip("]")
    await page.get_by_role("link", name="Voir le compte rendu").click()
    await page.wait_for_url("**/factures-emises/lots/*")

    # the report fills in live: one integrated, one rejected with its reason
    await page.locator('#lot-status[data-status="PARTIEL"]').wait_for(timeout=30_000)
    assert number in await page.locator("h1").inner_text()
    assert await page.locator("#lot-summary").inner_text() == "1 intégrée(s), 1 rejetée(s), sur 2"
    rows = page.locator("#lot-entries tbody tr")
    assert await rows.count() == 2
    assert await rows.nth(0).locator("[data-status]").get_attribute("data-status") == "INTEGREE"
    rejected = rows.nth(1)
    assert await rejected.locator("[data-status]").get_attribute("data-status") == "REJETEE"
    assert stranger in await rejected.locator('[data-code="destinataire_inconnu"]').inner_text()

    await page.get_by_label("Afficher seulement les factures rejetées").check()
    await page.locator("#lot-entries tbody tr").nth(1).wait_for(state="detached")
    assert "02-inconnue.xml" in await page.locator("#lot-entries tbody tr").first.inner_text()
    await page.get_by_label("Afficher seulement les factures rejetées").uncheck()

    # the integrated invoice opens, sent, with its file
    await rows.nth(0).get_by_role("link", name=good).click()
    await page.wait_for_url("**/factures-emises/*")
    await page.locator("#invoice-status").wait_for()
    assert good in await page.locator("main").inner_text()

    # the lot is listed with its outcome
    await page.goto("/factures-emises/lots")
    listed = page.locator("#lots-table tbody tr")
    await listed.first.wait_for()
    assert number in await listed.first.inner_text()
    assert await listed.first.locator("[data-status]").get_attribute("data-status") == "PARTIEL"
