"""The README's Factures émises screenshots, taken on demand: `CHORALE_SCREENSHOTS=1 pytest
tests/browser/test_supplier_screenshots.py` writes them into docs/screenshots (1366 px wide, the common
laptop). Skipped otherwise: it checks nothing the other tests do not."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from tests.support.browser import login_as
from tests.support.dashboard_data import make_invoice
from tests.support.factories import make_structure, supplier_with_structure
from tests.support.invoices import send_typed_invoice

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not os.environ.get("CHORALE_SCREENSHOTS"), reason="CHORALE_SCREENSHOTS=1 takes the README's screenshots")]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


async def test_take_the_factures_emises_screenshots(new_page):
    user, supplier = await supplier_with_structure(name="Menuiserie Lefèvre et Fils")
    recipient = await make_structure(public=True, name="Mairie de Sélestat")
    for status, days, amount in (("MISE_A_DISPOSITION", 3, "1188.00"), ("SUSPENDUE", 12, "540.00"), ("MISE_EN_PAIEMENT", 40, "2400.00"),
                                 ("REFUSEE", 70, "96.00"), ("SERVICE_FAIT", 20, "1320.50"), ("MISE_A_DISPOSITION", 3 * 365, "880.00")):
        await make_invoice(supplier["id"], recipient["id"], status, deposited_days_ago=days, total_ttc=amount,
                           number=f"F-2026-{random.randint(100, 999)}", engagement="EJ-2026-778")
    await send_typed_invoice(user, supplier, recipient, number="F-2026-0042")
    page = await new_page()
    await page.set_viewport_size({"width": 1366, "height": 820})
    page.set_default_timeout(30_000)  # on demand, often on a busy machine
    await login_as(page, user)
    await page.wait_for_url("**/factures-emises")
    await page.locator("#issued-table").wait_for()
    await page.screenshot(path=str(SHOTS / "factures-emises.png"))
    await page.goto("/tableau-de-bord?cote=S")
    await page.locator("#dashboard-S").wait_for()
    await page.screenshot(path=str(SHOTS / "tableau-de-bord.png"))
    await page.locator("#dashboard-S [data-column=mise_a_disposition] a").first.click()
    await page.locator("#invoice-list tbody tr").first.wait_for()
    await page.locator("#results-count").get_by_text("trouvée").wait_for()
    await page.screenshot(path=str(SHOTS / "liste.png"))
    await page.goto("/factures-emises/saisir")
    await page.locator("#add-line").wait_for()
    await page.locator("#line-0-description").fill("Pose de menuiseries")
    await page.locator("#line-0-quantity").fill("3")
    await page.locator("#line-0-unit_price").fill("412,50")
    await page.locator("#total-ttc").wait_for()
    await page.screenshot(path=str(SHOTS / "saisir-facture.png"))
    await page.goto("/factures-emises/archives")
    await page.locator("#archives-list").wait_for()
    await page.screenshot(path=str(SHOTS / "archives.png"))
