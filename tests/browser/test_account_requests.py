"""Mon compte's « Demandes de rattachement » link: every holder of « Organisation modification » on the
structure sees it (the policy decides, not the gestionnaire principal's flag); « Organisation
consultation » does not, nor anyone once no request waits."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from backend.infra.database import connection
from shared.applications import Application, Level
from tests.support.browser import login_as
from tests.support.factories import attach, make_structure, make_user, random_siret

pytestmark = pytest.mark.browser

LINK = "Des demandes de rattachement attendent votre décision : onglet « Approbations »."


async def open_account(page, user: dict):
    await login_as(page, user)
    await page.get_by_role("link", name="Mon compte", exact=True).click()
    await expect(page.locator("#requests-policy")).to_have_attribute("data-policy", "ready")
    return page.get_by_role("link", name=LINK)


async def test_the_requests_link_shows_to_every_organisation_modification_holder(new_page):
    structure = await make_structure(siret=random_siret())
    boss, deputy, reader, asker = [await make_user() for _ in range(4)]
    await attach(boss["id"], structure["id"], principal=True, profiles={Application.ORGANISATION: Level.MODIFICATION})
    await attach(deputy["id"], structure["id"], profiles={Application.ORGANISATION: Level.MODIFICATION})
    await attach(reader["id"], structure["id"], profiles={Application.ORGANISATION: Level.CONSULTATION})

    page = await new_page()
    await expect(await open_account(page, deputy)).to_have_count(0)  # nothing waits yet

    async with connection() as conn:
        await conn.execute("INSERT INTO attachment (user_id, structure_id, status, comment) VALUES ($1, $2, 'demande', 'Bonjour')",
                           asker["id"], structure["id"])

    link = await open_account(await new_page(), deputy)
    await expect(link).to_be_visible()
    await link.click()
    await expect(link.page.get_by_role("tab", name="Approbations")).to_be_visible()
    await expect(link.page.locator("#approvals")).to_contain_text(asker["email"])

    await expect(await open_account(await new_page(), boss)).to_be_visible()
    await expect(await open_account(await new_page(), reader)).to_have_count(0)
