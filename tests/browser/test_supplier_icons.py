"""Icons draw without an emoji font (issue 16, defect 7): inline SVG with accessible names, no emoji."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from tests.browser.test_supplier_defects import deposit
from tests.support.browser import login_as
from tests.support.factories import make_structure, supplier_with_structure
from tests.support.invoices import send_typed_invoice

pytestmark = pytest.mark.browser

# Emoji and pictographs, the symbol blocks that fall back to an emoji font, and the emoji variation selector;
# looked for in the text and in the generated content (::before/::after) of every element.
EMOJI_ON_SCREEN = r"""() => {
  const emoji = /[\u{1F000}-\u{1FAFF}\u{2600}-\u{27BF}\u{2B00}-\u{2BFF}\u{FE0F}]/u;
  const found = [];
  if (emoji.test(document.body.innerText)) found.push(document.body.innerText.match(emoji)[0]);
  for (const el of document.querySelectorAll("*")) {
    for (const pseudo of ["::before", "::after"]) {
      const content = getComputedStyle(el, pseudo).content;
      if (content && content !== "none" && emoji.test(content)) found.push(el.tagName + pseudo + " " + content);
    }
  }
  return found;
}"""


async def test_the_shell_and_supplier_screens_draw_their_icons_as_svg_with_names(page, tmp_path):
    user, supplier = await supplier_with_structure()
    await send_typed_invoice(user, supplier, await make_structure(public=True), number="ICON-1")  # mandate signed
    await login_as(page, user)

    bell = page.locator("#notification-bell")
    await bell.wait_for()
    await expect(bell.locator("svg[aria-hidden=true]")).to_have_count(1)  # drawn, and silent: the button has the name
    await expect(page.get_by_role("button", name="0 notification(s) non lue(s)")).to_have_count(1)

    await deposit(page, tmp_path)
    for path in ("/", "/factures-emises", "/tableau-de-bord", "/factures-emises/saisir"):
        await page.goto(path)
        await page.locator("#user-name").wait_for()
        await page.locator("main").wait_for()
        assert await page.evaluate(EMOJI_ON_SCREEN) == [], path
    await page.locator("#add-line").click()
    remove = page.get_by_role("button", name="Supprimer la ligne").first
    await remove.wait_for()  # the second line's render (the policy answers first on a busy machine)
    await expect(remove.locator("svg")).to_have_count(1)
    await expect(remove).to_have_text("", use_inner_text=True)  # (to_have_text trims the text it compares)

    await page.goto("/factures-emises/deposer")
    await page.locator("#deposit-file").wait_for()
    assert await page.evaluate(EMOJI_ON_SCREEN) == []
