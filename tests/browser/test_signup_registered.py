"""Sign-up with the SIRET of a structure already registered, through the interface only: the form shows the
registered structure read-only (no structure field to type and see ignored) and the sign-up becomes a
request to join it, which its gestionnaire finds in Approbations with the comment typed."""

from __future__ import annotations

import random

import pytest
from playwright.async_api import expect

from shared.applications import Application, Level
from tests.browser.test_organisation import in_directory
from tests.browser.test_signup import answer, question_on
from tests.support.browser import login_as, pick_in_autocomplete
from tests.support.factories import attach, make_structure, make_user

pytestmark = pytest.mark.browser


async def test_signing_up_for_a_registered_siret_asks_to_join_it_without_structure_fields(page, new_page, client):
    tag = "".join(random.choice("bcdfghjklmnpqrstvz") for _ in range(7))
    registered_name = f"Atelier {tag.title()} (inscrit)"
    structure = await make_structure(name=registered_name)
    await in_directory(structure, f"ATELIER {tag.upper()}")  # the register's name differs from the registered one
    manager = await make_user()
    await attach(manager["id"], structure["id"], principal=True, profiles={Application.ORGANISATION: Level.MODIFICATION})
    email = f"{tag}@exemple.fr"

    await page.goto("/inscription")
    await page.get_by_label("Adresse électronique de connexion").fill(email)
    await pick_in_autocomplete(page, "signup-siret", f"atelier {tag[:5]}", structure["identifier"])
    await page.get_by_role("button", name="Valider").click()

    registered = page.locator("#signup-registered")
    await expect(registered).to_contain_text("déjà inscrite sur Chorale")
    await expect(page.locator("#registered-raison_sociale")).to_have_text(registered_name)
    await expect(page.locator("#registered-address")).to_contain_text("75002 Paris")
    for name in ("raison_sociale", "address", "postcode", "city", "country"):
        await expect(page.locator(f"#f-{name}"), name).to_have_count(0)
    await page.locator("#f-email_confirmation").fill(email)
    await page.locator("#f-last_name").fill("Fumoux")
    await page.locator("#f-first_name").fill("Gwenaël")
    await page.get_by_label("Commentaire pour le gestionnaire").fill("Je rejoins l'atelier au service comptable")
    await page.locator("#f-challenge_answer").fill(answer(await question_on(page)))
    await page.get_by_role("button", name="Valider").click()
    await page.locator("#signup-step-3").wait_for()
    await page.locator("#signup-submit").click()
    await expect(page.locator("#signup-done")).to_be_visible()
    await page.get_by_text("votre demande de rattachement a été transmise à son gestionnaire principal").wait_for()

    desk = await new_page()
    await login_as(desk, manager)
    await desk.get_by_role("link", name="Activités du gestionnaire", exact=True).click()
    row = desk.locator("#approvals tbody tr", has_text=email)
    await expect(row).to_contain_text("Je rejoins l'atelier au service comptable")
