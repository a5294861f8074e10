"""The pure parts of manual entry: lines as typed, what a copy or a credit note takes, the form's values."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal as D

import pytest

from backend.domain.invoices.manual import copy_columns, form_line, parse_lines, total_columns, totals_of
from backend.domain.invoices.store.invoices import FIELDS, Invoice
from backend.domain.invoices.store.lines import Line
from backend.infra.errors import DomainError


def sent_invoice(**changes) -> Invoice:
    moment = datetime(2026, 3, 12, 9, 30, tzinfo=UTC)
    values = {name: None for name in FIELDS} | {
        "id": 41, "supplier_structure_id": 3, "supplier_service_id": 5, "recipient_structure_id": 7, "recipient_service_id": 8,
        "cadre": "A9", "kind": "FACTURE", "source": "SAISIE", "number": "M-9", "number_norm": "M-9",
        "invoice_date": date(2026, 3, 12), "currency": "EUR", "engagement_number": "EJ-55", "purchase_order": "BC-1",
        "payment_terms": "30 jours", "comment": "Lot 2", "total_ttc": D("131.59"), "status": "MISE_A_DISPOSITION", "status_at": moment,
        "deposited_at": moment, "deposit_number": "DEP-1", "version": 4, "created_by": 2, "created_at": moment, "updated_at": moment}
    return Invoice(**(values | changes))


def test_typed_numbers_accept_a_french_comma_and_spaces_and_the_discount_defaults_to_zero():
    [line] = parse_lines([{"description": " Ramettes ", "quantity": "1 000", "unit_price": "4,99", "vat_rate": "5,5"}])
    assert (line.description, line.quantity, line.unit_price, line.vat_rate, line.discount) == ("Ramettes", D("1000"), D("4.99"),
                                                                                                 D("5.5"), D("0"))
    assert line.unit == "C62" and line.exemption_reason is None and line.net_amount == D("4990.00")


def test_a_number_that_is_not_one_names_its_line_and_field():
    with pytest.raises(DomainError) as refused:
        parse_lines([{"description": "A", "quantity": "1", "unit_price": "1", "vat_rate": "20"},
                     {"description": "B", "quantity": "deux", "unit_price": "1", "vat_rate": "20"}])
    assert refused.value.code == "nombre_invalide" and refused.value.field == "lines[1].quantity"


def test_without_lines_the_totals_are_unknown_not_zero():
    assert totals_of([]) is None
    assert total_columns(None) == {"total_ht": None, "total_tva": None, "total_ttc": None, "net_a_payer": None}
    totals = totals_of(parse_lines([{"description": "A", "quantity": "2", "unit_price": "10", "vat_rate": "20"}]))
    assert total_columns(totals) == {"total_ht": D("20.00"), "total_tva": D("4.00"), "total_ttc": D("24.00"), "net_a_payer": D("24.00")}


def test_a_copy_keeps_the_parties_and_terms_but_not_the_number_dates_status_or_deposit():
    copy = copy_columns(sent_invoice(), credit_note=False)
    assert copy == {"supplier_structure_id": 3, "source": "DUPLICATION", "kind": "FACTURE", "cadre": "A9", "recipient_structure_id": 7,
                    "recipient_service_id": 8, "supplier_service_id": 5, "engagement_number": "EJ-55", "purchase_order": "BC-1",
                    "currency": "EUR", "comment": "Lot 2", "payment_terms": "30 jours", "duplicated_from_id": 41,
                    "credit_note_of_id": None}


def test_a_credit_note_is_an_avoir_referencing_the_invoice_it_cancels():
    credit = copy_columns(sent_invoice(), credit_note=True)
    assert credit["kind"] == "AVOIR" and credit["credit_note_of_id"] == 41 and credit["duplicated_from_id"] == 41


def test_the_form_shows_stored_decimals_without_trailing_zeros_or_exponents():
    line = Line(position=1, description="Classeurs", quantity=D("7.0000"), unit="C62", unit_price=D("100.0000"), discount=D("1.05"),
                vat_rate=D("20.00"), exemption_reason=None, net_amount=D("698.95"))
    assert form_line(line) == {"description": "Classeurs", "quantity": "7", "unit": "C62", "unit_price": "100", "discount": "1.05",
                               "vat_rate": "20", "exemption_reason": ""}
