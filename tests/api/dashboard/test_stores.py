"""The dashboard's reads through the invoices listing store, and its own store of exports."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from backend.domain.accounts.identity import Principal
from backend.domain.dashboard import exports, rules, services, store
from backend.domain.dashboard.services import purge_invoices
from backend.domain.invoices.store import files, history, listing
from backend.domain.invoices.store import invoices as invoice_store
from backend.infra import storage
from shared.invoice_status import InvoiceStatus
from tests.support.dashboard_data import make_invoice
from tests.support.factories import make_structure, supplier_with_structure


async def test_the_synthesis_sums_states_and_months_past_the_drafts_and_lists_the_drafts(client):
    user, supplier = await supplier_with_structure(client)
    recipient = await make_structure(public=True)
    await make_invoice(supplier["id"], recipient["id"], "MISE_A_DISPOSITION", deposited_days_ago=3, total_ttc="100.00")
    await make_invoice(supplier["id"], recipient["id"], "MISE_A_DISPOSITION", deposited_days_ago=40, total_ttc="50.00")
    draft = await make_invoice(supplier["id"], None, "BROUILLON", deposited_days_ago=None, total_ttc="7.00")
    principal = Principal(user_id=user["id"], email=user["email"], display_name="x")
    result = await services.synthesis(principal, "S")
    assert (InvoiceStatus.MISE_A_DISPOSITION, 2, Decimal("150.00")) in result.by_status
    assert (InvoiceStatus.BROUILLON, 1, Decimal("7.00")) in result.by_status
    assert sum(amount for _, amount in result.by_month) == Decimal("150.00")  # the draft's 7.00 is no month's
    assert [d["id"] for d in result.to_finish] == [draft["id"]] and result.to_finish[0]["status"] == "BROUILLON"


async def test_counts_are_typed_rows_per_structure_and_status(client):
    user, supplier = await supplier_with_structure(client)
    recipient = await make_structure(public=True)
    await make_invoice(supplier["id"], recipient["id"], "SUSPENDUE", deposited_days_ago=2, total_ttc="30.00")
    since = datetime.now(UTC).date() - timedelta(days=30)
    rows = await listing.counts("R", [recipient["id"]], since, rules.first_month_end(since))
    assert rows == [listing.CounterTotal(structure_id=recipient["id"], status="SUSPENDUE", n=1, amount=Decimal("30.00"))]
    assert await listing.counts("S", [], since, since) == []


async def test_old_exports_are_deleted_with_their_files(client):
    user, _ = await supplier_with_structure(client)
    export_id = await store.create(user["id"], "cote=S", "csv")
    path = exports.export_dir() / f"export-{export_id}.csv"
    path.write_text("x")
    await store.finish(export_id, 0, str(path))
    assert (await store.owned(export_id, user["id"])).status == store.READY
    assert await store.owned(export_id, user["id"] + 1) is None  # another user's: not found
    await exports.purge_old_exports(now=datetime.now(UTC))
    assert await store.owned(export_id, user["id"]) is not None  # less than a day old: kept
    assert await exports.purge_old_exports(now=datetime.now(UTC) + exports.KEEP + timedelta(minutes=1)) >= 1
    assert await store.owned(export_id, user["id"]) is None and not path.exists()


async def test_the_purge_deletes_old_invoices_with_their_history_counters_and_files(client):
    user, supplier = await supplier_with_structure(client)
    recipient = await make_structure(public=True)
    old = await make_invoice(supplier["id"], recipient["id"], "MISE_EN_PAIEMENT", deposited_days_ago=3700, total_ttc="10.00")
    kept = await make_invoice(supplier["id"], recipient["id"], "MISE_EN_PAIEMENT", deposited_days_ago=3000, total_ttc="20.00")
    await history.add(invoice_id=old["id"], status_from=None, status_to="MISE_EN_PAIEMENT", action="CREATE", at=old["created_at"])
    stored = {}
    for invoice in (old, kept):
        saved = storage.save_bytes(b"%PDF-1.4 test", key=storage.new_key("invoices", ".pdf"))
        await files.insert({"invoice_id": invoice["id"], "role": "principal", "original_name": "f.pdf", "content_type": "application/pdf",
                            "size": saved.size, "sha256": saved.sha256, "storage_key": saved.key})
        stored[invoice["id"]] = saved.key

    assert await purge_invoices(dry_run=True) >= 1 and storage.exists(stored[old["id"]])  # a dry run deletes nothing
    assert await purge_invoices() >= 1

    assert await invoice_store.get(old["id"]) is None and await invoice_store.get(kept["id"]) is not None
    assert await history.for_invoice(old["id"]) == [] and await files.for_invoice(old["id"]) == []
    assert not storage.exists(stored[old["id"]]) and storage.exists(stored[kept["id"]])
    for side, structure in (("S", supplier["id"]), ("R", recipient["id"])):
        totals = await listing.counts(side, [structure], date(2000, 1, 1), date(2000, 2, 1))
        assert [(t.status, t.n, t.amount) for t in totals] == [("MISE_EN_PAIEMENT", 1, Decimal("20.00"))]
