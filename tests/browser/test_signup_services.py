"""Sign-up on a structure already registered, at service level (the guide's « Rattacher un utilisateur »,
maille service), through the interface only: the person ticks one of its services with the keyboard,
activates the account from the mail, the gestionnaire principal approves the request in Approbations,
and the new user's rattachement shows that service. In English, a structure with no active service says so
and the sign-up asks for the whole structure."""

from __future__ import annotations

import random

import pytest
from playwright.async_api import expect

from backend.infra.database import connection
from shared.applications import Application, Level
from tests.browser.test_organisation import in_directory
from tests.browser.test_service_levels import approve
from tests.browser.test_signup import answer
from tests.support.browser import login_as, pick_in_autocomplete
from tests.support.factories import attach, make_structure, make_user

pytestmark = pytest.mark.browser

STRONG = "Bonjour-Chorale-2026!"


def _tag() -> str:
    return "".join(random.choice("bcdfghjklmnpqrstvz") for _ in range(7))


async def _registered(tag: str, services=()) -> tuple[dict, dict]:
    """A mairie registered on Chorale and in the directory, and its gestionnaire principal."""
    structure = await make_structure(public=True, name=f"Mairie {tag.title()}", services=services)
    await in_directory(structure, f"COMMUNE DE {tag.upper()}")
    manager = await make_user(first_name="Maud")
    await attach(manager["id"], structure["id"], principal=True, profiles={
        Application.ORGANISATION: Level.MODIFICATION, Application.FACTURES_RECUES: Level.MODIFICATION})
    return structure, manager


async def _fill_details(page, email: str) -> None:
    await page.locator("#f-email_confirmation").fill(email)
    await page.locator("#f-last_name").fill("Servicier")
    await page.locator("#f-first_name").fill("Noé")


async def _answer_and_go_on(page) -> None:
    question = page.locator("#challenge-question")
    await expect(question).to_contain_text("?")  # the question arrives in its own render
    await page.locator("#f-challenge_answer").fill(answer(await question.inner_text()))
    await page.locator("#signup-next-2").click()
    await page.locator("#signup-step-3").wait_for()
    await page.locator("#signup-submit").click()
    await expect(page.locator("#signup-done")).to_be_visible()


async def test_a_sign_up_for_one_service_is_approved_and_the_rattachement_shows_that_service(page, new_page):
    tag = _tag()
    structure, manager = await _registered(tag, services=(("COMPTA", "Comptabilité"), ("TECH", "Services techniques")))
    email = f"{tag}@exemple.fr"

    await page.goto("/inscription")
    await page.get_by_label("Adresse électronique de connexion").fill(email)
    await pick_in_autocomplete(page, "signup-siret", f"commune de {tag[:5]}", structure["identifier"], keyboard=True)
    await page.get_by_role("button", name="Valider").click()

    services = page.locator("#signup-services")
    await expect(services).to_contain_text("sans service coché, la demande porte sur la structure entière")
    compta = page.get_by_label("COMPTA — Comptabilité")
    tech = page.get_by_label("TECH — Services techniques")
    await expect(compta).not_to_be_checked()
    # ticked with the keyboard, as a person who does not use a mouse would
    await compta.focus()
    await page.keyboard.press("Space")
    await expect(compta).to_be_checked()
    await expect(tech).not_to_be_checked()
    await _fill_details(page, email)
    await page.get_by_label("Commentaire pour le gestionnaire").fill("Je rejoins la comptabilité")
    await _answer_and_go_on(page)
    await page.get_by_text("votre demande de rattachement a été transmise à son gestionnaire principal").wait_for()

    # activation from the mail, as the person reads it
    await page.get_by_role("link", name="Ouvrir la boîte de réception de démonstration").click()
    mail = page.locator(f"#mailbox article[data-to='{email}']").first
    await mail.wait_for()
    await mail.get_by_role("link").click()
    await page.get_by_role("heading", name="Activation du compte utilisateur").wait_for()
    await page.locator("#f-password").fill(STRONG)
    await page.locator("#f-confirmation").fill(STRONG)
    await page.locator("#f-secret_question").select_option("Nom de votre premier animal ?")
    await page.locator("#f-secret_answer").fill("Rex")
    await page.locator("#activation-submit").click()
    await page.locator("#activation-done").wait_for()

    # the gestionnaire principal approves the service-level request in Approbations
    desk = await new_page()
    await login_as(desk, manager)
    await desk.get_by_role("link", name="Activités du gestionnaire", exact=True).click()
    row = desk.locator("#approvals tbody tr", has_text=email)
    await expect(row).to_have_count(1)  # one request: COMPTA only, not the whole structure nor TECH
    await expect(row).to_contain_text("COMPTA")
    await expect(row).to_contain_text("Je rejoins la comptabilité")
    await approve(desk, email, "COMPTA", "Noé Servicier", "modification")

    # the new user's rattachement is at that service's level
    person = await new_page()
    await login_as(person, {"email": email, "password": STRONG})
    await person.get_by_role("link", name="Mon compte", exact=True).click()
    request = person.locator("#my-attachment-requests tbody tr", has_text=structure["identifier"])
    await expect(request).to_have_count(1)
    await expect(request).to_contain_text("COMPTA")
    await expect(request).to_contain_text("Validé")
    joined = person.locator(f"#my-structures [data-identifier='{structure['identifier']}']")
    await expect(joined).to_contain_text("Factures reçues modification (COMPTA)")


