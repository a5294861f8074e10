"""Invoices validated before their recipient: a subcontractor's (A9) by the contract holder, a works
invoice (A4) by the project manager then the owner."""

from __future__ import annotations

import random

import pytest
from playwright.async_api import expect

from backend.domain.directory.stock import record
from backend.domain.directory.store import load_records, rebuild_prefixes
from backend.infra.database import connection
from shared.applications import Application, Level
from tests.pdfgen import make_invoice_pdf
from tests.support.browser import login_as, pick_in_autocomplete
from tests.support.factories import attach, make_structure, make_user, random_siret, supplier_with_structure

pytestmark = pytest.mark.browser


async def validating_company(name: str, application: Application = Application.FACTURES_A_VALIDER) -> tuple[dict, dict]:
    """A company on Chorale (and in the directory, for the autocomplete) with a user validating from `application`."""
    siret = random_siret()
    structure = await make_structure(siret=siret, name=name)
    async with connection() as conn:
        async with conn.transaction():
            ids = await load_records([record(siret=siret, denomination=name, city="LYON", postcode="69002")])
            await rebuild_prefixes(ids)
    user = await make_user()
    await attach(user["id"], structure["id"], principal=True, profiles={application: Level.MODIFICATION})
    return user, structure


async def deposited_pdf(page, supplier: dict, target: dict, number: str, tmp_path, *, timeout: float = 10_000) -> None:
    """Deposit a PDF invoice as `supplier` (logged in on `page`) up to its form (`timeout`: a session's
    first PDF is read by a reading process still starting)."""
    pdf = tmp_path / f"{number}.pdf"
    make_invoice_pdf(pdf, supplier_siret=supplier["identifier"], recipient_siret=target["identifier"], invoice_number=number,
                     service_code=None)
    await page.goto("/factures-emises/deposer")
    await page.locator("#deposit-file").set_input_files(str(pdf))
    await page.wait_for_url("**/factures-emises/*/modifier", timeout=timeout)
    await page.locator("#invoice-form").wait_for()


async def opened_from_queue(page, workspace: str, path: str, number: str, *, showing: tuple[str, ...] = ()) -> str:
    """Open the invoice `number` from its row in a validator's workspace (reached by the navigation), once
    that row shows each text of `showing`; returns the row's text."""
    await page.get_by_role("link", name=workspace, exact=True).click()
    await page.wait_for_url(f"**{path}")
    row = page.locator("#validate-list tbody tr").first
    await row.wait_for()
    for shown in showing:
        await expect(row).to_contain_text(shown)
    text = await row.inner_text()
    await row.get_by_role("link", name=number).click()
    await page.wait_for_url(f"**{path}/*")
    return text


async def confirmed_action(page, button: str, status: str) -> None:
    """Click an action of the processing panel, confirm it, and wait for the status it leads to."""
    await page.get_by_role("button", name=button).click()
    await page.locator("#action-confirm").click()
    await page.locator(f'#invoice-status[data-status="{status}"]').wait_for()


async def send_from_form(page, *, confirm: bool | None = None) -> None:
    """« Valider et envoyer »; `confirm=True`: the confirmation is expected, and confirmed; `False`: a blocking
    problem is expected instead (the caller waits for it); `None`: whichever comes."""
    await page.get_by_role("button", name="Valider et envoyer").click()
    dialog = page.get_by_role("alertdialog")
    if confirm is False:
        return
    if confirm is None:
        # A blocking problem (no titulaire…) is shown beside its field before any confirmation opens. (A
        # problem an earlier send showed may still be there: pass `confirm` when the outcome is known.)
        await dialog.or_(page.locator("#block-holder .error, #block-project-manager .error")).first.wait_for()
        if not await dialog.count():
            return
    await dialog.get_by_role("button", name="Confirmer et envoyer").click()


