"""A structure's gestionnaire (« Organisation modification », not its gestionnaire principal) makes the
French reform rules blocking in « Gérer une structure »; the change is in the journal, and the structure's
next lot has an invoice breaking a French rule rejected instead of accepted with a warning. A member with
« Organisation consultation » sees the setting and cannot change it."""

from __future__ import annotations

import random

import pytest
from playwright.async_api import expect

from shared.applications import Application, Level
from tests.browser.test_lots import choose_and_continue
from tests.support.browser import login_as
from tests.support.factories import attach, make_structure, make_user, supplier_with_structure
from tests.support.lots import archive, cii_invoice

pytestmark = pytest.mark.browser


async def open_structure_tab(page) -> None:
    await page.goto("/organisation?onglet=structure")
    await page.locator('#french-rules[data-policy="ready"]').wait_for()


async def test_a_gestionnaire_makes_the_french_rules_blocking_for_the_structure_s_deposits(new_page, tmp_path):
    _, supplier = await supplier_with_structure()
    town = await make_structure(public=True)
    manager, reader = await make_user(), await make_user()
    await attach(manager["id"], supplier["id"], profiles={Application.ORGANISATION: Level.MODIFICATION,
                                                          Application.FACTURES_EMISES: Level.MODIFICATION})
    await attach(reader["id"], supplier["id"], profiles={Application.ORGANISATION: Level.CONSULTATION})

    reading = await new_page()
    await login_as(reading, reader)
    await open_structure_tab(reading)
    await expect(reading.locator("#french-rules-blocking")).to_be_disabled()
    await expect(reading.locator("#french-rules-readonly")).to_be_visible()

    page = await new_page()
    await login_as(page, manager)
    await open_structure_tab(page)
    box, state = page.locator("#french-rules-blocking"), page.locator("#french-rules-state")
    await expect(state).to_have_attribute("data-blocking", "false")
    await expect(box).not_to_be_checked()
    await box.check()
    await expect(page.get_by_role("status").filter(has_text="Réglage enregistré")).to_be_visible()
    await expect(state).to_have_attribute("data-blocking", "true")
    await expect(state).to_contain_text("bloquantes")

    await page.locator("#tab-journal").click()
    await expect(page.locator("#org-journal")).to_contain_text("Règles françaises modifiées")
    # Kept after a reload: it is the structure's setting, not the page's.
    await open_structure_tab(page)
    await expect(page.locator("#french-rules-blocking")).to_be_checked()

    # The structure's next lot: an invoice without its legal notes (BR-FR-05) is now rejected for it.
    number = f"FR-{random.randint(100000, 999999)}"
    invoice = cii_invoice(supplier["identifier"], town["identifier"], number=number)
    lot = tmp_path / "regles-fr.zip"
    lot.write_bytes(archive({"sans-mentions.xml": invoice.replace(b"<ram:SubjectCode>PMT</ram:SubjectCode>", b"")}))
    await page.goto("/factures-emises/lots")
    await choose_and_continue(page, lot, "XML_STRUCTURE", "CII")
    await page.get_by_role("link", name="Voir le compte rendu").click()
    await page.locator('#lot-status[data-status="REJETE"]').wait_for(timeout=60_000)
    await expect(page.locator('#lot-entries [data-rule^="BR-FR-05"]').first).to_be_attached()  # one or more
