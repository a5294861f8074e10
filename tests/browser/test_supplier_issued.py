"""Factures émises as the guide lays it out (issue 16): its tabs on every screen, « Dupliquer » on Synthèse
and on the detail, the Factur-X on the detail, Archives, and search results with their criteria and total."""

from __future__ import annotations

import random
import re

import pytest
from facturx import get_xml_from_pdf
from playwright.async_api import expect

from backend.domain.accounts.identity import Principal
from backend.domain.invoices import rules
from backend.domain.invoices.unit_of_work import change_invoice
from backend.infra.database import connection
from tests.browser.test_supplier_defects import deposit
from tests.support.browser import login_as
from tests.support.dashboard_data import make_invoice
from tests.support.factories import make_structure, supplier_with_structure
from tests.support.invoices import send_typed_invoice

pytestmark = pytest.mark.browser

TABS = ["Synthèse", "Rechercher", "Tableau de bord", "Saisir facture", "Dépôt factures", "Archives"]


async def expect_tabs(page, message: str | None = None) -> None:
    """The navigation shows exactly the guide's tabs, in its order."""
    nav = page.get_by_role("navigation", name="Onglets des factures émises")
    await page.locator("#issued-tabs[data-policy=ready]").wait_for()  # Saisir and Dépôt once the policy answered
    await expect(nav.get_by_role("link"), message).to_have_text(TABS, use_inner_text=True)


async def test_the_tabs_of_the_guide_lead_to_each_screen_and_show_on_each(page):
    user, supplier = await supplier_with_structure()
    await send_typed_invoice(user, supplier, await make_structure(public=True), number=f"T-{random.randint(1, 10**6)}")
    await login_as(page, user)
    await page.get_by_role("link", name="Factures émises", exact=True).first.click()
    await expect_tabs(page)
    expected = {"Synthèse": "/factures-emises", "Rechercher": "/factures/recherche", "Tableau de bord": "/tableau-de-bord",
                "Saisir facture": "/factures-emises/saisir", "Dépôt factures": "/factures-emises/deposer",
                "Archives": "/factures-emises/archives"}
    for label in [*reversed(TABS)]:  # from the last, so each click starts on another tab's screen
        nav = page.get_by_role("navigation", name="Onglets des factures émises")
        await nav.get_by_role("link", name=label, exact=True).click()
        await page.wait_for_url(f"**{expected[label]}*")
        await expect_tabs(page, label)
        await expect(page.locator("#issued-tabs li[aria-current=page]")).to_have_text(label, use_inner_text=True)


async def test_dupliquer_on_synthese_and_on_the_detail_and_the_facturx_on_the_detail(page):
    user, supplier = await supplier_with_structure()
    number = f"D-{random.randint(1, 10**6)}"
    invoice_id = await send_typed_invoice(user, supplier, await make_structure(public=True), number=number)
    await login_as(page, user)
    await page.goto("/factures-emises")
    row = page.locator(f"#issued-table tr[data-key='{invoice_id}']")
    await row.wait_for()
    await row.get_by_role("link", name=f"Dupliquer {number}").click()
    await page.wait_for_url("**/dupliquer")
    await page.locator("#h-number").wait_for()
    await expect(page.locator("#h-number")).to_have_value("")  # a new invoice: its own number to give
    await expect(page.locator("#line-0-description")).to_have_value("Prestation")

    await page.goto(f"/factures-emises/{invoice_id}")
    await page.locator("#detail-number").wait_for()
    async with page.expect_download() as info:
        await page.locator("#detail-facturx").click()
    _, xml = get_xml_from_pdf(open(await (await info.value).path(), "rb").read(), check_xsd=False)
    assert number.encode() in xml
    await page.get_by_role("link", name="Dupliquer", exact=True).click()
    await page.wait_for_url("**/dupliquer")
    await page.locator("#line-0-description").wait_for()


