from __future__ import annotations

import random
import re

import pytest
from facturx import get_xml_from_pdf
from playwright.async_api import expect

from backend.domain.directory.stock import record
from backend.domain.directory.store import load_records, rebuild_prefixes
from backend.domain.einvoice.validation import validate_en16931
from backend.infra.database import connection
from tests.support.factories import make_structure, random_siret, supplier_with_structure

from tests.support.browser import login_as, pick_in_autocomplete

pytestmark = pytest.mark.browser

ANY = re.compile(r".*")



async def _line(page, index, description, quantity, price, rate):
    await page.locator(f"#line-{index}-description").fill(description)
    await page.locator(f"#line-{index}-quantity").fill(quantity)
    await page.locator(f"#line-{index}-unit_price").fill(price)
    await page.locator(f"#line-{index}-vat_rate").select_option(rate)


async def _download_facturx(page) -> bytes:
    async with page.expect_download() as info:
        await page.locator("#download-facturx").click()
    return open(await (await info.value).path(), "rb").read()


async def test_a_manager_subscribes_the_mandate_types_an_invoice_sends_duplicates_and_gets_valid_facturx(page, client):
    tag = "".join(random.choice("bcdfghjklmnpqrstvz") for _ in range(7))
    user, structure = await supplier_with_structure()
    siret = random_siret()
    recipient = await make_structure(public=True, siret=siret, name=f"Mairie de {tag.title()}", services=(("ECOLES", "Écoles"),))
    async with connection() as conn:
        async with conn.transaction():
            ids = await load_records([record(siret=siret, denomination=f"Mairie de {tag.title()}", city=tag.upper(),
                                                   postcode="67000", categorie_juridique="7210")])
            await rebuild_prefixes(ids)

    await login_as(page, user)
    await page.goto("/factures-emises/saisir")
    await page.locator("#mandate-missing").wait_for()
    await page.get_by_role("link", name="Souscrire le mandat de facturation").click()
    await page.locator("#m-accept").check()
    await page.locator("#m-signed_name").fill(f"Camille {user['last_name']}")
    await page.locator("#mandate-sign").click()
    await page.locator("#mandate-active").wait_for()
    await page.get_by_role("link", name="Saisir une facture").click()

    await page.locator("#h-number").fill(f"S-{tag}-1")
    await page.locator("#h-invoice_date").fill("2026-03-12")
    await pick_in_autocomplete(page, "manual-recipient", f"mairie {tag[:5]}", siret, keyboard=True)
    await page.locator("#h-service option[value=ECOLES]").wait_for(state="attached")
    await page.locator("#h-service").select_option("ECOLES")
    await _line(page, 0, "Ramettes de papier", "10", "4,99", "20")
    await page.locator("#add-line").click()
    await _line(page, 1, "Manuels scolaires", "3", "17,35", "5.5")
    await page.locator("#add-line").click()
    await _line(page, 2, "Classeurs", "7", "2,15", "20")
    await expect(page.locator("#total-ttc")).to_have_text(re.compile(r"^132,85"))
    # each rate's row: its label (any), then its base and its VAT
    await expect(page.locator("#vat-recap [data-rate='20'] td")).to_have_text([ANY, "64,95 €", "12,99 €"])
    await expect(page.locator("#vat-recap [data-rate='5.5'] td")).to_have_text([ANY, "52,05 €", "2,86 €"])

    await page.locator("#manual-send").click()
    # the deposit's dialog: HT, TVA, TTC and Net à payer
    amounts = page.locator("#confirm-dialog #confirm-amounts")
    await expect(amounts.locator("[data-amount=total_ttc]")).to_contain_text("132,85")
    await expect(amounts.locator("[data-amount=net_a_payer]")).to_contain_text("132,85")
    await page.locator("#confirm-send").click()
    await page.locator("#manual-sent").wait_for()
    first = await _download_facturx(page)

    await page.locator("#duplicate").click()
    await page.wait_for_url("**/dupliquer")
    await page.locator("#line-2-quantity").wait_for()
    await expect(page.locator("#h-number")).to_have_value("")
    # The copy keeps the decimal comma its author typed (it used to switch to « 17.35 »).
    await expect(page.locator("#line-1-unit_price")).to_have_value("17,35")
    await page.locator("#h-number").fill(f"S-{tag}-2")
    await page.locator("#h-invoice_date").fill("2026-03-20")
    await page.locator("#line-2-quantity").fill("9")
    await expect(page.locator("#total-ttc")).to_have_text(re.compile(r"^138,01"))
    await page.locator("#manual-send").click()
    await page.locator("#confirm-send").click()
    await page.locator("#manual-sent").wait_for()
    second = await _download_facturx(page)

    for pdf, number in ((first, f"S-{tag}-1"), (second, f"S-{tag}-2")):
        _, xml = get_xml_from_pdf(pdf, check_xsd=True)
        assert number.encode() in xml
        report = validate_en16931(xml)
        assert report.valid, report.fatal_rules
