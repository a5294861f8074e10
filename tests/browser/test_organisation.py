"""Organisation through the interface only: a service-level rattachement approved in Approbations,
validators' workspaces that grant what they show, consultation → modification → detached live, and
notification preferences that can be unticked."""

from __future__ import annotations

import random

import pytest
from playwright.async_api import expect

from backend.domain.directory.stock import record
from backend.domain.directory.store import load_records, rebuild_prefixes
from backend.infra.database import connection
from shared.applications import Application, Level
from tests.browser.test_validators import confirmed_action, deposited_pdf, opened_from_queue, send_from_form
from tests.pdfgen import make_invoice_pdf
from tests.support.browser import login_as, pick_in_autocomplete
from tests.support.factories import attach, make_structure, make_user, random_siret, supplier_with_structure
from tests.support.invoices import send_typed_invoice

pytestmark = pytest.mark.browser


def _tag() -> str:
    return "".join(random.choice("bcdfghjklmnpqrstvz") for _ in range(8))


async def in_directory(structure: dict, name: str) -> None:
    """The structure as the SIRET autocomplete finds it."""
    async with connection() as conn:
        async with conn.transaction():
            ids = await load_records([record(siret=structure["identifier"], denomination=name, city="PARIS", postcode="75002")])
            await rebuild_prefixes(ids)


async def mails_to(address: str) -> list[dict]:
    async with connection() as conn:
        return [dict(r) for r in await conn.fetch("SELECT * FROM mail_outbox WHERE to_address = $1 ORDER BY id", address)]


async def signed_up_company(name: str) -> tuple[dict, dict]:
    """A company as sign-up leaves it: its creator is gestionnaire principal with Organisation and
    Factures émises modification, and only the default workspaces."""
    structure = await make_structure(siret=random_siret(), name=name)
    await in_directory(structure, name)
    boss = await make_user()
    await attach(boss["id"], structure["id"], principal=True, profiles={
        Application.ORGANISATION: Level.MODIFICATION, Application.FACTURES_EMISES: Level.MODIFICATION})
    return boss, structure


async def test_a_service_level_rattachement_approved_in_approbations_gives_that_service_s_invoices(new_page, client):
    tag = _tag()
    name = f"Mairie {tag}"
    manager = await make_user()
    mairie = await make_structure(public=True, name=name, services=(("COMPTA", "Comptabilité"), ("TECH", "Services techniques")))
    await in_directory(mairie, name)
    await attach(manager["id"], mairie["id"], principal=True, profiles={
        Application.ORGANISATION: Level.MODIFICATION, Application.FACTURES_RECUES: Level.MODIFICATION})
    supplier_user, supplier = await supplier_with_structure()
    mine, other = f"C-{random.randint(10000, 99999)}", f"T-{random.randint(10000, 99999)}"
    await send_typed_invoice(supplier_user, supplier, mairie, number=mine, service_code="COMPTA")
    await send_typed_invoice(supplier_user, supplier, mairie, number=other, service_code="TECH")

    agent = await make_user(first_name="Inès", last_name=f"Agent{tag}")
    page = await new_page()
    await login_as(page, agent)
    await expect(page.get_by_role("link", name="Factures reçues", exact=True)).to_have_count(0)
    await page.get_by_role("link", name="Mon compte", exact=True).click()
    await page.get_by_label("Je souhaite faire un rattachement à la maille service").check()
    await pick_in_autocomplete(page, "attach-structure", f"mairie {tag[:6]}", mairie["identifier"])
    await page.locator("#attach-picked").get_by_text(name).wait_for()
    await page.locator("#attach-submit").click()  # no service, no comment: refused beside the fields
    await page.get_by_text("Cochez au moins un service.").wait_for()
    await page.get_by_label("COMPTA — Comptabilité").check()
    await page.locator("#attach-submit").click()
    await page.get_by_text("Le commentaire est obligatoire.").wait_for()
    await page.locator("#attach-comment").fill("Je suis à la comptabilité de la mairie")
    await page.locator("#attach-submit").click()
    await page.get_by_text("Demande envoyée au gestionnaire de la structure.").wait_for()
    await page.locator(f"#my-attachment-requests tr[data-structure='{mairie['identifier']}']").get_by_text("En attente").wait_for()
    assert any("COMPTA" in m["body_text"] for m in await mails_to(manager["email"]))

    desk = await new_page()
    await login_as(desk, manager)
    await desk.get_by_role("link", name="Activités du gestionnaire", exact=True).click()
    await desk.get_by_role("tab", name="Approbations").wait_for()
    row = desk.locator("#approvals tbody tr", has_text=agent["email"])
    await expect(row).to_contain_text("COMPTA")
    await row.get_by_role("button", name=f"Valider Inès Agent{tag}").click()
    await desk.get_by_role("alertdialog").get_by_label("Factures reçues", exact=True).select_option("modification")
    await desk.locator("#decision-confirm").click()
    await desk.get_by_text("Demande validée.").wait_for()

    # the agent's open page gains the workspace live, then sees that service's invoices only
    received = page.get_by_role("link", name="Factures reçues", exact=True)
    await received.wait_for()
    await received.click()
    await page.get_by_role("link", name=mine).wait_for(timeout=20_000)
    await expect(page.get_by_role("link", name=other)).to_have_count(0)
    await page.get_by_role("link", name=mine).click()
    await page.locator("#processing [data-action=SUSPEND]").click()
    await page.locator("#action-reason").fill("Bon de commande manquant")
    await page.locator("#action-confirm").click()
    await page.locator("#invoice-status").get_by_text("Suspendue").wait_for()
    assert any("a été validée" in m["body_text"] for m in await mails_to(agent["email"]))


