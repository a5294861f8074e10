"""What a person walking the product in Chromium tripped on, each shown fixed: the screens of Raccordement EDI et
API and Suivi des flux in the menu and with the app's buttons, the tabs of Factures émises on the lot screens,
one red asterisk per required field, the secret questions in the reader's language, Organisation's tabs and its
empty list of services, the invoice list using the window's width."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.async_api import expect

from backend.domain.accounts import tokens
from tests.support.browser import login_as
from tests.support.dashboard_data import make_invoice
from tests.support.factories import make_structure, make_user, random_siret, supplier_with_structure
from tests.support.sollicitations import rejected_lot

pytestmark = pytest.mark.browser

MENU = "Navigation principale"


async def test_a_workspace_switched_on_shows_in_the_menu_and_its_screen_has_the_apps_buttons(page):
    user, _ = await supplier_with_structure()
    await login_as(page, user)
    menu = page.get_by_role("navigation", name=MENU)
    await expect(menu).to_have_attribute("data-ready", "true")
    await expect(menu.get_by_role("link", name="Raccordement EDI et API")).to_have_count(0)

    await menu.get_by_role("link", name="Mon compte", exact=True).click()
    await page.locator('[data-workspace="raccordement_edi_api"]').click()
    await page.locator('[data-workspace="suivi_des_flux"]').click()
    await menu.get_by_role("link", name="Suivi des flux").wait_for()
    await menu.get_by_role("link", name="Raccordement EDI et API").click()
    await page.wait_for_url("**/raccordement-edi-api")
    for button in ("#conn-new-account", "#conn-new-client", "#conn-new-webhook"):
        # the app's button (filled, brand colour), not the browser's grey default
        await expect(page.locator(button)).to_have_class("btn")
    await page.locator("#conn-new-account").click()
    await expect(page.locator("#conn-accounts button", has_text="Révoquer")).to_have_class("btn btn-danger")


async def test_the_lot_screens_carry_the_tabs_of_factures_emises(page):
    user, _ = await supplier_with_structure()
    await login_as(page, user)
    await page.goto("/factures-emises/lots")
    tabs = page.locator("#issued-tabs")
    await expect(tabs.locator("li[aria-current=page]")).to_have_text("Dépôt factures")
    await tabs.get_by_role("link", name="Synthèse").click()
    await page.wait_for_url("**/factures-emises")


async def test_a_required_field_has_one_red_asterisk_from_the_style_not_two(page):
    user, _ = await supplier_with_structure()
    await login_as(page, user)
    await page.goto("/mon-compte")
    structure = page.locator("label[for=attach-structure]")
    await expect(structure).to_have_text("Structure")  # the asterisk comes from the class, once
    await expect(structure).to_have_class("required")
    await expect(page.locator("label[for=attach-comment]")).to_have_class("required")
    await expect(page.locator("label[for=attach-comment]")).to_have_text("Commentaire pour expliquer votre demande")


async def test_the_secret_questions_read_in_english_in_the_english_interface(new_page):
    user = await make_user(active=False)
    token = await tokens.issue(user["id"], "activation", timedelta(hours=48))
    page = await new_page(locale="en-GB")
    await page.goto(f"/activation/{token}")
    question = page.locator("#f-secret_question")
    await question.wait_for()
    if await page.locator("#lang-toggle").get_attribute("lang") == "en":  # the interface opened in French
        await page.locator("#lang-toggle").click()
    await expect(question.locator("option", has_text="Name of your first pet?")).to_have_count(1)
    await expect(question.locator("option", has_text="Nom de votre premier animal ?")).to_have_count(0)



async def test_an_old_account_reads_its_french_secret_question_in_english_and_resets_its_password(new_page):
    """An account activated before the questions were keys keeps the French text: the reset screen still
    shows it in the reader's language and takes its answer."""
    from backend.domain.accounts.passwords import hash_secret
    from backend.domain.accounts.rules import RESET_LINK_LIFETIME, normalise_secret_answer
    from backend.infra.database import connection, transaction

    user = await make_user()
    async with connection() as conn:
        await conn.execute("UPDATE user_account SET secret_question = 'Nom de votre premier animal ?', secret_answer_hash = $2 "
                           "WHERE id = $1", user["id"], hash_secret(normalise_secret_answer("Rex le Chien")))
    async with transaction():
        token = await tokens.issue(user["id"], "reinitialisation", RESET_LINK_LIFETIME)
    page = await new_page(locale="en-GB")
    await page.goto(f"/reinitialisation/{token}")
    await page.locator("#f-secret_answer").wait_for()
    if await page.locator("#lang-toggle").get_attribute("lang") == "en":  # the interface opened in French
        await expect(page.locator("main")).to_contain_text("Nom de votre premier animal ?")
        await page.locator("#lang-toggle").click()
    await expect(page.locator("main")).to_contain_text("Name of your first pet?")
    await page.locator("#f-secret_answer").fill("rex le chien")
    await page.locator("#f-password").fill("Nouveau-Mot-2027!")
    await page.locator("#f-confirmation").fill("Nouveau-Mot-2027!")
    await page.locator("#reset-submit").click()
    await expect(page.locator(".alert-success")).to_have_text("Your password is changed.")

