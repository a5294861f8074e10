"""The interface hides what the policy denies (issue 14): a consultation profile on « Factures émises »
sees no Déposer, Déposer un lot, Reprendre, Compléter or Dupliquer; a modification profile on the same
structure does (the same selectors, so the absence is not a typo). Screens mark `data-policy="ready"`
once the policy answered: an absent button is then absent, not late."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from shared.applications import Application, Level
from tests.support.browser import login_as
from tests.support.dashboard_data import make_invoice
from tests.support.factories import attach, make_structure, make_user

pytestmark = pytest.mark.browser

ISSUED_ACTIONS = ("Déposer une facture", "Déposer un lot de factures", "Reprendre")


async def _offered(locator, offered: bool, name: str) -> None:
    if offered:
        await expect(locator.first, f"« {name} » is offered").to_be_attached()
    else:
        await expect(locator, f"« {name} » is not offered").to_have_count(0)


async def _check_offers(page, structure_id: int, draft: dict, suspended: dict, offered: bool) -> None:
    """The screens show the logged-in user every one of the supplier's actions when `offered`, else none."""
    await page.goto("/factures-emises")
    await page.locator(".screen[data-policy=ready] #issued-table tbody tr").first.wait_for()
    for name in ISSUED_ACTIONS:
        await _offered(page.get_by_role("link", name=name, exact=True), offered, name)
    await page.goto(f"/factures-emises/{suspended['id']}")
    await page.locator(".screen[data-policy=ready] #invoice-status").wait_for()
    await _offered(page.locator("#complete-invoice"), offered, "Compléter")
    await page.goto(f"/factures-emises/{draft['id']}")
    await page.locator(".screen[data-policy=ready] #invoice-status").wait_for()
    await _offered(page.get_by_role("link", name="Reprendre la saisie"), offered, "Reprendre la saisie")
    await page.goto(f"/factures/liste?cote=S&structure={structure_id}")
    await page.locator(".screen[data-policy=ready] #invoice-list tbody tr").first.wait_for()
    await _offered(page.get_by_role("link", name="Dupliquer"), offered, "Dupliquer")


async def test_a_consultation_user_is_offered_no_supplier_action_and_a_modification_user_is(new_page, client):
    structure = await make_structure()
    recipient = await make_structure(public=True)
    draft = await make_invoice(structure["id"], recipient["id"], "BROUILLON", deposited_days_ago=None)
    suspended = await make_invoice(structure["id"], recipient["id"], "SUSPENDUE")
    reader, writer = await make_user(), await make_user()
    await attach(reader["id"], structure["id"], profiles={Application.FACTURES_EMISES: Level.CONSULTATION})
    await attach(writer["id"], structure["id"], profiles={Application.FACTURES_EMISES: Level.MODIFICATION})

    page = await new_page()
    await login_as(page, reader)
    await _check_offers(page, structure["id"], draft, suspended, offered=False)

    other = await new_page()
    await login_as(other, writer)
    await _check_offers(other, structure["id"], draft, suspended, offered=True)


async def test_a_page_open_during_an_intervention_stops_acting_as_the_user_once_it_ends(new_page, client):
    """Issue 20, item 5: the intervention ends in another tab; the first tab's next click does not act as
    the user: its socket closes, and the page comes back as support itself."""
    agent = await make_user(is_support=True, first_name="Sacha")
    user = await make_user()
    structure = await make_structure()
    await attach(user["id"], structure["id"], profiles={Application.FACTURES_EMISES: Level.MODIFICATION})
    page = await new_page()
    await login_as(page, agent)
    await page.goto(f"/support?utilisateur={user['id']}")
    await page.locator("#impersonate-reason").fill("TICKET-SOCKET")
    await page.locator("#impersonate-start").click()
    await page.locator("#impersonation-banner").wait_for()

    other_tab = await page.context.new_page()
    await other_tab.goto("/")
    await other_tab.locator("#impersonation-quit").click()
    await other_tab.locator("#support-query").wait_for()

    await expect(page.locator("#impersonation-banner"), "the first tab still shows the intervention").to_have_count(1)
    await page.get_by_role("link", name="Factures émises", exact=True).click()
    await page.locator("#impersonation-banner").wait_for(state="detached", timeout=20_000)
    await page.get_by_role("link", name="Support", exact=True).wait_for()
