"""Levels per service through the interface: a user asks for two services of a mairie; its gestionnaire
approves one with « Factures reçues modification », the other with consultation; the user processes the
first service's invoice and only reads the second's, until the gestionnaire raises that service's level
in « Gérer les habilitations des utilisateurs »."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from backend.domain.accounts.identity import Principal
from backend.domain.structures import organisation
from shared.applications import Application, Level
from tests.support.browser import login_as
from tests.support.dashboard_data import make_invoice
from tests.support.factories import attach, make_structure, make_user

pytestmark = pytest.mark.browser


async def approve(desk, email: str, code: str, name: str, level: str) -> None:
    row = desk.locator("#approvals tbody tr", has_text=email).filter(has_text=code)
    await row.get_by_role("button", name=f"Valider {name}").click()
    await desk.get_by_role("alertdialog").get_by_label("Factures reçues", exact=True).select_option(level)
    await desk.locator("#decision-confirm").click()
    await desk.get_by_text("Demande validée.").wait_for()
    await expect(row).to_have_count(0)


async def test_modification_on_one_service_and_consultation_on_another(new_page, client):
    manager = await make_user()
    mairie = await make_structure(public=True, services=(("COMPTA", "Comptabilité"), ("TECH", "Services techniques")))
    compta, tech = mairie["services"]
    await attach(manager["id"], mairie["id"], principal=True, profiles={
        Application.ORGANISATION: Level.MODIFICATION, Application.FACTURES_RECUES: Level.MODIFICATION})
    supplier = await make_structure()
    on_compta = await make_invoice(supplier["id"], mairie["id"], "MISE_A_DISPOSITION", recipient_service_id=compta["id"])
    on_tech = await make_invoice(supplier["id"], mairie["id"], "MISE_A_DISPOSITION", recipient_service_id=tech["id"])
    agent = await make_user(first_name="Inès", last_name="Deuxservices")
    await organisation.ask(Principal(user_id=agent["id"], email=agent["email"], display_name="Inès"), mairie["id"],
                           service_ids=[compta["id"], tech["id"]], comment="Je travaille pour les deux services")

    desk = await new_page()
    await login_as(desk, manager)
    await desk.get_by_role("link", name="Activités du gestionnaire", exact=True).click()
    await approve(desk, agent["email"], "COMPTA", "Inès Deuxservices", "modification")
    await approve(desk, agent["email"], "TECH", "Inès Deuxservices", "consultation")
    # the guide's table shows each service's own level
    await desk.get_by_role("tab", name="Gérer les habilitations des utilisateurs").click()
    users = desk.locator(f"#org-users tr[data-user='{agent['email']}']")
    await expect(users.first).to_contain_text("Factures reçues modification (COMPTA)")
    await expect(users.first).to_contain_text("Factures reçues consultation (TECH)")

    page = await new_page()
    await login_as(page, agent)
    await page.goto(f"/factures-recues/{on_compta['id']}")
    await page.locator("#processing [data-action=SUSPEND]").wait_for()
    await page.goto(f"/factures-recues/{on_tech['id']}")
    await page.locator("#invoice-status").wait_for()
    await expect(page.locator("#processing [data-action=SUSPEND]")).to_have_count(0)

    # the gestionnaire raises TECH's level, on that service's line only
    await users.first.get_by_role("button", name="Modifier les habilitations Inès Deuxservices").click()
    dialog = desk.get_by_role("alertdialog")
    await dialog.get_by_label("Habilitations sur").select_option(str(tech["id"]))
    received = dialog.get_by_label("Factures reçues", exact=True)
    await expect(received).to_have_value("consultation")  # the choice shows that service's level
    await received.select_option("modification")
    await desk.locator("#user-dialog-confirm").click()
    await expect(users.first).to_contain_text("Factures reçues modification (TECH)")
    # the agent's open page re-reads its rights live: the invoice of TECH may now be processed
    await page.locator("#processing [data-action=SUSPEND]").wait_for(timeout=20_000)
