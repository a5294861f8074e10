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


# Every state the main menu goes through, as the browser shows it (recorded from the first paint on).
RECORD_MENU = """
window.__menus = [];
document.addEventListener("DOMContentLoaded", () => {
  const record = () => {
    const links = [...document.querySelectorAll(".mainnav .nav-link")].map((a) => a.textContent).join("|");
    if (window.__menus[window.__menus.length - 1] !== links) window.__menus.push(links);
  };
  new MutationObserver(record).observe(document.body, {childList: true, subtree: true, characterData: true});
});
"""


async def test_the_menu_of_a_user_appears_whole_so_no_link_moves_under_the_pointer(page):
    from tests.support.browser import login_as
    from tests.support.factories import supplier_with_structure

    user, _ = await supplier_with_structure()
    await page.add_init_script(RECORD_MENU)
    await login_as(page, user)
    await page.get_by_role("link", name="Mon compte", exact=True).wait_for()
    await page.wait_for_function("document.querySelector('.mainnav').dataset.ready === 'true'")
    await page.reload()  # a page load as the user: the workspaces are read after the first paint
    await page.locator(".mainnav[data-ready=true]").wait_for()
    menus = [m for m in await page.evaluate("window.__menus") if m]
    # before, « Mon compte » came first and the workspaces' links were inserted before it a moment later
    assert menus and all(m == menus[-1] for m in menus), menus
    assert "Factures émises" in menus[-1] and "Mon compte" in menus[-1]
