"""The list statement the listing store runs: its shape decides the plan of a benchmarked hot path."""

from datetime import datetime
from decimal import Decimal

from backend.domain.dashboard.rules import ListFilter
from backend.domain.invoices.store.listing import list_statement
from backend.domain.structures.permissions import StructureRef
from shared.applications import Level
from shared.invoice_status import DashboardColumn


def _ref(structure_id: int, services: tuple[int, ...] | None = None) -> StructureRef:
    return StructureRef(structure_id, "", "", None, False, Level.MODIFICATION, services)


def test_a_page_of_a_column_is_one_limited_branch_per_state_over_one_structure():
    f = ListFilter(side="S", column=DashboardColumn("refusee_rejetee"))
    sql, params = list_statement(f, [_ref(7)], limit=26)
    states = f.wanted_statuses
    assert len(states) > 1 and sql.count(" UNION ALL ") == len(states) - 1
    assert "i.supplier_structure_id = $1" in sql and "ANY($1" not in sql  # equality: the index is walked in order
    assert params[0] == 7 and params[1] == 26 and sql.count("LIMIT $2") == len(states) + 1
    assert params[2:] == [s.value for s in states]


def test_an_export_reads_every_row_of_several_structures_and_services():
    f = ListFilter(side="R", amount_min=Decimal(0), number="F-1%")
    sql, params = list_statement(f, [_ref(1), _ref(2), _ref(3, (4, 5))])
    assert "LIMIT $" not in sql and "UNION ALL" not in sql
    assert params[:4] == [[1, 2], 3, [4, 5], "f-1%"]
    assert "i.total_ttc >= $5" in sql and params[4] == Decimal(0)  # a zero minimum is a filter, not its absence


def test_the_next_page_starts_after_the_cursors_row_in_the_sort_order():
    f = ListFilter(side="S", sort="montant", descending=False)
    sql, params = list_statement(f, [_ref(1)], after=["12.50", "9"], limit=11)
    assert "(coalesce(i.total_ttc, 0), i.id) > ($2, $3)" in sql and params[1:3] == [Decimal("12.50"), 9]
    dated = ListFilter(side="S")
    sql, params = list_statement(dated, [_ref(1)], after=["2026-01-02T03:04:05+00:00", 4], limit=11)
    assert "< ($2, $3)" in sql and isinstance(params[1], datetime)
