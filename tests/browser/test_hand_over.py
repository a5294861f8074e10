"""Handing the gestionnaire principal's role over, through the interface: only the principal is offered it,
it asks first, then the colleague is principal (with Organisation modification) and the former one is not."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from backend.infra.database import connection
from shared.applications import Application, Level
from tests.support.browser import login_as
from tests.support.factories import attach, make_structure, make_user

pytestmark = pytest.mark.browser


async def test_the_gestionnaire_principal_hands_the_role_over(new_page, client):
    boss = await make_user(first_name="Alice", last_name="Partante")
    colleague = await make_user(first_name="Bruno", last_name="Suivant")
    structure = await make_structure()
    await attach(boss["id"], structure["id"], principal=True, profiles={Application.ORGANISATION: Level.MODIFICATION})
    await attach(colleague["id"], structure["id"], profiles={Application.FACTURES_EMISES: Level.MODIFICATION})

    page = await new_page()
    await login_as(page, boss)
    await page.get_by_role("link", name="Activités du gestionnaire", exact=True).click()
    await page.get_by_role("tab", name="Gérer les habilitations des utilisateurs").click()
    hand_over = page.get_by_role("button", name="Transmettre le rôle de gestionnaire principal Bruno Suivant")
    await hand_over.wait_for()
    await expect(page.get_by_role("button", name="Transmettre le rôle de gestionnaire principal Alice Partante")).to_have_count(0)
    await hand_over.click()
    dialog = page.get_by_role("alertdialog")
    await expect(dialog).to_contain_text("Bruno Suivant devient gestionnaire principal")
    await dialog.get_by_role("button", name="Transmettre le rôle de gestionnaire principal").click()
    # her rights changed: the open screen re-reads them at once (it is mounted again, on its first tab)
    await expect(page.get_by_role("tab", name="Approbations")).to_have_attribute("aria-selected", "true")
    await page.get_by_role("tab", name="Gérer les habilitations des utilisateurs").click()
    row = page.locator(f"#org-users tr[data-user='{colleague['email']}']")
    await expect(row).to_contain_text("gestionnaire principal")
    await expect(row).to_contain_text("Organisation modification")
    # no longer principal: the button is offered to nobody on this page
    await expect(page.get_by_role("button", name="Transmettre le rôle de gestionnaire principal Bruno Suivant")).to_have_count(0)
    async with connection() as conn:
        assert await conn.fetchval("SELECT user_id FROM attachment WHERE structure_id = $1 AND is_principal AND status = 'approuve'",
                                   structure["id"]) == colleague["id"]
