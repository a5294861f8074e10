"""Issue 21: a request and its files are invisible to another structure — its id answers 404, as if it
did not exist, for the request, its files, a reply and closing it; its internal notes reach no user."""

from __future__ import annotations

from tests.support.factories import login, supplier_with_structure
from tests.support.sollicitations import ask, upload

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


async def test_another_structure_s_user_gets_404_on_a_request_and_its_attachments(client, anonymous):
    await supplier_with_structure(client)
    picture = (await upload(client, PNG)).json()
    sid = (await ask(client, message="Mon SIRET est refusé", file_ids=[picture["id"]])).json()["id"]

    stranger, _ = await supplier_with_structure()       # gestionnaire principal of another structure
    await login(anonymous, stranger["email"], stranger["password"])
    for method, path, body in (("GET", f"/api/sollicitations/{sid}", None),
                               ("GET", f"/api/sollicitations/{sid}/files/{picture['id']}", None),
                               ("POST", f"/api/sollicitations/{sid}/messages", {"message": "je lis tout"}),
                               ("POST", f"/api/sollicitations/{sid}/close", None)):
        response = await anonymous.request(method, path, json=body)
        assert response.status_code == 404, (path, response.text)
        assert "SIRET" not in response.text
    assert sid not in [i["id"] for i in (await anonymous.get("/api/sollicitations")).json()["items"]]
    # a file id under one of their own requests does not open someone else's file either
    own = (await ask(anonymous)).json()["id"]
    assert (await anonymous.get(f"/api/sollicitations/{own}/files/{picture['id']}")).status_code == 404
    assert (await client.get(f"/api/sollicitations/{sid}")).json()["state"] == "nouvelle", "nothing changed"
