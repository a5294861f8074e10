from __future__ import annotations

import random
import re

import pytest
from playwright.async_api import expect

from backend.domain.directory.stock import record
from backend.domain.directory.store import load_records, rebuild_prefixes
from backend.infra.database import connection
from tests.support.browser import pick_in_autocomplete
from tests.support.factories import random_siret

pytestmark = pytest.mark.browser

NUMBERS = ["zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze", "douze"]
NUMBERS_EN = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]


def answer(question: str) -> str:
    """Read the verification question as a person would (in French, or in English)."""
    numbers, found = NUMBERS, re.search(r"Combien font (\S+) (plus|moins) (\S+)", question)
    if found is None:
        numbers, found = NUMBERS_EN, re.search(r"What is (\S+) (plus|minus) ([a-z]+)", question)
    a, b = numbers.index(found.group(1)), numbers.index(found.group(3))
    return str(a + b if found.group(2) == "plus" else a - b)


async def _establishment() -> tuple[str, str]:
    """A new establishment in the directory: (its tag, found in its name, and its SIRET)."""
    tag = "".join(random.choice("bcdfghjklmnpqrstvz") for _ in range(7))
    siret = random_siret()
    async with connection() as conn:
        async with conn.transaction():
            ids = await load_records([record(siret=siret, denomination=f"Ébénisterie {tag.title()}", street_number="7",
                                                   street_type="RUE", street_name="DES TILLEULS", postcode="67000",
                                                   city="STRASBOURG", categorie_juridique="5499")])
            await rebuild_prefixes(ids)
    return tag, siret


async def _sign_up(page, email: str, tag: str, siret: str) -> None:
    """The three steps of the sign-up, as a person fills them, up to its answer."""
    await page.goto("/inscription")
    await page.get_by_label("Adresse électronique de connexion").fill(email)
    await pick_in_autocomplete(page, "signup-siret", f"ebenis {tag[:4]}", siret, keyboard=True)
    await page.get_by_role("button", name="Valider").click()

    await page.locator("#signup-step-2").wait_for()
    assert await page.locator("#signup-identifier").inner_text() == siret
    assert await page.locator("#f-raison_sociale").input_value() == f"Ébénisterie {tag.title()}"
    await page.locator("#f-email_confirmation").fill(email)
    await page.locator("#f-last_name").fill("Fumoux")
    await page.locator("#f-first_name").fill("Gwenaël")
    question = await page.locator("#challenge-question").inner_text()
    await page.locator("#f-challenge_answer").fill(answer(question))
    await page.get_by_role("button", name="Valider").click()
    await page.locator("#signup-step-3").wait_for()
    # Each workspace is offered with what it is for (the catalogue's workspace.description.<value>).
    engagements = page.locator("#signup-step-3 tr").filter(has=page.locator("[data-workspace=engagements]"))
    await expect(engagements).to_contain_text("Visualisation des commandes de l'État")
    assert await page.locator("[data-workspace=factures_emises][data-value=oui]").get_attribute("aria-pressed") == "true"
    await page.locator("[data-workspace=engagements][data-value=oui]").click()
    await page.locator("#signup-submit").click()
    await page.locator("#signup-done").wait_for()


async def test_a_supplier_signs_up_reads_the_mail_activates_and_finds_its_structure(page, client):
    tag, siret = await _establishment()
    email = f"{tag}@exemple.fr"
    await _sign_up(page, email, tag, siret)

    await page.get_by_role("link", name="Ouvrir la boîte de réception de démonstration").click()
    mail = page.locator(f"#mailbox article[data-to='{email}']").first
    await mail.wait_for()
    await mail.get_by_role("link").click()

    await page.get_by_role("heading", name="Activation du compte utilisateur").wait_for()
    await page.locator("#f-password").type("faible", delay=20)
    await page.wait_for_function("document.querySelector('#password-strength').dataset.score === '1'")
    await page.locator("#f-confirmation").fill("faible")
    await page.locator("#f-secret_question").select_option("Nom de votre premier animal ?")
    await page.locator("#f-secret_answer").fill("Rex")
    await page.locator("#activation-submit").click()
    await page.get_by_text("Le mot de passe doit comporter au minimum 12 caractères").wait_for()
    strong = "Bonjour-Chorale-2026!"
    await page.locator("#f-password").fill("")
    await page.locator("#f-password").type(strong, delay=10)
    await page.wait_for_function("document.querySelector('#password-strength').dataset.score >= '3'")
    await page.locator("#f-confirmation").fill(strong)
    await page.locator("#activation-submit").click()
    await page.locator("#activation-done").wait_for()

    await page.get_by_role("link", name="Se connecter", exact=True).first.click()
    await page.locator("#login-email").fill(email)
    await page.locator("#login-password").fill(strong)
    await page.locator("#login-form button[type=submit]").click()
    await page.locator("#user-name").wait_for()
    await page.get_by_role("link", name="Mon compte", exact=True).click()
    structure = page.locator(f"#my-structures [data-identifier='{siret}']")
    await structure.wait_for()
    text = await structure.inner_text()
    assert "gestionnaire principal" in text and "Organisation modification" in text
    assert await page.locator("#my-workspaces [data-workspace=engagements]").get_attribute("aria-pressed") == "true"
    assert await page.locator("#my-workspaces [data-workspace=factures_emises]").get_attribute("aria-pressed") == "true"


async def test_signing_up_with_an_address_that_has_an_account_answers_the_same_and_mails_its_owner(page, client):
    """Issue 20: the page says « un courriel vous a été envoyé » either way; the owner's mail tells the rest."""
    from tests.support.factories import make_user

    owner = await make_user(first_name="Aurore")
    tag, siret = await _establishment()
    await _sign_up(page, owner["email"], tag, siret)
    done = await page.locator("#signup-done").inner_text()
    assert done.startswith(f"Un courriel vous a été envoyé à {owner['email']}")
    assert await page.locator(".alert-error, [role=alert]").count() == 0

    await page.get_by_role("link", name="Ouvrir la boîte de réception de démonstration").click()
    mail = page.locator(f"#mailbox article[data-to='{owner['email']}']").first
    await mail.wait_for()
    assert "tentative d'inscription" in await mail.inner_text()