@pytest.mark.parametrize("case", ["holder", "works"])
async def test_a_company_named_validator_switches_its_workspace_on_and_validates(new_page, tmp_path, case):
    tag = _tag()
    works = case == "works"
    supplier_user, supplier = await supplier_with_structure()
    boss, company = await signed_up_company(f"{'Ingénierie' if works else 'Bâtiments'} {tag}")
    target = await make_structure(public=True)
    owner = await make_user()
    await attach(owner["id"], target["id"], profiles={Application.FACTURES_RECUES: Level.MODIFICATION})
    number = f"{'TX' if works else 'ST'}-{random.randint(100000, 999999)}"
    workspace, path = ("Factures de travaux", "/factures-de-travaux") if works else ("Factures à valider", "/factures-a-valider")

    page = await new_page()
    await login_as(page, supplier_user)
    await deposited_pdf(page, supplier, target, number, tmp_path, timeout=30_000)  # may be the session's first PDF
    await page.locator("#inv-cadre").select_option("A4" if works else "A9")
    block = "project-manager" if works else "holder"
    await page.locator(f"#block-{block}").wait_for()
    await pick_in_autocomplete(page, f"inv-{block}", f"{tag[:6]}", company["identifier"])
    await send_from_form(page, confirm=True)
    await page.locator(f'#invoice-status[data-status="{"A_VALIDER_MOE" if works else "A_VALIDER_TITULAIRE"}"]').wait_for()

    validator = await new_page()
    await login_as(validator, boss)
    # once the navigation knows the boss's workspaces (Factures émises shows), the validator's is not among them
    await validator.get_by_role("link", name="Factures émises", exact=True).first.wait_for()
    await expect(validator.get_by_role("link", name=workspace, exact=True)).to_have_count(0)
    if works:  # switched on in Mon compte
        await validator.get_by_role("link", name="Mon compte", exact=True).click()
        await validator.locator("[data-workspace=factures_travaux]").click()
        await validator.locator("[data-workspace=factures_travaux][aria-pressed=true]").wait_for()
    else:  # the notification's link, from the bell and the mail
        await validator.locator("#notification-count").wait_for(timeout=20_000)
        mail = next(m for m in await mails_to(boss["email"]) if number in m["body_text"])
        link = mail["body_text"].split("Activez-le : ")[1].split()[0]
        await validator.goto(link[link.index("/mon-compte"):])
        await validator.locator("#workspace-enable").click()
        await validator.locator("#workspace-to-enable").wait_for(state="detached")
    await opened_from_queue(validator, workspace, path, number)
    await confirmed_action(validator, "Valider (maîtrise d'œuvre)" if works else "Valider (titulaire)",
                           "A_VALIDER_MOA" if works else "MISE_A_DISPOSITION")

    desk = await new_page()
    await login_as(desk, owner)
    await desk.get_by_role("link", name="Factures reçues", exact=True).click()
    await desk.get_by_role("link", name=number).wait_for(timeout=20_000)


