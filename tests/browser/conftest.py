"""Playwright on Debian's chromium (never a downloaded browser); a screenshot is kept on failure."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.async_api import expect

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
RESULTS = Path(__file__).resolve().parents[2] / "test-results"
# One patience for every wait: a locator's wait_for and the auto-retrying expect(...) assertions (whose own
# default, 5 s, is half the pages' and too short on a loaded CI machine).
TIMEOUT_MS = 10_000
expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="session")
async def browser():
    from playwright.async_api import async_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `just test` installs Debian's chromium")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        await browser.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.stash.setdefault(_FAILED, False)
        if report.failed:
            item.stash[_FAILED] = True


_FAILED = pytest.StashKey[bool]()


def _without_eval(page):
    """The app's Content-Security-Policy forbids eval (script-src 'self'), and Playwright polls a
    wait_for_function *expression* with eval inside the page: give it a function instead, which it
    compiles through the DevTools protocol (not subject to the page's CSP)."""
    original = page.wait_for_function

    async def wait_for_function(expression: str, *args, **kwargs):
        if "=>" not in expression and not expression.lstrip().startswith(("function", "async")):
            expression = f"() => ({expression})"
        return await original(expression, *args, **kwargs)

    page.wait_for_function = wait_for_function
    return page


@pytest.fixture
async def new_page(browser, live_app, request):
    """A factory of pages, each in its own browser context (its own cookies), pointed at the live app."""
    contexts = []

    async def make(locale: str = "fr-FR"):
        context = await browser.new_context(base_url=live_app.url, locale=locale, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return _without_eval(await context.new_page())

    yield make
    if request.node.stash.get(_FAILED, False):
        RESULTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        for index, context in enumerate(contexts):
            for number, page in enumerate(context.pages):
                try:
                    await page.screenshot(path=str(RESULTS / f"{name}-{index}-{number}.png"), full_page=True)
                except Exception:
                    pass
    for context in contexts:
        await context.close()


@pytest.fixture
async def page(new_page):
    return await new_page()