async def test_organisation_tabs_look_like_tabs_and_an_empty_list_of_services_says_so(page):
    user, _ = await supplier_with_structure()
    await login_as(page, user)
    await page.get_by_role("navigation", name=MENU).get_by_role("link", name="Activités du gestionnaire").click()
    tab = page.get_by_role("tab", name="Gérer un service")
    await tab.click()
    await expect(tab).to_have_attribute("aria-selected", "true")
    assert await tab.evaluate("e => getComputedStyle(e).borderTopStyle") == "none", "a grey browser button, not a tab"
    await expect(page.locator("#org-services-empty")).to_have_text("Cette structure n'a aucun service.")
    await expect(page.locator("label[for=service-code]")).to_have_text("Code service")
    await expect(page.locator("label[for=service-code]")).to_have_class("required")


async def test_the_invoice_list_uses_the_windows_width_at_1366_px(new_page):
    user, supplier = await supplier_with_structure()
    recipient = await make_structure(public=True)
    await make_invoice(supplier["id"], recipient["id"], "MISE_A_DISPOSITION", deposited_days_ago=2)
    page = await new_page()
    await page.set_viewport_size({"width": 1366, "height": 900})
    await login_as(page, user)
    await page.goto("/factures/liste?cote=S")
    await page.locator("#invoice-list tbody tr").first.wait_for()
    # a wide screen widens the content past the 1200 px of the forms, so its many columns fit their card
    width = await page.locator("main#contenu").evaluate("e => e.getBoundingClientRect().width")
    assert width > 1250, f"the list is held to {width} px"
    right = "e => e.getBoundingClientRect().right"
    assert await page.locator("#invoice-list").evaluate(right) <= await page.locator(".screen.wide").evaluate(right) + 1


async def test_support_staff_land_on_their_tools_after_login(page):
    await login_as(page, await make_user(is_support=True))
    await page.wait_for_url("**/support")
    await page.get_by_role("link", name="File des sollicitations").wait_for()
    await expect(page.get_by_role("button", name="Tester les mises à jour en direct")).to_have_count(0)


async def test_a_file_attached_to_a_question_shows_its_size_in_the_readers_unit(new_page):
    user, _ = await supplier_with_structure()
    page = await new_page()
    await login_as(page, user)
    await page.locator("#lang-toggle").click()
    await page.get_by_role("button", name="Need help? Ask a question").click()
    await page.locator("#help-file").set_input_files(files=[{"name": "note.pdf", "mimeType": "application/pdf",
                                                            "buffer": b"%PDF-1.4\n" + b"0" * 4000 + b"\n%%EOF\n"}])
    await expect(page.locator(".attached-files li")).to_contain_text("note.pdf (4\u00a0KB)")


async def test_support_reads_a_users_structures_in_words_not_in_codes(new_page):
    agent = await make_user(is_support=True)
    supplier, structure = await supplier_with_structure()
    page = await new_page()
    await login_as(page, agent)
    await page.locator("#support-query").fill(structure["identifier"])
    await page.locator("#support-search").click()
    await page.locator(f"#support-results [data-user='{supplier['id']}']").click()
    line = page.locator("#support-user li", has_text=structure["identifier"])
    await expect(line).to_contain_text("Validé — gestionnaire principal — ")
    await expect(line).to_contain_text("Factures émises modification")
    await expect(line).not_to_contain_text("factures_emises")
    await page.locator("#lang-toggle").click()
    await expect(line).to_contain_text("Approved — main manager — ")


async def test_the_pdfs_preview_stands_beside_the_deposit_form_not_above_it(new_page, tmp_path):
    from tests.browser.test_extraction_display import deposit_file
    from tests.pdfgen import make_invoice_pdf

    user, _ = await supplier_with_structure()
    page = await new_page()
    await page.set_viewport_size({"width": 1366, "height": 900})
    await login_as(page, user)
    path = tmp_path / "facture.pdf"
    make_invoice_pdf(path, invoice_number="F-WALK-1")
    await deposit_file(page, path)
    preview, block = page.locator("#extraction-preview"), page.locator("#invoice-form fieldset").first
    await preview.wait_for()
    shape = "e => { const r = e.getBoundingClientRect(); return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; }"
    seen, form = await preview.evaluate(shape), await block.evaluate(shape)
    assert seen["left"] >= form["right"], f"the preview {seen} is not beside the form {form}"
    assert seen["top"] < form["bottom"], f"the form {form} starts below the preview {seen}"


async def test_an_invoice_without_files_says_so_under_fichiers(page):
    from tests.support.factories import recipient_with_structure

    user, recipient = await recipient_with_structure()
    _, supplier = await supplier_with_structure()
    invoice = await make_invoice(supplier["id"], recipient["id"], "MISE_A_DISPOSITION")
    await login_as(page, user)
    await page.goto(f"/factures-recues/{invoice['id']}")
    await expect(page.locator("#files-table-empty")).to_have_text("Aucun fichier n'est joint à cette facture.")


