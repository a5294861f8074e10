from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from playwright.async_api import expect

from backend.domain.accounts.identity import Principal
from tests.support.dashboard_data import make_invoice
from tests.support.factories import make_structure, supplier_with_structure

from tests.support.browser import login_as
from tests.support.invoice_actions import apply_action

pytestmark = pytest.mark.browser



async def test_counts_open_exactly_their_invoices_export_to_xlsx_and_move_live(page, client):
    user, supplier = await supplier_with_structure()
    recipient = await make_structure(public=True)
    suspended = [await make_invoice(supplier["id"], recipient["id"], "SUSPENDUE", deposited_days_ago=d) for d in (2, 40)]
    available = [await make_invoice(supplier["id"], recipient["id"], "MISE_A_DISPOSITION", deposited_days_ago=d) for d in (1, 3, 5)]
    await make_invoice(supplier["id"], recipient["id"], "REFUSEE", deposited_days_ago=4)

    await login_as(page, user)
    await page.get_by_role("link", name="Tableau de bord", exact=True).first.click()  # the main menu's
    row = page.locator(f"#dashboard-S tr[data-structure='{supplier['id']}']")
    await row.wait_for()
    await expect(row.locator("[data-column=suspendue]")).to_have_text("2")
    await expect(row.locator("[data-column=mise_a_disposition]")).to_have_text("3")
    await expect(row.locator("[data-column=refusee_rejetee]")).to_have_text("1")
    await expect(row.locator("[data-column=total]")).to_have_text("6")

    await row.locator("[data-column=suspendue] a").click()
    await page.wait_for_url("**/factures/liste?*colonne=suspendue*")
    table = page.locator("#invoice-list tbody tr")
    # exactly the two suspended invoices, in whichever order the list sorts them
    numbers = table.locator("[data-col=number]")
    await expect(numbers).to_have_count(len(suspended))
    for invoice in suspended:
        await expect(numbers.get_by_text(invoice["number"], exact=True)).to_have_count(1)

    await page.locator("#filter-from").fill((date.today() - timedelta(days=10)).isoformat())
    await page.locator("#filter-apply").click()
    await page.wait_for_url("**du=*")
    await expect(table).to_have_count(1)
    await expect(table.locator("[data-col=number]")).to_have_text([suspended[0]["number"]])

    await page.locator("#export-xlsx").click()
    link = page.locator("#export-download")
    await link.wait_for(timeout=20_000)
    async with page.expect_download() as download_info:
        await link.click()
    download = await download_info.value
    sheet = load_workbook(io.BytesIO(open(await download.path(), "rb").read())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][4] == "Numéro de facture" and [r[4] for r in rows[1:]] == [suspended[0]["number"]]

    await page.get_by_role("link", name="Tableau de bord", exact=True).click()
    await page.get_by_role("link", name="Graphiques").click()
    chart = page.locator("#chart-status svg")
    await chart.wait_for()
    await expect(page.locator("#chart-status")).to_contain_text("Suspendue")
    await page.get_by_role("link", name="Suivi des factures").click()
    await row.wait_for()
    await apply_action(available[0]["id"], "SUSPEND", Principal(user_id=user["id"], email=user["email"], display_name="x"),
                       role="RECIPIENT", reason="Pièce justificative manquante")
    await expect(row.locator("[data-column=suspendue]")).to_have_text("3")
    await expect(row.locator("[data-column=mise_a_disposition]")).to_have_text("2")