async def test_in_english_a_structure_without_services_says_so_and_the_sign_up_asks_for_all_of_it(page):
    tag = _tag()
    structure, _ = await _registered(tag)
    email = f"{tag}@example.com"

    await page.goto("/inscription")
    await page.get_by_role("button", name="Switch to English").click()
    await page.get_by_label("Login e-mail address").fill(email)
    await pick_in_autocomplete(page, "signup-siret", f"commune de {tag[:5]}", structure["identifier"])
    await page.get_by_role("button", name="Continue").click()

    services = page.locator("#signup-services")
    await expect(services.locator("legend")).to_have_text("Services")
    await expect(services).to_contain_text("This organisation has no active service: you ask to join the whole organisation.")
    await expect(services.get_by_role("checkbox")).to_have_count(0)
    await _fill_details(page, email)
    await _answer_and_go_on(page)
    async with connection() as conn:
        rows = await conn.fetch("""SELECT a.service_id, a.status FROM attachment a JOIN user_account u ON u.id = a.user_id
                                   WHERE u.email = $1""", email)
    assert [(r["service_id"], r["status"]) for r in rows] == [(None, "demande")]


async def test_a_service_closed_while_the_form_is_open_is_refused_beside_the_services(page):
    tag = _tag()
    structure, _ = await _registered(tag, services=(("COMPTA", "Comptabilité"), ("TECH", "Services techniques")))
    email = f"{tag}@exemple.fr"
    await page.goto("/inscription")
    await page.get_by_label("Adresse électronique de connexion").fill(email)
    await pick_in_autocomplete(page, "signup-siret", f"commune de {tag[:5]}", structure["identifier"])
    await page.get_by_role("button", name="Valider").click()
    tech = page.get_by_label("TECH — Services techniques")
    await tech.check()
    await _fill_details(page, email)
    async with connection() as conn:  # its gestionnaire closes the service meanwhile
        await conn.execute("UPDATE service SET active = false WHERE id = $1", structure["services"][1]["id"])
    question = page.locator("#challenge-question")
    await expect(question).to_contain_text("?")
    await page.locator("#f-challenge_answer").fill(answer(await question.inner_text()))
    await page.locator("#signup-next-2").click()
    await expect(page.locator("#signup-services-error")).to_have_text(
        "Un des services choisis n'existe pas ou n'est plus actif dans cette structure.")
    await expect(page.locator("#signup-step-2")).to_be_visible()
    await expect(page.locator("#signup-step-3")).to_have_count(0)
    async with connection() as conn:
        assert await conn.fetchval("SELECT count(*) FROM user_account WHERE email = $1", email) == 0
