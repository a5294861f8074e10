"""A subcontractor's invoice (A9): deposited naming the contract holder, validated by it, then received."""

from __future__ import annotations

import random

import pytest

from backend.domain.directory.services import rebuild_prefixes
from backend.domain.directory.stock import load_records, record
from backend.infra.database import connection
from shared.applications import Application, Level
from tests.pdfgen import make_invoice_pdf
from tests.support.browser import login_as, pick_in_autocomplete
from tests.support.factories import attach, make_structure, make_user, random_siret, supplier_with_structure

pytestmark = pytest.mark.browser


async def contract_holder(tag: str) -> tuple[dict, dict]:
    """The holder: a company on Chorale (and in the directory, for the autocomplete) with a validator."""
    siret = random_siret()
    structure = await make_structure(siret=siret, name=f"Bâtiments {tag} SA")
    async with connection() as conn:
        async with conn.transaction():
            ids = await load_records(conn, [record(siret=siret, denomination=f"Bâtiments {tag} SA", city="LYON", postcode="69002")])
            await rebuild_prefixes(conn, ids)
    user = await make_user()
    await attach(user["id"], structure["id"], principal=True, profiles={Application.FACTURES_A_VALIDER: Level.MODIFICATION})
    return user, structure


async def test_a_subcontractor_s_invoice_goes_through_its_contract_holder(new_page, tmp_path):
    tag = "".join(random.choice("bcdfghjklmnpqrstvz") for _ in range(8))
    supplier_user, supplier = await supplier_with_structure()
    holder_user, holder = await contract_holder(tag)
    target = await make_structure(public=True)
    number = f"ST-{random.randint(100000, 999999)}"
    pdf = tmp_path / "sous-traitance.pdf"
    make_invoice_pdf(pdf, supplier_siret=supplier["identifier"], recipient_siret=target["identifier"], invoice_number=number,
                     service_code=None)

    page = await new_page()
    await login_as(page, supplier_user)
    await page.goto("/factures-emises/deposer")
    await page.locator("#deposit-file").set_input_files(str(pdf))
    await page.wait_for_url("**/factures-emises/*/modifier")
    await page.locator("#invoice-form").wait_for()
    assert await page.locator("#block-holder").count() == 0  # A1: no holder

    # A9: the holder's block appears; sending without it is refused beside the field
    await page.locator("#inv-cadre").select_option("A9")
    await page.locator("#block-holder").wait_for()
    await page.get_by_role("button", name="Valider et envoyer").click()
    await page.get_by_role("alertdialog").get_by_role("button", name="Confirmer et envoyer").click()
    await page.locator("#block-holder .error", has_text="indiquez le titulaire du marché").wait_for()

    assert await page.get_by_role("combobox", name="SIRET du titulaire").count() == 1
    await pick_in_autocomplete(page, "inv-holder", f"{tag[:6]} bat")
    assert await page.locator("#inv-holder-selected").get_attribute("data-siret") == holder["identifier"]
    await page.get_by_role("button", name="Valider et envoyer").click()
    await page.get_by_role("alertdialog").get_by_role("button", name="Confirmer et envoyer").click()
    await page.wait_for_url("**/factures-emises/*/attestation")
    await page.locator('#invoice-status[data-status="A_VALIDER_TITULAIRE"]').wait_for()

    # the holder finds it in « Factures à valider » and validates it
    validator = await new_page()
    await login_as(validator, holder_user)
    await validator.get_by_role("link", name="Factures à valider", exact=True).click()
    await validator.wait_for_url("**/factures-a-valider")
    row = validator.locator("#validate-list tbody tr").first
    await row.wait_for()
    assert supplier["raison_sociale"] in await row.inner_text()
    await row.get_by_role("link", name=number).click()
    await validator.wait_for_url("**/factures-a-valider/*")
    assert holder["identifier"] in await validator.locator("#detail-holder").inner_text()
    await validator.get_by_role("button", name="Valider (titulaire)").click()
    await validator.locator("#action-confirm").click()
    await validator.locator('#invoice-status[data-status="MISE_A_DISPOSITION"]').wait_for()
    assert await validator.locator("#processing [data-action]").count() == 0

    # the supplier's page follows, live; the holder's list is empty again
    await page.locator('#invoice-status[data-status="MISE_A_DISPOSITION"]').wait_for()
    await validator.goto("/factures-a-valider")
    await validator.locator("#validate-list-empty").wait_for()
