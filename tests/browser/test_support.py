from __future__ import annotations

import pytest

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
    await banner.wait_for()
    assert supplier["email"] in await banner.inner_text() and "TICKET-4242" in await banner.inner_text()
    await page.get_by_role("link", name="Mon compte", exact=True).click()
    await page.locator(f"#my-structures [data-identifier='{structure['identifier']}']").wait_for()
    assert await banner.is_visible()
    refused = await page.evaluate("""async () => {
        const r = await fetch('/api/accounts/me/password', {method: 'POST', headers: {'Content-Type': 'application/json'},
            body: JSON.stringify({current: 'x', password: 'Another-Pass-2026!', confirmation: 'Another-Pass-2026!'})});
        return [r.status, (await r.json()).message];
    }""")
    assert refused[0] == 403 and refused[1].startswith("Action bloquée pendant une intervention du support")

    await page.locator("#impersonation-quit").click()
    await page.locator("#support-query").wait_for()
    assert not await banner.count()
    await page.locator("#journal-link").click()
    journal = page.locator("#support-journal tbody tr")
    await journal.first.wait_for()
    events = await page.locator("#support-journal tbody tr").evaluate_all("rows => rows.map(r => r.dataset.event)")
    assert "debut" in events and "fin" in events and events.count("requete") >= 2
    assert "/api/accounts/me/password" in await page.locator("#support-journal").inner_text()

    own = await new_page()
    await login_as(own, supplier)
    await own.get_by_role("link", name="Mon compte", exact=True).click()
    activity = own.locator("#support-activity")
    await activity.get_by_text("TICKET-4242 dépôt impossible").wait_for()
    assert "Sacha" in await activity.inner_text()
