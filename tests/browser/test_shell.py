from __future__ import annotations

import re

import pytest
from playwright.async_api import expect

pytestmark = pytest.mark.browser


async def test_the_shell_speaks_french_switches_to_english_and_back(page):
    await page.goto("/")
    await page.get_by_role("heading", name="Bienvenue sur Chorale").wait_for()
    for label in ("Accueil", "Factures émises", "Factures reçues", "Tableau de bord", "Mon compte"):
        await page.get_by_role("link", name=label, exact=True).wait_for()
    await page.get_by_role("button", name="Switch to English").click()
    await page.get_by_role("heading", name="Welcome to Chorale").wait_for()
    # The <html lang> is set by the address-sync component, which may commit just after the heading.
    await expect(page.locator("html")).to_have_attribute("lang", "en")
    await page.reload()
    await page.get_by_role("heading", name="Welcome to Chorale").wait_for()
    await page.get_by_role("button", name="Passer en français").click()
    await page.get_by_role("heading", name="Bienvenue sur Chorale").wait_for()


async def test_navigation_changes_the_address_without_reloading(page):
    await page.goto("/")
    await page.get_by_role("heading", name="Bienvenue sur Chorale").wait_for()
    await page.evaluate("window.__marker = 42")
    await page.get_by_role("link", name="Tableau de bord", exact=True).click()
    await page.wait_for_url("**/tableau-de-bord")
    assert await page.evaluate("window.__marker") == 42
    await page.go_back()
    await page.wait_for_url(lambda url: url.endswith(":%s/" % url.split(":")[2].split("/")[0]))
    await page.get_by_role("heading", name="Bienvenue sur Chorale").wait_for()


async def test_a_live_event_from_the_worker_process_appears_without_reloading(page):
    await page.goto("/")
    await page.evaluate("window.__marker = 7")
    await page.get_by_role("button", name="Tester les mises à jour en direct").click()
    await page.locator("[data-step=termine]").wait_for()
    # three steps, the last one done
    await expect(page.locator("#live-check-steps li")).to_have_text([re.compile(r".*"), re.compile(r".*"), re.compile(r"^Terminé")])
    assert await page.evaluate("window.__marker") == 7
