"""The policy at the routes: each route × each kind of principal, against the real PostgreSQL and Redis.

One public structure S issues a draft (D) and receives an invoice (R, from another structure). The
principals differ by what they hold on S; support acts as S's gestionnaire principal. « ok » means the
policy let the request through (whatever the use case answered next: a stale version's 409, an empty
file's 4xx); 403 and 404 are the refusals, with the codes the routes have always given.
"""

from __future__ import annotations

import httpx
import pytest

from backend.domain.structures import store as structures_store
from backend.infra import storage
from backend.infra.database import connection
from shared.applications import Application, Level
from tests.conftest import BASE_URL, BROWSER_HEADERS
from tests.support.dashboard_data import make_invoice
from tests.support.factories import attach, make_structure, make_user

KINDS = ("consultation", "modification", "principal", "other_structure", "recipient", "support", "acting_as", "acting_as_enabled")
STALE = 999_999


async def _session(app, email: str, password: str, *, impersonate: int | None = None, enable: bool = False) -> str:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE_URL, headers=BROWSER_HEADERS) as c:
        assert (await c.post("/api/auth/session", json={"email": email, "password": password})).status_code == 200
        if impersonate is not None:
            started = await c.post("/api/support/impersonations", json={"user_id": impersonate, "reason": "TICKET-POLICY"})
            assert started.status_code in (200, 201), started.text
        if enable:
            assert (await c.post("/api/support/impersonations/current/enable-actions", json={"confirm": True})).status_code == 200
        return c.cookies["chorale_session"]


@pytest.fixture(scope="session")
async def world(app, client):
    s = await make_structure(public=True)
    x = await make_structure()
    every = {a: Level.CONSULTATION for a in Application}
    users = {kind: await make_user() for kind in ("consultation", "modification", "principal", "other_structure", "recipient")}
    await attach(users["consultation"]["id"], s["id"], profiles=every)
    await attach(users["modification"]["id"], s["id"], profiles={a: Level.MODIFICATION for a in Application})
    await attach(users["principal"]["id"], s["id"], principal=True, profiles={a: Level.MODIFICATION for a in Application})
    await attach(users["other_structure"]["id"], x["id"], principal=True, profiles={a: Level.MODIFICATION for a in Application})
    await attach(users["recipient"]["id"], s["id"], profiles={Application.FACTURES_RECUES: Level.MODIFICATION})
    agents = [await make_user(is_support=True) for _ in range(3)]
    cookies = {kind: await _session(app, u["email"], u["password"]) for kind, u in users.items()}
    cookies["support"] = await _session(app, agents[0]["email"], agents[0]["password"])
    cookies["acting_as"] = await _session(app, agents[1]["email"], agents[1]["password"], impersonate=users["principal"]["id"])
    cookies["acting_as_enabled"] = await _session(app, agents[2]["email"], agents[2]["password"], impersonate=users["principal"]["id"],
                                                  enable=True)
    draft = await make_invoice(s["id"], None, "BROUILLON", deposited_days_ago=None)
    received = await make_invoice(x["id"], s["id"], "MISE_A_DISPOSITION")
    stored = storage.save_bytes(b"%PDF-1.4\n%%EOF\n", key=storage.new_key("structures"))
    piece = await structures_store.add_structure_file(s["id"], original_name="kbis.pdf", designation="Kbis", content_type="application/pdf",
                                                      size=stored.size, sha256=stored.sha256, storage_key=stored.key,
                                                      uploaded_by=users["principal"]["id"])
    return {"S": s["id"], "D": draft["id"], "R": received["id"], "F": piece.id, "cookies": cookies, "users": users}


