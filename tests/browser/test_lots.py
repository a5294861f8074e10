"""A supplier deposits lots of invoices in the browser through the guide's steps (file, format and
syntax, Structure, « Continuer »), watches the integration report fill in, reads each failed rule with its
field, line and value, downloads the report, corrects the rejected invoice and deposits it again.

The issue's mixed lot (a valid UBL, a valid CII, a Factur-X, an invalid invoice, an XML mixte, an XXE attempt)
goes in several lots: the guide gives one « Format de dépôt » and one « Syntaxe » per deposit (« ces dernières
devront respecter un des formats suivants »), so a CII lot (the valid CII, the invalid one, an unknown
recipient, the XXE), a UBL lot, an « XML mixte » lot (UBL Invoice Min) and a « PDF A3 » lot (the corrected
invoice as a Factur-X)."""

from __future__ import annotations

import json
import random
import re

import pytest
from playwright.async_api import expect

from tests.support.browser import login_as
from tests.support.factories import make_structure, random_siret, supplier_with_structure
from tests.support.lots import archive, cii_invoice, facturx_invoice, mixed_invoice, plain_pdf, ubl_invoice

pytestmark = pytest.mark.browser

XXE = (b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
       b'<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100">&x;'
       b'</rsm:CrossIndustryInvoice>')


async def choose_and_continue(page, path, deposit_format: str, syntax: str) -> str:
    """The guide's steps; returns the number the confirmation gives."""
    await page.locator("#lots-file").set_input_files(str(path))
    await page.locator("#lots-picked", has_text=path.name).wait_for()
    await page.locator("#lots-format").select_option(deposit_format)
    await page.locator(f'#lots-syntax option[value="{syntax}"]').wait_for(state="attached")
    await page.locator("#lots-syntax").select_option(syntax)
    await page.get_by_role("button", name="Continuer").click()
    confirmation = page.locator("#lot-confirmation")
    await expect(confirmation).to_have_text(
        re.compile(r"^Le lot de factures a été importé correctement sous le numéro \[CPP[^\]]*\]$"), use_inner_text=True)
    return (await confirmation.inner_text()).split("[")[1].rstrip("]")


