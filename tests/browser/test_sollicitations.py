"""Issue 21's « Done when »: a supplier stuck on a rejected lot asks support from the lot's report;
support finds it in the queue with the lot linked, acts as the user from it, looks at the report, ends
the intervention and answers; the supplier sees the answer live and by e-mail, closes the request; the
journal shows the intervention under that request."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import expect

from tests.support.browser import login_as
from tests.support.factories import make_user, supplier_with_structure
from tests.support.sollicitations import rejected_lot

pytestmark = pytest.mark.browser


async def test_a_supplier_asks_from_a_rejected_lot_and_support_troubleshoots_from_the_request(new_page):
    supplier, structure = await supplier_with_structure()
    agent = await make_user(is_support=True, first_name="Sacha")
    lot = await rejected_lot(structure["id"], supplier["id"])

    # the supplier, on the lot's report, asks
    page = await new_page()
    await login_as(page, supplier)
    await page.goto(f"/factures-emises/lots/{lot.id}")
    await page.locator('#lot-status[data-status="REJETE"]').wait_for()
    await page.get_by_role("button", name="Besoin d'aide ? Posez une question").click()
    await expect(page.locator("#help-about")).to_contain_text(f"le lot n° {lot.id}")
    await page.locator("#help-send").click()                     # no question: refused, said in the form
    await page.locator("#help-error", has_text="Décrivez votre question").wait_for()
    await page.get_by_label("Catégorie", exact=True).select_option("lot")
    await page.get_by_label("Sous-catégorie").select_option("rejet")
    await page.get_by_label("Votre question").fill("Mon lot est rejeté : destinataire inconnu, que faire ?")
    await page.locator("#help-send").click()
    sent = page.locator("#help-sent")
    await expect(sent).to_have_text(re.compile(r"n° \S+"), use_inner_text=True)
    sid = (await sent.inner_text()).split("n° ")[1].split(" ")[0]
    await page.get_by_role("link", name="Voir la sollicitation").click()
    await page.wait_for_url(f"**/sollicitations/{sid}")
    await page.locator('#soll-state[data-state="nouvelle"]').wait_for()

    # support sees it in the queue, with the lot linked
    desk = await new_page()
    await login_as(desk, agent)
    await desk.get_by_role("link", name="Support", exact=True).click()
    await desk.locator("#queue-link").click()
    await desk.get_by_label("État", exact=True).select_option("nouvelle")
    await desk.locator("#queue-apply").click()
    row = desk.locator(f'#queue tbody tr[data-key="{sid}"]')
    await expect(row).to_contain_text(lot.number)
    await expect(row).to_contain_text(structure["raison_sociale"])
    await row.get_by_role("link", name=f"n° {sid}").click()
    await desk.locator("#queue-linked", has_text=lot.number).wait_for()
    await expect(desk.locator("#queue-structures")).to_contain_text(structure["identifier"])

    # one step: acting as the supplier, on the lot's report, the request being the reason
    await desk.locator("#queue-intervene").click()
    await desk.wait_for_url(f"**/factures-emises/lots/{lot.id}")
    banner = desk.locator("#impersonation-banner")
    await banner.get_by_text(f"Sollicitation n° {sid}").wait_for()
    await desk.locator('#lot-entries [data-code="destinataire_inconnu"]').wait_for()
    await desk.locator("#impersonation-quit").click()
    await desk.locator("#support-query").wait_for()

    # back at the request: the intervention is listed; support answers
    await desk.goto(f"/support/sollicitations/{sid}")
    await desk.locator("#queue-interventions li").wait_for()
    await desk.locator("#queue-note-text").fill("Note interne : SIRET du destinataire absent de l'annuaire")
    await desk.locator("#queue-note-send").click()
    await desk.locator('#soll-messages li[data-internal="true"]').wait_for()
    await desk.locator("#queue-answer-text").fill("Le destinataire n'est pas sur Chorale : corrigez son SIRET puis redéposez.")
    await desk.locator("#queue-answer-send").click()
    await desk.locator('#soll-state[data-state="attente_reponse"]').wait_for()

    # the supplier sees the answer live (never the note), and by e-mail
    await page.locator("#soll-messages", has_text="corrigez son SIRET").wait_for()
    await page.locator('#soll-state[data-state="attente_reponse"]').wait_for()
    await expect(page.locator("main")).not_to_contain_text("Note interne")
    mail = await new_page()
    await mail.goto("/courriels")
    await mail.locator(f'#mailbox article[data-to="{supplier["email"]}"]', has_text=f"sollicitation n° {sid}").wait_for()

    # the supplier closes it, with a confirmation
    await page.locator("#soll-close").click()
    await page.locator("#soll-close-confirm").click()
    await page.locator('#soll-state[data-state="close"]').wait_for()
    await page.get_by_text("Cette sollicitation est close.").wait_for()
    await page.get_by_role("link", name="Sollicitations émises").first.click()
    await page.locator(f'#sollicitations tbody tr[data-key="{sid}"] [data-state="close"]').wait_for()

    # the journal shows the intervention under that request
    await desk.goto("/support/journal")
    linked = desk.locator(f'#support-journal tbody tr[data-event="debut"] [data-sollicitation="{sid}"]')
    await expect(linked).to_contain_text(f"Sollicitation n° {sid}")
    await expect(desk.locator(f'#support-journal tbody tr[data-event="fin"] [data-sollicitation="{sid}"]')).to_have_count(1)


async def test_asking_works_from_the_keyboard_in_english_and_an_empty_list_says_how_to_ask(page):
    supplier, _ = await supplier_with_structure()
    await login_as(page, supplier)
    await page.get_by_role("link", name="Sollicitations émises").click()
    await page.locator("#sollicitations-empty", has_text="Posez une question").wait_for()
    await page.locator("#lang-toggle").click()
    opener = page.get_by_role("button", name="Need help? Ask a question")
    await opener.focus()
    await page.keyboard.press("Enter")
    await page.locator("#help-dialog").wait_for()
    await expect(page.locator("#help-about")).to_contain_text("the screen /sollicitations")
    await page.keyboard.press("Escape")                          # Escape closes, nothing sent
    await page.locator("#help-dialog").wait_for(state="detached")
    await opener.focus()
    await page.keyboard.press("Enter")
    await page.locator("#help-category").focus()
    await page.keyboard.press("ArrowDown")                       # « Attachment to a structure »
    await page.get_by_label("Your question").fill("Who approves my attachment request?")
    await page.get_by_role("button", name="Send the question").press("Enter")
    await page.locator("#help-sent", has_text="was sent to support").wait_for()
    await page.get_by_role("link", name="See the request").press("Enter")
    await page.locator("#soll-summary", has_text="Attachment to a structure").wait_for()
