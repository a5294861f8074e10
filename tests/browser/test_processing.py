from __future__ import annotations

import random

import pytest
from playwright.async_api import expect

from tests.support.browser import login_as
from tests.support.factories import recipient_with_structure, supplier_with_structure
from tests.support.invoices import send_typed_invoice

pytestmark = pytest.mark.browser


async def test_recipient_and_supplier_follow_each_other_live_through_suspension_completion_and_payment(new_page, client):
    supplier_user, supplier = await supplier_with_structure()
    recipient_user, recipient = await recipient_with_structure(services=(("ACHATS", "Achats"),))
    number = f"P-{random.randint(10000, 99999)}"

    desk = await new_page()
    await login_as(desk, recipient_user)
    await desk.get_by_role("link", name="Factures reçues", exact=True).click()
    await desk.locator("#received-list-empty, #received-list").first.wait_for()

    shop = await new_page()
    await login_as(shop, supplier_user)
    await shop.get_by_role("link", name="Tableau de bord", exact=True).first.click()  # the main menu's
    paid_cell = shop.locator(f"#dashboard-S tr[data-structure='{supplier['id']}'] [data-column=mise_en_paiement]")
    await expect(paid_cell).to_have_text("0")

    invoice_id = await send_typed_invoice(supplier_user, supplier, recipient, number=number, service_code="ACHATS")
    row = desk.get_by_role("link", name=number)
    await row.wait_for(timeout=20_000)  # arrives live once the worker has routed it
    await row.click()
    await desk.locator("#processing [data-action=SUSPEND]").click()
    await desk.locator("#action-reason").fill("Bon de livraison manquant")
    await desk.locator("#action-confirm").click()
    await desk.locator("#invoice-status").get_by_text("Suspendue").wait_for()

    await shop.goto(f"/factures-emises/{invoice_id}")
    await shop.locator("#invoice-status").get_by_text("Suspendue").wait_for()
    await shop.locator("#notification-count").wait_for()
    await shop.goto("/courriels")
    await shop.locator(f"#mailbox article[data-to='{supplier_user['email']}']").get_by_text("suspendue").first.wait_for()
    await shop.goto(f"/factures-emises/{invoice_id}")
    await shop.locator("#complete-comment").fill("Bon de livraison ajouté en pièce jointe")
    await shop.locator("#complete-submit").click()
    await shop.locator("#invoice-status").get_by_text("Complétée").wait_for()

    await desk.locator("#invoice-status").get_by_text("Complétée").wait_for()  # live, no reload
    await desk.locator("#processing [data-action=VALIDATE]").click()
    await desk.locator("#action-confirm").click()
    await desk.locator("#invoice-status").get_by_text("Service fait").wait_for()

    await shop.get_by_role("link", name="Tableau de bord", exact=True).first.click()  # the main menu's (the Factures émises tab is the other)
    await expect(paid_cell).to_have_text("0")
    await desk.locator("#processing [data-action=PUT_IN_PAYMENT]").click()
    await desk.locator("#payment-date").fill("2026-04-02")
    await desk.locator("#action-confirm").click()
    await desk.locator("#invoice-status").get_by_text("Mise en paiement").wait_for()
    await expect(paid_cell).to_have_text("1")
