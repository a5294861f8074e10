"""Steps browser tests share."""

from __future__ import annotations


async def login_as(page, user: dict) -> None:
    """Log in through the login form, as a person would."""
    await page.goto("/connexion")
    await page.locator("#login-email").fill(user["email"])
    await page.locator("#login-password").fill(user["password"])
    await page.locator("#login-form button[type=submit]").click()
    await page.locator("#user-name").wait_for()


async def pick_in_autocomplete(page, input_id: str, typed: str, siret: str, *, keyboard: bool = False) -> None:
    """Type into the SIRET autocomplete `input_id` as a person would, wait until the first suggestion is
    the establishment `siret` (suggestions for the first letters typed come and go on the way), take it
    (with Enter when `keyboard`, else a click) and wait until it shows as chosen."""
    await page.locator(f"#{input_id}").click()
    await page.keyboard.type(typed, delay=30)
    option = page.locator(f'#{input_id}-option-0[data-siret="{siret}"]')
    await option.wait_for()
    if keyboard:
        await page.keyboard.press("Enter")
    else:
        await option.click()
    await page.locator(f'#{input_id}-selected[data-siret="{siret}"]').wait_for()
