"""Permission checks answer the same from grants read with the user (HTTP requests) as from the database."""

from __future__ import annotations

from backend.domain.accounts.identity import TokenClaims
from backend.domain.accounts.services import principal_for
from backend.domain.structures.permissions import access_to, is_attached, structures_for
from backend.infra.database import connection
from shared.applications import Application, Level
from tests.support.factories import attach, make_structure, make_user


async def test_preloaded_grants_answer_like_the_database(client):
    user = await make_user()
    whole = await make_structure(name="B structure entière")
    by_service = await make_structure(public=True, name="A par services", services=(("S1", "Un"), ("S2", "Deux"), ("S3", "Trois")))
    attached_only = await make_structure(name="C rattachement seul")
    pending = await make_structure(name="D demandé")
    await attach(user["id"], whole["id"], profiles={Application.FACTURES_EMISES: Level.MODIFICATION,
                                                    Application.FACTURES_RECUES: Level.CONSULTATION})
    for service in by_service["services"][:2]:
        await attach(user["id"], by_service["id"], service_id=service["id"], profiles={Application.FACTURES_RECUES: Level.MODIFICATION})
    await attach(user["id"], attached_only["id"], profiles={})
    await attach(user["id"], pending["id"])
    async with connection() as conn:
        await conn.execute("UPDATE attachment SET status = 'demande' WHERE structure_id = $1", pending["id"])

    claims = TokenClaims(user_id=user["id"], expires_at=0)
    preloaded, plain = await principal_for(claims, with_grants=True), await principal_for(claims)
    assert preloaded.grants is not None and plain.grants is None and preloaded == plain
    for application in Application:
        for level in Level:
            assert await structures_for(preloaded, application, level) == await structures_for(plain, application, level)
        for structure in (whole, by_service, attached_only, pending):
            assert await access_to(preloaded, structure["id"], application) == await access_to(plain, structure["id"], application)
    received = await structures_for(preloaded, Application.FACTURES_RECUES)
    assert [r.raison_sociale for r in received] == ["A par services", "B structure entière"]
    assert set(received[0].service_ids) == {s["id"] for s in by_service["services"][:2]} and received[1].service_ids is None
    assert [await is_attached(preloaded, s["id"]) for s in (whole, by_service, attached_only, pending)] == [True, True, True, False]
    assert [await is_attached(plain, s["id"]) for s in (whole, by_service, attached_only, pending)] == [True, True, True, False]


async def test_assets_skip_the_session_lookup_and_requests_get_grants(client):
    from backend.domain.accounts.identity import encode_session
    from backend.domain.accounts.middleware import identity_middleware

    user = await make_user()
    seen = {}

    async def app(scope, receive, send):
        seen[scope["path"]] = scope["principal"]

    middleware = identity_middleware(app)
    cookie = (b"cookie", f"chorale_session={encode_session(user['id'])}".encode())
    for path in ("/static/chorale.css", "/_reactpy/modules/x.js", "/api/auth/me"):
        await middleware({"type": "http", "path": path, "headers": [cookie]}, None, None)
    assert seen["/static/chorale.css"] is None and seen["/_reactpy/modules/x.js"] is None
    assert seen["/api/auth/me"].user_id == user["id"] and seen["/api/auth/me"].grants == ()
    assert (await client.get("/static/chorale.css")).status_code == 200
