"""Defects a supplier hit in Factures émises (issue 16), each clicked through as a person would."""

from __future__ import annotations

import random
import re

import pytest
from playwright.async_api import expect

from backend.domain.accounts.identity import Principal
from backend.domain.invoices import rules
from backend.domain.invoices.unit_of_work import change_invoice
from tests.browser.test_deposit import login
from tests.pdfgen import make_invoice_pdf
from tests.support.factories import make_structure, supplier_with_structure

pytestmark = pytest.mark.browser


async def deposit(page, tmp_path, name: str = "facture.pdf", **pdf) -> str:
    """Deposit a generated PDF and wait for its form; returns the form's URL."""
    path = tmp_path / name
    make_invoice_pdf(path, invoice_number=f"F-{random.randint(100000, 999999)}", **pdf)
    await page.goto("/factures-emises/deposer")
    await page.locator("#deposit-file").set_input_files(str(path))
    # the PDF is read by the worker first: allow for a busy machine
    await page.wait_for_url("**/factures-emises/*/modifier", timeout=30_000)
    await page.locator("#invoice-form").wait_for()
    return page.url


async def test_what_is_typed_and_attached_to_a_provisional_invoice_survives_leaving_the_form(page, tmp_path):
    user, _ = await supplier_with_structure()
    await login(page, user)
    png = tmp_path / "plan.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))

    # typed, then a pause: saved automatically, and the form says so
    form_url = await deposit(page, tmp_path)
    await page.locator("#inv-purchase_order").fill("BC-2026-17")
    await page.locator("#form-autosaved").wait_for()
    # attached, then the form left at once through the menu (no pause, no « Enregistrer »)
    await page.locator("#attachment-file").set_input_files(str(png))
    await page.locator("#attachments tbody tr").first.wait_for()
    await page.locator("#attachment-file").focus()
    await page.locator(".nav-link[href='/factures-emises']").first.click()
    await page.wait_for_url("**/factures-emises")

    await page.goto(form_url)
    await page.locator("#invoice-form").wait_for()
    await expect(page.locator("#inv-purchase_order")).to_have_value("BC-2026-17")
    await expect(page.locator("#attachments")).to_contain_text("plan.png")
    # still « Provisoire »: saving the draft stays the supplier's choice
    await expect(page.locator("#invoice-status")).to_have_attribute("data-status", "PROVISOIRE")


async def test_a_field_typed_just_before_leaving_is_kept(page, tmp_path):
    user, _ = await supplier_with_structure()
    await login(page, user)
    form_url = await deposit(page, tmp_path)
    await page.locator("#inv-purchase_order").fill("BC-VITE")
    await page.locator(".nav-link[href='/factures-emises']").first.click()  # well within the autosave's pause
    await page.wait_for_url("**/factures-emises")
    await page.goto(form_url)
    await page.locator("#invoice-form").wait_for()
    await expect(page.locator("#inv-purchase_order")).to_have_value("BC-VITE")


async def test_a_recipients_requirements_show_at_once_and_stop_the_send_before_its_confirmation(page, tmp_path):
    user, _ = await supplier_with_structure()
    target = await make_structure(public=True, requires_engagement=True, services=(("28E", "Enfance"),))
    await login(page, user)
    # the PDF names the recipient, but no engagement number
    await deposit(page, tmp_path, recipient_siret=target["identifier"], engagement_number=None)
    await page.locator("#inv-recipient-selected").wait_for()
    label = page.locator("label[for=inv-engagement_number]")
    await expect(label).to_contain_class("required")

    await page.get_by_role("button", name="Valider et envoyer").click()
    error = page.locator("#inv-engagement_number-error")
    await expect(error).to_have_text("Ce destinataire exige un numéro d'engagement.")
    await expect(page.locator("#inv-engagement_number")).to_have_attribute("aria-invalid", "true")
    await expect(page.get_by_role("alertdialog")).to_have_count(0)  # no confirmation of an invoice that cannot go

    # the same for a subcontractor's invoice (A9) naming no titulaire
    await page.locator("#inv-engagement_number").fill("EJ-1")
    await page.locator("#inv-cadre").select_option("A9")
    await page.locator("#inv-holder").wait_for()
    await page.get_by_role("button", name="Valider et envoyer").click()
    await expect(page.locator("#block-holder .error")).to_contain_text("titulaire")
    await expect(page.get_by_role("alertdialog")).to_have_count(0)
    await expect(label).to_have_class("required")

    # back to A1, everything required given: now the confirmation opens
    await page.locator("#inv-cadre").select_option("A1")
    await page.get_by_role("button", name="Valider et envoyer").click()
    await page.get_by_role("alertdialog").wait_for()
    await expect(page.locator("#inv-engagement_number-error")).to_have_count(0)


