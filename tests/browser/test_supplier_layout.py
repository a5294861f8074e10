"""Layout a supplier reads at common screen widths (issue 16, defect 5): nothing hidden, nothing sideways.

Each check measures the element boxes the browser laid out, at 1366 px (the most common laptop) and 1920 px.
"""

from __future__ import annotations

import pytest

from tests.support.browser import login_as
from tests.support.dashboard_data import make_invoice
from tests.support.factories import make_structure, supplier_with_structure
from tests.support.invoices import send_typed_invoice

pytestmark = pytest.mark.browser

WIDTHS = (1366, 1920)

# True when the element's box lies wholly inside the viewport and inside every scrolling ancestor's visible
# box (an element scrolled out of a fixed-width scroller is hidden as surely as one off the screen).
FULLY_VISIBLE = """(el) => {
  const box = el.getBoundingClientRect();
  if (box.width === 0 || box.right > document.documentElement.clientWidth + 0.5 || box.left < -0.5) return false;
  for (let p = el.parentElement; p; p = p.parentElement) {
    const style = getComputedStyle(p);
    if (["auto", "scroll", "hidden"].includes(style.overflowX)) {
      const outer = p.getBoundingClientRect();
      if (box.right > outer.right + 0.5 || box.left < outer.left - 0.5) return false;
    }
  }
  return true;
}"""

NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"


async def _sized(new_page, width: int):
    page = await new_page()
    await page.set_viewport_size({"width": width, "height": 900})
    return page


@pytest.mark.parametrize("width", WIDTHS)
async def test_the_dashboard_shows_every_column_and_the_lists_do_not_scroll_sideways(new_page, width):
    user, supplier = await supplier_with_structure(name="Établissements Dupont-Lefèvre et Fils, société par actions simplifiée")
    recipient = await make_structure(public=True, name="Communauté d'agglomération du Grand Exemple-sur-Loire")
    await make_invoice(supplier["id"], recipient["id"], "MISE_A_DISPOSITION", deposited_days_ago=2, engagement="EJ-0000123456")
    page = await _sized(new_page, width)
    await login_as(page, user)
    await page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Tableau de bord").click()
    table = page.locator("#dashboard-S")
    row = table.locator(f"tr[data-structure='{supplier['id']}']")
    await row.wait_for()  # measured with its long names in: the row is what may widen the table
    for header in ("Mise en paiement", "Total"):
        cell = table.get_by_role("columnheader", name=header)
        assert await cell.evaluate(FULLY_VISIBLE), f"« {header} » hidden at {width} px"
    assert await row.locator("[data-column=total]").evaluate(FULLY_VISIBLE)
    assert await page.evaluate(NO_SIDEWAYS_SCROLL)

    await row.locator("[data-column=mise_a_disposition] a").click()
    await page.locator("#invoice-list tbody tr").first.wait_for()
    assert await page.evaluate(NO_SIDEWAYS_SCROLL), f"/factures/liste scrolls sideways at {width} px"
    for header in ("Actions", "État courant", "Montant TTC"):
        assert await page.locator("#invoice-list").get_by_role("columnheader", name=header, exact=True).evaluate(FULLY_VISIBLE)


@pytest.mark.parametrize("width", WIDTHS)
async def test_the_lines_of_saisir_facture_stay_inside_their_card(new_page, width):
    user, supplier = await supplier_with_structure()
    recipient = await make_structure(public=True)
    await send_typed_invoice(user, supplier, recipient, number=f"L-{width}")  # signs the mandate on the way
    page = await _sized(new_page, width)
    await login_as(page, user)
    await page.goto("/factures-emises/saisir")
    await page.locator("#add-line").click()  # two lines: each can be removed, its ✕ shows
    remove = page.get_by_role("button", name="Supprimer la ligne").first
    await remove.wait_for()
    card = page.locator("section.card", has=page.locator("#lines"))
    card_box = await card.bounding_box()
    for element in (page.locator("#lines th").filter(has_text="Montant HT"), page.locator("#line-0-description"),
                    page.locator("#line-0-vat_rate"), remove):
        box = await element.bounding_box()
        assert box["x"] >= card_box["x"] and box["x"] + box["width"] <= card_box["x"] + card_box["width"], await element.evaluate("e => e.outerHTML")
        assert await element.evaluate(FULLY_VISIBLE)
    assert await page.evaluate(NO_SIDEWAYS_SCROLL)
