from __future__ import annotations

import pytest
from playwright.async_api import expect

from tests.support.factories import make_user, supplier_with_structure

from tests.support.browser import login_as

pytestmark = pytest.mark.browser



async def test_support_impersonates_a_supplier_is_refused_a_password_change_and_everything_is_journaled(new_page, client):
    agent = await make_user(is_support=True, first_name="Sacha")
    supplier, structure = await supplier_with_structure()
    page = await new_page()
    await login_as(page, agent)
    await page.get_by_role("link", name="Support", exact=True).click()
    await page.locator("#support-query").fill(structure["identifier"])
    await page.locator("#support-search").click()
    await page.locator(f"#support-results [data-user='{supplier['id']}']").click()
    await page.locator("#support-user").wait_for()
    await page.locator("#impersonate-start").click()          # no reason: refused
    await page.get_by_text("Indiquez le motif de l'intervention").wait_for()
    await page.locator("#impersonate-reason").fill("TICKET-4242 dépôt impossible")
    await page.locator("#impersonate-start").click()

    banner = page.locator("#impersonation-banner")
    await expect(banner).to_contain_text(supplier["email"])
    await expect(banner).to_contain_text("TICKET-4242")
    await page.get_by_role("link", name="Mon compte", exact=True).click()
    await page.locator(f"#my-structures [data-identifier='{structure['identifier']}']").wait_for()
    await expect(banner).to_be_visible()
    refused = await page.evaluate("""async () => {
        const r = await fetch('/api/accounts/me/password', {method: 'POST', headers: {'Content-Type': 'application/json'},
            body: JSON.stringify({current: 'x', password: 'Another-Pass-2026!', confirmation: 'Another-Pass-2026!'})});
        return [r.status, (await r.json()).message];
    }""")
    assert refused[0] == 403 and refused[1].startswith("Action bloquée pendant une intervention du support")

    await page.locator("#impersonation-quit").click()
    await page.locator("#support-query").wait_for()
    await expect(banner).to_have_count(0)
    await page.locator("#journal-link").click()
    journal = page.locator("#support-journal tbody tr")
    await expect(journal.and_(page.locator("[data-event=debut]")).first).to_be_attached()
    await expect(journal.and_(page.locator("[data-event=fin]")).first).to_be_attached()
    await expect(journal.and_(page.locator("[data-event=requete]")).nth(1)).to_be_attached()  # two or more
    await expect(page.locator("#support-journal")).to_contain_text("/api/accounts/me/password")

    own = await new_page()
    await login_as(own, supplier)
    await own.get_by_role("link", name="Mon compte", exact=True).click()
    activity = own.locator("#support-activity")
    await activity.get_by_text("TICKET-4242 dépôt impossible").wait_for()
    await expect(activity).to_contain_text("Sacha")
