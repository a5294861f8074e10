"""Two app instances and two workers on one PostgreSQL and one Redis: a change made through one instance
reaches a browser connected to the other, live."""

from __future__ import annotations

import random

import httpx
import pytest
from playwright.async_api import expect

from tests.support.browser import login_as
from tests.support.dashboard_data import make_invoice
from tests.support.factories import recipient_with_structure, supplier_with_structure
from tests.support.servers import LiveApp

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def second_app(live_app):
    other = LiveApp().start()  # its own app process and its own worker
    yield other
    other.stop()


async def test_an_action_through_instance_b_reaches_a_browser_on_instance_a(new_page, live_app, second_app, client):
    supplier_user, supplier = await supplier_with_structure()
    recipient_user, recipient = await recipient_with_structure()
    invoice = await make_invoice(supplier["id"], recipient["id"], "MISE_A_DISPOSITION", number=f"TI-{random.randint(1000, 9999)}",
                                 recipient_service_id=recipient["services"][0]["id"])

    page = await new_page()  # on instance A (live_app)
    await login_as(page, recipient_user)
    await page.goto(f"/factures-recues/{invoice['id']}")
    await page.locator("#invoice-status").get_by_text("Mise à disposition").wait_for()

    async with httpx.AsyncClient(base_url=second_app.url, headers={"Origin": second_app.url}) as b:
        login = await b.post("/api/auth/session", json={"email": recipient_user["email"], "password": recipient_user["password"]})
        assert login.status_code == 200
        done = await b.post(f"/api/received-invoices/{invoice['id']}/actions", json={"action": "SUSPEND", "reason": "Pièce manquante"})
        assert done.status_code == 200, done.text

    await page.locator("#invoice-status").get_by_text("Suspendue").wait_for()  # no reload on A
    await expect(page.locator("#history")).to_contain_text("Pièce manquante")