async def test_a_subcontractor_s_invoice_goes_through_its_contract_holder(new_page, tmp_path):
    tag = "".join(random.choice("bcdfghjklmnpqrstvz") for _ in range(8))
    supplier_user, supplier = await supplier_with_structure()
    holder_user, holder = await validating_company(f"Bâtiments {tag} SA")
    target = await make_structure(public=True)
    number = f"ST-{random.randint(100000, 999999)}"

    page = await new_page()
    await login_as(page, supplier_user)
    await deposited_pdf(page, supplier, target, number, tmp_path)
    await expect(page.locator("#block-holder")).to_have_count(0)  # A1: no holder

    # A9: the holder's block appears; sending without it is refused beside the field
    await page.locator("#inv-cadre").select_option("A9")
    await page.locator("#block-holder").wait_for()
    await send_from_form(page, confirm=False)
    await page.locator("#block-holder .error", has_text="indiquez le titulaire du marché").wait_for()

    await expect(page.get_by_role("combobox", name="SIRET du titulaire")).to_have_count(1)
    await pick_in_autocomplete(page, "inv-holder", f"{tag[:6]} bat", holder["identifier"])
    await send_from_form(page, confirm=True)
    await page.wait_for_url("**/factures-emises/*/attestation")
    await page.locator('#invoice-status[data-status="A_VALIDER_TITULAIRE"]').wait_for()

    # the holder finds it in « Factures à valider » and validates it
    validator = await new_page()
    await login_as(validator, holder_user)
    await opened_from_queue(validator, "Factures à valider", "/factures-a-valider", number, showing=(supplier["raison_sociale"],))
    await expect(validator.locator("#detail-holder")).to_contain_text(holder["identifier"])
    await confirmed_action(validator, "Valider (titulaire)", "MISE_A_DISPOSITION")
    await expect(validator.locator("#processing [data-action]")).to_have_count(0)

    # the supplier's page follows, live; the holder's list is empty again
    await page.locator('#invoice-status[data-status="MISE_A_DISPOSITION"]').wait_for()
    await validator.goto("/factures-a-valider")
    await validator.locator("#validate-list-empty").wait_for()


async def test_a_works_invoice_goes_through_its_project_manager_then_its_owner(new_page, tmp_path):
    tag = "".join(random.choice("bcdfghjklmnpqrstvz") for _ in range(8))
    supplier_user, supplier = await supplier_with_structure()
    moe_user, moe = await validating_company(f"Ingénierie {tag}", Application.FACTURES_TRAVAUX)
    target = await make_structure(public=True)
    owner = await make_user()
    await attach(owner["id"], target["id"], profiles={Application.FACTURES_RECUES: Level.MODIFICATION})
    number = f"TX-{random.randint(100000, 999999)}"

    page = await new_page()
    await login_as(page, supplier_user)
    await deposited_pdf(page, supplier, target, number, tmp_path)
    await page.locator("#inv-cadre").select_option("A4")
    await page.locator("#block-project-manager").wait_for()
    await expect(page.locator("#block-holder")).to_have_count(0)
    await pick_in_autocomplete(page, "inv-project-manager", f"ingen {tag[:6]}", moe["identifier"])
    await send_from_form(page, confirm=True)
    await page.wait_for_url("**/factures-emises/*/attestation")
    await page.locator('#invoice-status[data-status="A_VALIDER_MOE"]').wait_for()

    # the project manager validates it from « Factures de travaux »
    manager = await new_page()
    await login_as(manager, moe_user)
    await opened_from_queue(manager, "Factures de travaux", "/factures-de-travaux", number)
    await expect(manager.locator("#detail-project-manager")).to_contain_text(moe["identifier"])
    await confirmed_action(manager, "Valider (maîtrise d'œuvre)", "A_VALIDER_MOA")

    # then the owner, its recipient, validates it in turn: it is then theirs to process
    owner_page = await new_page()
    await login_as(owner_page, owner)
    await page.locator('#invoice-status[data-status="A_VALIDER_MOA"]').wait_for()  # the supplier follows, live
    invoice_id = page.url.rstrip("/").split("/")[-2]
    await owner_page.goto(f"/factures-recues/{invoice_id}")
    await confirmed_action(owner_page, "Valider (maîtrise d'ouvrage)", "MISE_A_DISPOSITION")
    await owner_page.locator('#processing [data-action="VALIDATE"]').wait_for()
