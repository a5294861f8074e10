from __future__ import annotations

import random

import pytest
from playwright.async_api import expect

from backend.domain.directory.stock import record
from backend.domain.directory.store import load_records, rebuild_prefixes
from backend.infra.database import connection
from tests.support.factories import random_siret

pytestmark = pytest.mark.browser


async def _establishments(tag: str) -> list[str]:
    sirets = [random_siret() for _ in range(3)]
    async with connection() as conn:
        async with conn.transaction():
            ids = await load_records([
                record(siret=sirets[0], denomination=f"Mairie de {tag}", city=tag.upper(), postcode="67300", categorie_juridique="7210"),
                record(siret=sirets[1], denomination=f"Médiathèque de {tag}", city=tag.upper(), postcode="67300", categorie_juridique="7210"),
                record(siret=sirets[2], denomination=f"Mairie annexe {tag}", city=tag.upper(), postcode="67300",
                       categorie_juridique="7210", active=False),
            ])
            await rebuild_prefixes(ids)
    return sirets


async def test_typing_navigating_with_arrows_and_enter_selects_an_establishment(page, client):
    tag = "".join(random.choice("bcdfghjklmnpqrstvz") for _ in range(8))
    hall, library, closed = await _establishments(tag)
    await page.goto("/annuaire")
    box = page.get_by_role("combobox", name="Structure (SIRET, SIREN ou nom)")
    await box.click()
    await page.keyboard.type(f"{tag[:6]} ma", delay=40)
    options = page.locator("#annuaire-siret-listbox").get_by_role("option")
    await options.first.wait_for()
    # the town hall and the closed annex; not the library (the last keystroke's answer may still be coming)
    await expect(options).to_have_count(2)
    await expect(options.nth(1)).to_contain_text("fermé")
    await page.keyboard.press("ArrowDown")
    await expect(page.locator("#annuaire-siret-option-1")).to_have_attribute("aria-selected", "true")
    await page.keyboard.press("ArrowUp")
    await expect(page.locator("#annuaire-siret-option-0")).to_have_attribute("aria-selected", "true")
    await page.keyboard.press("Enter")
    chosen = page.locator("#annuaire-siret-selected")
    await expect(chosen).to_have_attribute("data-siret", hall)
    await expect(chosen).to_contain_text(f"Mairie de {tag}")


async def test_an_unknown_name_says_no_result_and_a_bad_siret_says_so(page, client):
    await page.goto("/annuaire")
    await page.get_by_role("combobox", name="Structure (SIRET, SIREN ou nom)").click()
    await page.keyboard.type("zzqxwv", delay=30)
    await page.get_by_text("Aucun établissement ne correspond.").wait_for()
    await page.get_by_role("combobox", name="Structure (SIRET, SIREN ou nom)").fill("")
    await page.get_by_role("combobox", name="Structure (SIRET, SIREN ou nom)").type("21670447800018", delay=20)
    await page.get_by_text("Numéro SIRET invalide (clé de contrôle).").wait_for()


async def test_the_advanced_search_filters_by_town_and_type(page, client):
    tag = "".join(random.choice("bcdfghjklmnpqrstvz") for _ in range(8))
    await _establishments(tag)
    await page.goto("/annuaire")
    await page.locator("#adv-city").fill(tag)
    await page.locator("#adv-kind").select_option("public")
    await page.get_by_role("button", name="Rechercher").click()
    rows = page.locator("#advanced-results tbody tr")
    await rows.first.wait_for()
    await expect(rows).to_have_count(3)
