"""A supplier deposits a PDF invoice in the browser, from the drop to « Mise à disposition »."""

from __future__ import annotations

import io
import random
import re

import pytest
from playwright.async_api import expect

from backend.domain.directory.stock import record
from backend.domain.directory.store import load_records, rebuild_prefixes
from backend.domain.invoices.rules import Action, Role
from backend.infra.database import connection
from tests.pdfgen import make_invoice_pdf
from tests.support.browser import pick_in_autocomplete
from tests.support.factories import make_structure, random_siret, supplier_with_structure
from tests.support.invoice_actions import apply_action

pytestmark = pytest.mark.browser

# Records what the deposit screen shows as it changes, so a test can check steps that pass in a blink.
WATCH = """
window.__seen = {steps: [], bytes: [], snaps: []};
new MutationObserver(() => {
  document.querySelectorAll('#deposit-steps li[data-state="done"]').forEach((li) => {
    if (!window.__seen.steps.includes(li.dataset.step)) window.__seen.steps.push(li.dataset.step);
  });
  const snap = Array.from(document.querySelectorAll('#deposit-steps li')).map((li) => li.dataset.step + ':' + li.dataset.state).join(',');
  if (snap && window.__seen.snaps[window.__seen.snaps.length - 1] !== snap) window.__seen.snaps.push(snap);
  document.querySelectorAll('.upload-bytes').forEach((el) => {
    if (el.textContent && !window.__seen.bytes.includes(el.textContent)) window.__seen.bytes.push(el.textContent);
  });
}).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
"""


async def public_recipient(tag: str) -> dict:
    """A public body registered on Chorale, with services, and present in the directory for the autocomplete."""
    siret = random_siret()
    structure = await make_structure(public=True, siret=siret, name=f"Mairie de {tag}",
                                     services=(("28E", "Enfance jeunesse"), ("VOIRIE", "Voirie")))
    async with connection() as conn:
        async with conn.transaction():
            ids = await load_records([record(siret=siret, denomination=f"Mairie de {tag}", city=tag.upper(),
                                                   postcode="67300", categorie_juridique="7210")])
            await rebuild_prefixes(ids)
    return structure


async def login(page, user: dict) -> None:
    await page.goto("/connexion")
    await page.locator("#login-email").fill(user["email"])
    await page.locator("#login-password").fill(user["password"])
    await page.locator("#login-form button[type=submit]").click()
    await page.locator("#user-name").wait_for()


