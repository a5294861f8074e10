from __future__ import annotations

import asyncio
import io

from openpyxl import load_workbook

from backend.domain.accounts.identity import Principal
from tests.support.dashboard_data import make_invoice
from tests.support.factories import make_structure, supplier_with_structure
from tests.support.invoice_actions import apply_action


async def _supplier_with_invoices(client):
    user, supplier = await supplier_with_structure(client)
    recipient = await make_structure(public=True)
    made = {}
    for status, n in (("SUSPENDUE", 2), ("MISE_A_DISPOSITION", 3), ("REFUSEE", 1), ("REJETEE", 1), ("BROUILLON", 1)):
        made[status] = [await make_invoice(supplier["id"], recipient["id"], status,
                                           deposited_days_ago=None if status == "BROUILLON" else 5 + i) for i in range(n)]
    await make_invoice(supplier["id"], recipient["id"], "SUSPENDUE", deposited_days_ago=800)  # archived: not counted
    return user, supplier, recipient, made


async def test_counts_per_column_come_from_the_counters_for_the_last_two_years(client):
    user, supplier, recipient, made = await _supplier_with_invoices(client)
    rows = (await client.get("/api/dashboard")).json()
    mine = next(r for r in rows if r["structure_id"] == supplier["id"])
    assert mine["counts"]["suspendue"] == 2 and mine["counts"]["mise_a_disposition"] == 3
    assert mine["counts"]["refusee_rejetee"] == 2 and mine["counts"]["brouillon"] == 1
    assert mine["amounts"]["suspendue"] == "240.00"


async def test_the_two_year_window_starts_on_its_first_day_even_mid_month(client):
    from backend.domain.dashboard import rules, services
    from backend.domain.invoices.counters import paris_day

    user, supplier = await supplier_with_structure(client)
    recipient = await make_structure(public=True)
    today = services.today_paris()
    first = (today - rules.dashboard_since(today)).days
    for days_ago, total in ((first + 1, "1.00"), (first, "10.00"), (first - 20, "100.00"), (200, "1000.00"), (0, "10000.00")):
        made = await make_invoice(supplier["id"], recipient["id"], "SUSPENDUE", deposited_days_ago=days_ago, total_ttc=total)
        if days_ago == first:
            assert paris_day(made["deposited_at"]) == rules.dashboard_since(today)
    rows = (await client.get("/api/dashboard")).json()
    mine = next(r for r in rows if r["structure_id"] == supplier["id"])
    assert mine["counts"]["suspendue"] == 4 and mine["amounts"]["suspendue"] == "11110.00"  # not the day before the window


async def test_a_column_lists_exactly_its_invoices_and_archived_ones_stay_searchable(client):
    user, supplier, recipient, made = await _supplier_with_invoices(client)
    page = (await client.get("/api/invoice-list", params={"cote": "S", "structure": supplier["id"], "colonne": "suspendue"})).json()
    assert {r["id"] for r in page["rows"]} >= {i["id"] for i in made["SUSPENDUE"]}
    assert len(page["rows"]) == 3  # the two recent ones and the archived one
    assert all(r["status"] == "SUSPENDUE" for r in page["rows"])
    recent = (await client.get("/api/invoice-list", params={"cote": "S", "structure": supplier["id"], "colonne": "suspendue",
                                                            "du": "2025-01-01"})).json()
    assert len(recent["rows"]) == 2


async def test_pages_are_keyset_and_stable_under_inserts(client):
    user, supplier = await supplier_with_structure(client)
    recipient = await make_structure(public=True)
    for i in range(30):
        await make_invoice(supplier["id"], recipient["id"], "MISE_A_DISPOSITION", deposited_days_ago=i + 1)
    first = (await client.get("/api/invoice-list", params={"cote": "S", "structure": supplier["id"]})).json()
    assert len(first["rows"]) == 25 and first["next"]
    await make_invoice(supplier["id"], recipient["id"], "MISE_A_DISPOSITION", deposited_days_ago=0)  # newer than all
    second = (await client.get("/api/invoice-list", params={"cote": "S", "structure": supplier["id"], "curseur": first["next"]})).json()
    assert len(second["rows"]) == 5 and not second["next"]
    assert not {r["id"] for r in first["rows"]} & {r["id"] for r in second["rows"]}


async def test_another_users_structure_is_not_listed(client, anonymous):
    user, supplier, recipient, made = await _supplier_with_invoices(client)
    other, _ = await supplier_with_structure(anonymous)
    response = await anonymous.get("/api/invoice-list", params={"cote": "S", "structure": supplier["id"]})
    assert response.status_code == 404


async def test_a_status_change_moves_the_counts(client):
    user, supplier, recipient, made = await _supplier_with_invoices(client)
    system = None
    await apply_action(made["MISE_A_DISPOSITION"][0]["id"], "SUSPEND",
                       Principal(user_id=user["id"], email=user["email"], display_name="x"), role="RECIPIENT", reason="Pièce manquante")
    mine = next(r for r in (await client.get("/api/dashboard")).json() if r["structure_id"] == supplier["id"])
    assert mine["counts"]["suspendue"] == 3 and mine["counts"]["mise_a_disposition"] == 2
    assert system is None


