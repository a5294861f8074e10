"""Saisir facture as the guide lays it out (issue 16): asterisks on the required fields, the « Commentaire »
block, « au moins une ligne » said on the lines before sending, the deposit's own confirmation dialog (with
Net à payer); and « Dupliquer », which creates nothing until the user saves and keeps French decimals."""

from __future__ import annotations

import asyncio
import random
import re

import pytest
from playwright.async_api import expect

from backend.domain.accounts.identity import Principal
from backend.domain.invoices import manual
from backend.infra.database import connection
from tests.support.browser import login_as
from tests.support.factories import make_structure, supplier_with_structure
from tests.support.invoices import send_typed_invoice

pytestmark = pytest.mark.browser


async def _rows(structure_id: int) -> int:
    async with connection() as conn:
        return await conn.fetchval("SELECT count(*) FROM invoice WHERE supplier_structure_id = $1", structure_id)


# « 1 234,50 » as the field shows it, whichever space (plain, no-break or narrow no-break) groups the thousands
FRENCH_PRICE = re.compile(r"^1[ \u00a0\u202f]234,50$")


async def test_saisir_marks_required_fields_has_a_comment_and_asks_for_a_line_before_sending(page):
    user, supplier = await supplier_with_structure()
    await send_typed_invoice(user, supplier, await make_structure(public=True), number=f"M-{random.randint(1, 10**6)}")  # signs the mandate
    await login_as(page, user)
    await page.goto("/factures-emises/saisir")
    await page.locator("#h-number").wait_for()
    await page.locator("#issued-tabs[data-policy=ready] li[aria-current=page]", has_text="Saisir facture").wait_for()
    for label in ("h-structure", "h-cadre", "h-number", "h-invoice_date", "h-currency", "manual-recipient"):
        await expect(page.locator(f"label[for={label}]"), label).to_contain_class("required")
    await expect(page.locator("#lines-title")).to_contain_class("required")
    await expect(page.locator("#lines-hint")).to_contain_text("au moins une")
    comment = page.get_by_label("Commentaire", exact=True)
    await comment.fill("Livraison en deux fois")
    await expect(page.locator("#h-comment-hint")).to_contain_text("facultatif", ignore_case=True)

    before = await _rows(supplier["id"])
    await page.locator("#manual-send").click()  # no line typed
    error = page.locator("#lines-error")
    await expect(error).to_contain_text("au moins une ligne")
    await expect(page.locator("#confirm-dialog")).to_have_count(0)  # said on the lines, before any dialog
    assert await _rows(supplier["id"]) == before
    await page.locator("#lang-toggle").click()
    await expect(error).to_contain_text("at least one invoice line")
    await page.locator("#lang-toggle").click()
    await page.wait_for_function("document.cookie.includes('lang=fr')")


async def _sent_with_decimals(user: dict, supplier: dict, recipient: dict, number: str) -> int:
    await send_typed_invoice(user, supplier, recipient, number=f"{number}-0", service_code="S1")  # signs the mandate
    principal = Principal(user_id=user["id"], email=user["email"], display_name="Fournisseur")
    invoice_id = await manual.save_manual(principal, structure_id=supplier["id"], lines=[
        {"description": "Maintenance", "quantity": "1", "unit_price": "1 234,50", "vat_rate": "20"}],
        header={"number": number, "invoice_date": "2026-03-12", "recipient_siret": recipient["identifier"], "comment": "Premier trimestre",
                "recipient_service_code": "S1"})
    await manual.send_manual(principal, invoice_id)
    return invoice_id