async def test_a_supplier_deposits_lots_reads_the_report_and_redeposits_the_corrected_invoice(page, tmp_path):
    user, supplier = await supplier_with_structure()
    town = await make_structure(public=True, services=(("28E", "Enfance jeunesse"),))
    good, wrong_total, unknown = (f"L-{random.randint(100000, 999999)}" for _ in range(3))
    stranger = random_siret()
    valid = cii_invoice(supplier["identifier"], town["identifier"], number=wrong_total)
    lot = tmp_path / "factures-mars.zip"
    lot.write_bytes(archive({
        "01-bonne.xml": cii_invoice(supplier["identifier"], town["identifier"], number=good, service_code="28E"),
        "02-total-faux.xml": valid.replace(b">150.00<", b">151.00<"),  # the grand total no longer adds up
        "03-inconnue.xml": cii_invoice(supplier["identifier"], stranger, number=unknown),
        "04-xxe.xml": XXE}))
    await login_as(page, user)

    await page.goto("/factures-emises")
    await page.get_by_role("link", name="Déposer un lot de factures").click()
    await page.wait_for_url("**/factures-emises/lots")
    await page.locator("#lots-table-empty").wait_for()
    # The structure is chosen in « Informations complémentaires », the upload waits for « Continuer ».
    await expect(page.locator("#lots-structure")).to_contain_text(supplier["identifier"])
    await expect(page.get_by_role("button", name="Continuer")).to_be_disabled()
    await expect(page.locator("#lots-format option")).to_have_text(["XML structuré", "PDF A3", "XML mixte"])

    # An archive of XML declared « PDF A3 » is refused at once, naming its files.
    await page.locator("#lots-file").set_input_files(str(lot))
    await page.locator("#lots-picked", has_text=lot.name).wait_for()
    await page.locator("#lots-format").select_option("PDF_FACTURX")
    # as a person does, Continuer once the syntax offered is the format's: the server re-renders it, and a
    # click before that would send the XML format's syntax (refused as incoherent, not for its files)
    await page.locator('#lots-syntax option[value="FACTURX"]').wait_for(state="attached")
    await page.get_by_role("button", name="Continuer").click()
    await page.locator("#lots-file-status", has_text="01-bonne.xml").wait_for()
    await expect(page.locator("#lots-file-status")).to_contain_text("PDF A3")

    number = await choose_and_continue(page, lot, "XML_STRUCTURE", "CII")
    await page.get_by_role("link", name="Voir le compte rendu").click()
    await page.wait_for_url("**/factures-emises/lots/*")

    # The report fills in live: one integrated, three rejected, each with its reason.
    await page.locator('#lot-status[data-status="PARTIEL"]').wait_for(timeout=60_000)
    await expect(page.locator("h1")).to_contain_text(number)
    await expect(page.locator("#lot-summary")).to_have_text("1 intégrée(s), 3 rejetée(s), sur 4")
    rows = page.locator("#lot-entries tbody tr")
    await expect(rows.nth(0).locator("[data-status]")).to_have_attribute("data-status", "INTEGREE")
    total = rows.nth(1).locator('[data-rule="BR-CO-15"]')
    await expect(total).to_have_text(re.compile(r"^BR-CO-15 — Le total TTC \(BT-112\) doit être égal au total HT \(BT-109\)"),
                                     use_inner_text=True)
    await expect(total).to_contain_text("Champ : Montant TTC", use_inner_text=True)
    await expect(total).to_have_text(re.compile(r"\(ligne \d+\)\s: trouvé « 151.00 », attendu « 150.00 »"), use_inner_text=True)
    await expect(total).to_contain_text("Correction : ", use_inner_text=True)
    assert (await total.inner_text()).count("BR-CO-15") == 1  # read once the rule's whole text has shown
    await expect(rows.nth(2).locator('[data-code="destinataire_inconnu"]')).to_contain_text(stranger)
    await expect(rows.nth(3).locator('[data-code="xml_illisible"]')).to_contain_text("DOCTYPE")

    # The report downloads as a PDF and as JSON.
    async with page.expect_download() as pdf_download:
        await page.locator("#report-pdf").click()
    pdf = await (await pdf_download.value).path()
    assert open(pdf, "rb").read(5) == b"%PDF-"
    async with page.expect_download() as json_download:
        await page.locator("#report-json").click()
    report = json.loads(open(await (await json_download.value).path(), encoding="utf-8").read())
    assert report["number"] == number and [e["status"] for e in report["entries"]].count("REJETEE") == 3

    # The invoice created is found from the report, with its file.
    await rows.nth(0).get_by_role("link", name=good).click()
    await page.wait_for_url("**/factures-emises/*")
    await page.locator("h1", has_text=good).wait_for()
    await page.get_by_role("link", name="01-bonne.xml").wait_for()

    # A UBL lot, then an « XML mixte » lot: its invoice's main file is the PDF the XML carries.
    ubl_number, mixed_number = (f"L-{random.randint(100000, 999999)}" for _ in range(2))
    for name, files, deposit_format, syntax, invoice_number, main_file in (
            ("ubl.zip", {"ubl.xml": ubl_invoice(supplier["identifier"], town["identifier"], number=ubl_number)},
             "XML_STRUCTURE", "UBL", ubl_number, "ubl.xml"),
            ("mixte.zip", {"mixte.xml": mixed_invoice(supplier["identifier"], town["identifier"], number=mixed_number,
                                                      pdf=plain_pdf(f"Facture {mixed_number}"), filename="facture-mixte.pdf")},
             "XML_MIXTE", "UBL_MIN", mixed_number, "facture-mixte.pdf")):
        path = tmp_path / name
        path.write_bytes(archive(files))
        await page.goto("/factures-emises/lots")
        await choose_and_continue(page, path, deposit_format, syntax)
        await page.get_by_role("link", name="Voir le compte rendu").click()
        await page.locator('#lot-status[data-status="TRAITE"]').wait_for(timeout=60_000)
        await page.locator("#lot-entries tbody tr").first.get_by_role("link", name=invoice_number).click()
        await page.locator("h1", has_text=invoice_number).wait_for()
        await page.get_by_role("link", name=main_file).wait_for()

    # The corrected invoice, deposited again with a Factur-X, is integrated and linked to its rejected attempt.
    corrected = tmp_path / "correction.zip"
    corrected.write_bytes(archive({"02-total-corrige.pdf": facturx_invoice(supplier["identifier"], town["identifier"],
                                                                            number=wrong_total)}))
    await page.goto("/factures-emises/lots")
    second = await choose_and_continue(page, corrected, "PDF_FACTURX", "FACTURX")
    await page.get_by_role("link", name="Voir le compte rendu").click()
    await page.locator('#lot-status[data-status="TRAITE"]').wait_for(timeout=60_000)
    await expect(page.locator("h1")).to_contain_text(second)
    attempt = page.locator("#lot-entries tbody tr").first.locator(".previous-attempt")
    await expect(attempt).to_contain_text("02-total-faux.xml")
    await expect(attempt).to_contain_text(number)

    # Both lots are listed with their outcome.
    await page.goto("/factures-emises/lots")
    listed = page.locator("#lots-table tbody tr")
    await listed.nth(3).wait_for()
    await expect(listed.first).to_contain_text(second)
    await expect(listed.nth(3)).to_contain_text(number)
    await expect(listed.nth(1)).to_contain_text("XML mixte — UBL Invoice Min")
    await expect(listed.nth(3).locator("[data-status]")).to_have_attribute("data-status", "PARTIEL")