async def test_an_export_streams_every_matching_row_into_xlsx_and_csv(client, worker):
    user, supplier, recipient, made = await _supplier_with_invoices(client)
    query = f"cote=S&structure={supplier['id']}&colonne=mise_a_disposition"
    for fmt in ("xlsx", "csv"):
        export = (await client.post("/api/exports", json={"query": query, "format": fmt})).json()
        for _ in range(100):
            status = (await client.get(f"/api/exports/{export['id']}/status")).json()
            if status["status"] in ("pret", "erreur"):
                break
            await asyncio.sleep(0.1)
        assert status["status"] == "pret" and status["rows"] == 3
        download = await client.get(f"/api/exports/{export['id']}")
        assert download.status_code == 200
        if fmt == "xlsx":
            sheet = load_workbook(io.BytesIO(download.content)).active
            rows = list(sheet.iter_rows(values_only=True))
            assert rows[0][4] == "Numéro de facture" and len(rows) == 4
            assert {r[4] for r in rows[1:]} == {i["number"] for i in made["MISE_A_DISPOSITION"]}
        else:
            text = download.content.decode("utf-8-sig")
            assert text.splitlines()[0].startswith("Code service fournisseur;Destinataire") and len(text.splitlines()) == 4


async def _exported(client, query: str, fmt: str) -> bytes:
    export = (await client.post("/api/exports", json={"query": query, "format": fmt})).json()
    for _ in range(100):
        status = (await client.get(f"/api/exports/{export['id']}/status")).json()
        if status["status"] in ("pret", "erreur"):
            break
        await asyncio.sleep(0.1)
    assert status["status"] == "pret"
    return (await client.get(f"/api/exports/{export['id']}")).content


async def test_exports_hold_numbers_and_dates_a_spreadsheet_sums_and_sorts(client, worker):
    import re
    from datetime import datetime

    user, supplier, recipient, made = await _supplier_with_invoices(client)
    query = f"cote=S&structure={supplier['id']}&colonne=mise_a_disposition"
    sheet = load_workbook(io.BytesIO(await _exported(client, query, "xlsx"))).active
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == 3
    for row in rows:
        ht, ttc, invoice_day, deposit_day = row[8], row[9], row[6], row[7]
        assert isinstance(ht.value, (int, float)) and isinstance(ttc.value, (int, float)) and ttc.value >= ht.value
        assert ht.number_format == "#,##0.00"
        assert isinstance(invoice_day.value, datetime) and isinstance(deposit_day.value, datetime)
        assert deposit_day.number_format == "DD/MM/YYYY"
        assert isinstance(row[12].value, int)
    lines = (await _exported(client, query, "csv")).decode("utf-8-sig").splitlines()
    for line in lines[1:]:
        cells = line.split(";")
        # French convention: decimal comma, no thousands separator (a spreadsheet reads a number, not text).
        assert re.fullmatch(r"-?\d+,\d{2}", cells[8]) and re.fullmatch(r"-?\d+,\d{2}", cells[9]), cells
        assert re.fullmatch(r"\d{2}/\d{2}/\d{4}", cells[7]), cells


async def test_nobody_else_can_download_an_export(client, anonymous, worker):
    user, supplier, recipient, made = await _supplier_with_invoices(client)
    export = (await client.post("/api/exports", json={"query": f"cote=S&structure={supplier['id']}", "format": "csv"})).json()
    await supplier_with_structure(anonymous)
    assert (await anonymous.get(f"/api/exports/{export['id']}")).status_code == 404
    bad = await client.post("/api/exports", json={"query": "", "format": "pdf"})
    assert bad.status_code == 400


async def test_invoices_past_ten_years_are_purged_with_their_counters(client):
    from backend.domain.dashboard.services import purge_invoices
    from backend.infra.database import connection

    user, supplier = await supplier_with_structure(client)
    recipient = await make_structure(public=True)
    old = await make_invoice(supplier["id"], recipient["id"], "MISE_EN_PAIEMENT", deposited_days_ago=3700)
    kept = await make_invoice(supplier["id"], recipient["id"], "MISE_EN_PAIEMENT", deposited_days_ago=3000)
    assert await purge_invoices(dry_run=True) >= 1
    await purge_invoices()
    async with connection() as conn:
        ids = {r["id"] for r in await conn.fetch("SELECT id FROM invoice WHERE supplier_structure_id = $1", supplier["id"])}
        counted = await conn.fetchval("SELECT coalesce(sum(count), 0) FROM invoice_daily_count WHERE side = 'S' AND structure_id = $1",
                                      supplier["id"])
    assert ids == {kept["id"]} and counted == 1
    assert old["id"] not in ids


async def test_a_column_of_several_states_pages_through_all_of_them_in_date_order(client):
    user, supplier = await supplier_with_structure(client)
    recipient = await make_structure(public=True)
    made = [await make_invoice(supplier["id"], recipient["id"], ("REFUSEE", "REJETEE", "A_RECYCLER")[i % 3], deposited_days_ago=i + 1)
            for i in range(31)]
    await make_invoice(supplier["id"], recipient["id"], "SUSPENDUE", deposited_days_ago=2)
    seen, cursor = [], None
    while True:
        params = {"cote": "S", "structure": supplier["id"], "colonne": "refusee_rejetee"}
        if cursor:
            params["curseur"] = cursor
        page = (await client.get("/api/invoice-list", params=params)).json()
        seen += [r["id"] for r in page["rows"]]
        cursor = page["next"]
        if not cursor:
            break
    assert seen == [i["id"] for i in made]  # newest first, each once, nothing else
