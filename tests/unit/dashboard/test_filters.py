from datetime import date
from decimal import Decimal
from urllib.parse import parse_qs

from backend.domain.dashboard.rules import ListFilter, dashboard_since, first_month_end, decode_cursor, encode_cursor, parse_filter
from shared.invoice_status import DashboardColumn, InvoiceStatus


def test_a_filter_survives_the_round_trip_through_the_url():
    f = ListFilter(side="R", structure_id=12, column=DashboardColumn.SUSPENDUE, date_from=date(2026, 1, 1),
                   date_to=date(2026, 3, 31), number="F-1", amount_min=Decimal("10.5"), sort="montant", descending=False)
    assert parse_filter(parse_qs(f.to_query())) == f


def test_malformed_parameters_are_ignored_not_fatal():
    f = parse_filter({"structure": ["abc"], "colonne": ["nope"], "du": ["2026-13-45"], "min": ["x"], "tri": ["hack"]})
    assert f == ListFilter()


def test_a_column_opens_exactly_its_statuses_and_chosen_states_narrow_it():
    f = ListFilter(column=DashboardColumn.REFUSEE_REJETEE)
    assert set(f.wanted_statuses) == {InvoiceStatus.REFUSEE, InvoiceStatus.REJETEE, InvoiceStatus.A_RECYCLER}
    assert f.with_(statuses=(InvoiceStatus.REFUSEE, InvoiceStatus.SUSPENDUE)).wanted_statuses == (InvoiceStatus.REFUSEE,)


def test_the_recipient_side_never_lists_what_it_cannot_see():
    statuses = ListFilter(side="R").wanted_statuses
    assert InvoiceStatus.BROUILLON not in statuses and InvoiceStatus.MISE_A_DISPOSITION in statuses


def test_the_dashboard_counts_two_years_back_even_from_a_leap_day():
    assert dashboard_since(date(2026, 11, 25)) == date(2024, 11, 25)
    assert dashboard_since(date(2028, 2, 29)) == date(2026, 2, 28)


def test_cursors_round_trip_and_garbage_is_ignored():
    assert decode_cursor(encode_cursor(["2026-01-01T00:00:00+00:00", 5])) == ["2026-01-01T00:00:00+00:00", 5]
    assert decode_cursor("%%%") is None and decode_cursor(None) is None


def test_the_partial_first_month_of_the_window_ends_at_the_next_month():
    assert first_month_end(date(2024, 11, 25)) == date(2024, 12, 1)
    assert first_month_end(date(2024, 12, 1)) == date(2025, 1, 1)
    assert first_month_end(date(2024, 12, 31)) == date(2025, 1, 1)
    assert first_month_end(date(2026, 2, 28)) == date(2026, 3, 1)


def test_states_nothing_may_pass_are_an_empty_filter_not_no_filter():
    # Issue 20, item 4: an empty set of allowed states was read as « every state ».
    assert ListFilter(side="S").wanted_statuses is None
    assert ListFilter(side="R", statuses=(InvoiceStatus.BROUILLON,)).wanted_statuses == ()
    assert ListFilter(side="R", column=DashboardColumn.BROUILLON).wanted_statuses == ()
    assert ListFilter(side="S", column=DashboardColumn.SUSPENDUE, statuses=(InvoiceStatus.REFUSEE,)).wanted_statuses == ()