async def test_the_deposit_form_drops_what_no_longer_describes_the_values(page, tmp_path):
    user, _ = await supplier_with_structure()
    await login(page, user)
    await deposit(page, tmp_path)

    # the badge is its own element, describing the field, not part of its label (its accessible name)
    number = page.get_by_label("Numéro de facture", exact=True)
    await expect(number).to_have_id("inv-number")
    badge = page.locator("#inv-number-found")
    await expect(badge).to_contain_text("trouvé p.1")
    await expect(page.locator("label[for=inv-number]")).not_to_contain_text("trouvé")
    await expect(number).to_have_attribute("aria-describedby", re.compile(r"(^|\s)inv-number-found(\s|$)"))  # one of its ids
    # once the value is changed, it was not found in the PDF any more
    await number.fill("F-CHANGE")
    await badge.wait_for(state="detached")
    await expect(number).not_to_have_attribute("aria-describedby", re.compile("inv-number-found"))  # absent, or without it
    await expect(page.locator("#inv-total_ttc-found")).to_have_count(1)  # the others stay

    # A9 without titulaire: refused beside the field; switching to A12 drops the A9 message
    await page.locator("#inv-cadre").select_option("A9")
    await page.get_by_role("button", name="Valider et envoyer").click()
    await expect(page.locator("#block-holder .error")).to_contain_text("A9")
    await page.locator("#inv-cadre").select_option("A12")
    await page.locator("#block-holder .error").wait_for(state="detached")
    # nor above the buttons (where only other problems may be left): no summary naming A9 (not_to_contain_text
    # would demand that a summary exists)
    await expect(page.locator("#form-error", has_text="A9")).to_have_count(0)


async def test_a_sent_invoice_opens_read_only_with_why_and_its_detail(page, tmp_path):
    user, _ = await supplier_with_structure()
    await login(page, user)
    form_url = await deposit(page, tmp_path)
    invoice_id = int(form_url.rstrip("/").split("/")[-2])
    supplier = Principal(user_id=user["id"], email=user["email"], display_name="Camille")
    async with change_invoice(invoice_id, supplier) as change:  # sent (its routing is not the point here)
        change.transition(rules.Action.SEND, role=rules.Role.SUPPLIER)

    for form in ("saisie", "modifier"):  # the typed-in form and the deposit form alike
        await page.goto(f"/factures-emises/{invoice_id}/{form}")
        notice = page.locator("#not-editable")
        await expect(notice).to_contain_text("Cette facture a été envoyée : elle ne peut plus être modifiée.")
        await expect(page.locator("#h-number, #inv-number, #manual-save, #form-save")).to_have_count(0)
        await notice.get_by_role("link", name="Consulter").click()
        await page.wait_for_url(f"**/factures-emises/{invoice_id}")


async def test_the_mandates_address_and_signatory_are_prefilled_and_not_modifiable(page):
    user, structure = await supplier_with_structure()
    await login(page, user)
    await page.goto("/factures-emises/saisir")
    await page.get_by_role("link", name="Souscrire le mandat de facturation").click()
    address, signatory = page.locator("#m-postal_address"), page.locator("#m-signatory")
    await expect(address).to_have_value("1 rue de la Paix, 75002 Paris")
    await expect(signatory).to_have_value(f"Camille {user['last_name']}")
    for field in (address, signatory):
        await expect(field).to_be_editable(editable=False)
    await page.locator("#m-accept").check()
    await page.locator("#m-signed_name").fill(f"Camille {user['last_name']}")
    await page.locator("#mandate-sign").click()
    await page.locator("#mandate-active").wait_for()