# (name, method, path, body) and the expected answer per kind, in KINDS' order.
#                                                                       cons mod gp  other recip supp acting enabled
ROUTES = [
    (("view draft", "GET", "/api/invoices/{D}", None),                 "ok  ok  ok  404  404   404  ok     ok"),
    (("list issued", "GET", "/api/invoices?structure_id={S}", None),   "ok  ok  ok  404  403   404  ok     ok"),
    (("edit draft", "PATCH", "/api/invoices/{D}", {"version": STALE}), "403 ok  ok  404  403   404  403    ok"),
    (("send draft", "POST", "/api/invoices/{D}/send", {"version": STALE}), "403 ok ok 404 403   404  403    ok"),
    (("upload pdf", "POST", "/api/invoices/uploads?structure_id={S}&name=f.pdf", b""), "403 ok ok 404 403 404 403 ok"),
    (("upload lot", "POST", "/api/lots?structure_id={S}&deposit_format=XML_STRUCTURE&syntax=UBL&name=l.zip", b""),
     "403 ok ok 404 403 404 403 ok"),
    (("list lots", "GET", "/api/lots?structure_id={S}", None),         "ok  ok  ok  404  403   404  ok     ok"),
    # Duplicating creates nothing until saved: POST on the prefill's path is no route at all, for anyone.
    (("duplicate POST", "POST", "/api/invoices/{D}/duplicate", None),  "405 405 405 405 405   405  405    405"),
    (("duplicate form", "GET", "/api/invoices/{D}/duplicate", None),   "403 ok  ok  404  403   404  403    ok"),
    (("complete", "POST", "/api/invoices/{D}/complete", {"comment": "x", "expected_version": STALE}),
     "403 ok ok 404 403 404 403 ok"),
    (("manual entry", "GET", "/api/invoices/manual/mandate?structure_id={S}", None), "403 ok ok 404 403 404 403 ok"),
    (("manual form", "GET", "/api/invoices/{D}/manual", None),         "403 ok  ok  404  403   404  403    ok"),
    (("received", "GET", "/api/received-invoices/{R}", None),          "ok  ok  ok  404  ok    404  ok     ok"),
    (("suspend", "POST", "/api/received-invoices/{R}/actions", {"action": "SUSPEND", "reason": "x", "expected_version": STALE}),
     "403 ok ok 404 ok 404 403 ok"),
    (("received services", "GET", "/api/received-invoices/services?structure_id={S}", None), "ok ok ok 404 ok 404 ok ok"),
    (("to validate", "GET", "/api/invoices-to-validate?structure_id={S}", None), "ok ok ok 404 403 404 ok ok"),
    (("works", "GET", "/api/works-invoices?structure_id={S}", None), "ok ok ok 404 403 404 ok ok"),
    (("dashboard", "GET", "/api/dashboard", None),                     "ok  ok  ok  ok   ok    ok   ok     ok"),
    (("mandate", "GET", "/api/structures/{S}/mandate", None),          "403 403 ok  404  403   404  403    ok"),
    (("preferences", "PATCH", "/api/accounts/me", {"notify_digest": True}), "ok ok ok ok ok   ok   403    ok"),
    (("password", "POST", "/api/accounts/me/password", {"current": "x", "password": "y", "confirmation": "y"}),
     "ok ok ok ok ok ok 403 403"),
    # Organisation (issue 15): reading is ORGANISATION_READ, changing ORGANISATION_MODIFY; a request is decided by
    # a holder of Organisation modification (an unknown one: 404, unless an intervention blocks it first).
    (("org users", "GET", "/api/organisation/structures/{S}/users", None), "ok ok ok 404 403 404 ok ok"),
    (("org journal", "GET", "/api/organisation/structures/{S}/journal", None), "ok ok ok 404 403 404 ok ok"),
    (("org services", "GET", "/api/organisation/structures/{S}/services", None), "ok ok ok 404 403 404 ok ok"),
    (("org structure edit", "PATCH", "/api/organisation/structures/{S}", {"requires_engagement": False}),
     "403 ok ok 404 403 404 403 ok"),
    (("org approve", "POST", "/api/organisation/requests/999999/approve", {}), "404 404 404 404 404 404 403 404"),
    # A structure's pièces-jointes: Organisation consultation reads, modification adds and deletes (an unknown
    # file: 404 once the policy let the request through).
    (("org files", "GET", "/api/organisation/structures/{S}/files", None), "ok ok ok 404 403 404 ok ok"),
    (("org file download", "GET", "/api/organisation/structures/{S}/files/{F}", None), "ok ok ok 404 403 404 ok ok"),
    (("org file upload", "POST", "/api/organisation/structures/{S}/files?name=a.pdf", b""), "403 ok ok 404 403 404 403 ok"),
    (("org file delete", "DELETE", "/api/organisation/structures/{S}/files/999999", None), "403 404 404 404 403 404 403 404"),
    (("ask attachment", "POST", "/api/me/attachments", {"structure_id": STALE, "comment": "x"}),
     "404 404 404 404 404 404 403 404"),
    (("support journal", "GET", "/api/support/journal", None),         "403 403 403 403 403   ok   403    403"),
    (("support search", "GET", "/api/support/users?q=ab", None),       "403 403 403 403 403   ok   403    403"),
]
CASES = [(route, kind, expected) for route, row in ROUTES for kind, expected in zip(KINDS, row.split(), strict=True)]


