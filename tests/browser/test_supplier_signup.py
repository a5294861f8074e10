"""Sign-up as a new supplier meets it (issue 16, defect 8): each step checks what it asks at once, EU VAT
numbers are checked, identifier types read as words, « Pays » is a list of countries."""

from __future__ import annotations

import random

import pytest
from playwright.async_api import expect

from tests.browser.test_signup import answer, question_on
from tests.support.factories import random_siren

pytestmark = pytest.mark.browser


def _tag() -> str:
    return "".join(random.choice("bcdfghjklmnpqrstvz") for _ in range(8))


async def _step_one_with_vat(page, email: str, vat: str) -> None:
    await page.goto("/inscription")
    await page.get_by_label("Adresse électronique de connexion").fill(email)
    await page.locator("#toggle-siret").click()
    await page.locator("#f-identifier_type").select_option("TVA_INTRACOMMUNAUTAIRE")
    await page.locator("#f-identifier").fill(vat)
    await page.get_by_role("button", name="Valider").click()


async def test_identifier_types_read_as_words_and_a_wrong_vat_number_is_refused_at_once(page):
    await page.goto("/inscription")
    await page.locator("#toggle-siret").click()
    # the other identifier types come with the server's re-render after the click
    options = page.locator("#f-identifier_type option")
    for label in ("Numéro de TVA intracommunautaire", "RIDET (Nouvelle-Calédonie)", "Structure hors Union européenne"):
        await expect(options.get_by_text(label, exact=True), label).to_have_count(1)
    for label in ("Tva Intracommunautaire", "Hors Ue", "Ridet"):
        await expect(options.get_by_text(label, exact=True), label).to_have_count(0)
    await page.locator("#lang-toggle").click()
    await page.locator("#f-identifier_type option", has_text="EU VAT number").wait_for(state="attached")
    await expect(options.get_by_text("Organisation outside the European Union", exact=True)).to_have_count(1)
    await page.locator("#lang-toggle").click()
    await page.wait_for_function("document.cookie.includes('lang=fr')")  # French again for what follows

    email = f"{_tag()}@exemple.fr"
    for wrong in ("abc", "FR00303265045", "XX123456789"):
        await _step_one_with_vat(page, email, wrong)
        error = page.locator("#f-identifier-error")
        await expect(error, wrong).to_contain_text("Numéro de TVA intracommunautaire invalide")
        await expect(page.locator("#signup-step-2")).to_have_count(0)
    await _step_one_with_vat(page, email, "FR 40 303 265 045")
    await page.locator("#signup-step-2").wait_for()


async def test_the_second_step_checks_its_fields_and_question_before_the_third(page):
    tag = _tag()
    email = f"{tag}@exemple.fr"
    # a number of its own: a structure registered under a shared one (another test's) is shown read-only
    siren = random_siren()
    await _step_one_with_vat(page, email, f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}")
    await page.locator("#signup-step-2").wait_for()

    # Pays: a list, France chosen
    country = page.locator("#f-country")
    assert await country.evaluate("e => e.tagName") == "SELECT"
    await expect(country).to_have_value("FR")
    await expect(country.locator("option:checked")).to_have_text("France")
    await country.select_option("DE")
    await expect(country.locator("option:checked")).to_have_text("Allemagne")

    await page.locator("#f-email_confirmation").fill(f"autre-{email}")
    await page.locator("#f-last_name").fill("Martin")
    await page.locator("#f-first_name").fill("Inès")
    await page.locator("#f-raison_sociale").fill(f"Holzbau {tag.title()} GmbH")
    await page.locator("#f-address").fill("Hauptstraße 5")
    await page.locator("#f-postcode").fill("10115")
    await page.locator("#f-city").fill("Berlin")
    question = await question_on(page)
    await page.locator("#f-challenge_answer").fill(answer(question))

    # a mistyped confirmation: said at step 2, the question and its right answer kept
    await page.get_by_role("button", name="Valider").click()
    error = page.locator("#f-email_confirmation-error")
    await expect(error).to_contain_text("ne sont pas identiques")
    await expect(page.locator("#signup-step-3")).to_have_count(0)
    await expect(page.locator("#challenge-question")).to_have_text(question)
    await expect(page.locator("#f-challenge_answer")).to_have_value(answer(question))

    # a wrong answer: said at step 2, with a new question to answer
    await page.locator("#f-email_confirmation").fill(email)
    await page.locator("#f-challenge_answer").fill("99")
    await page.get_by_role("button", name="Valider").click()
    await page.locator("#f-challenge_answer-error").wait_for()
    await expect(page.locator("#signup-step-3")).to_have_count(0)
    await expect(page.locator("#f-challenge_answer")).to_have_value("")  # a new question's empty field

    # right this time: step 3, and the sign-up goes through without asking again
    await page.locator("#f-challenge_answer").fill(answer(await question_on(page)))
    await page.get_by_role("button", name="Valider").click()
    await page.locator("#signup-step-3").wait_for()
    await page.locator("#signup-submit").click()
    await page.locator("#signup-done").wait_for()
