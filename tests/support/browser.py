"""Steps browser tests share."""

from __future__ import annotations


async def login_as(page, user: dict) -> None:
    """Log in through the login form, as a person would."""
    await page.goto("/connexion")
    await page.locator("#login-email").fill(user["email"])
    await page.locator("#login-password").fill(user["password"])
    await page.locator("#login-form button[type=submit]").click()
    await page.locator("#user-name").wait_for()