async def test_consultation_then_modification_then_detached_live(new_page, tmp_path, client):
    boss, company = await signed_up_company(f"Atelier {_tag()}")
    target = await make_structure(public=True)
    employee = await make_user(first_name="Jules", last_name=f"Employe{_tag()}")
    await attach(employee["id"], company["id"], profiles={Application.FACTURES_EMISES: Level.CONSULTATION})
    number = f"E-{random.randint(100000, 999999)}"
    await send_typed_invoice(boss, company, target, number=number)

    page = await new_page()
    await login_as(page, employee)
    await page.get_by_role("link", name="Factures émises", exact=True).click()
    await page.locator("#issued-table").get_by_text(number).wait_for()
    await page.locator(".screen[data-policy=ready] #issued-table").wait_for()  # an absent button is then absent, not late
    await expect(page.get_by_role("link", name="Déposer une facture")).to_have_count(0)
    pdf = tmp_path / "refused.pdf"
    make_invoice_pdf(pdf, supplier_siret=company["identifier"], recipient_siret=target["identifier"], invoice_number="X-1", service_code=None)
    refused = await page.request.post(f"/api/invoices/uploads?name=x.pdf&structure_id={company['id']}", data=pdf.read_bytes(),
                                      headers={"Origin": page.url.split("/factures")[0], "Content-Type": "application/pdf"})
    assert refused.status == 403
    await page.evaluate("window.__marker = 11")

    desk = await new_page()
    await login_as(desk, boss)
    await desk.get_by_role("link", name="Activités du gestionnaire", exact=True).click()
    await desk.get_by_role("tab", name="Gérer les habilitations des utilisateurs").click()
    await desk.get_by_role("button", name=f"Modifier les habilitations Jules {employee['last_name']}").click()
    await desk.get_by_role("alertdialog").get_by_label("Factures émises", exact=True).select_option("modification")
    await desk.locator("#user-dialog-confirm").click()
    await desk.get_by_text("Habilitations enregistrées.").wait_for()

    deposit = page.get_by_role("link", name="Déposer une facture")
    await deposit.wait_for()  # live: the open list shows the button without reload
    assert await page.evaluate("window.__marker") == 11
    await deposited_pdf(page, company, target, f"M-{random.randint(100000, 999999)}", tmp_path)
    await send_from_form(page, confirm=True)
    await page.wait_for_url("**/factures-emises/*/attestation")
    await page.get_by_role("link", name="Factures émises", exact=True).click()
    await page.locator("#issued-table").get_by_text(number).wait_for()
    await page.evaluate("window.__marker = 12")

    await desk.get_by_role("button", name=f"Détacher Jules {employee['last_name']}").click()
    await desk.locator("#user-dialog-confirm").click()
    await desk.get_by_text("Le commentaire est obligatoire.").wait_for()
    await desk.locator("#detach-comment").fill("A quitté l'entreprise")
    await desk.locator("#user-dialog-confirm").click()
    await desk.get_by_text("Utilisateur détaché.").wait_for()

    # the employee's open page loses the structure at once, without reload
    await page.locator("#issued-table").get_by_text(number).wait_for(state="detached")
    await page.get_by_role("link", name="Factures émises", exact=True).wait_for(state="detached")
    assert await page.evaluate("window.__marker") == 12


async def test_unticked_notification_preferences_stay_off_and_no_mail_comes_on_refusal(new_page, client):
    manager = await make_user()
    mairie = await make_structure(public=True)
    await attach(manager["id"], mairie["id"], principal=True, profiles={Application.ORGANISATION: Level.MODIFICATION})
    user = await make_user(first_name="Zoé", last_name=f"Discrete{_tag()}")
    await in_directory(mairie, mairie["raison_sociale"])

    page = await new_page()
    await login_as(page, user)
    await page.get_by_role("link", name="Mon compte", exact=True).click()
    for label in ("Tous", "Facturation CPRO"):
        box = page.get_by_label(label, exact=True)
        await expect(box).to_be_checked()
        await box.uncheck()
    await page.locator("#prefs-save").click()
    await page.get_by_text("Modifications enregistrées.").first.wait_for()
    await page.reload()
    for label in ("Tous", "Facturation CPRO", "Un seul récapitulatif quotidien par courriel"):
        await expect(page.get_by_label(label, exact=True), label).not_to_be_checked()
    await pick_in_autocomplete(page, "attach-structure", mairie["identifier"], mairie["identifier"])
    await page.locator("#attach-comment").fill("Nouvelle recrue")
    await page.locator("#attach-submit").click()
    await page.get_by_text("Demande envoyée au gestionnaire de la structure.").wait_for()

    desk = await new_page()
    await login_as(desk, manager)
    await desk.goto("/organisation")
    row = desk.locator("#approvals tbody tr", has_text=user["email"])
    await row.get_by_role("button", name=f"Refuser Zoé {user['last_name']}").click()
    await desk.locator("#decision-confirm").click()
    await desk.get_by_text("Le commentaire est obligatoire.").wait_for()
    await desk.locator("#refuse-reason").fill("Inconnue du service")
    await desk.locator("#decision-confirm").click()
    await desk.get_by_text("Demande refusée.").wait_for()
    await page.reload()
    await page.locator(f"#my-attachment-requests tr[data-structure='{mairie['identifier']}']").get_by_text("Inconnue du service").wait_for()
    assert await mails_to(user["email"]) == []
