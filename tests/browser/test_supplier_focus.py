"""Keyboard focus in Factures émises (issue 16, defect 6): the confirmation dialog takes and keeps focus,
Escape closes it and gives focus back; choosing a suggestion with Enter leaves focus in the form."""

from __future__ import annotations

import random

import pytest
from playwright.async_api import TimeoutError as PlaywrightTimeout
from playwright.async_api import expect

from tests.browser.test_deposit import public_recipient
from tests.browser.test_supplier_defects import deposit
from tests.support.browser import login_as, pick_in_autocomplete
from tests.support.factories import supplier_with_structure

pytestmark = pytest.mark.browser

ACTIVE = "() => { const el = document.activeElement; return el && el !== document.body ? (el.id || el.tagName) : null; }"
IN_DIALOG = "() => !!document.activeElement.closest('[role=alertdialog]')"


async def test_the_confirmation_dialog_takes_traps_and_gives_back_focus(page, tmp_path):
    user, _ = await supplier_with_structure()
    tag = "".join(random.choice("bcdfghjklmnpqrstvz") for _ in range(7))
    recipient = await public_recipient(tag.title())
    await login_as(page, user)
    await deposit(page, tmp_path, recipient_siret=recipient["identifier"], service_code="28E")
    await page.locator("#inv-recipient-selected").wait_for()

    send = page.get_by_role("button", name="Valider et envoyer")
    await send.focus()
    await page.keyboard.press("Enter")
    dialog = page.get_by_role("alertdialog")
    await dialog.wait_for()
    await page.wait_for_function(IN_DIALOG)
    visited = set()
    for _ in range(6):  # more presses than the dialog has buttons: Tab comes round, never leaves
        await page.keyboard.press("Tab")
        assert await page.evaluate(IN_DIALOG)
        visited.add(await page.evaluate(ACTIVE))
    assert {"confirm-cancel", "confirm-send"} <= visited
    for _ in range(3):
        await page.keyboard.press("Shift+Tab")
        assert await page.evaluate(IN_DIALOG)

    await page.keyboard.press("Escape")
    await dialog.wait_for(state="detached")
    await page.wait_for_function("document.activeElement && document.activeElement.innerText === 'Valider et envoyer'")
    await expect(page.locator("#invoice-status")).to_have_attribute("data-status", "PROVISOIRE")  # nothing was sent


async def test_a_suggestion_taken_with_enter_leaves_focus_on_the_next_field(page, tmp_path):
    user, _ = await supplier_with_structure()
    tag = "".join(random.choice("bcdfghjklmnpqrstvz") for _ in range(7))
    recipient = await public_recipient(tag.title())
    await login_as(page, user)
    await deposit(page, tmp_path, recipient_siret=recipient["identifier"])
    await page.locator("#inv-recipient-selected").get_by_role("button", name="Changer").click()
    await page.wait_for_function(f"() => document.activeElement.id === 'inv-recipient'")  # back in the input

    await pick_in_autocomplete(page, "inv-recipient", f"mairie {tag[:5]}", recipient["identifier"], keyboard=True)
    # The chosen structure is drawn, then (its effect, a moment later) focus is given on; the recipient's
    # services and requirements arrive in renders of their own, which may replace the field just focused
    # (focus is then given back the same way): wait until focus rests on a field of the form (not <body>,
    # not the input that is gone) after the chosen structure, in reading order.
    try:
        await page.wait_for_function("""() => { const el = document.activeElement;
            const chosen = document.querySelector('#inv-recipient-selected');
            return !!el && el !== document.body && el.id !== 'inv-recipient' && !!el.closest('#invoice-form') && !!chosen
                && !!(chosen.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING); }""")
    except PlaywrightTimeout:
        raise AssertionError(f"focus is on {await page.evaluate(ACTIVE)}, not on the form's next field") from None
    # typing goes on in the form, not into the page
    await page.keyboard.press("Tab")
    await page.wait_for_function("() => !!document.activeElement && !!document.activeElement.closest('#invoice-form')")