async def test_archives_hold_invoices_older_than_the_dashboard_searchable_and_downloadable(page, tmp_path):
    user, supplier = await supplier_with_structure()
    recipient = await make_structure(public=True)
    await login_as(page, user)
    form_url = await deposit(page, tmp_path)  # a real PDF, so the archive has a file to download
    archived_id = int(form_url.rstrip("/").split("/")[-2])
    async with change_invoice(archived_id, Principal(user_id=user["id"], email=user["email"], display_name="x")) as change:
        change.transition(rules.Action.SEND, role=rules.Role.SUPPLIER)
    async with connection() as conn:  # deposited three years ago
        await conn.execute("UPDATE invoice SET deposited_at = now() - interval '3 years', number = $2::varchar, number_norm = lower($2::varchar)"
                           " WHERE id = $1",
                           archived_id, f"OLD-{archived_id}")
    other = await make_invoice(supplier["id"], recipient["id"], "MISE_A_DISPOSITION", deposited_days_ago=5 * 365)
    recent = await make_invoice(supplier["id"], recipient["id"], "MISE_A_DISPOSITION", deposited_days_ago=30)
    too_old = await make_invoice(supplier["id"], recipient["id"], "MISE_A_DISPOSITION", deposited_days_ago=11 * 365)

    await page.goto("/factures-emises")
    await page.get_by_role("navigation", name="Onglets des factures émises").get_by_role("link", name="Archives").click()
    table = page.locator("#archives-list")
    # exactly the two archived invoices, in whichever order, neither the recent one nor the one past ten years
    numbers = table.locator("[data-col=number]")
    await expect(numbers).to_have_count(2)
    for shown in (f"OLD-{archived_id}", other["number"]):
        await expect(numbers.get_by_text(shown, exact=True), shown).to_have_count(1)
    for hidden in (recent["number"], too_old["number"]):
        await expect(numbers.get_by_text(hidden, exact=True), hidden).to_have_count(0)
    await expect(page.locator("#archives-window")).to_contain_text("dix ans")

    await page.locator("#archives-numero").fill(f"OLD-{archived_id}")
    await page.locator("#archives-submit").click()
    await expect(page.locator("#archives-list tbody tr")).to_have_count(1)
    async with page.expect_download() as info:
        await table.locator(f"[data-download='{archived_id}']").click()
    assert open(await (await info.value).path(), "rb").read().startswith(b"%PDF")


async def test_search_results_recall_the_criteria_and_give_the_total(page):
    user, supplier = await supplier_with_structure()
    recipient = await make_structure(public=True)
    tag = random.randint(1, 10**6)
    for i in range(3):
        await make_invoice(supplier["id"], recipient["id"], "MISE_A_DISPOSITION", number=f"R{tag}-{i}")
    await login_as(page, user)
    await page.goto("/factures-emises")
    await page.get_by_role("navigation", name="Onglets des factures émises").get_by_role("link", name="Rechercher").click()
    await page.locator("#s-numero").fill(f"R{tag}-1")
    await page.locator("#search-submit").click()
    count = page.locator("#results-count")
    await expect(count).to_have_text("1 facture(s) trouvée(s)")
    criteria = page.locator("#results-criteria")
    for shown in ("Numéro de facture", f"R{tag}-1", "Factures émises"):
        await expect(criteria).to_contain_text(shown)

    await page.get_by_role("link", name="Modifier la recherche").click()
    await page.locator("#search-submit").click()  # no criterion: all of them
    await expect(count).to_have_text(re.compile(r"^3 "))
    # the total and the rows load apart (the count is its own query): the rows may come a moment later
    await expect(page.locator("#invoice-list tbody tr")).to_have_count(3)


@pytest.mark.parametrize("side", ["supplier", "recipient"])
async def test_after_login_each_user_lands_in_their_main_workspace(page, side):
    from tests.support.factories import recipient_with_structure

    user, _ = await (supplier_with_structure() if side == "supplier" else recipient_with_structure())
    await login_as(page, user)
    expected = "/factures-emises" if side == "supplier" else "/factures-recues"
    await page.wait_for_url(f"**{expected}")
    heading = "Factures émises" if side == "supplier" else "Factures reçues"
    await page.get_by_role("heading", name=heading).first.wait_for()
    await expect(page.get_by_role("button", name="Tester les mises à jour en direct")).to_have_count(0)
    # the workspace's content loads (not only its heading)
    await page.locator("#issued-table-empty, #received-list-empty, #received-list").first.wait_for()
    await page.go_back()  # the landing redirect replaced its history entry: Back leaves the workspace
    await page.wait_for_url(lambda url: not url.endswith(expected))
    assert "/espace" not in page.url and "/connexion" in page.url, page.url
