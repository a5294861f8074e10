"""The interface keeps working under its Content-Security-Policy: no violation on the screens, the
upload (chorale.js's XHR and progress bar) and the socket included. Fails if the policy blocks any of
ReactPy's client, its modules, the socket, the stylesheet or an inline style attribute."""

from __future__ import annotations

import pytest

from tests.pdfgen import make_invoice_pdf
from tests.support.browser import login_as
from tests.support.factories import random_siret, supplier_with_structure

pytestmark = pytest.mark.browser

WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""
SCREENS = ["/", "/tableau-de-bord", "/factures-emises", "/factures-emises/lots", "/factures/recherche", "/mon-compte",
           "/annuaire", "/factures-emises/saisir"]


async def test_no_content_security_policy_violation_on_the_screens_and_the_upload(page, tmp_path, live_app):
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.on("pageerror", lambda error: console.append(str(error)))
    await page.add_init_script(WATCH)
    user, structure = await supplier_with_structure()
    response = await page.goto("/connexion")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    await login_as(page, user)
    for path in SCREENS:
        await page.goto(path)
        await page.locator("main h1, h1").first.wait_for()
        await page.wait_for_timeout(300)
        assert await page.evaluate("window.__csp") == [], path
    pdf = tmp_path / "facture.pdf"
    make_invoice_pdf(pdf, supplier_siret=structure["identifier"], recipient_siret=random_siret(), invoice_number="F-CSP-1",
                     service_code=None)
    await page.goto("/factures-emises/deposer")
    await page.locator("#deposit-file").set_input_files(str(pdf))
    await page.wait_for_url("**/factures-emises/*/modifier")
    await page.locator("#invoice-form").wait_for()
    assert await page.evaluate("window.__csp") == []
    assert not [text for text in console if "Content Security Policy" in text or "Refused to" in text], console