async def test_dupliquer_creates_nothing_until_saved_keeps_french_decimals_and_sends_through_the_deposit_dialog(page):
    user, supplier = await supplier_with_structure()
    recipient = await make_structure(public=True, requires_service_code=True, services=(("S1", "Service un"),))
    number = f"DU-{random.randint(1, 10**6)}"
    original = await _sent_with_decimals(user, supplier, recipient, number)
    before = await _rows(supplier["id"])
    await login_as(page, user)

    await page.goto("/factures-emises")
    await page.locator(f"#issued-table tr[data-key='{original}']").get_by_role("link", name=f"Dupliquer {number}").click()
    await page.wait_for_url(f"**/factures-emises/{original}/dupliquer")
    price = page.locator("#line-0-unit_price")
    await expect(price).to_have_value(FRENCH_PRICE)  # French, as typed
    await expect(page.locator("#h-comment")).to_have_value("Premier trimestre")
    # the recipient requires a service code: its field has its asterisk as soon as the recipient is known
    await expect(page.locator("label[for=h-service]")).to_have_class("required")
    await page.locator("#issued-tabs[data-policy=ready]").wait_for()  # the tabs on the duplication form too
    assert await _rows(supplier["id"]) == before  # opening the copy created nothing
    await page.get_by_role("navigation", name="Onglets des factures émises").get_by_role("link", name="Synthèse").click()
    await page.locator(f"#issued-table tr[data-key='{original}']").wait_for()
    assert await _rows(supplier["id"]) == before  # nor did leaving it

    await page.goto(f"/factures-emises/{original}/dupliquer")
    await page.locator("#h-number").fill(f"{number}-2")
    await page.locator("#h-invoice_date").fill("2026-04-02")
    await page.locator("#manual-save").click()
    await page.get_by_role("status").filter(has_text="Brouillon enregistré").wait_for()
    assert await _rows(supplier["id"]) == before + 1
    async with connection() as conn:
        copy_id = await conn.fetchval("SELECT id FROM invoice WHERE duplicated_from_id = $1", original)
        history = await conn.fetch("SELECT status_to, action FROM invoice_status_history WHERE invoice_id = $1", copy_id)
    assert [tuple(r) for r in history] == [("BROUILLON", "CREATE")]
    async with connection() as conn:
        saved_at = await conn.fetchval("SELECT updated_at FROM invoice WHERE id = $1", copy_id)
    await page.locator("#manual-save").click()  # a second save changes the copy, it makes no other
    # The message already reads « Brouillon enregistré » from the first save: wait for the row itself, or the
    # send below could race this save (and be refused for the version it saw).
    for _ in range(150):
        async with connection() as conn:
            if await conn.fetchval("SELECT updated_at FROM invoice WHERE id = $1", copy_id) != saved_at:
                break
        await asyncio.sleep(0.1)
    else:
        raise AssertionError("the second save never reached the invoice")
    assert await _rows(supplier["id"]) == before + 1

    await page.goto(f"/factures-emises/{copy_id}/saisie")  # reopened: still in French
    await expect(price).to_have_value(FRENCH_PRICE)
    await expect(page.locator("#h-comment")).to_have_value("Premier trimestre")
    await page.locator("#manual-send").click()
    dialog = page.locator("#confirm-dialog")
    await expect(dialog).to_contain_text("Confirmation d'envoi")
    # (to_have_text reads every kind of space as one)
    await expect(dialog.locator("[data-amount=net_a_payer]")).to_have_text("Net à payer : 1 481,40 €")
    await page.locator("#confirm-send").click()
    await page.locator("#manual-sent").wait_for()
    assert await _rows(supplier["id"]) == before + 1

    # « Créer un avoir » from the sent message: the credit note's form, prefilled, nothing created until saved
    await page.locator("#credit-note").click()
    await page.wait_for_url(f"**/factures-emises/{copy_id}/avoir")
    await expect(price).to_have_value(FRENCH_PRICE)
    assert await _rows(supplier["id"]) == before + 1
    await page.locator("#h-number").fill(f"{number}-AV")
    await page.locator("#h-invoice_date").fill("2026-04-03")
    await page.locator("#manual-save").click()
    await page.get_by_role("status").filter(has_text="Brouillon enregistré").wait_for()
    async with connection() as conn:
        credit = await conn.fetchrow("SELECT kind, credit_note_of_id FROM invoice WHERE number = $1", f"{number}-AV")
    assert tuple(credit) == ("AVOIR", copy_id)