async def test_a_question_asked_from_a_screen_opens_on_that_screens_category(new_page):
    supplier, structure = await supplier_with_structure()
    lot = await rejected_lot(structure["id"], supplier["id"])
    page = await new_page()
    await login_as(page, supplier)
    for path, category, subcategory in ((f"/factures-emises/lots/{lot.id}", "Dépôt par lot", "Lot ou facture rejeté(e)"),
                                        ("/factures-emises/lots", "Dépôt par lot", "Lot ou facture rejeté(e)"),
                                        ("/factures-emises/deposer", "Dépôt de facture", "Dépôt PDF"),
                                        ("/mon-compte", "Mon compte utilisateur", "Connexion, mot de passe")):
        await page.goto(path)
        await page.get_by_role("button", name="Besoin d'aide ? Posez une question").click()
        dialog = page.get_by_role("dialog")
        await expect(dialog.get_by_label("Catégorie", exact=True).locator("option:checked")).to_have_text(category)
        await expect(dialog.get_by_label("Sous-catégorie").locator("option:checked")).to_have_text(subcategory)
        await dialog.get_by_role("button", name="Annuler").click()
        await expect(page.get_by_role("dialog")).to_have_count(0)


async def test_support_reads_the_screen_a_question_was_asked_from_once(new_page):
    agent = await make_user(is_support=True)
    supplier, _ = await supplier_with_structure()
    page = await new_page()
    await login_as(page, supplier)
    await page.goto("/mon-compte")
    await page.get_by_role("button", name="Besoin d'aide ? Posez une question").click()
    await page.get_by_label("Votre question").fill("Je ne reçois pas les courriels.")
    await page.locator("#help-send").click()
    sent = page.locator("#help-sent")
    await expect(sent).to_contain_text("n° ")
    sid = (await sent.inner_text()).split("n° ")[1].split(" ")[0]
    desk = await new_page()
    await login_as(desk, agent)
    await desk.goto(f"/support/sollicitations/{sid}")
    await expect(desk.locator("#queue-linked")).to_have_text("Objet lié : l'écran /mon-compte")


async def test_a_recipient_read_but_unknown_is_said_in_words_not_as_a_badge_over_an_empty_field(new_page, tmp_path):
    from tests.browser.test_extraction_display import deposit_file
    from tests.pdfgen import make_invoice_pdf

    user, structure = await supplier_with_structure()
    unknown = random_siret()
    page = await new_page()
    await login_as(page, user)
    path = tmp_path / "facture.pdf"
    make_invoice_pdf(path, supplier_siret=structure["identifier"], recipient_siret=unknown, invoice_number="F-WALK-2")
    await deposit_file(page, path)
    await expect(page.locator("#inv-number")).to_have_value("F-WALK-2")
    await expect(page.locator("#inv-recipient")).to_have_value("")
    await expect(page.locator("#inv-recipient-found")).to_have_count(0)
    await expect(page.locator("#inv-recipient-unknown")).to_contain_text("pas un destinataire connu")
    await expect(page.locator("#inv-recipient-unknown")).to_contain_text(unknown[:3])


async def test_a_label_takes_a_narrow_no_break_space_before_its_colon_in_french_and_none_in_english(page):
    user, _ = await supplier_with_structure()
    await login_as(page, user)
    await page.goto("/mon-compte")
    details = page.locator("section[aria-labelledby=details-title] p strong").first
    await expect(details).to_have_text("Adresse électronique de connexion : ")
    assert await details.evaluate("e => e.textContent") == "Adresse électronique de connexion\u202f: "
    await page.locator("#lang-toggle").click()
    await expect(details).to_have_text("Login e-mail address: ")
    assert await details.evaluate("e => e.textContent") == "Login e-mail address: "


async def test_organisation_tabs_move_with_the_arrow_keys_and_only_the_selected_one_is_in_the_tab_order(page):
    user, _ = await supplier_with_structure()
    await login_as(page, user)
    await page.goto("/organisation")
    first, users, last = (page.get_by_role("tab", name=n) for n in ("Approbations", "Gérer les habilitations des utilisateurs", "Historique"))
    await expect(first).to_have_attribute("aria-selected", "true")
    await expect(first).to_have_attribute("tabindex", "0")
    await expect(users).to_have_attribute("tabindex", "-1")
    await first.focus()
    await page.keyboard.press("ArrowRight")
    await expect(users).to_have_attribute("aria-selected", "true")
    await expect(users).to_be_focused()
    await expect(users).to_have_attribute("tabindex", "0")
    await expect(first).to_have_attribute("tabindex", "-1")
    await expect(page.get_by_role("tabpanel", name="Gérer les habilitations des utilisateurs")).to_be_visible()
    await page.keyboard.press("End")
    await expect(last).to_have_attribute("aria-selected", "true")
    await page.keyboard.press("ArrowRight")  # wraps round to the first
    await expect(first).to_have_attribute("aria-selected", "true")
    await expect(first).to_be_focused()
    await page.keyboard.press("ArrowLeft")
    await expect(last).to_be_focused()
    await page.keyboard.press("Home")
    await expect(first).to_have_attribute("aria-selected", "true")