async def test_a_supplier_deposits_a_pdf_and_follows_it_to_its_recipient(page, tmp_path):
    tag = "".join(random.choice("bcdfghjklmnpqrstvz") for _ in range(8))
    user, structure = await supplier_with_structure()
    target = await public_recipient(tag)
    number = f"F-{random.randint(100000, 999999)}"
    # the PDF names a SIRET Chorale does not know: the recipient is chosen by hand
    pdf = tmp_path / "facture-mars.pdf"
    make_invoice_pdf(pdf, supplier_siret=structure["identifier"], recipient_siret=random_siret(), invoice_number=number,
                     service_code=None)
    png = tmp_path / "plan.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))

    await login(page, user)
    await page.add_init_script(WATCH)
    await page.goto("/factures-emises/deposer")
    await page.evaluate(WATCH)
    await expect(page.locator("#deposit-structure")).to_have_value(str(structure["id"]))  # only one: prefilled
    await expect(page.locator("#deposit-cadre")).to_have_value("A1")
    await page.locator("#deposit-file").set_input_files(str(pdf))

    # the form opens once the PDF is read, every step having been shown on the way
    await page.wait_for_url("**/factures-emises/*/modifier")
    seen = await page.evaluate("window.__seen")
    assert seen["steps"] == ["recu", "texte_lu", "champs_trouves", "pret"], seen
    assert any("100 %" in text for text in seen["bytes"]), seen["bytes"]
    await page.locator("#invoice-form").wait_for()
    await expect(page.locator("#inv-number")).to_have_value(number)
    await expect(page.locator("#inv-invoice_date")).to_have_value("2026-03-12")
    await expect(page.locator("#inv-total_ttc")).to_have_value("255,50")
    await expect(page.locator("#inv-engagement_number")).to_have_value("EJ-2026-778")
    await expect(page.locator("#inv-number-found")).to_contain_text("trouvé p.1")
    await expect(page.locator("#invoice-status")).to_have_attribute("data-status", "PROVISOIRE")

    # the recipient through the live autocomplete, then one of its service codes
    await pick_in_autocomplete(page, "inv-recipient", f"{tag[:6]} mai", target["identifier"])
    service = page.locator("#inv-recipient-service")
    await page.locator(f"#inv-recipient-service option[value='{target['services'][0]['id']}']").wait_for(state="attached")
    await service.select_option(str(target["services"][0]["id"]))

    # an attachment, uploaded with its own progress
    await page.locator("#attachment-file").set_input_files(str(png))
    row = page.locator("#attachments tbody tr")
    await expect(row.first).to_contain_text("plan.png")

    # Valider et envoyer → the confirmation shows the amounts → Confirmer et envoyer
    await page.get_by_role("button", name="Valider et envoyer").click()
    dialog = page.get_by_role("alertdialog")
    for shown in (number, target["identifier"], "255,50 €", "225,00 €"):
        await expect(dialog).to_contain_text(shown)
    await dialog.get_by_role("button", name="Confirmer et envoyer").click()

    await page.wait_for_url("**/factures-emises/*/attestation")
    certificate = page.locator("#certificate-number")
    await expect(certificate).to_have_text(re.compile(r"^\s*DEP-"))
    deposit_number = (await certificate.inner_text()).strip()
    async with page.expect_download() as download_info:
        await page.locator("#certificate-export").click()
    download = await download_info.value
    content = open(await download.path(), "rb").read()
    import pdfplumber

    assert deposit_number in pdfplumber.open(io.BytesIO(content)).pages[0].extract_text()

    # the status moves on by itself: routed, then made available to the recipient, without a reload
    await page.locator('#invoice-status[data-status="MISE_A_DISPOSITION"]').wait_for()
    await expect(page.locator("#invoice-status")).to_have_text("Mise à disposition")
    invoice_id = int(page.url.rstrip("/").split("/")[-2])
    await apply_action(invoice_id, Action.VALIDATE, None, role=Role.RECIPIENT)  # the recipient acts elsewhere
    await page.locator('#invoice-status[data-status="SERVICE_FAIT"]').wait_for()
    await page.get_by_role("link", name="Suivre la facture").click()
    history = page.locator("#history-table tbody tr")
    await history.nth(4).wait_for()
    await expect(history.nth(3)).to_contain_text("Mise à disposition")
    await expect(history.nth(4)).to_contain_text("Service fait")
    await expect(page.locator("#files-table")).to_contain_text("facture-mars.pdf")
    await expect(page.locator("#files-table")).to_contain_text("plan.png")


async def test_a_draft_is_listed_reopened_and_a_provisional_invoice_cancelled(page, tmp_path):
    user, structure = await supplier_with_structure()
    first, second = tmp_path / "brouillon.pdf", tmp_path / "abandon.pdf"
    make_invoice_pdf(first, invoice_number=f"B-{random.randint(100000, 999999)}")
    make_invoice_pdf(second, invoice_number=f"P-{random.randint(100000, 999999)}")
    await login(page, user)

    await page.goto("/factures-emises/deposer")
    await page.locator("#deposit-file").set_input_files(str(first))
    await page.wait_for_url("**/factures-emises/*/modifier")
    draft_url = page.url
    await page.locator("#inv-purchase_order").fill("BC-2026-17")
    await page.get_by_role("button", name="Enregistrer en mode brouillon").click()
    await page.locator("#form-saved").wait_for()
    # the heading's badge follows the live status event, which may land just after the save message
    await page.locator('#invoice-status[data-status="BROUILLON"]').wait_for()

    await page.goto("/factures-emises/deposer")
    await page.locator("#deposit-file").set_input_files(str(second))
    await page.wait_for_url("**/factures-emises/*/modifier")
    provisional_id = page.url.rstrip("/").split("/")[-2]

    # the Synthèse lists both: the draft and the form left unsaved (« Provisoire »)
    await page.goto("/factures-emises")
    rows = page.locator("#issued-table tbody tr")
    await rows.nth(1).wait_for()
    for i, status in enumerate(["PROVISOIRE", "BROUILLON"]):
        await expect(rows.nth(i).locator("[data-status]")).to_have_attribute("data-status", status)

    # the draft reopens with what was saved
    await rows.nth(1).get_by_role("link", name="Reprendre").click()
    await page.wait_for_url(draft_url)
    await page.locator("#invoice-form").wait_for()
    await expect(page.locator("#inv-purchase_order")).to_have_value("BC-2026-17")

    # « Annuler » on the provisional one removes it
    await page.goto(f"/factures-emises/{provisional_id}/modifier")
    await page.locator("#invoice-form").wait_for()
    await page.get_by_role("button", name="Annuler", exact=True).click()
    await page.wait_for_url("**/factures-emises")
    await page.locator("#issued-table tbody tr").first.wait_for()
    await expect(page.locator("#issued-table tbody tr")).to_have_count(1)