@pytest.mark.parametrize(("route", "kind", "expected"), CASES, ids=[f"{r[0]}-{k}" for r, k, _ in CASES])
async def test_route_policy(app, world, route, kind, expected):
    _, method, path, body = route
    url = path.format(**world)
    kwargs = {"content": body} if isinstance(body, bytes) else {"json": body} if body is not None else {}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE_URL, headers=BROWSER_HEADERS,
                                 cookies={"chorale_session": world["cookies"][kind]}) as c:
        response = await c.request(method, url, **kwargs)
    if expected == "ok":
        assert response.status_code not in (401, 403, 404), (response.status_code, response.text)
        assert response.status_code < 500, response.text
    else:
        assert response.status_code == int(expected), (response.status_code, response.text)


async def test_support_acting_as_the_manager_approves_a_rattachement_only_with_actions_enabled(app, world):
    requester = await make_user()
    async with connection() as conn:
        request_id = await conn.fetchval("INSERT INTO attachment (user_id, structure_id, status) VALUES ($1, $2, 'demande') RETURNING id",
                                         requester["id"], world["S"])

    async def decide(kind: str) -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE_URL, headers=BROWSER_HEADERS,
                                     cookies={"chorale_session": world["cookies"][kind]}) as c:
            return await c.post(f"/api/organisation/requests/{request_id}/approve", json={})

    blocked = await decide("acting_as")
    assert blocked.status_code == 403 and blocked.json()["code"] == "bloque_pendant_intervention"
    assert (await decide("consultation")).status_code == 403, "Organisation consultation reads, never decides"
    assert (await decide("other_structure")).status_code == 404
    assert (await decide("acting_as_enabled")).status_code == 200
    async with connection() as conn:
        assert await conn.fetchval("SELECT status FROM attachment WHERE id = $1", request_id) == "approuve"


async def test_a_requested_principal_attachment_is_no_gestionnaire_principal(app, client):
    """The divergence issue 14 names: the manual-entry screen asked « principal whatever the state »."""
    user = await make_user()
    s = await make_structure(services=(("A", "Service A"),))
    # Approved on a service; the request to manage the whole structure still awaits.
    await attach(user["id"], s["id"], service_id=s["services"][0]["id"], profiles={Application.FACTURES_EMISES: Level.MODIFICATION})
    async with connection() as conn:
        await conn.execute("INSERT INTO attachment (user_id, structure_id, status, is_principal) VALUES ($1, $2, 'demande', true)",
                           user["id"], s["id"])
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE_URL, headers=BROWSER_HEADERS) as c:
        assert (await c.post("/api/auth/session", json={"email": user["email"], "password": user["password"]})).status_code == 200
        state = (await c.get("/api/invoices/manual/mandate", params={"structure_id": s["id"]})).json()
        assert state["principal"] is False
        assert (await c.get(f"/api/structures/{s['id']}/mandate")).status_code == 403
