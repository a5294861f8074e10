"""Shared steps of the invoice API tests: a supplier, a public recipient, a PDF uploaded and read."""

from __future__ import annotations

import asyncio
import tempfile
import uuid
from decimal import Decimal
from pathlib import Path

from backend.infra.database import connection

from tests.pdfgen import make_invoice_pdf
from tests.support.factories import make_structure, supplier_with_structure


def pdf_bytes(**kwargs) -> tuple[bytes, dict]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "facture.pdf"
        expected = make_invoice_pdf(path, **kwargs)
        return path.read_bytes(), expected


def unique_number(prefix: str = "F") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10].upper()}"


async def upload(client, content: bytes, *, structure_id: int | None = None, role: str = "principal",
                 name: str = "facture.pdf", headers: dict | None = None):
    params = {"name": name, "role": role}
    if structure_id is not None:
        params["structure_id"] = structure_id
    return await client.post("/api/invoices/uploads", params=params, content=content,
                             headers={"Content-Type": "application/octet-stream", **(headers or {})})


async def wait_extracted(client, file_id: int, timeout: float = 15) -> dict:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        response = await client.get(f"/api/invoices/uploads/{file_id}")
        if response.status_code == 404 or response.json().get("extraction_status") in ("pret", "echec"):
            return {"status_code": response.status_code, **response.json()}
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"extraction of {file_id} did not finish: {response.json()}")
        await asyncio.sleep(0.05)


async def recipient(**kwargs) -> dict:
    return await make_structure(public=True, services=kwargs.pop("services", (("28E", "Enfance jeunesse"), ("SERV2", "Voirie"))),
                                **kwargs)


async def provisional_invoice(client, *, number: str | None = None, recipient_kwargs: dict | None = None,
                              pdf_kwargs: dict | None = None, structure: dict | None = None) -> tuple[dict, dict, dict]:
    """(invoice view, supplier structure, recipient structure): a PROVISOIRE invoice from a read PDF, the
    logged-in supplier on `client`."""
    if structure is None:
        _, structure = await supplier_with_structure(client)
    target = await recipient(**(recipient_kwargs or {}))
    content, _ = pdf_bytes(recipient_siret=target["identifier"], invoice_number=number or unique_number(),
                           **(pdf_kwargs or {}))
    response = await upload(client, content, structure_id=structure["id"])
    assert response.status_code == 201, response.text
    state = await wait_extracted(client, response.json()["id"])
    assert state["extraction_status"] == "pret", state
    created = await client.post("/api/invoices", json={"upload_id": response.json()["id"], "structure_id": structure["id"]})
    assert created.status_code == 201, created.text
    return created.json(), structure, target


async def wait_status(client, invoice_id: int, status: str, timeout: float = 15) -> dict:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        body = (await client.get(f"/api/invoices/{invoice_id}")).json()
        if body["status"] == status:
            return body
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"invoice {invoice_id} stayed {body['status']}")
        await asyncio.sleep(0.05)


async def counts(structure_id: int, side: str = "S") -> dict[str, tuple[int, Decimal]]:
    """The day counters per status, checked against their monthly roll-up on the way."""
    found = {}
    async with connection() as conn:
        for table in ("invoice_daily_count", "invoice_monthly_count"):
            rows = await conn.fetch(f"""SELECT status, sum(count) AS n, sum(amount_ttc) AS amount FROM {table}
                                        WHERE side = $1 AND structure_id = $2 GROUP BY status""", side, structure_id)
            found[table] = {r["status"]: (r["n"], r["amount"]) for r in rows if r["n"] or r["amount"]}
    assert found["invoice_monthly_count"] == found["invoice_daily_count"]
    return found["invoice_daily_count"]
