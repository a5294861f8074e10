"""An invoice an ERP typed in through the API (soumettre, modeDepot SAISIE_API) is in the supplier's
« Factures émises » like one typed in the portal, and opens read-only with its lines."""

from __future__ import annotations

import random

import httpx
import pytest
from playwright.async_api import expect

from tests.api.manual.helpers import _mandate
from tests.support.browser import login_as
from tests.support.factories import login, make_structure, supplier_with_structure
from tests.support.piste import Erp, credentials_for

pytestmark = pytest.mark.browser


async def test_an_invoice_typed_in_through_the_api_is_listed_and_opens_read_only_with_its_lines(page, live_app):
    user, supplier = await supplier_with_structure()
    town = await make_structure(public=True, services=(("28E", "Enfance jeunesse"),))
    async with httpx.AsyncClient(base_url=live_app.url, headers={"Origin": live_app.url}) as manager:
        await login(manager, user["email"], user["password"])
        await _mandate(manager, supplier, user)
        credentials = await credentials_for(manager, supplier["id"])
    number = f"SAISIE-{random.randint(100000, 999999)}"
    async with Erp(None, credentials, base_url=live_app.url) as erp:
        assert (await erp.get_token()).status_code == 200
        answer = await erp.call("/cpro/factures/v1/soumettre", {
            "modeDepot": "SAISIE_API", "numeroFactureSaisi": number, "dateFacture": "2026-03-12",
            "destinataire": {"codeDestinataire": town["identifier"], "codeServiceExecutant": "28E"},
            "cadreDeFacturation": {"codeCadreFacturation": "A1_FACTURE_FOURNISSEUR"},
            "lignePoste": [{"lignePosteNumero": 1, "lignePosteDenomination": "Ramettes de papier", "lignePosteQuantite": 10,
                            "lignePosteMontantUnitaireHT": 4.99, "lignePosteMontantRemiseHT": 0.9, "lignePosteTauxTva": "TVA20"},
                           {"lignePosteNumero": 2, "lignePosteDenomination": "Manuels scolaires", "lignePosteQuantite": 3,
                            "lignePosteMontantUnitaireHT": 17.35, "lignePosteTauxTva": "TVA5_5"}],
            "montantTotal": {"montantHtTotal": 101.05, "montantTVA": 12.66, "montantTtcTotal": 113.71}})
        assert answer.status_code == 200, answer.text
        invoice_id = answer.json()["identifiantFactureCPP"]

    await login_as(page, user)
    await page.get_by_role("link", name="Factures émises", exact=True).first.click()
    row = page.locator(f"#issued-table tr[data-key='{invoice_id}']")
    await expect(row).to_contain_text(number)
    await expect(row).to_contain_text("113,71")
    await row.get_by_role("link", name="Consulter").click()
    await page.wait_for_url(f"**/factures-emises/{invoice_id}")

    await expect(page.locator("#detail-number")).to_have_text(number)
    lines = page.locator("#lines-table tbody tr")
    await expect(lines).to_have_count(2)
    await expect(lines.nth(0)).to_contain_text("Ramettes de papier")
    await expect(lines.nth(0).locator("[data-col=net_amount]")).to_contain_text("49,00")
    await expect(lines.nth(1)).to_contain_text("Manuels scolaires")
    await expect(lines.nth(1).locator("[data-col=vat_rate]")).to_contain_text("5,5")
    await expect(page.locator("#detail-ttc")).to_contain_text("113,71")
    # Read-only: sent, so no « Reprendre la saisie », only its Factur-X and « Dupliquer ».
    await expect(page.get_by_role("link", name="Reprendre la saisie")).to_have_count(0)
    await expect(page.locator("#detail-facturx")).to_be_visible()
