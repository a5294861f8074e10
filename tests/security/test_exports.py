"""Issue 20, item 7: exported cells must not become formulas (CSV and XLSX formula injection).

Without the fix an invoice numbered `=HYPERLINK(...)` came out as a live XLSX formula and as a CSV
cell starting with `=`.
"""

from __future__ import annotations

import asyncio
import csv
import io

from openpyxl import load_workbook

from tests.support.dashboard_data import make_invoice
from tests.support.factories import make_structure, supplier_with_structure

ATTACKS = ['=HYPERLINK("//e.test")', "+1+cmd|' /C calc'!A0", "-2+3+cmd", "@SUM(1+1)*cmd"]


async def _export(client, query: str, fmt: str) -> bytes:
    """The export's file, once the worker has written it."""
    export_id = (await client.post("/api/exports", json={"query": query, "format": fmt})).json()["id"]

    async def ready() -> dict:
        while (state := (await client.get(f"/api/exports/{export_id}/status")).json())["status"] not in ("pret", "erreur"):
            await asyncio.sleep(0.1)
        return state

    assert (await asyncio.wait_for(ready(), timeout=10))["status"] == "pret"
    return (await client.get(f"/api/exports/{export_id}")).content


async def test_formula_like_values_are_exported_as_quoted_text_and_amounts_stay_numbers(client, worker):
    _, supplier = await supplier_with_structure(client)
    recipient = await make_structure(public=True)
    for i, attack in enumerate(ATTACKS):
        await make_invoice(supplier["id"], recipient["id"], "MISE_A_DISPOSITION", number=f"{attack[:18]}{i}", engagement=attack[:18])
    query = f"cote=S&structure={supplier['id']}"

    sheet = load_workbook(io.BytesIO(await _export(client, query, "xlsx"))).active
    cells = [row for row in sheet.iter_rows(min_row=2)]
    assert len(cells) == len(ATTACKS)
    for row in cells:
        number, engagement, ht, ttc = row[4], row[5], row[8], row[9]
        assert number.data_type == "s" and number.value.startswith("'") and engagement.value.startswith("'")
        assert isinstance(ht.value, (int, float)) and isinstance(ttc.value, (int, float))

    rows = list(csv.reader(io.StringIO((await _export(client, query, "csv")).decode("utf-8-sig")), delimiter=";"))[1:]
    assert len(rows) == len(ATTACKS)
    assert all(row[4].startswith("'") and row[5].startswith("'") for row in rows)
    assert all(not cell.startswith(("=", "+", "@")) for row in rows for cell in row)
